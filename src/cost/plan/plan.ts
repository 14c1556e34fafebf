import { Decimal } from 'decimal.js';
import { ConfigError } from '../../contracts/errors.js';
import {
  aboveBand,
  bandHolds,
  bandLabel,
  capabilitiesOf,
  STAGES,
  type Stage,
  type StageCapabilities,
} from '../../contracts/stages.js';
import type { BillLine, UnpricedLine } from '../bill.js';
import { CALCULATORS, priceUsage } from '../price.js';
import { PRICED_REGIONS } from '../prices.js';
import type { Inventory } from './inventory.js';
import { money } from './money.js';
import { type Traffic, trafficOf, type UsageProfile } from './profile.js';
import { usageParts } from './stage-usage.js';
import type { UsagePart } from './usage/context.js';

export interface PlanLine extends BillLine {
  /** Paid at zero traffic (hours of a node, a subscription) or driven by usage. */
  readonly kind: 'fixed' | 'usage';
}

/** A quantity the plan holds but cannot price, named with its service and region. */
export interface PlanUnpricedLine extends Omit<UnpricedLine, 'quantity'> {
  readonly service: string;
  /** Absent when the cost model has no calculator for the service at all. */
  readonly quantity?: number;
}

export interface ServiceCost {
  readonly service: string;
  /** The priced lines' sum: a lower bound when `unpriced` is not empty. */
  readonly totalUsd: number;
  readonly fixedUsd: number;
  readonly usageUsd: number;
  readonly lines: PlanLine[];
  readonly unpriced: PlanUnpricedLine[];
  readonly notes: string[];
}

/** What the reference architecture quotes for a stage, and how this plan compares. */
export interface ReferenceRange {
  readonly minUsd: number;
  readonly maxUsd: number;
  readonly quote: string;
  readonly verdict: 'below' | 'within' | 'above';
  readonly reason: string;
}

export interface StagePlan {
  readonly stage: Stage;
  /** Where the resources were counted from. */
  readonly source: Inventory['source'];
  readonly regions: readonly string[];
  /** The priced lines' sum: a lower bound, not the bill, when `complete` is false. */
  readonly totalUsd: number;
  /** False when any line could not be priced; `unpriced` names each. */
  readonly complete: boolean;
  readonly unpriced: PlanUnpricedLine[];
  readonly fixedUsd: number;
  readonly usageUsd: number;
  readonly perThousandUsersUsd: number;
  readonly services: ServiceCost[];
  readonly reference: ReferenceRange;
  readonly meetsNeeds: boolean;
  /** Why the stage does or does not meet the profile's needs. */
  readonly fit: string;
  readonly notes: string[];
}

export interface Plan {
  readonly region: string;
  readonly profile: UsageProfile;
  readonly traffic: Traffic;
  readonly stages: StagePlan[];
  /** The cheapest stage that meets the profile's needs, or null when unpriced lines hide which. */
  readonly cheapest: Stage | null;
  readonly notes: string[];
}

/**
 * The reference architecture's quoted monthly costs per stage. Scaling and enterprise quote parts
 * (per region, containers, security...), summed here as the quote's own items.
 */
export const REFERENCE_QUOTES: Record<Stage, { minUsd: number; maxUsd: number; quote: string }> = {
  startup: { minUsd: 50, maxUsd: 200, quote: 'Total expected cost: $50-200/month' },
  growing: { minUsd: 500, maxUsd: 2000, quote: 'Total expected cost: $500-2000/month' },
  scaling: {
    minUsd: 2 * 1000 + 500 + 200,
    maxUsd: 2 * 3000 + 2000 + 500,
    quote: 'multi-region $1000-3000/region (2 regions) + containers $500-2000 + security $200-500',
  },
  enterprise: {
    minUsd: 3000 + 2000 + 5000 + 1000,
    maxUsd: 10000 + 5000 + 10000 + 3000,
    quote:
      'Kubernetes $3000-10000 + specialised services $2000-5000 + enterprise security $5000-10000 + monitoring $1000-3000',
  },
};

const usd = (value: Decimal.Value) => new Decimal(value).toDecimalPlaces(2).toNumber();

function priceParts(
  parts: readonly UsagePart[],
  region: string,
): { services: ServiceCost[]; notes: string[] } {
  type Entry = { lines: PlanLine[]; unpriced: PlanUnpricedLine[]; notes: string[]; fixed: Decimal };
  const byService = new Map<string, Entry>();
  const entryOf = (service: string): Entry => {
    const entry = byService.get(service) ?? { lines: [], unpriced: [], notes: [], fixed: new Decimal(0) };
    byService.set(service, entry);
    return entry;
  };
  const notes: string[] = [];
  for (const part of parts) {
    if (part.assumption) notes.push(`${part.service}: ${part.assumption}`);
    if (!(part.service in CALCULATORS)) {
      entryOf(part.service).unpriced.push({
        service: part.service,
        item: part.item ?? 'all usage',
        region,
        reason: 'the cost model has no calculator for it yet',
      });
      continue;
    }
    const bill = priceUsage({ service: part.service, ...part.usage }, region);
    const entry = entryOf(part.service);
    for (const line of bill.unpriced) entry.unpriced.push({ service: part.service, ...line });
    let fixedLines: BillLine[] = [];
    if (part.fixedOnly) fixedLines = bill.lines;
    else if (part.atZeroTraffic)
      fixedLines = priceUsage({ service: part.service, ...part.usage, ...part.atZeroTraffic }, region).lines;
    for (const line of bill.lines) {
      const fixed = fixedLines.find((candidate) => candidate.item === line.item);
      // A line partly paid at zero traffic (the free tier used up by fixed quantities) splits.
      const fixedUsd = fixed ? Math.min(fixed.usd, line.usd) : 0;
      // Each half carries its own quantity, so a split line's quantities add up to the whole.
      const fixedQuantity = fixedUsd > 0 && fixed ? Math.min(fixed.quantity, line.quantity) : 0;
      if (fixedUsd > 0) entry.lines.push({ ...line, quantity: fixedQuantity, usd: fixedUsd, kind: 'fixed' });
      if (line.usd - fixedUsd > 0.0001 || fixedUsd === 0)
        entry.lines.push({
          ...line,
          quantity: new Decimal(line.quantity).minus(fixedQuantity).toNumber(),
          usd: usd(line.usd - fixedUsd),
          kind: 'usage',
        });
      entry.fixed = entry.fixed.plus(fixedUsd);
    }
    for (const note of bill.notes) if (!entry.notes.includes(note)) entry.notes.push(note);
  }
  const services = [...byService.entries()].map(([service, entry]) => {
    const total = entry.lines.reduce((sum, line) => sum.plus(line.usd), new Decimal(0));
    return {
      service,
      totalUsd: usd(total),
      fixedUsd: usd(entry.fixed),
      usageUsd: usd(total.minus(entry.fixed)),
      lines: entry.lines,
      unpriced: entry.unpriced,
      notes: entry.notes,
    };
  });
  return { services: services.sort((a, b) => b.totalUsd - a.totalUsd), notes };
}

function fitOf(caps: StageCapabilities, profile: UsageProfile): { meetsNeeds: boolean; fit: string } {
  const band = `${bandLabel(caps.users)} users`;
  if (aboveBand(caps.users, profile.users))
    return { meetsNeeds: false, fit: `sized for ${band}, below ${profile.users.toLocaleString('en-US')}` };
  if (profile.needsMultiRegion && caps.regions < 2)
    return { meetsNeeds: false, fit: 'serves one region; the profile needs to survive a regional outage' };
  if (profile.needsEnterpriseControls && !caps.security.shieldAdvanced)
    return {
      meetsNeeds: false,
      fit: 'lacks Cognito, Shield Advanced and the audit controls the profile needs',
    };
  // Under the band (not past its top): the stage serves them, at more than they need.
  if (!bandHolds(caps.users, profile.users))
    return {
      meetsNeeds: true,
      fit: `sized for ${band}: more than ${profile.users.toLocaleString('en-US')} users need`,
    };
  return { meetsNeeds: true, fit: `sized for ${band}` };
}

function referenceOf(stage: Stage, plan: Omit<StagePlan, 'reference'>, users: number): ReferenceRange {
  const quote = REFERENCE_QUOTES[stage];
  const caps = capabilitiesOf(stage);
  const top = plan.services.slice(0, 3).map((service) => `${service.service} ${money(service.totalUsd)}`);
  if (plan.totalUsd < quote.minUsd) {
    const bandTop = caps.users.max ?? caps.users.min * 10;
    const why =
      users < bandTop / 2
        ? `the quote is for a stage carrying traffic up to ${bandTop.toLocaleString('en-US')} users; at ${users.toLocaleString('en-US')} users the usage-driven lines come to ${money(plan.usageUsd)}`
        : `on-demand pricing with free tiers and the profile's cache hit ratio keep usage lines low (${money(plan.usageUsd)})`;
    return {
      ...quote,
      verdict: 'below',
      reason: `${why}; fixed costs are ${money(plan.fixedUsd)} (largest: ${top.join(', ')})`,
    };
  }
  if (plan.totalUsd > quote.maxUsd) {
    return {
      ...quote,
      verdict: 'above',
      reason: `the largest lines are ${top.join(', ')}; the quote predates or leaves out these at ${users.toLocaleString('en-US')} users`,
    };
  }
  return { ...quote, verdict: 'within', reason: `largest: ${top.join(', ')}` };
}

/** Prices every given stage's inventory under one usage profile. */
export function planStages(options: {
  profile: UsageProfile;
  region: string;
  inventories: ReadonlyMap<Stage, Inventory>;
}): Plan {
  const { profile, region } = options;
  if (!PRICED_REGIONS.includes(region))
    throw new ConfigError(`region: must be ${PRICED_REGIONS.join(' or ')}, got '${region}'`);
  const traffic = trafficOf(profile);
  const stages: StagePlan[] = [];
  for (const stage of STAGES) {
    const inventory = options.inventories.get(stage);
    if (!inventory) continue;
    const caps = capabilitiesOf(stage);
    const parts = usageParts(inventory, traffic, profile);
    if (caps.observability.prometheus)
      parts.push({
        service: 'prometheus',
        item: 'Amazon Managed Service for Prometheus: samples ingested, stored and queried',
        usage: {},
      });
    const { services, notes } = priceParts(parts, region);
    const total = services.reduce((sum, service) => sum.plus(service.totalUsd), new Decimal(0));
    const fixed = services.reduce((sum, service) => sum.plus(service.fixedUsd), new Decimal(0));
    if (inventory.source === 'stage table')
      notes.unshift(
        `priced from the stage table: this stage's CDK code has not landed yet, so no synthesized template was read`,
      );
    if (inventory.regions.length > 1)
      notes.push(
        `all ${inventory.regions.length} regions (${inventory.regions.join(', ')}) are priced at ${region} prices`,
      );
    if (caps.security.budgets) notes.push('AWS Budgets: the first two action-enabled budgets are free');
    if (inventory.eksClusters > 0 && inventory.source !== 'stage table')
      notes.push(
        'EKS node groups are priced per vCPU and GB at Fargate-for-EKS rates: EC2 instance prices are not in the catalog yet (an on-demand m7g.large node costs about 12 % less)',
      );
    const unpriced = services.flatMap((service) => service.unpriced);
    const partial: Omit<StagePlan, 'reference'> = {
      stage,
      source: inventory.source,
      regions: inventory.regions,
      totalUsd: usd(total),
      complete: unpriced.length === 0,
      unpriced,
      fixedUsd: usd(fixed),
      usageUsd: usd(total.minus(fixed)),
      perThousandUsersUsd: usd(total.div(profile.users).times(1000)),
      services,
      ...fitOf(caps, profile),
      notes,
    };
    stages.push({ ...partial, reference: referenceOf(stage, partial, profile.users) });
  }
  // An incomplete total is a lower bound: a stage is the cheapest only when that is certain, that
  // is when it is fully priced and no lower bound undercuts it, or when it is the only one that fits.
  const meeting = stages.filter((stage) => stage.meetsNeeds).sort((a, b) => a.totalUsd - b.totalUsd);
  const lowest = meeting[0];
  const certain = lowest !== undefined && (lowest.complete || meeting.length === 1);
  const cheapest = certain ? lowest.stage : null;
  const planNotes: string[] = [];
  if (lowest && !lowest.complete)
    planNotes.push(
      meeting.length === 1
        ? `${lowest.stage} is the only stage that meets the profile, and it is not fully priced`
        : `${meeting
            .filter((stage) => !stage.complete)
            .map((stage) => stage.stage)
            .join(
              ', ',
            )} meet the profile but are not fully priced, so which stage is cheapest cannot be told`,
    );
  return { region, profile, traffic, stages, cheapest, notes: planNotes };
}
