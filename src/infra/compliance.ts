import { Validations } from 'aws-cdk-lib';
import {
  AwsSolutionsChecks,
  HIPAASecurityChecks,
  type IApplyRule,
  type NagPack,
  NagRuleCompliance,
  NIST80053R5Checks,
  PCIDSS321Checks,
} from 'cdk-nag';
import type { IConstruct } from 'constructs';

/** The extra cdk-nag packs `growstack synth --compliance` runs beside AwsSolutions. */
export const COMPLIANCE_PACKS = {
  nist: { name: 'NIST 800-53 rev 5', pack: NIST80053R5Checks },
  hipaa: { name: 'HIPAA Security', pack: HIPAASecurityChecks },
  pci: { name: 'PCI DSS 3.2.1', pack: PCIDSS321Checks },
} as const;
export type CompliancePack = keyof typeof COMPLIANCE_PACKS;

export function isCompliancePack(value: string): value is CompliancePack {
  return Object.hasOwn(COMPLIANCE_PACKS, value);
}

export type ComplianceStatus = 'non-compliant' | 'acknowledged' | 'compliant' | 'not-applicable' | 'error';

/** One rule's verdict on one resource. */
export interface ComplianceLine {
  readonly pack: string;
  readonly rule: string;
  /** The construct path of the CloudFormation resource. */
  readonly resource: string;
  readonly status: ComplianceStatus;
  /** Why an acknowledged finding is acceptable, or what made the rule fail to run. */
  readonly reason?: string;
  readonly info: string;
}

/** The acknowledgement of `rule` on the resource or any construct above it, with its reason. */
function acknowledgement(node: IConstruct, rule: string): string | undefined {
  for (let scope: IConstruct | undefined = node; scope; scope = scope.node.scope) {
    for (const entry of scope.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || !entry.data) continue;
      for (const [id, value] of Object.entries(entry.data as Record<string, unknown>)) {
        if (id.replace(/^annotation::/i, '') !== rule) continue;
        return typeof value === 'string' ? value : String((value as { reason?: string }).reason ?? '');
      }
    }
  }
  return undefined;
}

/**
 * Runs a cdk-nag pack over the app and records every rule on every resource it applies to, not
 * only the violations cdk-nag reports: an auditor needs to see what passed too.
 */
function recordingPack(pack: NagPack, lines: ComplianceLine[]): NagPack {
  // cdk-nag calls applyRule(params) once per rule and resource; this instance's own applyRule
  // records the verdict instead of only collecting violations.
  (pack as unknown as { applyRule(params: IApplyRule): void }).applyRule = (params) => {
    const packName = pack.readPackName;
    const rule = `${packName}-${params.ruleSuffixOverride ?? params.rule.name}`;
    const resource = params.node.node.path;
    const line = (id: string, status: ComplianceStatus, reason?: string) =>
      lines.push({
        pack: packName,
        rule: id,
        resource,
        status,
        info: params.info,
        ...(reason ? { reason } : {}),
      });
    const judge = (id: string) => {
      const reason = acknowledgement(params.node, id);
      line(id, reason === undefined ? 'non-compliant' : 'acknowledged', reason);
    };
    let result: ReturnType<IApplyRule['rule']>;
    try {
      result = params.rule(params.node);
    } catch (error) {
      line(rule, 'error', error instanceof Error ? error.message : String(error));
      return;
    }
    if (Array.isArray(result)) {
      if (result.length === 0) line(rule, 'compliant');
      for (const finding of result) judge(`${rule}[${finding}]`);
    } else if (result === NagRuleCompliance.NON_COMPLIANT) judge(rule);
    else line(rule, result === NagRuleCompliance.COMPLIANT ? 'compliant' : 'not-applicable');
  };
  return pack;
}

/** Every rule of AwsSolutions and the chosen packs, on every resource of the app. */
export function complianceReport(app: IConstruct, packs: readonly CompliancePack[]): ComplianceLine[] {
  const lines: ComplianceLine[] = [];
  for (const Pack of [AwsSolutionsChecks, ...packs.map((name) => COMPLIANCE_PACKS[name].pack)]) {
    recordingPack(new Pack(), lines).validateScope(app);
  }
  return lines;
}

const STATUS_ORDER: readonly ComplianceStatus[] = [
  'non-compliant',
  'error',
  'acknowledged',
  'compliant',
  'not-applicable',
];

/** A cell of a Markdown table: pipes and line breaks would break the row. */
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');

/**
 * The report an auditor reads: per pack, every rule that ran with its overall status and counts,
 * then each finding that is not plainly compliant (non-compliant, failed to run, acknowledged
 * with the reason), resource by resource.
 */
export function formatComplianceReport(lines: readonly ComplianceLine[], title: string): string {
  const out = [`# ${title}`, ''];
  out.push(
    'Status per rule: **non-compliant** when any resource fails it without an acknowledgement, **acknowledged** when every failure carries a reason, **compliant** when every resource it applies to passes, **not-applicable** when it applied to none.',
    '',
  );
  for (const pack of [...new Set(lines.map((line) => line.pack))]) {
    const packLines = lines.filter((line) => line.pack === pack);
    const totals = STATUS_ORDER.map(
      (status) => `${packLines.filter((line) => line.status === status).length} ${status}`,
    );
    out.push(`## ${pack}`, '', `Checks: ${totals.join(', ')}.`, '');
    out.push(
      '| rule | status | non-compliant | acknowledged | compliant | not applicable |',
      '|---|---|---|---|---|---|',
    );
    const rules = [...new Set(packLines.map((line) => line.rule.replace(/\[.*\]$/, '')))].sort();
    for (const rule of rules) {
      const ofRule = packLines.filter((line) => line.rule.replace(/\[.*\]$/, '') === rule);
      const count = (status: ComplianceStatus) => ofRule.filter((line) => line.status === status).length;
      const status = STATUS_ORDER.find((candidate) => count(candidate) > 0) ?? 'not-applicable';
      out.push(
        `| ${rule} | ${status} | ${count('non-compliant') + count('error')} | ${count('acknowledged')} | ${count('compliant')} | ${count('not-applicable')} |`,
      );
    }
    const findings = packLines.filter((line) =>
      ['non-compliant', 'error', 'acknowledged'].includes(line.status),
    );
    if (findings.length > 0) {
      out.push(
        '',
        `### ${pack}: findings`,
        '',
        '| rule | resource | status | reason or rule text |',
        '|---|---|---|---|',
      );
      for (const line of findings.sort(
        (a, b) => STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status),
      )) {
        out.push(
          `| ${cell(line.rule)} | ${cell(line.resource)} | ${line.status} | ${cell(line.reason ?? line.info)} |`,
        );
      }
    }
    out.push('');
  }
  return out.join('\n');
}
