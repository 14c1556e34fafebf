import autocannon from 'autocannon';

export interface LoadResult {
  readonly name: string;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly non2xx: number;
  /** Requests answered in the run. */
  readonly requests: number;
}

export interface LoadOptions {
  readonly name: string;
  readonly url: string;
  readonly seconds: number;
  readonly connections: number;
  readonly method?: 'GET' | 'POST';
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /** Changes each request before it is sent (a fresh idempotency key per order). */
  readonly setupRequest?: (request: { headers?: Record<string, string> }) => {
    headers?: Record<string, string>;
    body?: string;
  };
}

/** Drives one URL on 127.0.0.1 with autocannon for a bounded time and summarises it. */
export async function load(options: LoadOptions): Promise<LoadResult> {
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.seconds,
    method: options.method ?? 'GET',
    ...(options.headers ? { headers: options.headers } : {}),
    ...(options.body ? { body: options.body } : {}),
    // biome-ignore lint/suspicious/noExplicitAny: autocannon's request type is looser than ours
    ...(options.setupRequest ? { requests: [{ setupRequest: options.setupRequest as any }] } : {}),
  });
  return {
    name: options.name,
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    // A 304 is the answer asked for, not a failure.
    non2xx: result.non2xx - (result['3xx'] ?? 0),
    requests: result.requests.total,
  };
}
