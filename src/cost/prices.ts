import { readdirSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { CostModelError } from './errors.js';

const PriceSchema = z.object({
  key: z.string(),
  service: z.string(),
  item: z.string(),
  unit: z.string(),
  /** The price is for this many units (1,000,000 for "per million requests"). */
  per: z.number().positive(),
  region: z.string(),
  source: z.string().min(1),
  sourceDate: z.string().min(1),
  confidence: z.enum(['high', 'medium', 'low']),
  usd: z
    .string()
    .regex(/^\d+(\.\d+)?$/)
    .optional(),
  tiers: z
    .array(z.object({ upTo: z.string().regex(/^\d+$/).nullable(), usd: z.string().regex(/^\d+(\.\d+)?$/) }))
    .optional(),
  note: z.string().optional(),
});
export type Price = z.infer<typeof PriceSchema>;

const PriceListSchema = z.object({ note: z.string(), prices: z.array(PriceSchema) });

/** The regions the price list covers; a plan or bill for any other region is refused. */
export const PRICED_REGIONS: readonly string[] = ['us-east-1', 'eu-west-1'];

let cached: Price[] | undefined;

const PRICES_DIR = new URL('./prices/', import.meta.url);

/**
 * The price catalog: data in prices/*.json (one file per group of services), validated once. The
 * same key may appear once per region; a second entry for the same key and region is an error.
 */
export function priceCatalog(): Price[] {
  if (cached) return cached;
  const prices: Price[] = [];
  const seen = new Set<string>();
  for (const file of readdirSync(PRICES_DIR)
    .filter((name) => name.endsWith('.json'))
    .sort()) {
    const parsed = PriceListSchema.safeParse(JSON.parse(readFileSync(new URL(file, PRICES_DIR), 'utf8')));
    if (!parsed.success) {
      const field = parsed.error.issues[0]?.path.join('.');
      throw new CostModelError(`price catalog ${file}: ${field}: ${parsed.error.issues[0]?.message}`, {
        field,
      });
    }
    for (const price of parsed.data.prices) {
      const id = `${price.key}@${price.region}`;
      if (seen.has(id))
        throw new CostModelError(`price catalog ${file}: ${id} is listed twice`, { field: price.key });
      seen.add(id);
      prices.push(price);
    }
  }
  cached = prices;
  return cached;
}

/** One price, or undefined when the price list has none for that region (never another region's). */
export function findPrice(key: string, region: string): Price | undefined {
  return priceCatalog().find((price) => price.key === key && price.region === region);
}

/** Whether a price was read more than twelve months before `today`, or has no exact date. */
export function ageOf(price: Price, today: Date): 'current' | 'stale' | 'undated' {
  if (!/^\d{4}-\d{2}(-\d{2})?$/.test(price.sourceDate)) return 'undated';
  const read = new Date(price.sourceDate.length === 7 ? `${price.sourceDate}-01` : price.sourceDate);
  const yearAgo = new Date(today);
  yearAgo.setUTCFullYear(yearAgo.getUTCFullYear() - 1);
  return read < yearAgo ? 'stale' : 'current';
}
