/**
 * Errors are values with a type. The domain and the adapters throw these; only the HTTP edge turns
 * them into problem+json and only the CLI edge turns them into a message and an exit code.
 */

export interface FieldIssue {
  readonly path: string;
  readonly message: string;
}

/** Base class: every expected failure carries the HTTP status it maps to. */
export abstract class AppError extends Error {
  abstract readonly status: number;
  abstract readonly title: string;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
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

export class PayloadTooLargeError extends AppError {
  readonly status = 413;
  readonly title = 'Payload too large';
}

/** Too many attempts (failed logins, say): the client may try again after `retryAfterSeconds`. */
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

/** A setting or command-line value is wrong; the CLI exits with code 2. */
export class ConfigError extends AppError {
  readonly status = 400;
  readonly title = 'Invalid configuration';
}
