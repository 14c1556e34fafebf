import { UsageProfileSchema } from '../../cost/plan/profile.js';
import { type InfraConfigInput, InfraConfigSchema } from '../../infra/infra-config.js';
import { type OptionValues, UsageError } from '../command.js';

/** What `--set key=value` changes for one run: usage-profile fields and deployment settings. */
export interface WhatIf {
  readonly profile: Record<string, unknown>;
  readonly settings: InfraConfigInput;
}

/** "0.5" is a number, "true" a boolean, `["a","b"]` a list; anything else stays text. */
function readValue(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/**
 * Reads every `--set key=value`: a usage-profile field (`cacheHitRatio=0.5`) or a deployment
 * setting of growstack.config.ts (`apiMinTasks=4`). An unknown key or a value its schema refuses
 * is one line naming the key, before any synthesis.
 */
export function readWhatIf(values: OptionValues): WhatIf {
  const raw = values.set;
  const sets = Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' ? [raw] : [];
  const profile: Record<string, unknown> = {};
  const settings: Record<string, unknown> = {};
  for (const set of sets) {
    const equals = set.indexOf('=');
    if (equals <= 0) throw new UsageError(`--set ${set}: expected key=value`);
    const key = set.slice(0, equals);
    const value = readValue(set.slice(equals + 1));
    const field = Object.hasOwn(UsageProfileSchema.shape, key)
      ? UsageProfileSchema.shape[key as keyof typeof UsageProfileSchema.shape]
      : Object.hasOwn(InfraConfigSchema.shape, key)
        ? InfraConfigSchema.shape[key as keyof typeof InfraConfigSchema.shape]
        : undefined;
    if (!field)
      throw new UsageError(
        `--set ${key}: unknown key (a usage-profile field such as cacheHitRatio, or a growstack.config.ts setting such as apiMinTasks)`,
      );
    const parsed = field.safeParse(value);
    if (!parsed.success)
      throw new UsageError(
        `--set ${key}: ${parsed.error.issues[0]?.message ?? 'invalid'}, got ${set.slice(equals + 1)}`,
      );
    if (Object.hasOwn(UsageProfileSchema.shape, key)) profile[key] = parsed.data;
    else settings[key] = parsed.data;
  }
  return { profile, settings: settings as InfraConfigInput };
}
