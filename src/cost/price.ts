import type { z } from 'zod';
import { ConfigError } from '../platform/errors.js';
import type { Bill } from './bill.js';
import { ApiGatewayUsageSchema, priceApiGateway } from './calculators/apigateway.js';
import { FargateUsageSchema, priceFargate } from './calculators/fargate.js';
import { LambdaUsageSchema, priceLambda } from './calculators/lambda.js';
import { priceXRay, XRayUsageSchema } from './calculators/xray.js';

/** Every service `growstack price` knows, with its usage schema and calculator. */
export const CALCULATORS = {
  lambda: { schema: LambdaUsageSchema, price: priceLambda },
  apigateway: { schema: ApiGatewayUsageSchema, price: priceApiGateway },
  fargate: { schema: FargateUsageSchema, price: priceFargate },
  xray: { schema: XRayUsageSchema, price: priceXRay },
} as const;

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
