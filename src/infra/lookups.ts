import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../contracts/errors.js';

/**
 * The file where the CDK CLI caches what it looked up in the account (availability zones, for
 * one), committed so every synth of the same account sees the same values. CDK recommends it:
 * https://docs.aws.amazon.com/cdk/v2/guide/context.html
 */
export const LOOKUP_CONTEXT_FILE = 'cdk.context.json';

/** The command that performs and records the pending lookups (it needs credentials for the account). */
export const resolveLookupsCommand = (stage: string) => `npx cdk synth -c stage=${stage}`;

/** The context the CDK CLI recorded in the repository's `cdk.context.json`, or none. */
export function readLookupContext(file: string): Record<string, unknown> {
  if (!existsSync(file)) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`${LOOKUP_CONTEXT_FILE}: not JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new ConfigError(`${LOOKUP_CONTEXT_FILE}: must be an object of context values`);
  return parsed as Record<string, unknown>;
}

/** Where the lookup context is read from by default: the repository root. */
export const lookupContextFileOf = (root: string) => join(root, LOOKUP_CONTEXT_FILE);

/**
 * The lookups the synth needed and did not find in the context, as `provider (account, region)`.
 * CDK filled each with a placeholder (`dummy1a` for availability zones) that must never deploy.
 */
export function pendingLookups(outdir: string): string[] {
  const file = join(outdir, 'manifest.json');
  if (!existsSync(file)) return [];
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as {
    missing?: { provider: string; props: Record<string, unknown> }[];
  };
  return (manifest.missing ?? []).map((missing) => {
    const props = missing.props as { account?: string; region?: string };
    const where = [props.account, props.region].filter(Boolean).join(', ');
    return where ? `${missing.provider} (${where})` : missing.provider;
  });
}

/** A synth for a named account whose lookups are not in `cdk.context.json` yet: its templates hold placeholders. */
export class PendingLookupsError extends Error {
  override name = 'PendingLookupsError';
  constructor(
    readonly lookups: readonly string[],
    stage: string,
  ) {
    super(
      `lookups not resolved: ${lookups.join('; ')}. The templates would carry placeholders, so none were kept. Run '${resolveLookupsCommand(stage)}' with credentials for the account: the CDK CLI looks them up and records them in ${LOOKUP_CONTEXT_FILE}; commit that file and synth again`,
    );
  }
}
