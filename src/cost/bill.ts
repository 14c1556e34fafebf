import { Decimal } from 'decimal.js';
import { lookupPrice, type Price, type Provenance } from './prices.js';

export interface BillLine {
  readonly item: string;
  readonly quantity: number;
  readonly unit: string;
  readonly unitPriceUsd: number;
  readonly usd: number;
  /** The catalog entry, how many units its price is for, where it comes from and its date. */
  readonly key?: string;
  readonly per?: number;
  readonly provenance?: Provenance;
  readonly sourceDate?: string;
}

/** A quantity the catalog has no price for in the bill's region: reported, never priced at zero. */
export interface MissingPrice {
  readonly missing: true;
  readonly service: string;
  readonly region: string;
  /** The catalog key (dimension) that has no price. */
  readonly dimension: string;
  readonly item: string;
  /** The unpriced quantity (above the last tier AWS gives a figure for, when the price is tiered). */
  readonly quantity: number;
}

/** A quantity the bill holds but cannot price: never a $0.00 line, always named. */
export interface UnpricedLine {
  readonly item: string;
  readonly quantity: number;
  readonly region: string;
  /** Why it has no price: the price list holds none for the region, or no calculator exists. */
  readonly reason: string;
}

export interface Bill {
  readonly service: string;
  readonly region: string;
  /** The priced lines' sum: a lower bound when `unpriced` is not empty. */
  readonly totalUsd: number;
  /** False when some quantity could not be priced: `totalUsd` then leaves out `unpriced`. */
  readonly complete: boolean;
  readonly lines: BillLine[];
  readonly notes: string[];
  /** What could not be priced, by catalog key: the total leaves these out. */
  readonly missing: MissingPrice[];
  /** The same quantities as people read them, each with its reason. */
  readonly unpriced: UnpricedLine[];
}

/**
 * Collects a service's bill. Each line is rounded to the cent before summing, as AWS bills;
 * quantities stay exact (decimal.js) until then.
 */
export class BillBuilder {
  private readonly lines: BillLine[] = [];
  private readonly notes: string[] = [];
  private readonly missing: MissingPrice[] = [];

  constructor(
    private readonly service: string,
    readonly region: string,
  ) {}

  note(text: string): void {
    this.notes.push(text);
  }

  /** Adds `quantity` units priced by catalog entry `key`, after `free` units; tiered prices split into lines. */
  charge(key: string, item: string, quantity: Decimal.Value, options: { free?: Decimal.Value } = {}): void {
    const lookup = lookupPrice(key, this.region);
    if (lookup.missing) {
      // Never priced with another region's figure, and never shown as $0.00. Nothing to bill
      // (no quantity past the free tier) costs nothing at any price.
      const billable = Decimal.max(new Decimal(quantity).minus(options.free ?? 0), 0);
      if (billable.gt(0)) this.unpriced(key, item, billable);
      return;
    }
    const price = lookup.price;
    let billable = Decimal.max(new Decimal(quantity).minus(options.free ?? 0), 0);
    if (options.free !== undefined && !new Decimal(options.free).isZero()) {
      this.note(
        `${item}: first ${new Decimal(options.free).toString()} ${price.unit} free per month (free tier).`,
      );
    }
    if (!price.tiers) {
      this.push(item, billable, price, new Decimal(price.usd ?? 0));
      return;
    }
    let floor = new Decimal(0);
    for (const [index, tier] of price.tiers.entries()) {
      if (billable.lte(0)) break;
      const ceiling = tier.upTo === null ? null : new Decimal(tier.upTo);
      const inTier = ceiling === null ? billable : Decimal.min(billable, ceiling.minus(floor));
      const label = price.tiers.length > 1 ? `${item} (tier ${index + 1})` : item;
      if (inTier.gt(0) || index === 0)
        this.push(label, inTier, price, new Decimal(tier.usd), tier.secondary ? 'secondary' : undefined);
      billable = billable.minus(inTier);
      if (ceiling) floor = ceiling;
    }
    // Above the last tier the price list gives a figure for: not priced, and said so.
    if (billable.gt(0)) this.unpriced(key, `${item} (above ${floor.toString()} ${price.unit})`, billable);
  }

  private unpriced(key: string, item: string, quantity: Decimal): void {
    this.note(`${item}: not priced, the price list has no ${this.region} figure for ${key}.`);
    this.missing.push({
      missing: true,
      service: this.service,
      region: this.region,
      dimension: key,
      item,
      quantity: quantity.toNumber(),
    });
  }

  build(): Bill {
    const total = this.lines.reduce((sum, line) => sum.plus(line.usd), new Decimal(0));
    return {
      service: this.service,
      region: this.region,
      totalUsd: total.toNumber(),
      lines: this.lines,
      notes: this.notes,
      complete: this.missing.length === 0,
      missing: this.missing,
      unpriced: this.missing.map((entry) => ({
        item: entry.item,
        quantity: entry.quantity,
        region: entry.region,
        reason: `the price list holds no ${entry.region} price for ${entry.dimension}`,
      })),
    };
  }

  private push(
    item: string,
    quantity: Decimal,
    price: Price,
    unitPrice: Decimal,
    provenance: Price['provenance'] = price.provenance,
  ): void {
    const usd = quantity.div(price.per).times(unitPrice).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
    this.lines.push({
      item,
      quantity: quantity.toNumber(),
      unit: price.per === 1 ? price.unit : `${price.unit} (priced per ${price.per.toLocaleString('en-US')})`,
      unitPriceUsd: unitPrice.toNumber(),
      usd: usd.toNumber(),
      key: price.key,
      per: price.per,
      provenance,
      sourceDate: price.sourceDate,
    });
  }
}
