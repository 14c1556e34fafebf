import { loadAwsServiceSpecSync } from '@aws-cdk/aws-service-spec';
import type { PropertyType, Resource, ResourceProperties, SpecDatabase } from '@aws-cdk/service-spec-types';

/**
 * Checks templates against the CloudFormation resource specification that the CDK itself is
 * generated from (`@aws-cdk/aws-service-spec`, offline): unknown resource types and properties,
 * missing required properties, a literal of the wrong type, and a literal outside a property's
 * allowed values where the specification lists them.
 *
 * What stays unchecked: the specification carries no patterns, lengths or numeric ranges (the
 * CloudFormation registry schemas do; no npm package ships them, so they are not vendored), and
 * a value computed at deploy time (Ref, Fn::GetAtt, Fn::Join…) is only known then, so only
 * literals are checked; custom resources (`Custom::*`) have no schema.
 */
export interface SchemaFinding {
  readonly resource: string;
  readonly path: string;
  readonly message: string;
}

let database: SpecDatabase | undefined;
const spec = () => {
  database ??= loadAwsServiceSpecSync();
  return database;
};

const RESOURCE_KEYS = new Set([
  'Type',
  'Properties',
  'DependsOn',
  'Condition',
  'DeletionPolicy',
  'UpdateReplacePolicy',
  'Metadata',
  'UpdatePolicy',
  'CreationPolicy',
]);

const isIntrinsic = (value: unknown): boolean => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || String(keys[0]).startsWith('Fn::'));
};

function resourceType(type: string): Resource | undefined {
  return spec().lookup('resource', 'cloudFormationType', 'equals', type)[0];
}

/** Every finding in one template's resources. */
export function checkTemplate(template: {
  Resources?: Record<string, Record<string, unknown>>;
}): SchemaFinding[] {
  const findings: SchemaFinding[] = [];
  for (const [id, resource] of Object.entries(template.Resources ?? {})) {
    const type = String(resource.Type);
    const say = (path: string, message: string) =>
      findings.push({ resource: `${id} (${type})`, path, message });
    for (const key of Object.keys(resource))
      if (!RESOURCE_KEYS.has(key)) say(key, 'unknown resource attribute');
    if (type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource') continue;
    if (type === 'AWS::CDK::Metadata') continue;
    const definition = resourceType(type);
    if (!definition) {
      say('Type', 'unknown resource type');
      continue;
    }
    checkObject(
      definition.properties,
      (resource.Properties ?? {}) as Record<string, unknown>,
      'Properties',
      say,
    );
  }
  return findings;
}

type Say = (path: string, message: string) => void;

function checkObject(
  properties: ResourceProperties,
  value: Record<string, unknown>,
  path: string,
  say: Say,
): void {
  for (const [name, property] of Object.entries(properties))
    if (property.required && !(name in value)) say(`${path}.${name}`, 'required property missing');
  for (const [name, item] of Object.entries(value)) {
    const property = properties[name];
    if (!property) say(`${path}.${name}`, 'unknown property');
    else checkValue(property.type, item, `${path}.${name}`, say);
  }
}

/** Whether `value` can be of `type`, saying why not; intrinsics are accepted (known at deploy). */
function checkValue(type: PropertyType, value: unknown, path: string, say: Say): void {
  if (isIntrinsic(value)) return;
  const wrong = (expected: string) =>
    say(path, `expected ${expected}, got ${JSON.stringify(value)?.slice(0, 80)}`);
  switch (type.type) {
    case 'string':
    case 'date-time':
      // CloudFormation turns numbers and booleans into strings where a string is expected.
      if (!['string', 'number', 'boolean'].includes(typeof value)) {
        wrong('a string');
        return;
      }
      if (type.type === 'string' && type.allowedValues && !type.allowedValues.includes(String(value)))
        say(path, `${JSON.stringify(value)} is not one of ${type.allowedValues.join(', ')}`);
      return;
    case 'number':
    case 'integer':
      if (
        typeof value === 'number' ||
        (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
      ) {
        if (type.type === 'integer' && !Number.isInteger(Number(value))) {
          wrong('an integer');
          return;
        }
        if (type.type === 'integer' && type.allowedValues && !type.allowedValues.includes(Number(value)))
          say(path, `${value} is not one of ${type.allowedValues.join(', ')}`);
        return;
      }
      {
        wrong('a number');
        return;
      }
    case 'boolean':
      if (typeof value === 'boolean' || value === 'true' || value === 'false') return;
      {
        wrong('a boolean');
        return;
      }
    case 'json':
      return;
    case 'null':
      if (value !== null) wrong('null');
      return;
    case 'tag':
      if (typeof value !== 'object' || value === null || !('Key' in value) || !('Value' in value))
        wrong('a tag {Key, Value}');
      return;
    case 'array':
      if (!Array.isArray(value)) {
        wrong('a list');
        return;
      }
      for (const [index, element] of value.entries())
        checkValue(type.element, element, `${path}[${index}]`, say);
      return;
    case 'map':
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        wrong('a map');
        return;
      }
      for (const [key, element] of Object.entries(value))
        checkValue(type.element, element, `${path}.${key}`, say);
      return;
    case 'union': {
      const fits = type.types.some((member) => {
        let ok = true;
        checkValue(member, value, path, () => {
          ok = false;
        });
        return ok;
      });
      if (!fits) wrong(`one of ${type.types.map((member) => member.type).join(', ')}`);
      return;
    }
    case 'ref': {
      const definition = spec().get('typeDefinition', type.reference.$ref);
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        wrong(`a ${definition.name}`);
        return;
      }
      checkObject(definition.properties, value as Record<string, unknown>, path, say);
      return;
    }
  }
}

/** Placeholders a template must never carry: unresolved lookups (`dummy1a`), unresolved tokens. */
export function placeholdersIn(text: string): string[] {
  return [...new Set(text.match(/dummy[\w-]*|\$\{Token\[[^\]]*\]\}/gi) ?? [])];
}
