import { readFileSync } from 'node:fs';
import { z } from 'zod';

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

const CatalogSchema = z.object({ note: z.string(), prices: z.array(PriceSchema) });

let cached: Price[] | undefined;

/** The price catalog: data in catalog/prices.json, validated once. */
export function priceCatalog(): Price[] {
  cached ??= CatalogSchema.parse(
    JSON.parse(readFileSync(new URL('./catalog/prices.json', import.meta.url), 'utf8')),
  ).prices;
  return cached;
}

/** One price, or undefined when the catalog has none for that region (never another region's). */
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
