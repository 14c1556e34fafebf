import { Decimal } from 'decimal.js';
import { findPrice, type Price } from './prices.js';

export interface BillLine {
  readonly item: string;
  readonly quantity: number;
  readonly unit: string;
  readonly unitPriceUsd: number;
  readonly usd: number;
}

export interface Bill {
  readonly service: string;
  readonly region: string;
  readonly totalUsd: number;
  readonly lines: BillLine[];
  readonly notes: string[];
}

/**
 * Collects a service's bill. Each line is rounded to the cent before summing, as AWS bills;
 * quantities stay exact (decimal.js) until then.
 */
export class BillBuilder {
  private readonly lines: BillLine[] = [];
  private readonly notes: string[] = [];

  constructor(
    private readonly service: string,
    readonly region: string,
  ) {}

  note(text: string): void {
    this.notes.push(text);
  }

  /** Adds `quantity` units priced by catalog entry `key`, after `free` units; tiered prices split into lines. */
  charge(key: string, item: string, quantity: Decimal.Value, options: { free?: Decimal.Value } = {}): void {
    const price = findPrice(key, this.region);
    if (!price) {
      this.note(
        `${item}: no price for ${this.region} in the catalog, so this line is left out (not priced with another region's).`,
      );
      return;
    }
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
      if (inTier.gt(0) || index === 0) this.push(label, inTier, price, new Decimal(tier.usd));
      billable = billable.minus(inTier);
      if (ceiling) floor = ceiling;
    }
  }

  build(): Bill {
    const total = this.lines.reduce((sum, line) => sum.plus(line.usd), new Decimal(0));
    return {
      service: this.service,
      region: this.region,
      totalUsd: total.toNumber(),
      lines: this.lines,
      notes: this.notes,
    };
  }

  private push(item: string, quantity: Decimal, price: Price, unitPrice: Decimal): void {
    const usd = quantity.div(price.per).times(unitPrice).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
    this.lines.push({
      item,
      quantity: quantity.toNumber(),
      unit: price.per === 1 ? price.unit : `${price.unit} (priced per ${price.per.toLocaleString('en-US')})`,
      unitPriceUsd: unitPrice.toNumber(),
      usd: usd.toNumber(),
    });
  }
}
