import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { ConfigError } from '../contracts/errors.js';
import { capabilitiesOf, type Stage } from '../contracts/stages.js';
import { buildApp } from './app.js';
import {
  type CompliancePack,
  type ComplianceStatus,
  complianceReport,
  formatComplianceReport,
} from './compliance.js';
import { SynthesisError } from './errors.js';
import { type InfraConfig, loadInfraConfig } from './infra-config.js';
import { writeApiWorkload } from './k8s/api-workload.js';
import { lookupContextFileOf, PendingLookupsError, pendingLookups, readLookupContext } from './lookups.js';

export interface NagFinding {
  /** The validation plugin that reported it: cdk-nag's `AwsSolutions`, or CDK's `CloudFormation Validate`. */
  readonly plugin: string;
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
    readonly templateFile: string;
    readonly resources: Record<string, number>;
  }[];
  readonly nag: { readonly unacknowledged: NagFinding[]; readonly acknowledged: NagFinding[] };
  readonly webUi: 'built' | 'placeholder';
  /** With a report requested: where it went and how many checks came to each status, per pack. */
  readonly compliance?: {
    readonly report: string;
    readonly packs: Record<string, Partial<Record<ComplianceStatus, number>>>;
  };
  /** The Kubernetes manifests written beside the assembly (enterprise): `<outdir>/k8s/…`. */
  readonly kubernetes?: readonly string[];
  /** Things to fix before deploying, one line each. */
  readonly notes: string[];
  readonly seconds: number;
}

/** What the written manifests say where the account belongs when none is configured (envsubst-ready). */
// biome-ignore lint/suspicious/noTemplateCurlyInString: a shell-style placeholder, written as is
const ACCOUNT_PLACEHOLDER = '${AWS_ACCOUNT_ID}';
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
  /** False skips bundling the functions' code: the templates are the same (see BuildOptions). */
  bundling?: boolean;
  /** Packs to report on beside AwsSolutions (NIST 800-53 rev 5, HIPAA Security, PCI DSS). */
  compliance?: readonly CompliancePack[];
  /** Writes the compliance report (Markdown) here: every rule that ran, with its status. */
  reportFile?: string;
  /** The CDK CLI's recorded lookups (default: `cdk.context.json` in the root). */
  lookupContextFile?: string;
  /**
   * Keep templates whose lookups are pending (placeholders in them): only for reading them, as
   * the plan and `growstack migrate` do, never for deploying. Otherwise such a synth throws
   * PendingLookupsError and keeps nothing.
   */
  allowPendingLookups?: boolean;
  /** An intermediate deploy of a move: see BuildOptions. */
  maxReplicaRegions?: number;
}): Promise<SynthSummary> {
  const started = performance.now();
  const config = options.config ?? (await loadInfraConfig(options.root));
  const outdir = resolve(options.outdir);
  assertReplaceable(outdir);
  // A stale assembly of another stage must not mix into this one; assets are staged while building.
  rmSync(outdir, { recursive: true, force: true });
  const { app, stacks } = buildApp({
    stage: options.stage,
    config,
    outdir,
    root: options.root,
    context: readLookupContext(options.lookupContextFile ?? lookupContextFileOf(options.root)),
    ...(options.bundling === undefined ? {} : { bundling: options.bundling }),
    ...(options.maxReplicaRegions === undefined ? {} : { maxReplicaRegions: options.maxReplicaRegions }),
  });
  let failed = false;
  try {
    app.synth();
  } catch (error) {
    if (!isValidationFailure(error)) throw error;
    failed = true;
  }
  // With an account named, CDK looks availability zones up; unresolved, it writes `dummy1a` in
  // their place, and a deploy of that assembly fails (or worse, deploys to the wrong zones).
  const pending = pendingLookups(outdir);
  if (pending.length > 0 && !options.allowPendingLookups) {
    rmSync(outdir, { recursive: true, force: true });
    throw new PendingLookupsError(pending, options.stage);
  }
  const nag = { ...readNagReport(outdir), acknowledged: acknowledgementsIn(app) };
  let compliance: SynthSummary['compliance'];
  if (options.reportFile) {
    const lines = complianceReport(app, options.compliance ?? []);
    const report = resolve(options.reportFile);
    writeFileSync(report, formatComplianceReport(lines, `Compliance report: ${options.stage} stage`));
    const packs: Record<string, Partial<Record<ComplianceStatus, number>>> = {};
    for (const line of lines) {
      const counts = packs[line.pack] ?? {};
      counts[line.status] = (counts[line.status] ?? 0) + 1;
      packs[line.pack] = counts;
    }
    compliance = { report, packs };
  }
  const webUi = existsSync(join(options.root, 'web', 'dist')) ? 'built' : 'placeholder';
  // The same objects the stacks apply to each region's cluster, for review or a GitOps tool.
  const kubernetes = stacks.flatMap((stack) =>
    stack.kubernetesApi
      ? [
          join(
            outdir,
            'k8s',
            writeApiWorkload(
              join(outdir, 'k8s'),
              stack.kubernetesApi.writtenWorkload(config.account ?? ACCOUNT_PLACEHOLDER),
              `storefront-${stack.region}`,
            ),
          ),
        ]
      : [],
  );
  if (failed && nag.unacknowledged.length === 0)
    throw new SynthesisError('synth validation failed without a readable report');
  return {
    stage: options.stage,
    outdir,
    stacks: stacks.map((stack) => ({
      name: stack.stackName,
      region: stack.region,
      templateFile: join(outdir, stack.templateFile),
      resources: countResources(join(outdir, stack.templateFile)),
    })),
    nag,
    webUi,
    ...(compliance ? { compliance } : {}),
    ...(kubernetes.length > 0 ? { kubernetes } : {}),
    notes: deployNotes(options.stage, config, webUi),
    seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
  };
}

/**
 * CDK throws this after writing validation-report.json when a plugin (cdk-nag) reports an
 * error; its message is the report in tests and a pointer to the file elsewhere, its name is stable.
 */
export function isValidationFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ValidationFailed';
}

/** What would make a deployment of this assembly disappoint, though it synthesizes fine. */
function deployNotes(stage: Stage, config: InfraConfig, webUi: SynthSummary['webUi']): string[] {
  const notes: string[] = [];
  if (webUi === 'placeholder')
    notes.push('web/dist not found: a placeholder page is deployed (the API works)');
  const caps = capabilitiesOf(stage);
  const mailed = caps.observability.alarms || caps.security.budgets;
  // RFC 2606 reserves example.com and its kin: mail to or from there reaches nobody.
  if (mailed && /@example\.(com|org|net)$/i.test(config.alarmEmail)) {
    notes.push(
      `alarm e-mail ${config.alarmEmail} reaches nobody: set alarmEmail in growstack.config.ts or pass --alarm-email`,
    );
  }
  if (/@example\.(com|org|net)$/i.test(config.mailFrom)) {
    notes.push(
      `mail sender ${config.mailFrom} cannot be verified in SES: set mailFrom in growstack.config.ts to an address you own`,
    );
  }
  if (caps.security.shieldAdvanced)
    notes.push(
      'Shield Advanced protections need the account subscribed first (USD 3,000 a month, one-year commitment): aws shield create-subscription',
    );
  if (caps.api.compute === 'lambda+eks' && !config.account)
    notes.push(
      `the Kubernetes manifests in k8s/ name the image by account: set account in growstack.config.ts, or replace ${ACCOUNT_PLACEHOLDER}`,
    );
  return notes;
}

/**
 * The output folder is emptied before each synth, so it must be new, empty, a previous cloud
 * assembly (it has the `cdk.out` version marker CDK writes) or a folder of them (one per stage):
 * `--out .` must never wipe the repository.
 */
export function assertReplaceable(outdir: string): void {
  if (!existsSync(outdir)) return;
  if (!statSync(outdir).isDirectory())
    throw new ConfigError(`out: ${outdir} is a file; give a folder for the cloud assembly`);
  const entries = readdirSync(outdir);
  const isAssembly = (dir: string) => existsSync(join(dir, 'cdk.out'));
  if (entries.length === 0 || isAssembly(outdir)) return;
  if (entries.every((entry) => isAssembly(join(outdir, entry)))) return;
  throw new ConfigError(
    `out: ${outdir} holds files that are not a cloud assembly; give a new or empty folder, or a previous cdk.out`,
  );
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
        const id = rule.replace(/^annotation::/i, '');
        found.push({
          plugin: pluginOfRule(id),
          rule: id,
          severity: 'acknowledged',
          resource: construct.node.path,
          reason,
        });
      }
    }
  }
  return found;
}

/** Acknowledged ids read `CloudFormation-Validate::W3045` or, for cdk-nag, `AwsSolutions-IAM4[…]`. */
function pluginOfRule(id: string): string {
  if (id.startsWith('CloudFormation-Validate::')) return 'CloudFormation Validate';
  return id.split(/[-:[]/)[0] || id;
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
    pluginReports?: {
      pluginName: string;
      violations?: ReportViolation[];
      suppressedViolations?: ReportViolation[];
    }[];
  };
  const flatten = (plugin: string, violations: ReportViolation[] | undefined, into: NagFinding[]) => {
    for (const violation of violations ?? []) {
      for (const construct of violation.violatingConstructs ?? [{ constructPath: '' }]) {
        into.push({
          plugin,
          rule: violation.ruleName,
          severity: violation.severity ?? 'error',
          resource: construct.constructPath,
          ...(violation.reason ? { reason: violation.reason } : {}),
        });
      }
    }
  };
  for (const plugin of report.pluginReports ?? []) {
    flatten(plugin.pluginName, plugin.violations, unacknowledged);
    flatten(plugin.pluginName, plugin.suppressedViolations, acknowledged);
  }
  return { unacknowledged, acknowledged };
}
