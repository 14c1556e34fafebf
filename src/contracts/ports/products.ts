/** The catalog's products and where they are stored. */

import { z } from '../zod.js';
import { CurrencySchema, IsoDateTimeSchema, type Page, type PageRequest } from './common.js';

export const ProductRecordSchema = z.object({
  id: z.string(),
  name: z.string().min(1).max(200),
  description: z.string().max(2000),
  category: z
    .string()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be a lowercase slug like home-office')
    .max(50),
  priceCents: z.number().int().min(0).max(100_000_000),
  currency: CurrencySchema,
  stock: z.number().int().min(0).max(1_000_000),
  imageUrl: z.string().max(2048),
  createdAt: IsoDateTimeSchema,
  updatedAt: IsoDateTimeSchema,
});
export type ProductRecord = z.infer<typeof ProductRecordSchema>;

export interface ProductRepository {
  get(id: string): Promise<ProductRecord | null>;
  /** Newest first within a category or across the catalog. Throws ValidationError on a bad cursor. */
  list(request: PageRequest & { readonly category?: string | undefined }): Promise<Page<ProductRecord>>;
  create(product: ProductRecord): Promise<void>;
  /**
   * New products in bulk (a seed, an import): written a batch at a time, not one by one. Unlike
   * `create`, nothing checks that an id is free: the ids must be new. `intoEmptyTable`: the
   * table held no products (a first start's demo catalog), so what only a search needs may be
   * written after this resolves, while searches on this instance wait for it.
   */
  createMany(
    products: readonly ProductRecord[],
    options?: { readonly intoEmptyTable?: boolean },
  ): Promise<void>;
  /** Applies the changes; throws NotFoundError when the product does not exist. */
  update(id: string, changes: Partial<Omit<ProductRecord, 'id' | 'createdAt'>>): Promise<ProductRecord>;
  /** Throws NotFoundError when the product does not exist. */
  delete(id: string): Promise<void>;
  /** How many products exist (used to decide whether to seed). */
  isEmpty(): Promise<boolean>;
}
