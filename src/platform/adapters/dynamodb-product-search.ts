import { UnavailableError } from '../../contracts/errors.js';
import { type ProductRecord, passesFilters, type SearchFilters } from '../../contracts/ports.js';
import type { StorefrontService } from './dynamodb-entities.js';

/**
 * The startup stage's search on the table itself, reading only what the query needs.
 *
 * Each product writes one small item per word of its name, description and category, keyed by the
 * word's first two characters (the partition) and the word itself (the sort key). A query word is
 * answered by a `Query` with `begins_with` on the sort key in its partition, a page at a time, so
 * a search reads a page of word items per query word and then about as many products as it
 * shows: its cost follows what it shows, not the catalog (`search` below). Words of the query are
 * ANDed; each must begin a word of the product (`mitt` finds "mittens", `tens` does not). Words
 * of one character are ignored.
 *
 * Word items are written after the product, without a transaction: a product is checked against
 * the query again when it is read, so a stale word item (a product renamed or deleted meanwhile)
 * never returns a wrong product, and products written before word items existed are indexed once,
 * on the first search (`ensureIndexed`).
 */

/** Bumped when the word rules change: the next search indexes the catalog again. */
const INDEX_VERSION = 1;
const INDEX_NAME = 'product-search';
/** Longer words are cut: a query word longer than this matches on its first characters. */
const MAX_WORD_LENGTH = 40;
/** A product's description may be long; its first words are what a shopper types. */
const MAX_WORDS_PER_PRODUCT = 200;
/** Products read per BatchGetItem round while filling a page of results. */
const READ_CHUNK = 50;
/** The fewest products read per round, so a search that checks many candidates needs few rounds. */
const MIN_CHUNK = 10;
/** Word items read per Query: the whole of a rare word's matches, a page of a common word's. */
const WORD_PAGE = 100;
/** How many products a search for common words checks before it settles for what it found. */
const MAX_CANDIDATES = 1_000;

interface IdsPage {
  readonly ids: string[];
  /** Where the next page starts; null when this was the last. */
  readonly next: string | null;
}

/** Product ids are ULIDs: the later one sorts higher. */
function newestFirst(ids: string[]): string[] {
  return ids.sort((a, b) => (a < b ? 1 : -1));
}

/** The words a text is found by: lower-cased, split on anything that is not a letter or digit. */
export function searchWordsOf(text: string): string[] {
  const words = new Set<string>();
  for (const raw of text
    .normalize('NFKC')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)) {
    const chars = Array.from(raw);
    if (chars.length < 2) continue;
    words.add(chars.slice(0, MAX_WORD_LENGTH).join(''));
    if (words.size >= MAX_WORDS_PER_PRODUCT) break;
  }
  return [...words];
}

/**
 * Batches of 25 sent at once by a bulk write: DynamoDB takes them in parallel. DynamoDB Local
 * writes one at a time, so locally it changes nothing (npm run bench, catalog scale).
 */
export const BATCH_CONCURRENCY = 4;

function bucketOf(word: string): string {
  return Array.from(word).slice(0, 2).join('');
}

function textOf(product: Pick<ProductRecord, 'name' | 'description' | 'category'>): string {
  return `${product.name}\n${product.description}\n${product.category}`;
}

/** Whether every query word begins one of the product's words: the check that makes stale items harmless. */
function matches(product: ProductRecord, queryWords: readonly string[]): boolean {
  const words = searchWordsOf(textOf(product));
  return queryWords.every((query) => words.some((word) => word.startsWith(query)));
}

export class DynamoDbProductSearch {
  private indexed: Promise<void> | undefined;

  constructor(
    private readonly service: StorefrontService,
    /** The whole catalog, read once when products written before word items exist must be indexed. */
    private readonly allProducts: () => Promise<ProductRecord[]>,
  ) {}

  /** Writes a new product's word items. */
  async added(product: ProductRecord): Promise<void> {
    await this.write(product.id, searchWordsOf(textOf(product)), []);
  }

  /** Writes the word items of new products, all in the same batches. */
  async addedMany(products: readonly ProductRecord[]): Promise<void> {
    await this.writeItems(
      products.flatMap((product) =>
        searchWordsOf(textOf(product)).map((word) => ({ word, productId: product.id })),
      ),
      [],
    );
  }

  /**
   * The word items of products just written in bulk into a table that held no products (the
   * demo catalog of a first start), written in the background: on disk DynamoDB Local takes
   * over a second for the demo catalog's 700 items, which the first start no longer waits for.
   * A search on this instance waits for them. Once written, the table holds every product's
   * words, which is recorded, so the first search does not index the catalog again; if the
   * process stops first, that record is missing and the first search of the next run does.
   */
  addedToEmptyTable(products: readonly ProductRecord[]): void {
    const written = this.addedMany(products).then(() => this.markIndexed());
    const indexed: Promise<void> = written.catch(() => {
      // The first search indexes whatever is missing (ensureIndexed, from the record's absence).
      if (this.indexed === indexed) this.indexed = undefined;
      return this.ensureIndexed();
    });
    this.indexed = indexed;
    // Never an unhandled rejection: a search meets the failure, or retries the indexing.
    indexed.catch(() => {});
  }

  /** Adds the words a product gained and removes those it lost. */
  async changed(before: ProductRecord, after: ProductRecord): Promise<void> {
    const old = new Set(searchWordsOf(textOf(before)));
    const now = new Set(searchWordsOf(textOf(after)));
    await this.write(
      after.id,
      [...now].filter((word) => !old.has(word)),
      [...old].filter((word) => !now.has(word)),
    );
  }

  /** Removes a deleted product's word items. */
  async removed(product: ProductRecord): Promise<void> {
    await this.write(product.id, [], searchWordsOf(textOf(product)));
  }

  /**
   * Products matching every word of the query, newest first, narrowed by the filters. Reads a
   * page of word items per query word first. When some word's matches fit in that page, they
   * are the candidates (narrowed by the other words known whole). When every word matches more,
   * the longest word's items are walked page by page, each candidate checked against its own
   * text, until a page of results is found: a search for common words reads about what it
   * shows, not every match of every word (npm run bench, catalog scale). That walk stops after
   * MAX_CANDIDATES products, so common words that rarely occur together may find fewer.
   */
  async search(query: string, limit: number, filters?: SearchFilters): Promise<ProductRecord[]> {
    const queryWords = searchWordsOf(query);
    if (queryWords.length === 0) return [];
    await this.ensureIndexed();
    const firstPages = await Promise.all(queryWords.map((word) => this.idsPage(word, null)));
    const whole = firstPages
      .filter((page) => page.next === null)
      .map((page) => new Set(page.ids))
      .sort((a, b) => a.size - b.size);
    const [fewest, ...others] = whole;
    if (fewest) {
      const ids = [...fewest].filter((id) => others.every((set) => set.has(id)));
      return this.collect(newestFirst(ids), queryWords, limit, filters);
    }
    const walked = queryWords.reduce(
      (longest, word, index) => (word.length > (queryWords[longest] as string).length ? index : longest),
      0,
    );
    const found: ProductRecord[] = [];
    const seen = new Set<string>();
    let page = firstPages[walked] as IdsPage;
    for (;;) {
      const ids = page.ids.filter((id) => !seen.has(id));
      for (const id of ids) seen.add(id);
      found.push(...(await this.collect(ids, queryWords, limit - found.length, filters)));
      if (found.length >= limit || page.next === null || seen.size >= MAX_CANDIDATES) return found;
      page = await this.idsPage(queryWords[walked] as string, page.next);
    }
  }

  /** The products of `ids` (in that order) that match the query and the filters, at most `limit`. */
  private async collect(
    ids: readonly string[],
    queryWords: readonly string[],
    limit: number,
    filters: SearchFilters | undefined,
  ): Promise<ProductRecord[]> {
    const found: ProductRecord[] = [];
    for (let start = 0; start < ids.length && found.length < limit; ) {
      // About as many as are still wanted (most candidates match): each product read is a unit.
      const chunk = Math.min(READ_CHUNK, Math.max(limit - found.length, MIN_CHUNK));
      const products = await this.read(ids.slice(start, start + chunk));
      start += chunk;
      for (const product of products) {
        if (found.length < limit && matches(product, queryWords) && passesFilters(product, filters)) {
          found.push(product);
        }
      }
    }
    return found;
  }

  /**
   * Indexes every product once, when the table holds none of the current version's word items
   * (a table from before they existed). Writing an item twice is harmless, so concurrent first
   * searches on several instances only repeat work.
   */
  ensureIndexed(): Promise<void> {
    this.indexed ??= this.indexOnce().catch((error: unknown) => {
      this.indexed = undefined;
      throw error;
    });
    return this.indexed;
  }

  private async indexOnce(): Promise<void> {
    const { data } = await this.service.entities.searchIndexState
      .get({ name: INDEX_NAME })
      .go({ consistent: true });
    if (data && data.version >= INDEX_VERSION) return;
    await this.addedMany(await this.allProducts());
    await this.markIndexed();
  }

  /** Records that the table holds the current version's word items of every product. */
  private async markIndexed(): Promise<void> {
    await this.service.entities.searchIndexState
      .put({ name: INDEX_NAME, version: INDEX_VERSION, indexedAt: new Date().toISOString() })
      .go();
  }

  /** One page of a word's items, newest products first within each matching word. */
  private async idsPage(word: string, cursor: string | null): Promise<IdsPage> {
    const { data, cursor: next } = await this.service.entities.searchWord.query
      .byWord({ bucket: bucketOf(word) })
      .begins({ word })
      .go({ order: 'desc', limit: WORD_PAGE, cursor, attributes: ['productId'] });
    return { ids: data.map((item) => item.productId), next };
  }

  private async read(ids: readonly string[]): Promise<ProductRecord[]> {
    const { data, unprocessed } = await this.service.entities.product
      .get(ids.map((id) => ({ id })))
      .go({ preserveBatchOrder: true });
    let products = data.filter((item): item is NonNullable<typeof item> => item != null);
    if (unprocessed.length > 0) {
      const again = await this.service.entities.product.get(unprocessed).go();
      products = [...products, ...again.data];
    }
    const byId = new Map(products.map((item) => [item.id, item]));
    return ids.flatMap((id) => {
      const item = byId.get(id);
      if (!item) return [];
      const { searchText: _searchText, ...record } = item;
      return [record as ProductRecord];
    });
  }

  private write(productId: string, add: readonly string[], remove: readonly string[]): Promise<void> {
    const of = (words: readonly string[]) => words.map((word) => ({ word, productId }));
    return this.writeItems(of(add), of(remove));
  }

  private async writeItems(
    add: readonly { word: string; productId: string }[],
    remove: readonly { word: string; productId: string }[],
  ): Promise<void> {
    const { searchWord } = this.service.entities;
    const key = ({ word, productId }: { word: string; productId: string }) => ({
      bucket: bucketOf(word),
      word,
      productId,
    });
    // ElectroDB sends these as BatchWriteItem in groups of 25 and retries what DynamoDB leaves
    // unprocessed; anything still left is a 503, so a caller never believes a write it lost.
    if (add.length > 0) {
      const { unprocessed } = await searchWord.put(add.map(key)).go({ concurrency: BATCH_CONCURRENCY });
      if (unprocessed.length > 0)
        throw new UnavailableError(`${unprocessed.length} search words were not written; try again.`);
    }
    if (remove.length > 0) {
      const { unprocessed } = await searchWord.delete(remove.map(key)).go();
      if (unprocessed.length > 0)
        throw new UnavailableError(`${unprocessed.length} search words were not removed; try again.`);
    }
  }
}
