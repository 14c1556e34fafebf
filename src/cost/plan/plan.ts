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
import type { MissingPrice } from '../bill.js';
import { PRICED_REGIONS, type PriceSnapshot, priceSnapshot } from '../prices.js';
import { compareAnalyticsEngines } from './analytics-engines.js';
import { flatRateFor } from './cloudfront-plans.js';
import type { Inventory } from './inventory.js';
import { money } from './money.js';
import { type Traffic, trafficOf, type UsageProfile } from './profile.js';
import { type PlanUnpricedLine, priceRegionalParts, type ServiceCost } from './regional-pricing.js';
import { usageParts } from './stage-usage.js';

export type { PlanLine, PlanUnpricedLine, ServiceCost } from './regional-pricing.js';

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
  /** What the price list has no figure for, per service, region and dimension: left out of the totals. */
  readonly missing: MissingPrice[];
  /** Lines priced from secondary data rather than AWS's own. */
  readonly secondaryLines: number;
}

export interface Plan {
  readonly region: string;
  readonly profile: UsageProfile;
  readonly traffic: Traffic;
  readonly stages: StagePlan[];
  /**
   * The stage that meets the profile's needs at the lowest priced total, or null when none does.
   * Totals with unpriced lines are lower bounds: `cheapestCertain` says whether one could still
   * turn out dearer than a stage above it.
   */
  readonly cheapest: Stage | null;
  readonly cheapestCertain: boolean;
  readonly notes: string[];
  /** The prices used: the shipped snapshot or a refreshed file, and the dates of their data. */
  readonly prices: PriceSnapshot;
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
    throw new ConfigError(`region: must be one of ${PRICED_REGIONS.join(', ')}, got '${region}'`);
  const traffic = trafficOf(profile);
  const stages: StagePlan[] = [];
  for (const stage of STAGES) {
    const inventory = options.inventories.get(stage);
    if (!inventory) continue;
    const caps = capabilitiesOf(stage);
    const regions = inventory.regions.length > 0 ? inventory.regions : [region];
    const { services, notes } = priceRegionalParts(usageParts(inventory, traffic, profile), regions);
    // A region the configuration deploys to but the price list does not cover: its share is
    // reported missing line by line, never priced with the primary's figures.
    const uncovered = regions.filter((name) => !PRICED_REGIONS.includes(name));
    if (uncovered.length > 0)
      notes.push(
        `${uncovered.join(', ')}: not priced, the price list covers ${PRICED_REGIONS.join(', ')}; this stage's share there is listed as missing`,
      );
    const total = services.reduce((sum, service) => sum.plus(service.totalUsd), new Decimal(0));
    const fixed = services.reduce((sum, service) => sum.plus(service.fixedUsd), new Decimal(0));
    const flatRate = flatRateNote(services, inventory, traffic);
    if (flatRate) notes.push(flatRate);
    if (inventory.queryWorkgroups > 0 || inventory.warehouses.length > 0) {
      const engines = compareAnalyticsEngines(traffic.analyticsEvents, region);
      if (engines) notes.push(engines.note);
    }
    if (regions.length > 1)
      notes.push(
        `each of the ${regions.length} regions (${regions.join(', ')}) is priced at its own prices; traffic and the regional stacks are split evenly between them; Route 53, Shield Advanced, CloudFront and Lambda@Edge are priced once`,
      );
    if (caps.security.budgets) notes.push('AWS Budgets: the first two action-enabled budgets are free');
    if (inventory.eksClusters > 0)
      notes.push(
        "EKS nodes are priced as on-demand EC2 instances of the node group's type with 20 GB gp3 root volumes, all month: the node group does not autoscale",
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
      missing: services.flatMap((service) => service.missing),
      secondaryLines: services
        .flatMap((service) => service.lines)
        .filter((line) => line.provenance === 'secondary').length,
    };
    stages.push({ ...partial, reference: referenceOf(stage, partial, profile.users) });
  }
  // An incomplete total is a lower bound. The lowest is certainly the cheapest when it is fully
  // priced (every other total is at least its lower bound) or when it is the only stage that fits.
  const meeting = stages.filter((stage) => stage.meetsNeeds).sort((a, b) => a.totalUsd - b.totalUsd);
  const lowest = meeting[0];
  const cheapest = lowest?.stage ?? null;
  const cheapestCertain = lowest !== undefined && (lowest.complete || meeting.length === 1);
  const planNotes: string[] = [];
  if (lowest && !lowest.complete)
    planNotes.push(
      meeting.length === 1
        ? `${lowest.stage} is the only stage that meets the profile, and it is not fully priced`
        : `${lowest.stage} is the cheapest by its priced lines, but ${lowest.unpriced.length} of its lines are not priced, so a stage above it could still turn out cheaper`,
    );
  return {
    region,
    profile,
    traffic,
    stages,
    cheapest,
    cheapestCertain,
    notes: planNotes,
    prices: priceSnapshot(),
  };
}

/**
 * Whether one of CloudFront's flat-rate plans would hold the stage's distribution, and what it
 * would replace: CloudFront's lines and the share of WAF that is the distribution's web ACL (the
 * largest, listed first; regional ACLs stay pay-as-you-go).
 */
function flatRateNote(
  services: readonly ServiceCost[],
  inventory: Inventory,
  traffic: Traffic,
): string | null {
  const cloudfront = services.find((service) => service.service === 'cloudfront');
  if (inventory.distributions === 0 || !cloudfront) return null;
  const waf = services.find((service) => service.service === 'waf');
  const rules = inventory.webAcls.reduce((sum, acl) => sum + acl, 0);
  const edgeAclUsd = waf && rules > 0 ? (waf.totalUsd * (inventory.webAcls[0] ?? 0)) / rules : 0;
  return flatRateFor({
    requests: traffic.webRequests + traffic.apiRequests,
    transferGb: traffic.webGb + traffic.apiResponseGb,
    lambdaEdge: inventory.edgeFunctions.length > 0,
    shieldAdvanced: inventory.shieldAdvanced,
    payAsYouGoUsd: cloudfront.totalUsd + edgeAclUsd,
  }).note;
}
