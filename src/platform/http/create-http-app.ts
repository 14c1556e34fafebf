import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { PayloadTooLargeError, TooManyRequestsError, ValidationError } from '../../contracts/errors.js';
import type { Logger } from '../../contracts/ports.js';
import { type AccessLog, loggerAccessLog } from './access-log.js';
import { AnswerReplay, attachReplay, rememberAnswers } from './answer-replay.js';
import { apiDocsRoutes } from './api-docs.js';
import { type EdgeTrustOptions, edgeTrust } from './client-address.js';
import { accessLog, requestIds, requestTrace, securityHeaders } from './edge-middleware.js';
import { problemFor, problemResponse } from './problem.js';
import { type RateLimitOptions, rateLimit } from './rate-limit.js';
import { staticWeb } from './static-web.js';

/** 1 MB: larger bodies get a 413 problem before any handler reads them. */
export const MAX_BODY_BYTES = 1024 * 1024;

export interface HttpAppOptions {
  /** The storefront API, mounted at /api. */
  // biome-ignore lint/suspicious/noExplicitAny: the API carries its own context variables, unknown here
  readonly api: Hono<any, any, any>;
  readonly logger: Logger;
  /** Where the one line per request goes; through `logger` when absent. */
  readonly accessLog?: AccessLog | undefined;
  /** Local-only routes under /api/dev (sent mail); absent on AWS, where /api/dev/* is a 404. */
  readonly devRoutes?: Hono | undefined;
  readonly metrics: {
    middleware(): MiddlewareHandler;
    render(): Promise<{ contentType: string; body: string }>;
    /** A request answered without the middleware (a replayed answer); absent: no replay. */
    observeRequest?(method: string, route: string, status: number, seconds: number): void;
    readonly cacheCounters?: { hit(): void };
  };
  /**
   * Lets the Node server replay routes' cacheable answers without running the app
   * (answer-replay.ts): for long-lived servers, where the same URL is asked again and again.
   * Off, whatever this says, when a rate limit or the origin secret must check each request.
   */
  readonly replayAnswers?: boolean | undefined;
  /**
   * The built web UI (web/dist) to serve at /, with index.html for client-side routes. Locally
   * and in the container; on AWS the UI is on S3 + CloudFront and this is absent.
   */
  readonly webRoot?: string | undefined;
  /**
   * Pages rendered on the server in front of the static web UI (GET only): the product pages
   * for crawlers and link previews (src/entry/crawler-pages.ts). Only with `webRoot`.
   */
  readonly webPages?: MiddlewareHandler | undefined;
  /** Per-client limits on /api; absent or a limit of 0 means none. */
  readonly rateLimit?: RateLimitOptions | undefined;
  /**
   * Which proxies to believe about the client's address, and whether /api must come through
   * CloudFront (the origin secret). Absent: the connection's peer is the client.
   */
  readonly edge?: EdgeTrustOptions | undefined;
}

/**
 * The HTTP edge shared by every runtime (Lambda, container, local server): request ids, security
 * headers, the body limit, metrics, access logs, and the one place errors become problem+json.
 */
export function createHttpApp(options: HttpAppOptions): Hono {
  const app = new Hono();
  const log = options.accessLog ?? loggerAccessLog(options.logger);
  const limiter = options.rateLimit ? rateLimit(options.rateLimit) : undefined;
  const replay = replayFor(options, log, limiter !== undefined);
  // Outermost, so it sees each answer with every header the others add. Long-lived servers
  // compress cacheable answers once, even where a rate limit or the origin secret keeps them
  // from being replayed.
  if (options.replayAnswers) app.use(rememberAnswers(replay));
  app.use(requestIds());
  app.use(requestTrace());
  app.use(options.metrics.middleware());
  app.use(securityHeaders());
  app.use(accessLog(log));
  // Before anything that counts per client or reads a body: a request that skipped CloudFront
  // is refused here when the stage requires the origin secret.
  app.use(edgeTrust(options.edge ?? { trustedProxies: 0 }));
  const limitBody = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) => {
      // The unread rest of the body is never drained, so Node closes the socket after this
      // answer: say so, or a keep-alive client sends its next request into a closed connection.
      c.header('connection', 'close');
      throw new PayloadTooLargeError(`The request body is larger than ${MAX_BODY_BYTES} bytes.`);
    },
  });
  // Only requests that can carry a body pay for the limit: wrapping a GET's (empty) body stream
  // halved the throughput of every read (npm run bench).
  app.use('/api/*', (c, next) => (hasNoBody(c.req.method) ? next() : limitBody(c, next)));
  if (limiter) app.use('/api/*', limiter);
  app.use('/api/*', rejectInvalidUtf8);
  app.route('/api/docs', apiDocsRoutes());
  if (options.devRoutes) app.route('/api/dev', options.devRoutes);
  app.route('/api', options.api);
  app.get('/metrics', async (c) => {
    const { contentType, body } = await options.metrics.render();
    return c.body(body, 200, { 'content-type': contentType });
  });
  if (options.webRoot) {
    if (options.webPages) app.get('/*', options.webPages);
    app.get('/*', staticWeb(options.webRoot));
  }
  app.notFound((c) =>
    problemResponse(c, {
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: `No route for ${c.req.method} ${c.req.path}.`,
    }),
  );
  app.onError((error, c) => {
    const problem = problemFor(error);
    if (problem.status >= 500) {
      options.logger.error({ requestId: c.var.requestId, err: error }, 'unhandled error');
    }
    if (problem.status === 503) c.header('retry-after', '1');
    if (error instanceof TooManyRequestsError) c.header('retry-after', String(error.retryAfterSeconds));
    return problemResponse(c, problem);
  });
  if (replay) attachReplay(app, replay);
  return app;
}

/** The replay of cacheable answers, where every request may skip the app's checks. */
function replayFor(options: HttpAppOptions, log: AccessLog, limited: boolean): AnswerReplay | undefined {
  const { metrics } = options;
  if (!options.replayAnswers || limited || !metrics.observeRequest || !metrics.cacheCounters)
    return undefined;
  if (options.edge?.originSecret || options.edge?.requireOrigin) return undefined;
  return new AnswerReplay({
    log,
    observe: (method, route, status, seconds) => metrics.observeRequest?.(method, route, status, seconds),
    cacheHit: () => metrics.cacheCounters?.hit(),
  });
}

/** GET, HEAD and OPTIONS carry no body: body checks skip them. */
function hasNoBody(method: string): boolean {
  return method === 'GET' || method === 'HEAD' || method === 'OPTIONS';
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * JSON is UTF-8 (RFC 8259): a body with invalid byte sequences is refused with a 400 on `body`
 * instead of being decoded with replacement characters and stored as something nobody sent.
 * Hono keeps the bytes read here for the route's own JSON parsing.
 */
const rejectInvalidUtf8: MiddlewareHandler = async (c, next) => {
  if (hasNoBody(c.req.method) || !/json/i.test(c.req.header('content-type') ?? '')) {
    return next();
  }
  try {
    strictUtf8.decode(await c.req.arrayBuffer());
  } catch {
    throw new ValidationError('The request body is not valid UTF-8.', [
      { path: 'body', message: 'not valid UTF-8' },
    ]);
  }
  return next();
};
