/**
 * The ports: everything `src/app` may ask of the outside world. Adapters in `./adapters`
 * implement them for one technology each; the stage table decides which adapter serves.
 * Records are zod schemas so one shape is the validation, the type and the OpenAPI document.
 */
// The OpenAPI-extended zod: app/ calls `.openapi()` on these records, which only works when the
// extension loaded before they were built, whichever module happens to import this file first.
import { z } from '@hono/zod-openapi';

// ---------------------------------------------------------------------------------------------
// Records the data ports exchange
// ---------------------------------------------------------------------------------------------

/** Sortable id (ULID, Crockford base32). */
export const IdSchema = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'must be a 26-character ULID');

export const IsoDateTimeSchema = z.iso.datetime();

export const CurrencySchema = z.enum(['USD', 'EUR', 'GBP']);

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

export const RoleSchema = z.enum(['customer', 'admin']);
export type Role = z.infer<typeof RoleSchema>;

export const UserRecordSchema = z.object({
  id: z.string(),
  email: z.email().max(254),
  name: z.string().min(1).max(100),
  role: RoleSchema,
  /**
   * `scrypt$N$r$p$salt$hash`, base64url parts, at every stage (the user pool checks passwords at
   * enterprise, but the table keeps the hash so a move down keeps every account). Never leaves
   * the server.
   */
  passwordHash: z.string(),
  createdAt: IsoDateTimeSchema,
  /** When the owner proved the address (a code by mail); absent until then. Mail beyond the code waits for it. */
  emailVerifiedAt: IsoDateTimeSchema.optional(),
});
export type UserRecord = z.infer<typeof UserRecordSchema>;

export interface SessionRecord {
  /** SHA-256 of the bearer token: a leaked table does not leak usable tokens. */
  readonly tokenHash: string;
  readonly userId: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  /** The last request the session served (sliding idle timeout); createdAt until then. */
  readonly lastSeenAt?: string | undefined;
}

/** What a one-time code mailed to an address is for. */
export type AccountCodePurpose = 'password-reset' | 'verify-email';

/** A one-time code mailed to an account's address: only its hash is kept. */
export interface AccountCodeRecord {
  readonly purpose: AccountCodePurpose;
  readonly email: string;
  readonly userId: string;
  /** SHA-256 of the code with the e-mail. */
  readonly codeHash: string;
  /** Wrong guesses so far; the code is dropped after a few. */
  readonly attempts: number;
  readonly expiresAt: string;
}

export const OrderLineSchema = z.object({
  productId: z.string(),
  name: z.string(),
  quantity: z.number().int().min(1),
  unitPriceCents: z.number().int().min(0),
  lineTotalCents: z.number().int().min(0),
});

export const OrderRecordSchema = z.object({
  id: z.string(),
  userId: z.string(),
  status: z.enum(['placed']),
  items: z.array(OrderLineSchema),
  totalCents: z.number().int().min(0),
  currency: CurrencySchema,
  idempotencyKey: z.string(),
  createdAt: IsoDateTimeSchema,
});
export type OrderRecord = z.infer<typeof OrderRecordSchema>;

/** One page of a listing; `nextCursor` is opaque and null on the last page. */
export interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
}

export interface PageRequest {
  readonly limit: number;
  readonly cursor?: string | undefined;
}

// ---------------------------------------------------------------------------------------------
// Data ports (the table)
// ---------------------------------------------------------------------------------------------

export interface ProductRepository {
  get(id: string): Promise<ProductRecord | null>;
  /** Newest first within a category or across the catalog. Throws ValidationError on a bad cursor. */
  list(request: PageRequest & { readonly category?: string | undefined }): Promise<Page<ProductRecord>>;
  create(product: ProductRecord): Promise<void>;
  /** Applies the changes; throws NotFoundError when the product does not exist. */
  update(id: string, changes: Partial<Omit<ProductRecord, 'id' | 'createdAt'>>): Promise<ProductRecord>;
  /** Throws NotFoundError when the product does not exist. */
  delete(id: string): Promise<void>;
  /** How many products exist (used to decide whether to seed). */
  isEmpty(): Promise<boolean>;
}

export interface AccountRepository {
  /** Throws ConflictError when the e-mail is taken; writes nothing then. */
  createUser(user: UserRecord): Promise<void>;
  getUser(id: string): Promise<UserRecord | null>;
  findUserByEmail(email: string): Promise<UserRecord | null>;
  /** Replaces the password hash; NotFoundError when the user does not exist. */
  updatePasswordHash(userId: string, passwordHash: string): Promise<void>;
  /** Records that the owner proved the address. */
  markEmailVerified(userId: string, at: string): Promise<void>;
  createSession(session: SessionRecord): Promise<void>;
  getSession(tokenHash: string): Promise<SessionRecord | null>;
  /** Moves the session's last-seen time forward (the idle timeout slides). */
  touchSession(tokenHash: string, lastSeenAt: string): Promise<void>;
  deleteSession(tokenHash: string): Promise<void>;
  /** Stores a code, replacing an earlier one for the same purpose and address. */
  putCode(code: AccountCodeRecord): Promise<void>;
  getCode(purpose: AccountCodePurpose, email: string): Promise<AccountCodeRecord | null>;
  /** Counts one wrong guess, atomically; the count after it. */
  countCodeAttempt(purpose: AccountCodePurpose, email: string): Promise<number>;
  deleteCode(purpose: AccountCodePurpose, email: string): Promise<void>;
}

/** What a sign-in request looked like: Cognito's threat protection scores it (`ContextData`). */
export interface SignInContext {
  /** The client's address, derived as the rate limiter derives it. */
  readonly ipAddress: string;
  /** The host the client asked for. */
  readonly serverName: string;
  readonly serverPath: string;
  /** The request's headers, without credentials (Authorization, Cookie). */
  readonly headers: readonly { readonly name: string; readonly value: string }[];
}

/**
 * Sign-in at the enterprise stage: passwords and tokens live in a Cognito user pool, whose
 * username for an account is the account's id. Before that stage, the accounts service keeps
 * password hashes and sessions itself.
 */
export interface IdentityProvider {
  /** Which adapter serves (cognito, local-cognito). */
  readonly mode: string;
  /**
   * Creates the pool user of a new account with its password. ConflictError when the e-mail is
   * taken there; ValidationError (on `password`) when the pool's password policy refuses it.
   */
  register(user: { id: string; email: string; role: Role }, password: string): Promise<void>;
  /** Removes a pool user whose account could not be created after all. */
  unregister(userId: string): Promise<void>;
  /**
   * Puts an account that the pool does not hold (made before the move to enterprise) or holds
   * with another password (changed at a lower stage) into the pool with this password, as a
   * user-migration trigger would. Call only once the password matched the account's own hash.
   */
  importUser(user: { id: string; email: string; role: Role }, password: string): Promise<void>;
  /** Sets a pool user's password (after a reset); ValidationError when the policy refuses it. */
  setPassword(userId: string, password: string): Promise<void>;
  /**
   * Checks the password with the pool: an access token, or UnauthorizedError. A challenge the
   * API cannot answer (MFA, a new password) is a ForbiddenError that names it.
   */
  signIn(userId: string, password: string, context?: SignInContext): Promise<string>;
  /** Whose token this is (its `jti` and expiry too); UnauthorizedError when it is not valid. */
  verify(token: string): Promise<{ userId: string; tokenId: string; expiresAt: Date }>;
  /** Ends the user's sessions at the pool. */
  signOut(token: string): Promise<void>;
}

/** Where sessions live: the table at first, Redis from scaling on. */
export interface SessionStore {
  /** Which adapter serves (dynamodb, redis). */
  readonly mode: string;
  create(session: SessionRecord): Promise<void>;
  get(tokenHash: string): Promise<SessionRecord | null>;
  /** Moves the session's last-seen time forward (the idle timeout slides). */
  touch(session: SessionRecord, lastSeenAt: string): Promise<void>;
  delete(tokenHash: string): Promise<void>;
}

/** Failed attempts counted against one key (an account, a client) in a window. */
export interface AttemptCount {
  readonly failures: number;
  /** Epoch milliseconds of the last failure. */
  readonly lastFailureAt: number;
}

/**
 * Counts failed logins per account and per client, shared by every process: the table up to
 * growing, Redis from scaling on. Counts end `windowSeconds` after the last failure.
 */
export interface LoginThrottle {
  /** Which adapter serves (dynamodb, redis). */
  readonly mode: string;
  get(key: string, now: Date): Promise<AttemptCount | null>;
  /** Adds one failure atomically; the count after it. */
  recordFailure(key: string, now: Date, windowSeconds: number): Promise<AttemptCount>;
  reset(key: string): Promise<void>;
}

export interface PlacedOrder {
  readonly order: OrderRecord;
  /** True when the idempotency key had already placed this order. */
  readonly replayed: boolean;
}

/** What an order is placed with besides the order itself. */
export interface OrderPlacement {
  /**
   * Identifies the request (SHA-256 of its merged, sorted lines); stored with the idempotency key
   * so a key reused for another request is refused rather than answered with the first order.
   */
  readonly fingerprint: string;
  /**
   * The per-account cap: units of each product this account may have bought in the window that
   * starts at `windowStart` and ends at `windowEnd` (ISO-8601), this order included. Counted in
   * the order's transaction; a line over it throws TooManyRequestsError with `retryAfterSeconds`.
   * Absent: no cap.
   */
  readonly perProductCap?:
    | {
        readonly max: number;
        readonly windowStart: string;
        readonly windowEnd: string;
        readonly retryAfterSeconds: number;
      }
    | undefined;
}

export interface OrderRepository {
  /**
   * Writes the order, decrements each product's stock and claims the idempotency key in one
   * transaction. Returns the earlier order when the key was already used by this user for the
   * same request; throws IdempotencyKeyReusedError when it was used for another one. Throws
   * ConflictError when any product's stock is short, NotFoundError when a product is gone.
   */
  place(order: OrderRecord, placement: OrderPlacement): Promise<PlacedOrder>;
  get(userId: string, orderId: string): Promise<OrderRecord | null>;
  listForUser(userId: string, request: PageRequest): Promise<Page<OrderRecord>>;
}

export interface EventCounters {
  /** Atomically adds one to the counter of this product and event type. */
  increment(productId: string, type: string): Promise<void>;
  /** Counts by event type for one product. */
  countsFor(productId: string): Promise<Record<string, number>>;
}

/** The single table, as the storefront sees it. */
export interface Table {
  readonly products: ProductRepository;
  readonly accounts: AccountRepository;
  readonly orders: OrderRepository;
  readonly counters: EventCounters;
}

// ---------------------------------------------------------------------------------------------
// Capability ports
// ---------------------------------------------------------------------------------------------

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
   * The table and the in-process index match the text case-insensitively as it is; OpenSearch
   * ranks by relevance and forgives typos.
   */
  search(query: string, limit: number, filters?: SearchFilters): Promise<ProductRecord[]>;
  /** Called after a catalog write, for engines that keep their own copy. */
  invalidate?(): void;
}

/** An e-mail to send. */
export interface Mail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

export interface Mailer {
  send(mail: Mail): Promise<void>;
}

/** Hot reads kept for a while; every product write invalidates the catalog's entries. */
export interface Cache {
  /** Which adapter serves (none, memory, redis). */
  readonly mode: string;
  get<T>(key: string): Promise<T | undefined>;
  set<T>(key: string, value: T, ttlSeconds: number): Promise<void>;
  /** Drops every entry whose key starts with the prefix. */
  invalidate(prefix: string): Promise<void>;
}

/** A background job as it travels: its type plus the job's own fields (JSON). */
export interface JobMessage {
  readonly type: string;
  readonly [field: string]: unknown;
}

/** Moves slow work off the request: inline at startup, a queue and a worker from growing on. */
export interface JobQueue {
  /** Which adapter serves (inline, sqs). */
  readonly mode: string;
  enqueue(job: JobMessage): Promise<void>;
}

export const EVENT_TYPES = ['view', 'add_to_cart', 'remove_from_cart', 'checkout', 'search'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Events without a product (a search, say) are kept under this id. */
export const SITE_WIDE = '_site';

/** One analytics event as it is counted, or sent on the stream (Kinesis) and on to S3 (Firehose). */
export const StreamedEventSchema = z.strictObject({
  type: z.enum(EVENT_TYPES),
  productId: z.string().min(1).max(64).optional(),
  /** When the storefront accepted it: the event time windows are cut by. */
  at: z.iso.datetime(),
});
export type StreamedEvent = z.infer<typeof StreamedEventSchema>;

/**
 * Where analytics events go: atomic counters in the table (startup to scaling), or a Kinesis
 * stream that Firehose delivers to S3 (enterprise).
 */
export interface EventSink {
  readonly mode: 'counters' | 'kinesis';
  record(event: StreamedEvent): Promise<void>;
}

export const REPORT_WINDOWS = { hour: 3_600_000, day: 86_400_000 } as const;
export type ReportWindow = keyof typeof REPORT_WINDOWS;

export const TopProductsReportSchema = z
  .object({
    window: z.enum(['hour', 'day']),
    from: IsoDateTimeSchema,
    to: IsoDateTimeSchema,
    /** Product events counted in the window (site-wide events such as searches are not ranked). */
    events: z.number().int(),
    /** Which engine answered: the local stream consumer, or a query over the delivered files. */
    source: z.string(),
    products: z.array(
      z.object({
        productId: z.string(),
        views: z.number().int(),
        addsToCart: z.number().int(),
        checkouts: z.number().int(),
      }),
    ),
  })
  .openapi('TopProductsReport');
export type TopProductsReport = z.infer<typeof TopProductsReportSchema>;

/** "Top products in the last hour / day", where the events go to a stream. */
export interface AnalyticsReport {
  topProducts(window: ReportWindow, limit?: number): Promise<TopProductsReport>;
}

export interface Clock {
  now(): Date;
}

/** Business counters the app reports; the adapter decides where they go (Prometheus, EMF). */
export interface Metrics {
  count(
    name:
      | 'signups'
      | 'logins'
      | 'orders_placed'
      | 'events_recorded'
      | 'cache_hits'
      | 'cache_misses'
      | 'jobs_enqueue_failed',
    value?: number,
  ): void;
}

export interface Logger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/** Everything the storefront is given at start-up. */
/**
 * The cost model's view of the running system, for the ops console: each stage's monthly cost at
 * the measured traffic and the advisor's recommendation. Absent where the process cannot read its
 * own metrics (on Lambda, metrics leave as CloudWatch EMF).
 */
export interface CostAdvisor {
  report(): Promise<OpsCostReport>;
}

export interface OpsCostReport {
  readonly stage: string;
  readonly users: number;
  readonly usersFrom: 'flag' | 'request rate';
  readonly verdict: 'stay' | 'move-up' | 'move-down';
  readonly recommendedStage: string;
  readonly summary: string;
  readonly findings: {
    readonly rule: string;
    readonly direction: 'up' | 'down' | 'fix' | 'ok';
    readonly measured: number;
    readonly threshold: number;
    readonly message: string;
  }[];
  readonly stages: {
    readonly stage: string;
    readonly totalUsd: number;
    readonly fixedUsd: number;
    readonly usageUsd: number;
    readonly source: string;
    readonly fit: string;
  }[];
}

/** One dependency's state as readiness reports it: `mode` is the adapter that serves it. */
export interface DependencyState {
  readonly status: 'ok' | 'down';
  readonly mode: string;
  /** Why it is down; never an address or a stack. */
  readonly detail?: string;
}

export interface ReadinessReport {
  /** True when every dependency the stage needs answers. */
  readonly ready: boolean;
  readonly checks: Readonly<Record<string, DependencyState>>;
}

/** Whether the process can serve: asks each dependency the stage needs (GET /api/health). */
export interface Readiness {
  check(): Promise<ReadinessReport>;
}

export interface Ports {
  readonly table: Table;
  readonly sessions: SessionStore;
  readonly loginThrottle: LoginThrottle;
  /** Present at the enterprise stage: sign-in through the Cognito user pool. */
  readonly identity?: IdentityProvider | undefined;
  readonly search: SearchIndex;
  readonly jobs: JobQueue;
  readonly mailer: Mailer;
  readonly cache: Cache;
  readonly events: EventSink;
  /** Present where events go to a stream (enterprise); counters answer per product otherwise. */
  readonly analytics?: AnalyticsReport | undefined;
  readonly clock: Clock;
  readonly metrics: Metrics;
  readonly logger: Logger;
  readonly costAdvisor?: CostAdvisor | undefined;
  readonly readiness: Readiness;
}
