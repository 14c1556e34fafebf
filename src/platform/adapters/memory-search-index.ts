import {
  type ProductRecord,
  passesFilters,
  type SearchFilters,
  type SearchIndex,
} from '../../contracts/ports.js';

interface Entry {
  readonly text: string;
  readonly product: ProductRecord;
}

/**
 * Growing-stage search: the whole catalog held in memory and matched there, so a search costs
 * no table reads. Reloaded after a catalog write on this instance, and at most `ttlMs` old on others.
 */
export class MemorySearchIndex implements SearchIndex {
  readonly engine = 'in-process-index';
  private entries: Promise<Entry[]> | undefined;
  private loadedAt = 0;

  constructor(
    private readonly loadAll: () => Promise<ProductRecord[]>,
    private readonly ttlMs = 60_000,
  ) {}

  async search(query: string, limit: number, filters?: SearchFilters): Promise<ProductRecord[]> {
    if (!this.entries || Date.now() - this.loadedAt > this.ttlMs) {
      this.loadedAt = Date.now();
      this.entries = this.loadAll().then((products) =>
        products.map((product) => ({
          text: `${product.name}\n${product.description}\n${product.category}`.toLowerCase(),
          product,
        })),
      );
      this.entries.catch(() => {
        this.entries = undefined;
      });
    }
    const needle = query.toLowerCase();
    return (await this.entries)
      .filter((entry) => entry.text.includes(needle) && passesFilters(entry.product, filters))
      .slice(0, limit)
      .map((entry) => entry.product);
  }

  invalidate(): void {
    this.entries = undefined;
  }
}
