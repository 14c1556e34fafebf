import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { Stage } from '../platform/stages.js';
import { buildApp } from './app.js';
import { type InfraConfig, type InfraConfigInput, parseInfraConfig } from './infra-config.js';

export interface NagFinding {
  readonly rule: string;
  readonly severity: string;
  readonly resource: string;
  /** Present for acknowledged findings. */
  readonly reason?: string;
}

export interface SynthSummary {
  readonly stage: Stage;
  readonly outdir: string;
  readonly stacks: {
    readonly name: string;
    readonly region: string;
    readonly resources: Record<string, number>;
  }[];
  readonly nag: { readonly unacknowledged: NagFinding[]; readonly acknowledged: NagFinding[] };
  readonly webUi: 'built' | 'placeholder';
  readonly seconds: number;
}

/** Reads `growstack.config.ts` (its `config` export) from the repository root, if present. */
export async function loadInfraConfigFile(root: string): Promise<unknown> {
  const file = join(root, 'growstack.config.ts');
  if (!existsSync(file)) return {};
  const module = (await import(pathToFileURL(file).href)) as { config?: unknown };
  return module.config ?? {};
}

/** The validated deployment settings: growstack.config.ts, then flag overrides. */
export async function loadInfraConfig(root: string, overrides: InfraConfigInput = {}): Promise<InfraConfig> {
  return parseInfraConfig(await loadInfraConfigFile(root), overrides);
}

/**
 * Synthesizes one stage into a cloud assembly and summarises it: resources by type per stack and
 * the cdk-nag findings. A failed validation still writes its report, which is summarised too.
 */
export async function synthesize(options: {
  stage: Stage;
  outdir: string;
  root: string;
  /** Already validated settings; read from growstack.config.ts when omitted. */
  config?: InfraConfig;
}): Promise<SynthSummary> {
  const started = performance.now();
  const config = options.config ?? (await loadInfraConfig(options.root));
  const outdir = resolve(options.outdir);
  // A stale assembly of another stage must not mix into this one; assets are staged while building.
  rmSync(outdir, { recursive: true, force: true });
  const { app, stacks } = buildApp({ stage: options.stage, config, outdir, root: options.root });
  let failed = false;
  try {
    app.synth();
  } catch (error) {
    if (!(error instanceof Error) || !/validation failed/i.test(error.message)) throw error;
    failed = true;
  }
  const nag = { ...readNagReport(outdir), acknowledged: acknowledgementsIn(app) };
  if (failed && nag.unacknowledged.length === 0)
    throw new Error('synth validation failed without a readable report');
  return {
    stage: options.stage,
    outdir,
    stacks: stacks.map((stack) => ({
      name: stack.stackName,
      region: stack.region,
      resources: countResources(join(outdir, stack.templateFile)),
    })),
    nag,
    webUi: existsSync(join(options.root, 'web', 'dist')) ? 'built' : 'placeholder',
    seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
  };
}

/** Every acknowledged finding recorded on the construct tree, with its reason. */
export function acknowledgementsIn(root: IConstruct): NagFinding[] {
  const found: NagFinding[] = [];
  for (const construct of root.node.findAll()) {
    for (const entry of construct.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || !entry.data) continue;
      for (const [rule, value] of Object.entries(entry.data as Record<string, unknown>)) {
        const reason =
          typeof value === 'string' ? value : String((value as { reason?: string }).reason ?? '');
        found.push({
          rule: rule.replace(/^annotation::/i, ''),
          severity: 'acknowledged',
          resource: construct.node.path,
          reason,
        });
      }
    }
  }
  return found;
}

function countResources(templatePath: string): Record<string, number> {
  if (!existsSync(templatePath)) return {};
  const template = JSON.parse(readFileSync(templatePath, 'utf8')) as {
    Resources?: Record<string, { Type: string }>;
  };
  const counts: Record<string, number> = {};
  for (const resource of Object.values(template.Resources ?? {}))
    counts[resource.Type] = (counts[resource.Type] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}

interface ReportViolation {
  ruleName: string;
  severity?: string;
  violatingConstructs?: { constructPath: string }[];
  reason?: string;
}

/** Reads CDK's policy validation report (cdk-nag writes its findings there). */
export function readNagReport(outdir: string): SynthSummary['nag'] {
  const file = join(outdir, 'validation-report.json');
  const unacknowledged: NagFinding[] = [];
  const acknowledged: NagFinding[] = [];
  if (!existsSync(file)) return { unacknowledged, acknowledged };
  // Findings cdk-nag filtered itself never reach this report; acknowledgementsIn() lists those.
  const report = JSON.parse(readFileSync(file, 'utf8')) as {
    pluginReports?: { violations?: ReportViolation[]; suppressedViolations?: ReportViolation[] }[];
  };
  const flatten = (violations: ReportViolation[] | undefined, into: NagFinding[]) => {
    for (const violation of violations ?? []) {
      for (const construct of violation.violatingConstructs ?? [{ constructPath: '' }]) {
        into.push({
          rule: violation.ruleName,
          severity: violation.severity ?? 'error',
          resource: construct.constructPath,
          ...(violation.reason ? { reason: violation.reason } : {}),
        });
      }
    }
  };
  for (const plugin of report.pluginReports ?? []) {
    flatten(plugin.violations, unacknowledged);
    flatten(plugin.suppressedViolations, acknowledged);
  }
  return { unacknowledged, acknowledged };
}
