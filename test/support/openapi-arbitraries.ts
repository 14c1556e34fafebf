import fc from 'fast-check';

/** The part of JSON Schema (as the OpenAPI document writes it) the generators read. */
export interface JsonSchema {
  readonly $ref?: string;
  readonly type?: string | readonly string[];
  readonly enum?: readonly unknown[];
  readonly properties?: Record<string, JsonSchema>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean;
  readonly items?: JsonSchema;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  readonly format?: string;
  readonly minimum?: number;
  readonly maximum?: number;
}

export interface OpenApiDocument {
  readonly paths: Record<string, Record<string, Operation>>;
  readonly components: { readonly schemas: Record<string, JsonSchema> };
}

export interface Parameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header';
  readonly required?: boolean;
  readonly schema: JsonSchema;
}

export interface Operation {
  readonly parameters?: readonly Parameter[];
  readonly requestBody?: { readonly content: Record<string, { readonly schema: JsonSchema }> };
  readonly security?: readonly unknown[];
}

/** Arbitraries that replace the schema's own for a property or parameter of this name. */
export type Hints = Readonly<Record<string, fc.Arbitrary<unknown>>>;

/** Strings made to break things: lone surrogates, NUL, control characters, markup, injections, long runs. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '\ud800',
    '\udfff',
    'a\ud83d',
    '../../../../etc/passwd',
    '%2e%2e%2f',
    "' OR '1'='1",
    '"; DROP TABLE products; --',
    '{"$gt":""}',
    '<script>alert(1)</script>',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a log-injection probe, sent as is
    '${jndi:ldap://x}',
    '__proto__',
    'constructor',
    '\r\nset-cookie: x=1',
    '💥'.repeat(300),
    'x'.repeat(5000),
  ),
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({
    unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code)),
    maxLength: 4,
  }),
);

function resolve(doc: OpenApiDocument, schema: JsonSchema): JsonSchema {
  if (!schema.$ref) return schema;
  const name = schema.$ref.replace('#/components/schemas/', '');
  const target = doc.components.schemas[name];
  if (!target) throw new Error(`unresolved ${schema.$ref}`);
  return resolve(doc, target);
}

function typeOf(schema: JsonSchema): string | undefined {
  return Array.isArray(schema.type) ? schema.type.find((type) => type !== 'null') : (schema.type as string);
}

/** A value the schema accepts (the server may still refuse it for what it means: no such product). */
export function validValue(doc: OpenApiDocument, raw: JsonSchema, hints: Hints = {}): fc.Arbitrary<unknown> {
  const schema = resolve(doc, raw);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  switch (typeOf(schema)) {
    case 'object': {
      const properties = schema.properties ?? {};
      const required = new Set(schema.required ?? []);
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [name, property] of Object.entries(properties)) {
        record[name] = hints[name] ?? validValue(doc, property, hints);
      }
      return fc.record(record, { requiredKeys: [...required].filter((key) => key in record) });
    }
    case 'array':
      return fc.array(validValue(doc, schema.items ?? {}, hints), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? 5, 5),
      });
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1_000_000, max: schema.maximum ?? 1_000_000 });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'string':
      return validString(schema);
    default:
      return fc.jsonValue();
  }
}

function validString(schema: JsonSchema): fc.Arbitrary<string> {
  const min = schema.minLength ?? 0;
  const max = Math.min(schema.maxLength ?? 60, 60);
  const fits = (value: string) =>
    value.length >= min && value.length <= (schema.maxLength ?? Number.POSITIVE_INFINITY);
  if (schema.format === 'email') {
    const part = fc.stringMatching(/^[a-z0-9]{1,12}$/);
    return fc.tuple(part, part).map(([user, host]) => `${user}@${host}.example`);
  }
  if (schema.format === 'date-time')
    return fc.date({ noInvalidDate: true }).map((date) => date.toISOString());
  if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern)).filter(fits);
  return fc.string({ minLength: min, maxLength: Math.max(min, max), unit: 'grapheme' });
}

/** A value the schema refuses: the wrong type, out of range, too long, off-pattern, unknown keys, missing keys. */
export function invalidValue(
  doc: OpenApiDocument,
  raw: JsonSchema,
  hints: Hints = {},
): fc.Arbitrary<unknown> {
  const schema = resolve(doc, raw);
  const wrongType = fc
    .oneof(fc.constant(null), fc.boolean(), fc.integer(), fc.constant([]), fc.constant({}), hostileString)
    .filter((value) => (typeOf(schema) === 'string' ? typeof value !== 'string' : true));
  switch (typeOf(schema)) {
    case 'object': {
      const valid = validValue(doc, schema, hints) as fc.Arbitrary<Record<string, unknown>>;
      const keys = Object.keys(schema.properties ?? {});
      const broken = keys.map((key) =>
        fc
          .tuple(valid, invalidValue(doc, schema.properties?.[key] ?? {}, {}))
          .map(([value, bad]) => ({ ...value, [key]: bad })),
      );
      const missing = (schema.required ?? []).map((key) =>
        valid.map((value) => Object.fromEntries(Object.entries(value).filter(([name]) => name !== key))),
      );
      const extra = valid.map((value) => ({ ...value, role: 'admin', priceCents: 0, isAdmin: true }));
      return fc.oneof(
        wrongType,
        ...broken,
        ...missing,
        ...(schema.additionalProperties === false ? [extra] : []),
      );
    }
    case 'array':
      return fc.oneof(
        wrongType,
        ...((schema.minItems ?? 0) > 0 ? [fc.constant([])] : []),
        fc.array(validValue(doc, schema.items ?? {}, hints), {
          minLength: (schema.maxItems ?? 200) + 1,
          maxLength: (schema.maxItems ?? 200) + 3,
        }),
        fc.array(invalidValue(doc, schema.items ?? {}, hints), { minLength: 1, maxLength: 3 }),
      );
    case 'integer':
    case 'number':
      return fc.oneof(
        wrongType,
        fc.constantFrom(1.5, Number.MAX_SAFE_INTEGER * 4, -1e308, 1e308),
        ...(schema.minimum !== undefined ? [fc.integer({ min: -1e9, max: schema.minimum - 1 })] : []),
        ...(schema.maximum !== undefined
          ? [fc.integer({ min: schema.maximum + 1, max: schema.maximum + 1e9 })]
          : []),
      );
    case 'string':
      return fc.oneof(
        wrongType,
        ...(schema.maxLength !== undefined ? [fc.constant('x'.repeat(schema.maxLength + 1))] : []),
        ...((schema.minLength ?? 0) > 0 ? [fc.constant('')] : []),
        ...(schema.pattern || schema.format ? [hostileString] : []),
        ...(schema.enum ? [fc.constant('NOT-IN-ENUM')] : []),
      );
    default:
      return wrongType;
  }
}

/** A path, query or header value as text: valid for the schema, or not. */
export function parameterText(schema: JsonSchema, valid: boolean): fc.Arbitrary<string> {
  if (valid) return validValue({ paths: {}, components: { schemas: {} } }, schema).map(String);
  return fc.oneof(
    hostileString,
    fc.constantFrom('-1', '0', '1e9', 'NaN', '1.5', 'true', '[]', '%00', 'x'.repeat(3000)),
  );
}

/**
 * Percent-encodes text for a URL the way a client would; a lone surrogate (which
 * encodeURIComponent refuses) goes out as the bytes a careless client sends for it.
 */
export function urlText(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return [...text]
      .map((char) => {
        try {
          return encodeURIComponent(char);
        } catch {
          return '%ED%A0%80';
        }
      })
      .join('');
  }
}

/** Header values are bytes 0x20-0x7e and tab on the wire; others become what a client could send. */
export function headerText(text: string): string {
  return text.replace(/[^\t\x20-\x7e]/g, '?');
}
