import { createHash } from 'node:crypto';
import { ulid } from 'ulid';
import { NotFoundError } from '../../contracts/errors.js';
import type { Page, Ports, ProductRecord } from '../../contracts/ports.js';
import type { ProductCreate, ProductPatch } from './catalog-schemas.js';
import { defaultImageUrl } from './product-images.js';

/**
 * How long listings and product reads stay in a cache every API instance shares (Redis, scaling
 * on): every write empties it for all of them, so it may keep reads for minutes.
 */
export const CATALOG_CACHE_SECONDS = 300;
/**
 * How long they stay in a cache each API instance keeps alone (in-process, growing): a write
 * empties only the instance that made it, so the others may serve the old product this long.
 */
export const INSTANCE_CACHE_SECONDS = 5;
const CACHE_PREFIX = 'catalog:';

/**
 * What the cache keeps: the answer's bytes and their ETag, made once when the entry is filled, so
 * a hit costs no serializing or hashing, only writing the bytes (or a 304).
 */
export interface Representation {
  /** The value as JSON. */
  readonly body: string;
  /** A strong ETag of `body` (RFC 9110 §8.8.3), quoted. */
  readonly etag: string;
  /** When the value was read from the table (epoch ms). */
  readonly readAt?: number;
}

/** A read and whether the cache answered it (null when the stage has no cache). */
export interface CachedRead<T> extends Representation {
  readonly cache: 'hit' | 'miss' | null;
  /**
   * `body` as UTF-8 bytes, encoded once per cached entry: a socket writes bytes as they are, but
   * encodes a string again for every answer (a 7 KB listing: a quarter of the bare server's
   * throughput, npm run bench).
   */
  readonly bytes: Uint8Array<ArrayBuffer>;
  /** The body as an object, parsed only when asked for (the HTTP route sends the bytes). */
  readonly value: T;
  /**
   * With an in-process cache only: whether this answer is still the one the cache gives, that is
   * no write on this instance since and the cache's time to live not over. The HTTP edge replays
   * the answer while it holds (src/platform/http/answer-replay.ts). A shared cache (Redis) is
   * emptied by other instances' writes, which this instance cannot see, so it has none.
   */
  readonly current?: () => boolean;
}

/** The JSON of a value and its ETag (27 characters of base64url SHA-256). */
export function representationOf(value: unknown, readAt?: number): Representation {
  const body = JSON.stringify(value);
  return {
    body,
    etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
    ...(readAt === undefined ? {} : { readAt }),
  };
}

/**
 * The bytes of each representation the in-process cache holds, kept as long as the entry is: a
 * hit returns the same object, so it is encoded once. (Redis hands back a new object per read.)
 */
const encoded = new WeakMap<Representation, Uint8Array<ArrayBuffer>>();
const utf8 = new TextEncoder();

function bytesOf(representation: Representation): Uint8Array<ArrayBuffer> {
  let bytes = encoded.get(representation);
  if (!bytes) {
    bytes = utf8.encode(representation.body);
    encoded.set(representation, bytes);
  }
  return bytes;
}

function cachedRead<T>(
  representation: Representation,
  cache: CachedRead<T>['cache'],
  value?: T,
  current?: () => boolean,
): CachedRead<T> {
  let parsed = value;
  return {
    body: representation.body,
    etag: representation.etag,
    get bytes() {
      return bytesOf(representation);
    },
    cache,
    ...(current ? { current } : {}),
    get value() {
      parsed ??= JSON.parse(representation.body) as T;
      return parsed;
    },
  };
}

/** Reading and editing the catalog. Reads go through the cache port; every write empties it. */
export class CatalogService {
  /** Bumped by every write, so a read that started before the write does not cache what it saw. */
  private generation = 0;
  /** The table reads under way, by cache key, with the generation they started in. */
  private readonly loading = new Map<
    string,
    { generation: number; representation: Promise<Representation> }
  >();

  constructor(private readonly ports: Ports) {}

  list(query: {
    category?: string | undefined;
    limit: number;
    cursor?: string | undefined;
  }): Promise<CachedRead<Page<ProductRecord>>> {
    const key = `${CACHE_PREFIX}list:${query.category ?? '*'}:${query.limit}:${query.cursor ?? ''}`;
    return this.cached(key, () => this.ports.table.products.list(query));
  }

  async get(id: string): Promise<ProductRecord> {
    return (await this.read(id)).value;
  }

  /** One product, through the cache. */
  read(id: string): Promise<CachedRead<ProductRecord>> {
    return this.cached(`${CACHE_PREFIX}product:${id}`, async () => {
      const product = await this.ports.table.products.get(id);
      if (!product) throw new NotFoundError(`No product with id ${id}.`);
      return product;
    });
  }

  async create(input: ProductCreate, id: string = ulid()): Promise<ProductRecord> {
    const product = this.newProduct(input, id, this.ports.clock.now().toISOString());
    await this.ports.table.products.create(product);
    await this.changed([id], 'created');
    return product;
  }

  /**
   * New products in bulk (the demo catalog; the bench's large catalogs), written a batch at a
   * time; each still counts as created in the catalog's roll-up.
   */
  async createMany(
    inputs: readonly ProductCreate[],
    options: { readonly intoEmptyTable?: boolean } = {},
  ): Promise<ProductRecord[]> {
    const now = this.ports.clock.now().toISOString();
    const products = inputs.map((input) => this.newProduct(input, ulid(), now));
    await this.ports.table.products.createMany(products, options);
    await this.changed(
      products.map((product) => product.id),
      'created',
    );
    return products;
  }

  private newProduct(input: ProductCreate, id: string, now: string): ProductRecord {
    return {
      ...input,
      id,
      imageUrl: input.imageUrl ?? defaultImageUrl(input.category),
      createdAt: now,
      updatedAt: now,
    };
  }

  async update(id: string, patch: ProductPatch): Promise<ProductRecord> {
    const updatedAt = this.ports.clock.now().toISOString();
    const product = await this.ports.table.products.update(id, { ...patch, updatedAt });
    await this.changed([id], 'updated');
    return product;
  }

  async delete(id: string): Promise<void> {
    await this.ports.table.products.delete(id);
    await this.changed([id], 'deleted');
  }

  private async cached<T>(key: string, load: () => Promise<T>): Promise<CachedRead<T>> {
    const { cache } = this.ports;
    if (cache.mode === 'none') {
      const value = await load();
      return cachedRead(representationOf(value), null, value);
    }
    const hit = await cache.get<Representation>(key);
    if (hit !== undefined) return cachedRead<T>(hit, 'hit', undefined, this.currentWhile(hit));
    // One load per key at a time: when an entry expires under load, the requests that missed it
    // together wait for the same table read instead of each sending its own.
    const generation = this.generation;
    const flight = this.loading.get(key);
    if (flight && flight.generation === generation) {
      const representation = await flight.representation;
      return cachedRead<T>(representation, 'miss', undefined, this.currentWhile(representation));
    }
    const loaded = (async () => {
      const value = await load();
      return { value, representation: representationOf(value, Date.now()) };
    })();
    const representation = loaded.then((result) => result.representation);
    // A failed load is thrown to its own caller below; the waiters get it from this promise.
    representation.catch(() => undefined);
    this.loading.set(key, { generation, representation });
    try {
      const { value, representation: fresh } = await loaded;
      const ttl = cache.mode === 'memory' ? INSTANCE_CACHE_SECONDS : CATALOG_CACHE_SECONDS;
      if (generation === this.generation) await cache.set(key, fresh, ttl);
      return cachedRead(fresh, 'miss', value, this.currentWhile(fresh));
    } finally {
      if (this.loading.get(key)?.representation === representation) this.loading.delete(key);
    }
  }

  /**
   * For an in-process cache: a check that `representation` is still what the cache holds, that
   * is no write on this instance since it was read and its time to live not over (real time, as
   * the in-process cache counts its time to live).
   */
  private currentWhile(representation: Representation): (() => boolean) | undefined {
    if (this.ports.cache.mode !== 'memory' || representation.readAt === undefined) return undefined;
    const generation = this.generation;
    const until = representation.readAt + INSTANCE_CACHE_SECONDS * 1000;
    return () => generation === this.generation && Date.now() < until;
  }

  /** This instance's cache and index are refreshed now; roll-ups elsewhere happen in a job each. */
  private async changed(
    productIds: readonly string[],
    change: 'created' | 'updated' | 'deleted',
  ): Promise<void> {
    this.generation++;
    await this.ports.cache.invalidate(CACHE_PREFIX);
    this.ports.search.invalidate?.();
    const changedAt = this.ports.clock.now().toISOString();
    await Promise.all(
      productIds.map((productId) =>
        this.ports.jobs.enqueue({ type: 'product-changed', productId, change, changedAt }),
      ),
    );
  }
}
