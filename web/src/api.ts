import type { User } from '../../src/app/accounts/accounts-schemas.js';
import type { StageReportSchema } from '../../src/app/ops/ops-schemas.js';
import type { OrderRecord, ProductRecord } from '../../src/contracts/ports.js';

// Type-only imports: the API's zod schemas stay the one description of each payload.
export type Product = ProductRecord;
export type Order = OrderRecord;
export type { User };
export type StageReport = import('zod').infer<typeof StageReportSchema>;
export type StageRow = StageReport['current'];

export interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
}

export interface FieldError {
  readonly path: string;
  readonly message: string;
}

/** An API answer that was not 2xx, carrying the problem+json `detail` to show the user. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly errors: readonly FieldError[] = [],
  ) {
    super(detail);
    this.name = 'ApiError';
  }
}

const TOKEN_KEY = 'growstack.token';

export function storedToken(): string | null {
  return localStorage.getItem(TOKEN_KEY);
}

export function storeToken(token: string | null): void {
  if (token) localStorage.setItem(TOKEN_KEY, token);
  else localStorage.removeItem(TOKEN_KEY);
}

interface RequestOptions {
  readonly method?: string;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  readonly signal?: AbortSignal;
}

/** Calls the API with the stored token; throws ApiError with the server's own words on failure. */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  const token = storedToken();
  if (token) headers.authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, {
      method: options.method ?? 'GET',
      headers,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(
      0,
      'Network error',
      'The server could not be reached. Check your connection and try again.',
    );
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON: a proxy's error page, say. Described below from the status alone.
  }
  if (!response.ok) {
    const problem = (body ?? {}) as { title?: string; detail?: string; errors?: FieldError[] };
    throw new ApiError(
      response.status,
      problem.title ?? response.statusText,
      problem.detail ?? `The server answered ${response.status} ${response.statusText}.`,
      problem.errors ?? [],
    );
  }
  return body as T;
}

/** Analytics are best effort: a lost event must never get in the shopper's way. */
export function sendEvent(
  type: 'view' | 'add_to_cart' | 'remove_from_cart' | 'checkout' | 'search',
  productId?: string,
) {
  void fetch('/api/events', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(productId ? { type, productId } : { type }),
    keepalive: true,
  }).catch(() => {});
}

/** A random idempotency key; crypto.randomUUID exists only in secure contexts (https, localhost). */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

export function formatMoney(cents: number, currency: string): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(cents / 100);
}

export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.detail;
  if (error instanceof Error) return error.message;
  return String(error);
}
