import type { ParseArgsConfig } from 'node:util';
import { PRICED_REGIONS } from '../cost/prices.js';

/** Where a command writes: people read stdout, errors go to stderr. */
export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

export type OptionValues = Record<string, string | boolean | string[] | boolean[] | undefined>;

/** One `growstack <name>` command. Heavy modules are imported inside `run`, so `--help` is instant. */
export interface Command {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** The full `--help` text, after the usage line. */
  readonly help: string;
  readonly usage: string;
  readonly options: NonNullable<ParseArgsConfig['options']>;
  readonly allowPositionals?: boolean;
  run(values: OptionValues, positionals: string[], io: CliIo): Promise<number>;
}

/** A wrong flag or argument: one line on stderr and exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A command that cannot do its work (a file it cannot write, say): one line on stderr and exit code 1. */
export class CommandFailure extends Error {
  override name = 'CommandFailure';
}

/** Reads a string flag, or undefined when absent. */
export function stringFlag(values: OptionValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

/** Reads `--region` for the cost commands: one of the regions the catalog prices (default us-east-1). */
export function pricedRegionFlag(values: OptionValues): string {
  const region = stringFlag(values, 'region') ?? 'us-east-1';
  if (!PRICED_REGIONS.includes(region))
    throw new UsageError(`--region must be one of ${PRICED_REGIONS.join(', ')}, got '${region}'`);
  return region;
}

/** Reads a flag that must be a non-negative integer. */
export function integerFlag(values: OptionValues, name: string): number | undefined {
  const raw = stringFlag(values, name);
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw)) throw new UsageError(`--${name} must be a non-negative whole number, got '${raw}'`);
  return Number(raw);
}

/** The help lines of `--set`, which plan and advise share (read by `commands/what-if.ts`). */
export const WHAT_IF_HELP = [
  '  --set KEY=VALUE  for this run only, a usage-profile field (--set cacheHitRatio=0.5) or a',
  '                   growstack.config.ts setting (--set apiMinTasks=4); repeatable',
];
