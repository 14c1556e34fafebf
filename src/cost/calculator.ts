import { z } from 'zod';
import { ConfigError } from '../contracts/errors.js';
import type { Bill } from './bill.js';

/** A service's usage document: a strict object whose `service` literal picks the calculator. */
export type UsageSchema = z.ZodObject;

/** One service's calculator: its usage schema and the pricing function that takes what it parses. */
export interface Calculator<S extends UsageSchema = UsageSchema> {
  readonly schema: S;
  price(usage: z.output<S>, region: string): Bill;
  /** Validates a usage document against `schema` and prices it; a wrong field is a ConfigError naming it. */
  priceDocument(usage: unknown, region: string): Bill;
}

/** Ties a pricing function to its schema, so the usage it is handed is the schema's own output type. */
export function defineCalculator<S extends UsageSchema>(
  schema: S,
  price: (usage: z.output<S>, region: string) => Bill,
): Calculator<S> {
  return {
    schema,
    price,
    priceDocument: (usage, region) => price(parseUsage(schema, usage), region),
  };
}

function parseUsage<S extends UsageSchema>(schema: S, usage: unknown): z.output<S> {
  const parsed = schema.safeParse(usage);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field =
    issue?.code === 'unrecognized_keys' ? issue.keys.join(', ') : issue?.path.join('.') || 'usage';
  const message = issue?.code === 'unrecognized_keys' ? 'unknown field' : (issue?.message ?? 'invalid');
  throw new ConfigError(`${field}: ${message}`, { setting: field });
}

/**
 * The usage fields of a schema as `growstack price --help` lists them, `service` left out: `name*`
 * when required; otherwise `name (default)`, where a number's default of 0 goes unsaid. An enum
 * lists its choices, the default first; a nested object lists its own fields in braces; a
 * description (zod `.describe()`) follows the default.
 */
export function usageFields(schema: UsageSchema): string[] {
  return Object.entries(schema.shape)
    .filter(([name]) => name !== 'service')
    .map(([name, field]) => fieldHelp(name, field as z.ZodType));
}

function fieldHelp(name: string, field: z.ZodType): string {
  let inner: z.ZodType = field;
  let description = field.description;
  let fallback: unknown;
  let required = true;
  for (;;) {
    if (inner instanceof z.ZodDefault) {
      fallback = inner.def.defaultValue;
      inner = inner.def.innerType as z.ZodType;
    } else if (inner instanceof z.ZodOptional) {
      inner = inner.def.innerType as z.ZodType;
    } else break;
    required = false;
    description ??= inner.description;
  }
  const notes: string[] = [];
  if (inner instanceof z.ZodEnum) {
    const choices = inner.options.map(String);
    notes.push(
      [...choices.filter((c) => c === fallback), ...choices.filter((c) => c !== fallback)].join('|'),
    );
  } else if (fallback !== undefined && fallback !== 0) notes.push(String(fallback));
  if (description) notes.push(description);
  const nested = inner instanceof z.ZodObject ? ` {${usageFields(inner).join(', ')}}` : '';
  return `${name}${required ? '*' : ''}${nested}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`;
}
