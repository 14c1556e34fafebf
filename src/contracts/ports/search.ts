/** Product search: the table, an in-process index or OpenSearch, by stage. */
import type { ProductRecord } from './products.js';

/** Narrowing a search: one category, or only what is in stock. */
export interface SearchFilters {
  readonly category?: string | undefined;
  readonly inStock?: boolean | undefined;
}

/** Whether a product passes the filters: for the engines that filter in memory. */
export function passesFilters(product: ProductRecord, filters: SearchFilters = {}): boolean {
  if (filters.category !== undefined && product.category !== filters.category) return false;
  if (filters.inStock && product.stock <= 0) return false;
  return true;
}

export interface SearchIndex {
  /** Which engine answers (shown to users so they know what they are looking at). */
  readonly engine: string;
  /**
   * Products matching the text over name, description and category, narrowed by the filters.
   * Case is ignored everywhere. The table (startup) finds products with a word beginning with each
   * word of the query, reading only those; the in-process index (growing) matches the text as it
   * is, anywhere; OpenSearch ranks by relevance and forgives typos.
   */
  search(query: string, limit: number, filters?: SearchFilters): Promise<ProductRecord[]>;
  /** Called after a catalog write, for engines that keep their own copy. */
  invalidate?(): void;
}
