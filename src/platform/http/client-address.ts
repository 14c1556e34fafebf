import { timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { ForbiddenError } from '../../contracts/errors.js';
import { ORIGIN_VERIFY_HEADER } from '../../contracts/origin-verify-header.js';

/** Paths a load balancer, Kubernetes or Route 53's health checkers poll without the header. */
const HEALTH_PATHS = new Set(['/api/health', '/api/health/live']);

export interface EdgeTrustOptions {
  /**
   * Proxies that append to X-Forwarded-For in front of the app, CloudFront included (CloudFront
   * then the ALB or API Gateway: 2). The client is the address that many hops from the right: the
   * one CloudFront appended, which is the address its viewer connected from. 0 trusts no header.
   */
  readonly trustedProxies: number;
  /**
   * The secret CloudFront sends in `x-origin-verify`. When set, X-Forwarded-For is believed only
   * on requests that carry it: anything else may have written its own hops.
   */
  readonly originSecret?: string | undefined;
  /** Refuse /api requests without the secret with a 403 problem (health checks excepted). */
  readonly requireOrigin?: boolean | undefined;
}

/**
 * Each request's client address, once the edge middleware worked it out. Keyed by the context,
 * not by `c.req.raw`: the body limit and the UTF-8 check replace the raw request of anything that
 * carries a body, and a POST's client must not turn into the connection's peer on the way in.
 */
const addresses = new WeakMap<Context, string>();

/**
 * The address of the client a request came from: what every per-client key (the rate limiter,
 * login throttling) counts against. Behind CloudFront it is the viewer's address as CloudFront saw
 * it, on a request proven to come from CloudFront; otherwise the connection's peer.
 */
export function clientAddress(c: Context): string {
  return addresses.get(c) ?? peerAddress(c);
}

/** True when the request carries the origin secret (compared in constant time). */
export function fromOrigin(c: Context, secret: string): boolean {
  const sent = Buffer.from(c.req.header(ORIGIN_VERIFY_HEADER) ?? '');
  const expected = Buffer.from(secret);
  return sent.length === expected.length && timingSafeEqual(sent, expected);
}

/**
 * Works out the request's client address (see `clientAddress`) and, when asked to, refuses API
 * requests that did not come through CloudFront: the origin (an ALB, API Gateway's own endpoint)
 * can be found and called directly, which would skip the edge's WAF and its per-client limits.
 */
export function edgeTrust(options: EdgeTrustOptions): MiddlewareHandler {
  return async (c, next) => {
    const verified = options.originSecret ? fromOrigin(c, options.originSecret) : false;
    if (options.requireOrigin && !verified && c.req.path.startsWith('/api') && !HEALTH_PATHS.has(c.req.path))
      throw new ForbiddenError('The API answers requests that come through the storefront’s own site.');
    const trustHops = options.trustedProxies > 0 && (verified || !options.originSecret);
    const forwarded = trustHops ? forwardedClient(c, options.trustedProxies) : undefined;
    addresses.set(c, forwarded ?? peerAddress(c));
    await next();
  };
}

/** The X-Forwarded-For hop `trustedProxies` from the right: what the first trusted proxy saw. */
function forwardedClient(c: Context, trustedProxies: number): string | undefined {
  const hops = (c.req.header('x-forwarded-for') ?? '')
    .split(',')
    .map((hop) => hop.trim())
    .filter(Boolean);
  return hops[hops.length - trustedProxies];
}

/** The connection's peer: the socket (Node server), or API Gateway's view of the caller (Lambda). */
function peerAddress(c: Context): string {
  const env = c.env as
    | {
        incoming?: { socket?: { remoteAddress?: string } };
        event?: { requestContext?: { identity?: { sourceIp?: string } } };
      }
    | undefined;
  return env?.incoming?.socket?.remoteAddress ?? env?.event?.requestContext?.identity?.sourceIp ?? 'unknown';
}
