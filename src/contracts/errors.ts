/**
 * Errors are values with a type, in one family per layer under a common root (as Powertools gives
 * each package its own): HTTP-facing errors carry the status they map to, and only the HTTP edge
 * turns them into problem+json; configuration errors name the setting, and only the CLI edge turns
 * them into a message and an exit code. Infra's and cost's own families extend `GrowstackError`
 * in `src/infra/errors.ts` and `src/cost/errors.ts`.
 */

export interface FieldIssue {
  readonly path: string;
  readonly message: string;
}

/** The root of every error Growstack throws on purpose. */
export abstract class GrowstackError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** An HTTP-facing failure (app, adapters, the HTTP edge): carries the status it maps to. */
export abstract class AppError extends GrowstackError {
  abstract readonly status: number;
  abstract readonly title: string;
}

export class ValidationError extends AppError {
  readonly status = 400;
  readonly title = 'Invalid request';
  constructor(
    message: string,
    readonly errors: readonly FieldIssue[] = [],
  ) {
    super(message);
  }
}

export class UnauthorizedError extends AppError {
  readonly status = 401;
  readonly title = 'Unauthorized';
}

export class ForbiddenError extends AppError {
  readonly status = 403;
  readonly title = 'Forbidden';
}

export class NotFoundError extends AppError {
  readonly status = 404;
  readonly title = 'Not found';
}

export class ConflictError extends AppError {
  readonly status = 409;
  readonly title = 'Conflict';
}

/**
 * An Idempotency-Key already placed a different request. The IETF Idempotency-Key header draft
 * answers this with 422: https://datatracker.ietf.org/doc/draft-ietf-httpapi-idempotency-key-header/
 */
export class IdempotencyKeyReusedError extends AppError {
  readonly status = 422;
  readonly title = 'Idempotency key reused';
}

export class PayloadTooLargeError extends AppError {
  readonly status = 413;
  readonly title = 'Payload too large';
}

/** A per-client or per-account allowance is spent for now; `retryAfterSeconds` says until when. */
export class TooManyRequestsError extends AppError {
  readonly status = 429;
  readonly title = 'Too Many Requests';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** A dependency (the table, the queue) is unreachable or overloaded: retrying later may work. */
export class UnavailableError extends AppError {
  readonly status = 503;
  readonly title = 'Service unavailable';
}

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
  'UND_ERR_SOCKET',
]);
const OVERLOADED_NAMES = new Set([
  'TimeoutError',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'ThrottlingException',
  'Throttling',
  'InternalServerError',
  'ServiceUnavailable',
  'RequestTimeout',
]);

/**
 * Whether an error (or anything in its `cause` chain, as ElectroDB wraps SDK errors) says a
 * dependency is unreachable, overloaded or failing on its side: the SDK's own retries are spent
 * and the client should try again later (503), not be told we crashed (500).
 */
export function isDependencyUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current instanceof Error; depth++) {
    const fields = current as Error & { code?: unknown; $fault?: unknown };
    if (typeof fields.code === 'string' && UNREACHABLE_CODES.has(fields.code)) return true;
    if (OVERLOADED_NAMES.has(current.name) || fields.$fault === 'server') return true;
    current = current.cause;
  }
  return false;
}

/**
 * A setting (growstack.config.ts, an environment variable, a command-line value) is wrong or
 * missing. It never reaches HTTP: the CLI prints it in one line and exits 2; `setting` names what
 * to change, where one setting is to blame.
 */
export class ConfigError extends GrowstackError {
  readonly setting: string | undefined;
  constructor(message: string, options?: ErrorOptions & { readonly setting?: string }) {
    super(message, options);
    this.setting = options?.setting;
  }
}
