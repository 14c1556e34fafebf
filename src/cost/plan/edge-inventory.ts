import type { EdgeFunctionUse, Template } from './inventory.js';

type Resources = NonNullable<Template['Resources']>;

interface Behavior {
  readonly PathPattern?: string;
  readonly LambdaFunctionAssociations?: readonly {
    readonly EventType?: string;
    readonly LambdaFunctionARN?: unknown;
  }[];
}

const refOf = (value: unknown): string | undefined =>
  typeof value === 'object' && value !== null && typeof (value as { Ref?: unknown }).Ref === 'string'
    ? (value as { Ref: string }).Ref
    : undefined;

/**
 * A function whose role Lambda@Edge may assume (`edgelambda.amazonaws.com`): it runs at
 * CloudFront's edge when a behavior calls it, not as one of the stage's own functions.
 */
export function isEdgeFunction(props: Record<string, unknown>, template: Template): boolean {
  const role = props.Role as { 'Fn::GetAtt'?: unknown[] } | undefined;
  const roleId = role?.['Fn::GetAtt']?.[0];
  if (typeof roleId !== 'string') return false;
  const trust = template.Resources?.[roleId]?.Properties?.AssumeRolePolicyDocument;
  return JSON.stringify(trust ?? {}).includes('edgelambda.amazonaws.com');
}

/**
 * The Lambda@Edge functions a distribution's behaviors call: each association's event, the
 * behavior's path, and the memory of the function its version points to (128 MB, Lambda's
 * least, when the version lives in another stack and cannot be followed).
 */
export function edgeFunctionsOf(props: Record<string, unknown>, template: Template): EdgeFunctionUse[] {
  const config = (props.DistributionConfig ?? {}) as {
    DefaultCacheBehavior?: Behavior;
    CacheBehaviors?: readonly Behavior[];
  };
  const behaviors = [
    ...(config.DefaultCacheBehavior ? [{ ...config.DefaultCacheBehavior, PathPattern: '*' }] : []),
    ...(config.CacheBehaviors ?? []),
  ];
  const resources = template.Resources ?? {};
  return behaviors.flatMap((behavior) =>
    (behavior.LambdaFunctionAssociations ?? []).map((association) => ({
      eventType: association.EventType ?? 'origin-request',
      pathPattern: behavior.PathPattern ?? '*',
      memoryMb: memoryOf(refOf(association.LambdaFunctionARN), resources),
    })),
  );
}

function memoryOf(versionId: string | undefined, resources: Resources): number {
  const version = versionId && Object.hasOwn(resources, versionId) ? resources[versionId] : undefined;
  const functionId = refOf(version?.Properties?.FunctionName);
  const fn = functionId && Object.hasOwn(resources, functionId) ? resources[functionId] : undefined;
  const memory = Number(fn?.Properties?.MemorySize ?? 128);
  return Number.isFinite(memory) ? memory : 128;
}
