import { NotFoundError, UnavailableError } from '../../contracts/errors.js';
import type {
  Page,
  PageRequest,
  ProductRecord,
  ProductRepository,
  SearchFilters,
} from '../../contracts/ports.js';
import type { StorefrontService } from './dynamodb-entities.js';
import { withCursor } from './dynamodb-errors.js';
import { BATCH_CONCURRENCY, DynamoDbProductSearch } from './dynamodb-product-search.js';

type ProductItem = ProductRecord & { searchText: string };

/** What the table search matches: one lower-cased string per product. */
export function searchTextOf(product: Pick<ProductRecord, 'name' | 'description' | 'category'>): string {
  return `${product.name}\n${product.description}\n${product.category}`.toLowerCase();
}

/** Strips storage-only attributes so callers see exactly a ProductRecord. */
export function toProductRecord(item: ProductItem): ProductRecord {
  const { searchText: _searchText, ...record } = item;
  return record;
}

export class DynamoDbProductRepository implements ProductRepository {
  /** The startup stage's search: word items written beside each product (dynamodb-product-search.ts). */
  readonly textSearch: DynamoDbProductSearch;

  constructor(private readonly service: StorefrontService) {
    this.textSearch = new DynamoDbProductSearch(service, () => this.all());
  }

  async get(id: string): Promise<ProductRecord | null> {
    const { data } = await this.service.entities.product.get({ id }).go();
    return data ? toProductRecord(data as ProductItem) : null;
  }

  async list(request: PageRequest & { category?: string | undefined }): Promise<Page<ProductRecord>> {
    const { product } = this.service.entities;
    const options = { limit: request.limit, cursor: request.cursor ?? null, order: 'desc' as const };
    const result = await withCursor(request.cursor, () =>
      request.category
        ? product.query.byCategory({ category: request.category }).go(options)
        : product.query.catalog({}).go(options),
    );
    return {
      items: result.data.map((item) => toProductRecord(item as ProductItem)),
      nextCursor: result.cursor,
    };
  }

  async create(record: ProductRecord): Promise<void> {
    await this.service.entities.product.create({ ...record, searchText: searchTextOf(record) }).go();
    await this.textSearch.added(record);
  }

  async createMany(
    records: readonly ProductRecord[],
    options: { readonly intoEmptyTable?: boolean } = {},
  ): Promise<void> {
    if (records.length === 0) return;
    // ElectroDB sends a list as BatchWriteItem, 25 items a request, and retries what DynamoDB
    // leaves unprocessed: the demo catalog is 3 requests instead of 64 conditional puts.
    const { unprocessed } = await this.service.entities.product
      .put(records.map((record) => ({ ...record, searchText: searchTextOf(record) })))
      .go({ concurrency: BATCH_CONCURRENCY });
    if (unprocessed.length > 0)
      throw new UnavailableError(`${unprocessed.length} products were not written; try again.`);
    if (options.intoEmptyTable) this.textSearch.addedToEmptyTable(records);
    else await this.textSearch.addedMany(records);
  }

  async update(
    id: string,
    changes: Partial<Omit<ProductRecord, 'id' | 'createdAt'>>,
  ): Promise<ProductRecord> {
    const current = await this.get(id);
    if (!current) throw new NotFoundError(`No product with id ${id}.`);
    const merged = { ...current, ...changes };
    const { product } = this.service.entities;
    try {
      // patch = update with an existence check, so a product deleted meanwhile is not re-created.
      // Only the given fields are written: a concurrent order's stock decrement is not overwritten.
      const { data } = await product
        .patch({ id })
        .set({ ...changes, searchText: searchTextOf(merged) })
        .go({ response: 'all_new' });
      const updated = toProductRecord(data as ProductItem);
      await this.textSearch.changed(current, updated);
      return updated;
    } catch (error) {
      if (isConditionalFailure(error)) throw new NotFoundError(`No product with id ${id}.`);
      throw error;
    }
  }

  async delete(id: string): Promise<void> {
    const current = await this.get(id);
    if (!current) throw new NotFoundError(`No product with id ${id}.`);
    try {
      await this.service.entities.product.remove({ id }).go();
    } catch (error) {
      if (isConditionalFailure(error)) throw new NotFoundError(`No product with id ${id}.`);
      throw error;
    }
    await this.textSearch.removed(current);
  }

  async isEmpty(): Promise<boolean> {
    const { data } = await this.service.entities.product.query.catalog({}).go({ limit: 1 });
    return data.length === 0;
  }

  /** The whole catalog (for an in-process search index). */
  async all(): Promise<ProductRecord[]> {
    const { data } = await this.service.entities.product.query
      .catalog({})
      .go({ pages: 'all', order: 'desc' });
    return data.map((item) => toProductRecord(item as ProductItem));
  }

  /** Products whose words begin with every word of the query: reads what the query needs. */
  findByText(query: string, limit: number, filters?: SearchFilters): Promise<ProductRecord[]> {
    return this.textSearch.search(query, limit, filters);
  }
}

/** True for DynamoDB's ConditionalCheckFailedException, however ElectroDB wrapped it. */
export function isConditionalFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const cause = error.cause as { name?: string } | undefined;
  return (
    error.name === 'ConditionalCheckFailedException' || cause?.name === 'ConditionalCheckFailedException'
  );
}
