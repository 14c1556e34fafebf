/**
 * In-memory fakes of the ports, for unit tests of the services that run in milliseconds. Each
 * keeps the promise its port makes (a conditional write that fails writes nothing, a taken e-mail
 * is a ConflictError, an order's guards hold all together or not at all) and nothing more.
 */
import {
  ConflictError,
  IdempotencyKeyReusedError,
  NotFoundError,
  TooManyRequestsError,
  ValidationError,
} from '../../src/contracts/errors.js';
import type {
  AccountCodePurpose,
  AccountCodeRecord,
  AccountRepository,
  AttemptCount,
  Cache,
  Clock,
  EventCounters,
  JobMessage,
  JobQueue,
  LoginThrottle,
  Mail,
  Mailer,
  Metrics,
  OrderPlacement,
  OrderRecord,
  OrderRepository,
  Page,
  PageRequest,
  PlacedOrder,
  Ports,
  ProductRecord,
  ProductRepository,
  SearchIndex,
  SessionRecord,
  SessionStore,
  Table,
  UserRecord,
} from '../../src/contracts/ports.js';

/** A clock that stands still until the test moves it. */
export class FakeClock implements Clock {
  private current: number;
  constructor(start = '2026-01-01T00:00:00.000Z') {
    this.current = Date.parse(start);
  }
  now(): Date {
    return new Date(this.current);
  }
  advance(milliseconds: number): void {
    this.current += milliseconds;
  }
}

/** One page of a list already in order; the cursor is the offset, as opaque to callers as any. */
function paged<T>(all: readonly T[], request: PageRequest): Page<T> {
  const start = request.cursor === undefined ? 0 : Number(request.cursor);
  if (!Number.isInteger(start) || start < 0 || start > all.length)
    throw new ValidationError('The cursor is not one this listing handed out.', [
      { path: 'cursor', message: 'invalid cursor' },
    ]);
  const end = start + request.limit;
  return { items: all.slice(start, end), nextCursor: end < all.length ? String(end) : null };
}

const newestFirst = (a: { createdAt: string; id: string }, b: { createdAt: string; id: string }) =>
  b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id);

export class MemoryProducts implements ProductRepository {
  readonly rows = new Map<string, ProductRecord>();

  async get(id: string): Promise<ProductRecord | null> {
    return this.rows.get(id) ?? null;
  }
  async list(
    request: PageRequest & { readonly category?: string | undefined },
  ): Promise<Page<ProductRecord>> {
    const all = [...this.rows.values()]
      .filter((product) => request.category === undefined || product.category === request.category)
      .sort(newestFirst);
    return paged(all, request);
  }
  async create(product: ProductRecord): Promise<void> {
    // The table's create is conditional on the key being free.
    if (this.rows.has(product.id)) throw new ConflictError(`Product ${product.id} exists.`);
    this.rows.set(product.id, { ...product });
  }
  async createMany(products: readonly ProductRecord[]): Promise<void> {
    for (const product of products) this.rows.set(product.id, { ...product });
  }
  async update(
    id: string,
    changes: Partial<Omit<ProductRecord, 'id' | 'createdAt'>>,
  ): Promise<ProductRecord> {
    const current = this.rows.get(id);
    if (!current) throw new NotFoundError(`No product with id ${id}.`);
    const updated = { ...current, ...changes };
    this.rows.set(id, updated);
    return { ...updated };
  }
  async delete(id: string): Promise<void> {
    if (!this.rows.delete(id)) throw new NotFoundError(`No product with id ${id}.`);
  }
  async isEmpty(): Promise<boolean> {
    return this.rows.size === 0;
  }
}

export class MemoryAccounts implements AccountRepository {
  readonly users = new Map<string, UserRecord>();
  readonly sessions = new Map<string, SessionRecord>();
  readonly codes = new Map<string, AccountCodeRecord>();

  async createUser(user: UserRecord): Promise<void> {
    if (this.users.has(user.id)) throw new ConflictError('This user id is taken.');
    if ([...this.users.values()].some((other) => other.email === user.email))
      throw new ConflictError('An account with this e-mail already exists.');
    this.users.set(user.id, { ...user });
  }
  async getUser(id: string): Promise<UserRecord | null> {
    const user = this.users.get(id);
    return user ? { ...user } : null;
  }
  async findUserByEmail(email: string): Promise<UserRecord | null> {
    const user = [...this.users.values()].find((candidate) => candidate.email === email);
    return user ? { ...user } : null;
  }
  async updatePasswordHash(userId: string, passwordHash: string): Promise<void> {
    const user = this.users.get(userId);
    if (!user) throw new NotFoundError(`No user with id ${userId}.`);
    this.users.set(userId, { ...user, passwordHash });
  }
  async markEmailVerified(userId: string, at: string): Promise<void> {
    const user = this.users.get(userId);
    if (!user) throw new NotFoundError(`No user with id ${userId}.`);
    this.users.set(userId, { ...user, emailVerifiedAt: at });
  }
  async createSession(session: SessionRecord): Promise<void> {
    this.sessions.set(session.tokenHash, { ...session });
  }
  async getSession(tokenHash: string): Promise<SessionRecord | null> {
    return this.sessions.get(tokenHash) ?? null;
  }
  async touchSession(tokenHash: string, lastSeenAt: string): Promise<void> {
    // Logged out meanwhile: nothing to move forward.
    const session = this.sessions.get(tokenHash);
    if (session) this.sessions.set(tokenHash, { ...session, lastSeenAt });
  }
  async deleteSession(tokenHash: string): Promise<void> {
    this.sessions.delete(tokenHash);
  }
  async putCode(code: AccountCodeRecord): Promise<void> {
    this.codes.set(`${code.purpose}:${code.email}`, { ...code });
  }
  async getCode(purpose: AccountCodePurpose, email: string): Promise<AccountCodeRecord | null> {
    return this.codes.get(`${purpose}:${email}`) ?? null;
  }
  async countCodeAttempt(purpose: AccountCodePurpose, email: string): Promise<number> {
    const code = this.codes.get(`${purpose}:${email}`);
    // Used up or replaced meanwhile: as good as too many attempts.
    if (!code) return Number.POSITIVE_INFINITY;
    const attempts = code.attempts + 1;
    this.codes.set(`${purpose}:${email}`, { ...code, attempts });
    return attempts;
  }
  async deleteCode(purpose: AccountCodePurpose, email: string): Promise<void> {
    this.codes.delete(`${purpose}:${email}`);
  }
}

/**
 * Orders over the products fake: every guard (stock, the per-account cap) is checked before
 * anything is written, as the table's transaction cancels all of it when one guard fails.
 */
export class MemoryOrders implements OrderRepository {
  readonly rows = new Map<string, OrderRecord>();
  private readonly claims = new Map<string, { orderId: string; fingerprint: string }>();
  private readonly tallies = new Map<string, number>();

  constructor(private readonly products: MemoryProducts) {}

  async place(order: OrderRecord, placement: OrderPlacement): Promise<PlacedOrder> {
    const claimKey = `${order.userId}:${order.idempotencyKey}`;
    const claim = this.claims.get(claimKey);
    if (claim) {
      if (claim.fingerprint !== placement.fingerprint)
        throw new IdempotencyKeyReusedError('This idempotency key placed another order.');
      return { order: this.rows.get(claim.orderId) as OrderRecord, replayed: true };
    }
    const cap = placement.perProductCap;
    const tallyKey = (productId: string) => `${order.userId}:${productId}:${cap?.windowStart}`;
    for (const line of order.items) {
      const product = this.products.rows.get(line.productId);
      if (!product) throw new NotFoundError(`Product ${line.productId} no longer exists.`);
      if (product.stock < line.quantity)
        throw new ConflictError(
          `Not enough stock for ${product.name}: ${line.quantity} requested, ${product.stock} available.`,
        );
    }
    if (cap) {
      for (const line of order.items) {
        const bought = this.tallies.get(tallyKey(line.productId)) ?? 0;
        if (bought + line.quantity > cap.max)
          throw new TooManyRequestsError(
            `At most ${cap.max} of ${line.name} per customer until ${cap.windowEnd}: ${line.quantity} requested, ${cap.max - bought} left.`,
            cap.retryAfterSeconds,
          );
      }
    }
    for (const line of order.items) {
      const product = this.products.rows.get(line.productId) as ProductRecord;
      this.products.rows.set(line.productId, { ...product, stock: product.stock - line.quantity });
      if (cap)
        this.tallies.set(
          tallyKey(line.productId),
          (this.tallies.get(tallyKey(line.productId)) ?? 0) + line.quantity,
        );
    }
    this.rows.set(order.id, order);
    this.claims.set(claimKey, { orderId: order.id, fingerprint: placement.fingerprint });
    return { order, replayed: false };
  }
  async get(userId: string, orderId: string): Promise<OrderRecord | null> {
    const order = this.rows.get(orderId);
    return order && order.userId === userId ? order : null;
  }
  async listForUser(userId: string, request: PageRequest): Promise<Page<OrderRecord>> {
    return paged(
      [...this.rows.values()].filter((order) => order.userId === userId).sort(newestFirst),
      request,
    );
  }
}

export class MemoryCounters implements EventCounters {
  private readonly counts = new Map<string, Record<string, number>>();
  async increment(productId: string, type: string): Promise<void> {
    const counts = this.counts.get(productId) ?? {};
    counts[type] = (counts[type] ?? 0) + 1;
    this.counts.set(productId, counts);
  }
  async countsFor(productId: string): Promise<Record<string, number>> {
    return { ...this.counts.get(productId) };
  }
}

export interface MemoryTable extends Table {
  readonly products: MemoryProducts;
  readonly accounts: MemoryAccounts;
  readonly orders: MemoryOrders;
  readonly counters: MemoryCounters;
}

export function memoryTable(): MemoryTable {
  const products = new MemoryProducts();
  return {
    products,
    accounts: new MemoryAccounts(),
    orders: new MemoryOrders(products),
    counters: new MemoryCounters(),
  };
}

/** A cache whose entries end with the clock; values are copied in and out, as a serializing store does. */
export class MemoryCache implements Cache {
  readonly mode = 'memory';
  private readonly entries = new Map<string, { json: string; until: number }>();
  constructor(private readonly clock: Clock) {}
  async get<T>(key: string): Promise<T | undefined> {
    const entry = this.entries.get(key);
    if (!entry || entry.until <= this.clock.now().getTime()) return undefined;
    return JSON.parse(entry.json) as T;
  }
  async set<T>(key: string, value: T, ttlSeconds: number): Promise<void> {
    this.entries.set(key, {
      json: JSON.stringify(value),
      until: this.clock.now().getTime() + ttlSeconds * 1000,
    });
  }
  async invalidate(prefix: string): Promise<void> {
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.entries.delete(key);
  }
}

/** The stage without a cache: every read loads. */
export const noCache: Cache = {
  mode: 'none',
  get: async () => undefined,
  set: async () => {},
  invalidate: async () => {},
};

/** A queue that keeps what it was given, for the test to read. */
export class RecordingJobQueue implements JobQueue {
  readonly mode = 'inline';
  readonly jobs: JobMessage[] = [];
  async enqueue(job: JobMessage): Promise<void> {
    this.jobs.push(job);
  }
}

export class RecordingMailer implements Mailer {
  readonly sent: Mail[] = [];
  async send(mail: Mail): Promise<void> {
    this.sent.push(mail);
  }
}

export class RecordingMetrics implements Metrics {
  readonly counts: Record<string, number> = {};
  count(name: Parameters<Metrics['count']>[0], value = 1): void {
    this.counts[name] = (this.counts[name] ?? 0) + value;
  }
}

export class MemorySessions implements SessionStore {
  readonly mode = 'memory';
  readonly rows = new Map<string, SessionRecord>();
  async create(session: SessionRecord): Promise<void> {
    this.rows.set(session.tokenHash, session);
  }
  async get(tokenHash: string): Promise<SessionRecord | null> {
    return this.rows.get(tokenHash) ?? null;
  }
  async touch(session: SessionRecord, lastSeenAt: string): Promise<void> {
    if (this.rows.has(session.tokenHash)) this.rows.set(session.tokenHash, { ...session, lastSeenAt });
  }
  async delete(tokenHash: string): Promise<void> {
    this.rows.delete(tokenHash);
  }
}

/** Failure counts that end `windowSeconds` after the last failure, as the port says. */
export class MemoryLoginThrottle implements LoginThrottle {
  readonly mode = 'memory';
  private readonly counts = new Map<string, AttemptCount & { until: number }>();
  async get(key: string, now: Date): Promise<AttemptCount | null> {
    const count = this.counts.get(key);
    if (!count || count.until <= now.getTime()) return null;
    return { failures: count.failures, lastFailureAt: count.lastFailureAt };
  }
  async recordFailure(key: string, now: Date, windowSeconds: number): Promise<AttemptCount> {
    const failures = ((await this.get(key, now))?.failures ?? 0) + 1;
    const lastFailureAt = now.getTime();
    this.counts.set(key, { failures, lastFailureAt, until: lastFailureAt + windowSeconds * 1000 });
    return { failures, lastFailureAt };
  }
  async reset(key: string): Promise<void> {
    this.counts.delete(key);
  }
}

/** A search index that only counts how often a catalog write told it to refresh. */
export class RecordingSearch implements SearchIndex {
  readonly engine = 'memory';
  invalidations = 0;
  async search(): Promise<ProductRecord[]> {
    return [];
  }
  invalidate(): void {
    this.invalidations++;
  }
}

export interface FakePorts extends Ports {
  readonly table: MemoryTable;
  readonly clock: FakeClock;
  readonly jobs: RecordingJobQueue;
  readonly mailer: RecordingMailer;
  readonly metrics: RecordingMetrics;
  readonly sessions: MemorySessions;
  readonly loginThrottle: MemoryLoginThrottle;
  readonly search: RecordingSearch;
}

/** Every port the services use, in memory; `cache` defaults to none, as at the startup stage. */
export function fakePorts(options: { cache?: 'none' | 'memory' } = {}): FakePorts {
  const clock = new FakeClock();
  return {
    table: memoryTable(),
    sessions: new MemorySessions(),
    loginThrottle: new MemoryLoginThrottle(),
    search: new RecordingSearch(),
    jobs: new RecordingJobQueue(),
    mailer: new RecordingMailer(),
    cache: options.cache === 'memory' ? new MemoryCache(clock) : noCache,
    events: { mode: 'counters', record: async () => {} },
    clock,
    metrics: new RecordingMetrics(),
    logger: { info() {}, warn() {}, error() {} },
    readiness: { check: async () => ({ ready: true, checks: {} }) },
  };
}

/** A product record with defaults, for seeding the products fake. */
export function productRecord(overrides: Partial<ProductRecord> & Pick<ProductRecord, 'id'>): ProductRecord {
  return {
    name: `Product ${overrides.id}`,
    description: 'A product made for a test.',
    category: 'testing',
    priceCents: 1250,
    currency: 'USD',
    stock: 10,
    imageUrl: '',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}
