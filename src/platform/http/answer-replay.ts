import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Hono, MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { ifNoneMatchHolds, REPLAYABLE, type Replayable } from '../../contracts/replayable.js';
import { traceOf } from '../request-context.js';
import { TRACE_HEADER } from '../tracing.js';
import type { AccessLog } from './access-log.js';
import { requestIdOf, tracesRequest } from './edge-middleware.js';

// A cached catalog read costs little more than writing its bytes only if it skips what every
// other request needs: Hono's context, the middleware chain, the route's validation. So the
// first time a route answers with a `Replayable` (src/contracts/replayable.ts), the edge keeps
// the answer as it went out (every header the middleware added) under its URL, and the Node
// server sends it again to the next GETs of that URL while the route's `current()` holds, doing
// per request only what is per request: the request id, the 304 on a matching `If-None-Match`,
// the access-log line, the metrics and the cache-hit count. A request that is traced (the
// sampler admits it), carries credentials or a body, or finds no current answer goes through
// the app as always. The app turns replay off where a request must pass a check first: a rate
// limit (its headers count each request) or the origin secret.

/** What a replayed request is reported to, as the middleware would. */
export interface ReplayReporting {
  readonly log: AccessLog;
  observe(method: string, route: string, status: number, seconds: number): void;
  /** The cache answered (the cache adapter counts its hits; a replay skips the adapter). */
  cacheHit(): void;
}

interface Answer {
  /** The matched route pattern, for the log and the metrics. */
  readonly route: string;
  readonly bytes: Uint8Array<ArrayBuffer>;
  readonly etag: string;
  readonly current: () => boolean;
  /** Flat name, value list for a 200 and for a 304 (no content-type), without the request id. */
  readonly ok: readonly string[];
  readonly notModified: readonly string[];
}

/** Headers that belong to one request or one connection, never replayed as they were. */
const PER_REQUEST = new Set([
  'x-request-id',
  'x-cache',
  'date',
  'connection',
  'keep-alive',
  'content-length',
  'transfer-encoding',
]);

/** How many URLs' answers are kept (the oldest goes first). */
const CAPACITY = 1000;

export class AnswerReplay {
  private readonly answers = new Map<string, Answer>();

  constructor(readonly reporting: ReplayReporting) {}

  /**
   * Keeps a route's answer for `url` (path and query, as the request line had them), from a 200
   * or a 304 of it: the headers are the same but for the body's.
   */
  remember(url: string, route: string, replayable: Replayable, headers: Headers): void {
    const kept = this.answers.get(url);
    if (kept?.etag === replayable.etag && kept.current()) return;
    const ok: string[] = [];
    const notModified: string[] = [];
    for (const [name, value] of headers) {
      // A cookie or a rate-limit count is for one caller: such an answer is not replayed.
      if (name === 'set-cookie' || name.startsWith('ratelimit') || name === 'retry-after') return;
      if (PER_REQUEST.has(name) || name === 'content-type') continue;
      ok.push(name, value);
      notModified.push(name, value);
    }
    ok.push('content-type', replayable.contentType);
    ok.push('x-cache', 'hit', 'content-length', String(replayable.bytes.byteLength));
    notModified.push('x-cache', 'hit');
    this.answers.delete(url);
    if (this.answers.size >= CAPACITY) {
      const oldest = this.answers.keys().next().value;
      if (oldest !== undefined) this.answers.delete(oldest);
    }
    this.answers.set(url, { route, ...replayable, ok, notModified });
  }

  /** The current answer for `url`, if one is kept. */
  find(url: string): Answer | undefined {
    const answer = this.answers.get(url);
    if (answer && !answer.current()) {
      this.answers.delete(url);
      return undefined;
    }
    return answer;
  }

  /**
   * Answers `request` from a kept answer and returns true, or returns false (and writes
   * nothing) when the request must go through the app.
   */
  serve(request: IncomingMessage, response: ServerResponse): boolean {
    if (request.method !== 'GET' || request.url === undefined) return false;
    const { headers } = request;
    if (headers.authorization !== undefined || headers['content-length'] !== undefined) return false;
    if (headers['transfer-encoding'] !== undefined) return false;
    const answer = this.find(request.url);
    if (!answer) return false;
    const traceHeader = headers[TRACE_HEADER] as string | undefined;
    if (tracesRequest(traceHeader, request)) return false;
    const started = performance.now();
    const requestId = requestIdOf(headers['x-request-id'] as string | undefined);
    const notModified = ifNoneMatchHolds(headers['if-none-match'], answer.etag);
    const status = notModified ? 304 : 200;
    response.writeHead(status, [
      ...(notModified ? answer.notModified : answer.ok),
      'x-request-id',
      requestId,
    ]);
    response.end(notModified ? undefined : answer.bytes);
    const { reporting } = this;
    reporting.cacheHit();
    const query = request.url.indexOf('?');
    reporting.log.write({
      requestId,
      // Without a header there is no trace id to name (Lambda's variable is not read here).
      traceId: traceHeader === undefined ? undefined : traceOf(traceHeader).traceId,
      method: 'GET',
      path: query === -1 ? request.url : request.url.slice(0, query),
      route: answer.route,
      status,
      ms: Math.round(performance.now() - started),
    });
    reporting.observe('GET', answer.route, status, (performance.now() - started) / 1000);
    return true;
  }
}

/**
 * Outermost middleware: once the answer is complete (every other middleware has added its
 * headers), keeps a 200 or 304 that its route marked replayable, under the URL of the request
 * line.
 */
export function rememberAnswers(replay: AnswerReplay): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const replayable = (c.var as { [REPLAYABLE]?: Replayable })[REPLAYABLE];
    if (!replayable || c.req.method !== 'GET' || (c.res.status !== 200 && c.res.status !== 304)) return;
    const url = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.url;
    if (url === undefined || !replayable.current()) return;
    replay.remember(url, routePath(c), replayable, c.res.headers);
  };
}

const replays = new WeakMap<Hono, AnswerReplay>();

/** Marks `app`'s answers as replayable by the Node server that serves it. */
export function attachReplay(app: Hono, replay: AnswerReplay): void {
  replays.set(app, replay);
}

/** The replay of `app`'s answers, if its edge allows one (src/platform/runtime/http-server.ts). */
export function replayOf(app: Hono): AnswerReplay | undefined {
  return replays.get(app);
}
