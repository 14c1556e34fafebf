import { Decimal } from 'decimal.js';
import { z } from 'zod';
import { type Bill, BillBuilder } from '../bill.js';

const count = z.number().nonnegative();
export const CACHE_SIZES_GB = ['0.5', '1.6', '6.1', '13.5', '28.4', '58.2', '118', '237'] as const;

export const ApiGatewayUsageSchema = z.strictObject({
  service: z.literal('apigateway'),
  apiType: z.enum(['http', 'rest', 'websocket']),
  requests: count.default(0),
  requestKb: count.default(0).describe('average; HTTP APIs meter 512 KB units'),
  responseKb: count.default(0).describe('average REST response: data transfer out, unless behindCloudFront'),
  behindCloudFront: z
    .boolean()
    .default(false)
    .describe('true: clients reach the API through CloudFront, which bills the transfer out'),
  cacheSizeGb: z
    .number()
    .refine((size) => (CACHE_SIZES_GB as readonly string[]).includes(String(size)), {
      message: `must be one of ${CACHE_SIZES_GB.join(', ')}`,
    })
    .optional()
    .describe(CACHE_SIZES_GB.join('|')),
  cacheHours: count.optional().describe('730 when omitted'),
  messages: count.default(0),
  messageKb: count.default(0).describe('average WebSocket message; metered in 32 KB units'),
  connectionMinutes: count.default(0),
  freeTier: z.boolean().default(true),
});
export type ApiGatewayUsage = z.infer<typeof ApiGatewayUsageSchema>;

const HOURS_PER_MONTH = 730;

/** A month of one API Gateway API. https://aws.amazon.com/api-gateway/pricing/ */
export function priceApiGateway(usage: ApiGatewayUsage, region: string): Bill {
  const bill = new BillBuilder('apigateway', region);
  const free = usage.freeTier;
  if (free)
    bill.note(
      'Free tier: 1M API calls, 1M messages and 750,000 connection minutes a month, for 12 months on accounts created before 2025-07-15.',
    );
  if (usage.apiType === 'http') {
    // Each 512 KB (or part) of a request is metered as one request.
    const units = Math.max(1, Math.ceil(usage.requestKb / 512));
    if (units > 1)
      bill.note(
        `Requests of ${usage.requestKb} KB are metered as ${units} requests each (512 KB increments).`,
      );
    bill.charge(
      'apigateway.http.requests',
      'HTTP API requests',
      new Decimal(usage.requests).times(units),
      free ? { free: 1_000_000 } : {},
    );
  }
  if (usage.apiType === 'rest') {
    bill.charge(
      'apigateway.rest.requests',
      'REST API requests',
      usage.requests,
      free ? { free: 1_000_000 } : {},
    );
    if (usage.responseKb > 0 && usage.behindCloudFront) {
      bill.note(
        "Responses go to CloudFront, whose transfer out is CloudFront's line; fetches from an AWS origin to CloudFront are free.",
      );
    } else if (usage.responseKb > 0) {
      // "If you use external data transfers, you will be charged at the EC2 data transfer rate"
      // (https://aws.amazon.com/api-gateway/pricing/); its worked REST example counts 3 KB x 5M
      // calls as 14.3 GB (1,048,576 KB to the GB) and does not take the free 100 GB off.
      const gb = new Decimal(usage.requests).times(usage.responseKb).div(1024 * 1024);
      bill.charge('datatransfer.internet', 'Data transfer out (responses)', gb, free ? { free: 100 } : {});
    }
    if (usage.cacheSizeGb !== undefined) {
      const size = String(usage.cacheSizeGb);
      bill.charge(`apigateway.cache.${size}`, `Cache ${size} GB`, usage.cacheHours ?? HOURS_PER_MONTH);
    }
  } else if (usage.cacheSizeGb !== undefined) {
    bill.note('Only REST APIs have a cache; cacheSizeGb was not priced.');
  }
  if (usage.apiType === 'websocket') {
    const units = Math.max(1, Math.ceil(usage.messageKb / 32));
    bill.charge(
      'apigateway.websocket.messages',
      'WebSocket messages',
      new Decimal(usage.messages).times(units),
      free ? { free: 1_000_000 } : {},
    );
    bill.charge(
      'apigateway.websocket.connectionMinutes',
      'Connection minutes',
      usage.connectionMinutes,
      free ? { free: 750_000 } : {},
    );
  }
  return bill.build();
}
