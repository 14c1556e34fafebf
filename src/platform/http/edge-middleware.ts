import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { MiddlewareHandler } from 'hono';
// The `requestId` context variable's type (hono/request-id declares it).
import type {} from 'hono/request-id';
import { routePath } from 'hono/route';
import { secureHeaders } from 'hono/secure-headers';
import { API_SECURITY_HEADERS } from '../../contracts/security-headers.js';
import { requestContext, traceOf } from '../request-context.js';
import {
  activeSpan,
  admitRequest,
  TRACE_HEADER,
  traceRequest,
  tracingRegistered,
  xrayTraceId,
} from '../tracing.js';
import type { AccessLog } from './access-log.js';

// The per-request middleware every answer passes through, one function each so the bench
// (bench/middleware-cost.ts) can weigh each alone: a cached read should cost little more than
// writing its bytes, so each of these must stay cheap.

/**
 * The request id of a request: the caller's `x-request-id` when well formed (hono/request-id's
 * rule: at most 255 characters of letters, digits, `_`, `-` and `=`), else a fresh UUID. Shared
 * by the middleware below and the edge's replay of cached answers (answer-replay.ts).
 */
export function requestIdOf(header: string | undefined): string {
  return header && header.length <= 255 && !/[^\w\-=]/.test(header) ? header : randomUUID();
}

/** Requests already admitted to tracing, by the edge's replay or by the middleware below. */
const admitted = new WeakSet<IncomingMessage>();

/**
 * Whether a request is traced: one sampling decision per request, whichever of the edge's replay
 * (answer-replay.ts) and the trace middleware asks first. Asked twice, a reservoir sampler would
 * spend two of its slots on one request and could refuse the second time.
 */
export function tracesRequest(header: string | undefined, incoming?: IncomingMessage): boolean {
  if (incoming && admitted.has(incoming)) return true;
  const traced = tracingRegistered() && admitRequest(header);
  if (traced && incoming) admitted.add(incoming);
  return traced;
}

/** `x-request-id`: the caller's when well formed, else a fresh UUID; echoed on the answer. */
export function requestIds(): MiddlewareHandler {
  return async (c, next) => {
    const id = requestIdOf(c.req.header('x-request-id'));
    c.set('requestId', id);
    c.header('X-Request-Id', id);
    await next();
  };
}

/**
 * Every log line of the request carries its trace id: the span's where this process traces
 * (the container, `npm start`), else the one the load balancer or Lambda handed in.
 */
export function requestTrace(): MiddlewareHandler {
  return (c, next) => {
    const header = c.req.header(TRACE_HEADER);
    if (!tracesRequest(header, (c.env as { incoming?: IncomingMessage } | undefined)?.incoming))
      return requestContext.run({ requestId: c.var.requestId, ...traceOf(header) }, next);
    return traceRequest(
      c.req,
      () => {
        const span = activeSpan();
        const trace = span ? { traceId: xrayTraceId(span.spanContext().traceId) } : traceOf(header);
        return requestContext.run({ requestId: c.var.requestId, ...trace }, next);
      },
      () => ({ route: routePath(c), status: c.res.status }),
    );
  };
}

/**
 * Security headers: the API's set on /api answers (src/contracts/security-headers.ts; a header
 * the route set itself, as /api/docs sets its CSP, is kept), Hono's full browser set elsewhere
 * (the web UI's pages and files), with resources readable by this origin only.
 */
export function securityHeaders(): MiddlewareHandler {
  const pages = secureHeaders({ crossOriginResourcePolicy: 'same-origin' });
  return async (c, next) => {
    if (!c.req.path.startsWith('/api/')) return pages(c, next);
    await next();
    const { headers } = c.res;
    for (const [name, value] of API_SECURITY_HEADERS) if (!headers.has(name)) headers.set(name, value);
  };
}

/** One access-log line per request, after the answer is made (see access-log.ts). */
export function accessLog(log: AccessLog): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    await next();
    log.write({
      requestId: c.var.requestId,
      traceId: requestContext.getStore()?.traceId,
      method: c.req.method,
      path: c.req.path,
      // The matched pattern (/api/products/:id), for Logs Insights to group by.
      route: routePath(c),
      status: c.res.status,
      ms: Math.round(performance.now() - started),
    });
  };
}
