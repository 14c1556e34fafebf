import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Hono, MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { ifNoneMatchHolds, REPLAYABLE, type Replayable } from '../../contracts/replayable.js';
import { traceOf } from '../request-context.js';
import { TRACE_HEADER } from '../tracing.js';
import type { AccessLog } from './access-log.js';
import {
  AnswerCodings,
  type Coding,
  chooseCoding,
  type Encoded,
  varyOnEncoding,
  weakened,
} from './answer-coding.js';
import { requestIdOf, tracesRequest } from './edge-middleware.js';

// A cached catalog read costs little more than writing its bytes only if it skips what every
// other request needs: Hono's context, the middleware chain, the route's validation. So the
// first time a route answers with a `Replayable` (src/contracts/replayable.ts), the edge keeps
// the answer as it went out (every header the middleware added) under its URL, and the Node
// server sends it again to the next GETs of that URL while the route's `current()` holds, doing
// per request only what is per request: the request id, the 304 on a matching `If-None-Match`,
// the access-log line, the metrics and the cache-hit count. The answer is compressed once when
// it is kept (answer-coding.ts), and a caller that accepts Brotli or gzip gets those bytes. A
// request that is traced (the sampler admits it), carries credentials or a body, or finds no
// current answer goes through the app as always. The app turns replay off where a request must pass a check first: a rate
// limit (its headers count each request) or the origin secret.

/** What a replayed request is reported to, as the middleware would. */
export interface ReplayReporting {
  readonly log: AccessLog;
  observe(method: string, route: string, status: number, seconds: number): void;
  /** The cache answered (the cache adapter counts its hits; a replay skips the adapter). */
  cacheHit(): void;
}

/** One representation of an answer: its bytes as they are, or in one coding. */
interface Representation {
  readonly bytes: Uint8Array<ArrayBuffer>;
  /** Flat name, value list for a 200 and for a 304 (no content-type), without the request id. */
  readonly ok: readonly string[];
  readonly notModified: readonly string[];
}

interface Answer extends Representation {
  /** The matched route pattern, for the log and the metrics. */
  readonly route: string;
  readonly etag: string;
  readonly current: () => boolean;
  /** The answer with its body compressed, best coding first (none for a small body). */
  readonly coded: readonly (Representation & { readonly coding: Coding })[];
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
  // Set per representation (answer-coding.ts).
  'content-encoding',
  'etag',
  'vary',
]);

/** How many URLs' answers are kept (the oldest goes first). */
const CAPACITY = 1000;

export class AnswerReplay {
  private readonly answers = new Map<string, Answer>();

  constructor(readonly reporting: ReplayReporting) {}

  /**
   * Keeps a route's answer for `url` (path and query, as the request line had them), from a 200
   * or a 304 of it: the headers are the same but for the body's. `headers` are the answer's
   * before any coding; `encoded`, its body in each coding worth sending.
   */
  remember(
    url: string,
    route: string,
    replayable: Replayable,
    headers: Headers,
    encoded: readonly Encoded[],
  ): void {
    const kept = this.answers.get(url);
    if (kept?.etag === replayable.etag && kept.current()) return;
    const shared: string[] = [];
    for (const [name, value] of headers) {
      // A cookie or a rate-limit count is for one caller: such an answer is not replayed.
      if (name === 'set-cookie' || name.startsWith('ratelimit') || name === 'retry-after') return;
      if (PER_REQUEST.has(name) || name === 'content-type') continue;
      shared.push(name, value);
    }
    const vary = encoded.length > 0 ? varyOnEncoding(headers.get('vary')) : headers.get('vary');
    const representation = (
      bytes: Uint8Array<ArrayBuffer>,
      etag: string,
      coding: Coding | undefined,
    ): Representation => {
      const common = [...shared, 'etag', etag, ...(vary ? ['vary', vary] : []), 'x-cache', 'hit'];
      const ok = [...common, 'content-type', replayable.contentType];
      if (coding) ok.push('content-encoding', coding);
      ok.push('content-length', String(bytes.byteLength));
      return { bytes, ok, notModified: common };
    };
    const coded = encoded.map(({ bytes, coding }) => ({
      coding,
      ...representation(bytes, weakened(replayable.etag), coding),
    }));
    this.answers.delete(url);
    if (this.answers.size >= CAPACITY) {
      const oldest = this.answers.keys().next().value;
      if (oldest !== undefined) this.answers.delete(oldest);
    }
    this.answers.set(url, {
      route,
      etag: replayable.etag,
      current: replayable.current,
      coded,
      ...representation(replayable.bytes, replayable.etag, undefined),
    });
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
    const chosen = chooseCoding(headers['accept-encoding'], answer.coded) ?? answer;
    response.writeHead(status, [
      ...(notModified ? chosen.notModified : chosen.ok),
      'x-request-id',
      requestId,
    ]);
    response.end(notModified ? undefined : chosen.bytes);
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
 * line (when `replay` is given), and sends its body compressed to a caller that accepts that.
 */
export function rememberAnswers(replay: AnswerReplay | undefined): MiddlewareHandler {
  const codings = new AnswerCodings();
  return async (c, next) => {
    await next();
    const replayable = (c.var as { [REPLAYABLE]?: Replayable })[REPLAYABLE];
    const { status } = c.res;
    if (!replayable || c.req.method !== 'GET' || (status !== 200 && status !== 304)) return;
    const encoded = codings.of(replayable);
    const url = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.url;
    if (replay && url !== undefined && replayable.current())
      replay.remember(url, routePath(c), replayable, c.res.headers, encoded);
    if (encoded.length === 0) return;
    // Hono copies the old answer's headers onto the new one: they are changed in place first.
    const { headers } = c.res;
    headers.set('vary', varyOnEncoding(headers.get('vary')));
    const coding = chooseCoding(c.req.header('accept-encoding'), encoded);
    if (coding) {
      headers.set('etag', weakened(replayable.etag));
      if (status === 200) {
        headers.set('content-encoding', coding.coding);
        headers.set('content-length', String(coding.bytes.byteLength));
      }
    }
    const body = status === 200 ? (coding?.bytes ?? replayable.bytes) : null;
    c.res = new Response(body, { status, headers });
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
