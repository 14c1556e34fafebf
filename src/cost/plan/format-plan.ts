import { daysSince } from '../prices.js';
import { money } from './money.js';
import type { Plan, ServiceCost, StagePlan } from './plan.js';

const share = (part: number, whole: number) => (whole === 0 ? '0%' : `${Math.round((part / whole) * 100)}%`);

/** A cost that leaves lines out is a lower bound (≥), and one with nothing priced is no number at all. */
export function costCell(cost: Pick<ServiceCost, 'totalUsd' | 'lines' | 'unpriced'>): string {
  if (cost.unpriced.length === 0) return money(cost.totalUsd);
  return cost.lines.length === 0 ? 'not priced' : `≥${money(cost.totalUsd)}`;
}

const lineCount = (count: number) => `${count} line${count === 1 ? '' : 's'}`;

/** "incomplete: $0.70 priced, 3 lines not priced (lambda Requests, ...)" for a stage that is. */
export function incompleteSummary(stage: StagePlan): string {
  const names = [...new Set(stage.unpriced.map((line) => `${line.service} ${line.item}`))];
  return `${money(stage.totalUsd)} priced, ${lineCount(stage.unpriced.length)} not priced (${names.slice(0, 4).join('; ')}${names.length > 4 ? '; …' : ''})`;
}

/** The stages side by side: one column per stage, one row per service, then what they mean. */
export function formatPlan(plan: Plan, today: Date = new Date()): string {
  const stages = plan.stages;
  const services = [...new Set(stages.flatMap((stage) => stage.services.map((service) => service.service)))];
  const width = 15;
  const row = (label: string, cells: string[]) =>
    `${label.padEnd(26)}${cells.map((cell) => cell.padStart(width)).join('')}`;
  const out: string[] = [];
  out.push(
    `Monthly cost for ${plan.profile.users.toLocaleString('en-US')} monthly active users in ${plan.region} (${Math.round(plan.traffic.apiRequests).toLocaleString('en-US')} API requests, peak ${plan.traffic.peakRps.toFixed(1)} req/s)`,
    '',
    row(
      '',
      stages.map((stage) => stage.stage),
    ),
  );
  for (const service of services) {
    out.push(
      row(
        service,
        stages.map((stage) => {
          const cost = stage.services.find((candidate) => candidate.service === service);
          return cost ? costCell(cost) : '-';
        }),
      ),
    );
  }
  out.push(
    row(
      '',
      stages.map(() => '-'.repeat(width - 2)),
    ),
    row(
      'total a month',
      stages.map((stage) => (stage.complete ? money(stage.totalUsd) : `≥${money(stage.totalUsd)}`)),
    ),
    row(
      'not priced',
      stages.map((stage) => (stage.complete ? '-' : lineCount(stage.unpriced.length))),
    ),
    row(
      'per 1,000 users',
      stages.map((stage) => money(stage.perThousandUsersUsd)),
    ),
    row(
      'fixed / usage-driven',
      stages.map(
        (stage) => `${share(stage.fixedUsd, stage.totalUsd)} / ${share(stage.usageUsd, stage.totalUsd)}`,
      ),
    ),
    row(
      'reference quote',
      stages.map(
        (stage) =>
          `${money(stage.reference.minUsd).slice(0, -3)}-${money(stage.reference.maxUsd).slice(1, -3)}`,
      ),
    ),
    row(
      'priced from',
      stages.map(() => 'template'),
    ),
    '',
  );
  for (const stage of stages) {
    out.push(
      `${stage.stage}: ${stage.meetsNeeds ? 'fits' : 'does not fit'} (${stage.fit}); ${stage.reference.verdict} the reference range (${stage.reference.quote}): ${stage.reference.reason}`,
    );
    if (!stage.complete) out.push(`${stage.stage}: total incomplete: ${incompleteSummary(stage)}`);
    for (const line of stage.unpriced)
      out.push(`  not priced: ${line.service} ${line.item} in ${line.region} (${line.reason})`);
    for (const note of stage.notes) out.push(`  note: ${note}`);
  }
  for (const note of plan.notes) out.push(`note: ${note}`);
  out.push(
    '',
    plan.cheapest
      ? `Cheapest stage that meets this profile: ${plan.cheapest}${plan.cheapestCertain ? '' : ' (by its priced lines: not certain while lines are not priced)'}`
      : 'No stage meets this profile',
    '',
    `Assumptions (override any in --profile FILE): ${Object.entries(plan.profile)
      .map(([key, value]) => `${key}=${value}`)
      .join(', ')}`,
    '',
    ...provenanceFooter(plan, today),
  );
  return out.join('\n');
}

/** Which prices the plan used and how old they are, and how many lines rest on secondary data. */
export function provenanceFooter(plan: Plan, today: Date): string[] {
  const { prices } = plan;
  const age = daysSince(prices.newest, today);
  const dated = `AWS price data dated ${prices.oldest} to ${prices.newest}${age === undefined ? '' : `, the newest ${age} days old`}`;
  const which =
    prices.kind === 'refreshed'
      ? `Prices: refreshed from the AWS Price List API into ${prices.file} (${dated})`
      : `Prices: the snapshot shipped with Growstack (${dated}); growstack prices refresh reads current ones`;
  const secondary = plan.stages.map((stage) => `${stage.stage} ${stage.secondaryLines}`).join(', ');
  return [which, `Lines priced from secondary data, not AWS's own figures: ${secondary}`];
}
