import { z } from 'zod';
import { type Bill, BillBuilder } from '../bill.js';

const count = z.number().nonnegative();

export const WafUsageSchema = z.strictObject({
  service: z.literal('waf'),
  webAcls: count.default(1),
  rules: count.default(0),
  requests: count.default(0),
});

// https://aws.amazon.com/waf/pricing/ : per web ACL and per rule or rule group each month, and per
// million requests inspected. AWS managed rule groups other than Bot Control and fraud control add
// no fee of their own.
export function priceWaf(usage: z.infer<typeof WafUsageSchema>, region: string): Bill {
  const bill = new BillBuilder('waf', region);
  bill.charge('waf.acls', 'Web ACLs', usage.webAcls);
  bill.charge('waf.rules', 'Rules and rule groups', usage.rules);
  bill.charge('waf.requests', 'Requests inspected', usage.requests);
  return bill.build();
}

export const ShieldUsageSchema = z.strictObject({
  service: z.literal('shield'),
  subscription: z.boolean().default(true),
  cloudfrontDataOutGb: count.default(0),
});

// https://aws.amazon.com/shield/pricing/ : Shield Advanced is a monthly fee per organization with a
// one-year commitment, plus data transfer usage fees on protected resources.
export function priceShield(usage: z.infer<typeof ShieldUsageSchema>, region: string): Bill {
  const bill = new BillBuilder('shield', region);
  if (usage.subscription) {
    bill.charge('shield.subscription', 'Shield Advanced subscription', 1);
    bill.note('Shield Advanced commits the organization for one year; the fee covers all its accounts.');
  }
  if (usage.cloudfrontDataOutGb > 0)
    bill.note('cloudfrontDataOutGb: Shield Advanced data transfer usage fees are not priced yet.');
  return bill.build();
}
