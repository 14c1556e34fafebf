import type { z } from 'zod';
import { ConfigError } from '../platform/errors.js';
import type { Bill } from './bill.js';
import { ApiGatewayUsageSchema, priceApiGateway } from './calculators/apigateway.js';
import { FargateUsageSchema, priceFargate } from './calculators/fargate.js';
import { LambdaUsageSchema, priceLambda } from './calculators/lambda.js';
import { priceXRay, XRayUsageSchema } from './calculators/xray.js';

/** Every service `growstack price` knows, with its usage schema and calculator. */
export const CALCULATORS = {
  lambda: {
    schema: LambdaUsageSchema,
    price: priceLambda,
    fields:
      'requests*, durationMs* (average), memoryMb*, architecture (x86_64|arm64), ephemeralStorageMb (512), freeTier, provisionedConcurrency {concurrency, hours, requests, durationMs}',
  },
  apigateway: {
    schema: ApiGatewayUsageSchema,
    price: priceApiGateway,
    fields:
      'apiType* (http|rest|websocket), requests, requestKb, responseKb, cacheSizeGb, cacheHours (730), messages, messageKb, connectionMinutes, freeTier',
  },
  fargate: {
    schema: FargateUsageSchema,
    price: priceFargate,
    fields:
      'platform (ecs|eks), os (linux|windows), architecture, tasks*, vcpu*, memoryGb*, ephemeralStorageGb (20), hoursPerTask*',
  },
  xray: {
    schema: XRayUsageSchema,
    price: priceXRay,
    fields: 'tracesRecorded, tracesRetrieved, tracesScanned, insights (boolean), freeTier',
  },
} as const satisfies Record<string, Calculator>;

/** One service's calculator: its usage schema, its pricing function, and its fields for --help. */
export interface Calculator {
  readonly schema: z.ZodType;
  // biome-ignore lint/suspicious/noExplicitAny: each calculator takes its own parsed usage type
  readonly price: (usage: any, region: string) => Bill;
  /** The usage fields as `growstack price --help` lists them: * marks required, (x) a default. */
  readonly fields: string;
}

export type PricedService = keyof typeof CALCULATORS;

/** Validates a usage document and prices it; a wrong field is a ConfigError naming it. */
export function priceUsage(usage: unknown, region: string): Bill {
  const service =
    typeof usage === 'object' && usage !== null ? (usage as { service?: unknown }).service : undefined;
  if (typeof service !== 'string' || !(service in CALCULATORS)) {
    throw new ConfigError(
      `service: must be one of ${Object.keys(CALCULATORS).join(', ')}, got ${JSON.stringify(service ?? null)}`,
    );
  }
  const calculator = CALCULATORS[service as PricedService];
  const parsed = (calculator.schema as z.ZodType).safeParse(usage);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field =
      issue?.code === 'unrecognized_keys' ? issue.keys.join(', ') : issue?.path.join('.') || 'usage';
    const message = issue?.code === 'unrecognized_keys' ? 'unknown field' : (issue?.message ?? 'invalid');
    throw new ConfigError(`${field}: ${message}`);
  }
  return (calculator.price as (usage: unknown, region: string) => Bill)(parsed.data, region);
}
