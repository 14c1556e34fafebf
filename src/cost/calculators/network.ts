import { Decimal } from 'decimal.js';
import { z } from 'zod';
import { type Bill, BillBuilder } from '../bill.js';

const count = z.number().nonnegative();
const HOURS = 730;

export const NatGatewayUsageSchema = z.strictObject({
  service: z.literal('natgateway'),
  gateways: count.default(1),
  hours: count.default(HOURS),
  dataProcessedGb: count.default(0),
});

// https://aws.amazon.com/vpc/pricing/ : per NAT gateway hour and per GB processed.
export function priceNatGateway(usage: z.infer<typeof NatGatewayUsageSchema>, region: string): Bill {
  const bill = new BillBuilder('natgateway', region);
  bill.charge('natgateway.hours', 'NAT gateway hours', new Decimal(usage.gateways).times(usage.hours));
  bill.charge('natgateway.data', 'Data processed', usage.dataProcessedGb);
  return bill.build();
}

export const AlbUsageSchema = z.strictObject({
  service: z.literal('alb'),
  loadBalancers: count.default(1),
  hours: count.default(HOURS),
  lcus: count.default(0).describe('average LCUs per load balancer-hour'),
});

// https://aws.amazon.com/elasticloadbalancing/pricing/ : per load balancer hour and per LCU-hour.
export function priceAlb(usage: z.infer<typeof AlbUsageSchema>, region: string): Bill {
  const bill = new BillBuilder('alb', region);
  const hours = new Decimal(usage.loadBalancers).times(usage.hours);
  bill.charge('alb.hours', 'Load balancer hours', hours);
  bill.charge('alb.lcus', 'LCU-hours', hours.times(usage.lcus));
  return bill.build();
}

export const Route53UsageSchema = z.strictObject({
  service: z.literal('route53'),
  hostedZones: count.default(0),
  standardQueries: count.default(0),
  latencyQueries: count.default(0),
  healthChecks: count.default(0),
});

// https://aws.amazon.com/route53/pricing/ : hosted zones per month (tiered at 25), queries per
// million; queries to alias records that point at AWS resources are free.
export function priceRoute53(usage: z.infer<typeof Route53UsageSchema>, region: string): Bill {
  const bill = new BillBuilder('route53', region);
  bill.note('Queries to alias records pointing at AWS resources (CloudFront, load balancers) are free.');
  bill.charge('route53.zones', 'Hosted zones', usage.hostedZones);
  if (usage.standardQueries > 0)
    bill.charge('route53.standardQueries', 'Standard queries', usage.standardQueries);
  if (usage.latencyQueries > 0)
    bill.charge('route53.latencyQueries', 'Latency-based queries', usage.latencyQueries);
  if (usage.healthChecks > 0)
    bill.charge('route53.healthChecks', 'Health checks (AWS endpoints)', usage.healthChecks);
  return bill.build();
}
