import { Decimal } from 'decimal.js';
import type { BillLine, MissingPrice, UnpricedLine } from '../bill.js';
import { CALCULATORS, priceUsage } from '../price.js';
import type { UsagePart } from './usage/context.js';

export interface PlanLine extends BillLine {
  /** Paid at zero traffic (hours of a node, a subscription) or driven by usage. */
  readonly kind: 'fixed' | 'usage';
  /** The region whose prices this line uses. */
  readonly region: string;
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
  readonly notes: string[];
  /** Quantities the price list has no figure for in their region: the totals leave them out. */
  readonly missing: MissingPrice[];
  /** The same, and services with no calculator at all, as people read them. */
  readonly unpriced: PlanUnpricedLine[];
}

/**
 * Services billed once per account whatever the region (Route 53's zones and queries, the Shield
 * Advanced subscription), and the one distribution with its edge functions, which the primary's
 * stack holds and viewers' locations, not stack regions, price: priced once, at the primary
 * region's entry, which holds the global price.
 */
const GLOBAL_SERVICES: ReadonlySet<string> = new Set(['route53', 'shield', 'cloudfront', 'lambdaedge']);

const usd = (value: Decimal.Value) => new Decimal(value).toDecimalPlaces(2).toNumber();

/** A region's share of a line: the quantity scaled, its cost recomputed from the unit price. */
function shareOf(line: BillLine, share: number): BillLine {
  if (share === 1) return line;
  const quantity = new Decimal(line.quantity).times(share);
  return {
    ...line,
    quantity: quantity.toNumber(),
    usd: quantity
      .div(line.per ?? 1)
      .times(line.unitPriceUsd)
      .toDecimalPlaces(2, Decimal.ROUND_HALF_UP)
      .toNumber(),
  };
}

/**
 * Prices a stage's usage parts at each of its regions' own prices. A multi-region stage runs the
 * same stacks in every region behind latency routing, so each regional part is split evenly: each
 * region's share is priced with that region's records, and a region without a figure reports the
 * share as missing rather than borrowing another region's price. A part that names its region (a
 * Config recorder) is priced there alone; global services once, at the primary region's entry.
 */
export function priceRegionalParts(
  parts: readonly UsagePart[],
  regions: readonly string[],
): { services: ServiceCost[]; notes: string[] } {
  const byService = new Map<
    string,
    {
      lines: PlanLine[];
      notes: string[];
      missing: MissingPrice[];
      unpriced: PlanUnpricedLine[];
      fixed: Decimal;
    }
  >();
  const notes: string[] = [];
  for (const part of parts) {
    if (part.assumption) notes.push(`${part.service}: ${part.assumption}`);
    const entry = byService.get(part.service) ?? {
      lines: [],
      notes: [],
      missing: [],
      unpriced: [],
      fixed: new Decimal(0),
    };
    byService.set(part.service, entry);
    if (!(part.service in CALCULATORS)) {
      entry.unpriced.push({
        service: part.service,
        item: part.item ?? 'all usage',
        region: regions[0] ?? 'us-east-1',
        reason: 'the cost model has no calculator for it yet',
      });
      continue;
    }
    const priceIn = part.region
      ? [part.region]
      : GLOBAL_SERVICES.has(part.service)
        ? regions.slice(0, 1)
        : regions;
    const share = 1 / priceIn.length;
    for (const region of priceIn) {
      const bill = priceUsage({ service: part.service, ...part.usage }, region);
      let fixedLines: BillLine[] = [];
      if (part.fixedOnly) fixedLines = bill.lines;
      else if (part.atZeroTraffic)
        fixedLines = priceUsage(
          { service: part.service, ...part.usage, ...part.atZeroTraffic },
          region,
        ).lines;
      for (const whole of bill.lines) {
        const line = shareOf(whole, share);
        const fixedWhole = fixedLines.find((candidate) => candidate.item === whole.item);
        const fixed = fixedWhole ? shareOf(fixedWhole, share) : undefined;
        // A line partly paid at zero traffic (the free tier used up by fixed quantities) splits.
        const fixedUsd = fixed ? Math.min(fixed.usd, line.usd) : 0;
        // Each half carries its own quantity, so a split line's quantities add up to the whole.
        const fixedQuantity = fixedUsd > 0 && fixed ? Math.min(fixed.quantity, line.quantity) : 0;
        if (fixedUsd > 0)
          entry.lines.push({ ...line, quantity: fixedQuantity, usd: fixedUsd, kind: 'fixed', region });
        if (line.usd - fixedUsd > 0.0001 || fixedUsd === 0)
          entry.lines.push({
            ...line,
            quantity: new Decimal(line.quantity).minus(fixedQuantity).toNumber(),
            usd: usd(line.usd - fixedUsd),
            kind: 'usage',
            region,
          });
        entry.fixed = entry.fixed.plus(fixedUsd);
      }
      for (const missing of bill.missing) {
        const quantity = new Decimal(missing.quantity).times(share).toNumber();
        entry.missing.push({ ...missing, quantity });
        entry.unpriced.push({
          service: part.service,
          item: missing.item,
          quantity,
          region: missing.region,
          reason: `the price list holds no ${missing.region} price for ${missing.dimension}`,
        });
      }
      for (const note of bill.notes) if (!entry.notes.includes(note)) entry.notes.push(note);
    }
  }
  const services = [...byService.entries()].map(([service, entry]) => {
    const total = entry.lines.reduce((sum, line) => sum.plus(line.usd), new Decimal(0));
    return {
      service,
      totalUsd: usd(total),
      fixedUsd: usd(entry.fixed),
      usageUsd: usd(total.minus(entry.fixed)),
      lines: entry.lines,
      notes: entry.notes,
      missing: entry.missing,
      unpriced: entry.unpriced,
    };
  });
  return { services: services.sort((a, b) => b.totalUsd - a.totalUsd), notes };
}
