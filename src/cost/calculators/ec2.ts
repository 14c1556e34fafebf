import { Decimal } from 'decimal.js';
import { z } from 'zod';
import { type Bill, BillBuilder } from '../bill.js';

export const Ec2UsageSchema = z.strictObject({
  service: z.literal('ec2'),
  instanceType: z
    .string()
    .regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, 'must be an instance type like m7g.large')
    .describe('e.g. m7g.large'),
  instances: z.number().int().nonnegative(),
  hoursPerInstance: z.number().nonnegative().max(744).default(730),
  /** Each instance's root volume: an EKS managed node group's default is 20 GB. */
  volumeGbPerInstance: z.number().nonnegative().default(20),
});
export type Ec2Usage = z.infer<typeof Ec2UsageSchema>;

const HOURS_PER_MONTH = 730;

/**
 * A month of Linux on-demand EC2 instances (the enterprise stage's EKS nodes) and their gp3 root
 * volumes. https://aws.amazon.com/ec2/pricing/on-demand/ bills each instance per second (60 s
 * minimum) at its type's hourly rate; https://aws.amazon.com/ebs/pricing/ bills gp3 per GB-month
 * (3,000 IOPS and 125 MB/s included). A type the price list has no figure for is not priced.
 */
export function priceEc2(usage: Ec2Usage, region: string): Bill {
  const bill = new BillBuilder('ec2', region);
  const hours = new Decimal(usage.instances).times(usage.hoursPerInstance);
  bill.charge(`ec2.${usage.instanceType}`, `${usage.instanceType} on-demand (Linux)`, hours);
  if (usage.volumeGbPerInstance > 0) {
    bill.charge(
      'ebs.gp3',
      'gp3 root volumes',
      // GB-months: a volume kept for part of the month is billed for that part.
      hours.times(usage.volumeGbPerInstance).div(HOURS_PER_MONTH),
    );
  }
  return bill.build();
}
