import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { CostModelError } from './errors.js';

const decimal = z.string().regex(/^\d+(\.\d+)?$/);

/**
 * Where a price comes from: AWS's Price List (an offer file or the Price List Query API), the
 * service's aws.amazon.com pricing page, or secondary research (blogs, vendors, other repositories)
 * that no AWS figure confirms yet.
 */
export const PROVENANCES = ['aws-price-list', 'aws-pricing-page', 'secondary'] as const;
export type Provenance = (typeof PROVENANCES)[number];

const PriceSchema = z.object({
  key: z.string(),
  service: z.string(),
  item: z.string(),
  unit: z.string(),
  /** The price is for this many units (1,000,000 for "per million requests"). */
  per: z.number().positive(),
  region: z.string(),
  source: z.string().min(1),
  /** The data's own date: the offer file's publication where known, else when it was read. */
  sourceDate: z.string().min(1),
  confidence: z.enum(['high', 'medium', 'low']),
  provenance: z.enum(PROVENANCES),
  /** The AWS Price List offer code (AWSLambda, AmazonDynamoDB...), the SKU and usage type. */
  offerCode: z.string().optional(),
  sku: z.string().optional(),
  usageType: z.string().optional(),
  usd: decimal.optional(),
  /** Cumulative monthly quantities; a last tier with a bound leaves what is above it unpriced. */
  tiers: z
    .array(
      z.object({
        upTo: z.string().regex(/^\d+$/).nullable(),
        usd: decimal,
        /** This tier's figure is secondary data, though the record's first tier is AWS's. */
        secondary: z.boolean().optional(),
      }),
    )
    .optional(),
  note: z.string().optional(),
});
export type Price = z.infer<typeof PriceSchema>;

const PriceListSchema = z.object({ note: z.string(), prices: z.array(PriceSchema) });

/** A price file `growstack prices refresh` writes into the data folder. */
export const RefreshedPriceFileSchema = z.object({
  note: z.string(),
  refreshedAt: z.string(),
  regions: z.array(z.string()),
  prices: z.array(PriceSchema),
});
export type RefreshedPriceFile = z.infer<typeof RefreshedPriceFileSchema>;

/** The regions the price list covers; a plan or bill for any other region is refused. */
export const PRICED_REGIONS: readonly string[] = ['us-east-1', 'eu-west-1', 'ap-southeast-1'];

/** Which prices a plan used: the snapshot shipped with Growstack, or a refreshed file. */
export interface PriceSnapshot {
  readonly kind: 'shipped' | 'refreshed';
  /** The refreshed file's path. */
  readonly file?: string;
  /** The newest and the oldest exact date of the data (YYYY-MM-DD or YYYY-MM). */
  readonly newest: string;
  readonly oldest: string;
}

/** A price looked up for one key and region: found, or missing (never another region's, never zero). */
export type PriceLookup =
  | { readonly missing: false; readonly price: Price }
  | { readonly missing: true; readonly key: string; readonly region: string };

let shipped: Price[] | undefined;
let refreshed: { prices: Price[]; file: string; merged?: Price[] } | undefined;

const PRICES_DIR = new URL('./prices/', import.meta.url);

function invalid(file: string, error: z.ZodError): CostModelError {
  const field = error.issues[0]?.path.join('.');
  return new CostModelError(`price catalog ${file}: ${field}: ${error.issues[0]?.message}`, { field });
}

/**
 * The shipped catalog: data in prices/*.json (AWS's own figures in aws-price-list.json, older
 * secondary research in the others), validated once. A key appears at most once per region.
 */
function shippedCatalog(): Price[] {
  if (shipped) return shipped;
  const prices: Price[] = [];
  const seen = new Set<string>();
  for (const file of readdirSync(PRICES_DIR)
    .filter((name) => name.endsWith('.json'))
    .sort()) {
    const parsed = PriceListSchema.safeParse(JSON.parse(readFileSync(new URL(file, PRICES_DIR), 'utf8')));
    if (!parsed.success) throw invalid(file, parsed.error);
    for (const price of parsed.data.prices) {
      const id = `${price.key}@${price.region}`;
      if (seen.has(id))
        throw new CostModelError(`price catalog ${file}: ${id} is listed twice`, { field: price.key });
      seen.add(id);
      prices.push(price);
    }
  }
  shipped = prices;
  return shipped;
}

/** The catalog in use: the refreshed file's prices first, the shipped snapshot's for the rest. */
export function priceCatalog(): Price[] {
  const base = shippedCatalog();
  if (!refreshed) return base;
  if (!refreshed.merged) {
    const fresh = new Set(refreshed.prices.map((price) => `${price.key}@${price.region}`));
    refreshed.merged = [
      ...refreshed.prices,
      ...base.filter((price) => !fresh.has(`${price.key}@${price.region}`)),
    ];
  }
  return refreshed.merged;
}

/**
 * Prefers the price file `growstack prices refresh` wrote, when there is one: its prices replace
 * the shipped snapshot's for the same key and region. Returns which prices are now in use.
 */
export function preferPriceFile(file: string): PriceSnapshot {
  if (!existsSync(file)) {
    refreshed = undefined;
    return priceSnapshot();
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new CostModelError(`price file ${file}: not valid JSON (run growstack prices refresh again)`, {
      field: 'prices',
    });
  }
  const parsed = RefreshedPriceFileSchema.safeParse(json);
  if (!parsed.success) throw invalid(file, parsed.error);
  refreshed = { prices: parsed.data.prices, file };
  return priceSnapshot();
}

/** Goes back to the shipped snapshot alone. */
export function onlyShippedPrices(): void {
  refreshed = undefined;
}

const exactDate = (date: string) => /^\d{4}-\d{2}(-\d{2})?$/.test(date);

/** Which prices are in use, and the span of their dates. */
export function priceSnapshot(): PriceSnapshot {
  const dates = priceCatalog()
    .filter((price) => price.provenance !== 'secondary' && exactDate(price.sourceDate))
    .map((price) => price.sourceDate)
    .sort();
  return {
    kind: refreshed ? 'refreshed' : 'shipped',
    ...(refreshed ? { file: refreshed.file } : {}),
    newest: dates.at(-1) ?? 'undated',
    oldest: dates[0] ?? 'undated',
  };
}

/** One price, or missing when the price list has none for that region (never another region's). */
export function lookupPrice(key: string, region: string): PriceLookup {
  const price = priceCatalog().find((candidate) => candidate.key === key && candidate.region === region);
  return price ? { missing: false, price } : { missing: true, key, region };
}

/** One price, or undefined when the price list has none for that region (never another region's). */
export function findPrice(key: string, region: string): Price | undefined {
  const lookup = lookupPrice(key, region);
  return lookup.missing ? undefined : lookup.price;
}

/** Whole days from a price date (YYYY-MM-DD, or YYYY-MM read as its first day) to `today`. */
export function daysSince(date: string, today: Date): number | undefined {
  if (!exactDate(date)) return undefined;
  const read = new Date(date.length === 7 ? `${date}-01` : date);
  return Math.floor((today.getTime() - read.getTime()) / 86_400_000);
}

/** Whether a price was read more than twelve months before `today`, or has no exact date. */
export function ageOf(price: Price, today: Date): 'current' | 'stale' | 'undated' {
  if (!exactDate(price.sourceDate)) return 'undated';
  const read = new Date(price.sourceDate.length === 7 ? `${price.sourceDate}-01` : price.sourceDate);
  const yearAgo = new Date(today);
  yearAgo.setUTCFullYear(yearAgo.getUTCFullYear() - 1);
  return read < yearAgo ? 'stale' : 'current';
}
