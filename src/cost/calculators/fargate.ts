import { Decimal } from 'decimal.js';
import { z } from 'zod';
import { type Bill, BillBuilder } from '../bill.js';

const positive = z.number().positive();

export const FargateUsageSchema = z
  .strictObject({
    service: z.literal('fargate'),
    platform: z.enum(['ecs', 'eks']).default('ecs'),
    os: z.enum(['linux', 'windows']).default('linux'),
    architecture: z.enum(['x86_64', 'arm64']).default('x86_64'),
    tasks: z.number().int().nonnegative(),
    vcpu: positive,
    memoryGb: positive,
    ephemeralStorageGb: z.number().min(20).max(200).default(20),
    hoursPerTask: z.number().nonnegative(),
  })
  .refine((usage) => !(usage.os === 'windows' && usage.architecture === 'arm64'), {
    message: 'Windows containers on Fargate run on x86_64 only',
    path: ['architecture'],
  });
export type FargateUsage = z.infer<typeof FargateUsageSchema>;

/**
 * A month of Fargate tasks, billed per second of vCPU and memory (ECS and EKS pay the same).
 * https://aws.amazon.com/fargate/pricing/
 */
export function priceFargate(usage: FargateUsage, region: string): Bill {
  const bill = new BillBuilder('fargate', region);
  let seconds = new Decimal(usage.tasks).times(usage.hoursPerTask).times(3600);
  if (usage.os === 'windows' && usage.hoursPerTask < 0.25) {
    // Windows tasks are billed for at least 15 minutes each.
    seconds = new Decimal(usage.tasks).times(900);
    bill.note('Windows tasks are billed for a minimum of 15 minutes each.');
  }
  if (usage.os === 'windows') {
    bill.charge('fargate.windows.x86_64.vcpu', 'vCPU (Windows)', seconds.times(usage.vcpu));
    bill.charge('fargate.windows.license', 'Windows OS license', seconds.times(usage.vcpu));
    bill.charge('fargate.windows.x86_64.memory', 'Memory (Windows)', seconds.times(usage.memoryGb));
  } else {
    bill.charge(
      `fargate.linux.${usage.architecture}.vcpu`,
      `vCPU (Linux/${usage.architecture})`,
      seconds.times(usage.vcpu),
    );
    bill.charge(
      `fargate.linux.${usage.architecture}.memory`,
      `Memory (Linux/${usage.architecture})`,
      seconds.times(usage.memoryGb),
    );
  }
  if (usage.ephemeralStorageGb > 20) {
    bill.charge(
      'fargate.ephemeralStorage',
      'Ephemeral storage above 20 GB',
      seconds.times(usage.ephemeralStorageGb - 20),
    );
  }
  if (usage.platform === 'eks')
    bill.note('EKS on Fargate: the cluster fee ($0.10/hour) is billed by the eks service, not here.');
  return bill.build();
}
