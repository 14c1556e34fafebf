import { z } from 'zod';
import { ConfigError } from '../platform/errors.js';

/** What the CDK app needs beyond the stage: where to deploy and whom to tell. Defaults beside the schema. */
export const InfraConfigSchema = z.strictObject({
  /** 12-digit AWS account; omit for an environment-agnostic synth. */
  account: z
    .string()
    .regex(/^\d{12}$/, 'must be a 12-digit AWS account id')
    .optional(),
  primaryRegion: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must look like us-east-1')
    .default('us-east-1'),
  /** Receives alarms and budget alerts. */
  alarmEmail: z.email().default('ops@example.com'),
  /** Sender of the storefront's e-mail: a verified SES identity in the primary region. */
  mailFrom: z.email().default('shop@example.com'),
  /** Monthly AWS Budgets limit in USD (alerts at 80 % and 100 %). */
  monthlyBudgetUsd: z.number().positive().max(10_000_000).default(200),
  /** Prefix of every stack name. */
  appName: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9-]{0,30}$/, 'must start with a letter: letters, digits and -')
    .default('Growstack'),
});
export type InfraConfig = z.infer<typeof InfraConfigSchema>;
export type InfraConfigInput = z.input<typeof InfraConfigSchema>;

/** Validates the config file's object merged with flag overrides; names the first wrong field. */
export function parseInfraConfig(fromFile: unknown, overrides: InfraConfigInput = {}): InfraConfig {
  const merged = {
    ...(typeof fromFile === 'object' && fromFile ? fromFile : {}),
    ...stripUndefined(overrides),
  };
  const parsed = InfraConfigSchema.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field =
      issue?.path.join('.') || (issue?.code === 'unrecognized_keys' ? issue.keys.join(', ') : 'config');
    throw new ConfigError(`growstack.config.ts: ${field}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

function stripUndefined(input: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
}
