import { z } from 'zod';
import { ConfigError } from '../../contracts/errors.js';

const share = z.number().min(0).max(1);
const amount = z.number().nonnegative();

/**
 * A month of the storefront's traffic. Everything but `users` has a default, and every default is
 * printed with the plan so it can be questioned and overridden in a profile file.
 */
export const UsageProfileSchema = z.strictObject({
  /** Monthly active users. */
  users: z.number().int().min(1).max(1_000_000_000).default(10_000),
  sessionsPerUser: amount.default(6),
  /** API calls a session makes (catalog pages, product reads, search, cart, events). */
  apiRequestsPerSession: amount.default(15),
  /** Share of API calls that are reads. */
  readShare: share.default(0.9),
  /** Share of reads that are product listings and product pages, which the cache can serve. */
  cacheableReadShare: share.default(0.7),
  /** Share of cacheable reads served from a cache, at stages that have one. */
  cacheHitRatio: share.default(0.8),
  requestKb: amount.default(1),
  responseKb: amount.default(6),
  /** Static files (HTML, scripts, styles, images) a session fetches from CloudFront. */
  webRequestsPerSession: amount.default(8),
  webKbPerSession: amount.default(350),
  /** DynamoDB read request units per API read and write request units per API write. */
  readUnitsPerRead: amount.default(2),
  writeUnitsPerWrite: amount.default(4),
  lambdaDurationMs: amount.default(60),
  /**
   * Share of Lambda invocations that start a new execution environment, and that INIT phase's
   * length: billed as duration since 1 August 2025. `npm run bench` measures the API bundle's
   * cold init (390-720 ms on a 2-core machine).
   */
  lambdaColdStartShare: share.default(0.01),
  lambdaInitMs: amount.default(500),
  storagePerUserKb: amount.default(30),
  /** New sign-ups a month, as a share of monthly active users. */
  signupShare: share.default(0.1),
  emailsPerSignup: amount.default(1),
  ordersPerUser: amount.default(0.3),
  emailsPerOrder: amount.default(1),
  analyticsEventsPerSession: amount.default(6),
  logKbPerRequest: amount.default(1.5),
  /**
   * Product-page requests a month from crawlers and link-preview agents (search engines, chat and
   * social previews), per monthly active user: at 1M users, 500,000, a catalog crawled a few
   * times a week and the links people share. Priced where the edge renders those pages.
   */
  crawlerRequestsPerUser: amount.default(0.5),
  /**
   * Share of crawlers' product-page requests CloudFront answers from its cache: low, as crawlers
   * walk the whole catalog and a page stays 5 minutes in one edge location's cache.
   */
  crawlerCacheHitRatio: share.default(0.2),
  /** Average ms the edge function takes for a page, mostly the read from the nearest replica. */
  edgeRenderMs: amount.default(40),
  /** Peak request rate over the month's average rate. */
  peakToAverage: z.number().min(1).default(3),
  /**
   * Prometheus series each API pod exposes (request histograms by route and status, process and
   * runtime metrics), scraped by the collector every 30 s into Managed Prometheus (enterprise).
   */
  prometheusSeriesPerPod: amount.default(600),
  /** Share of requests traced when tracing is on. */
  traceSampleRate: share.default(0.05),
  /** The business needs the site to stay up through the loss of a whole AWS region. */
  needsMultiRegion: z.boolean().default(false),
  /** Audits ask for SSO-grade auth, WAF and DDoS response (Shield Advanced), and a log store. */
  needsEnterpriseControls: z.boolean().default(false),
});
export type UsageProfile = z.infer<typeof UsageProfileSchema>;

/** The profile's defaults with `users` set, so a plan can print every assumption. */
export function parseProfile(input: unknown, users?: number): UsageProfile {
  const merged = { ...(typeof input === 'object' && input !== null ? input : {}) } as Record<string, unknown>;
  if (users !== undefined) merged.users = users;
  const parsed = UsageProfileSchema.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (issue?.code === 'unrecognized_keys')
      throw new ConfigError(`profile: ${issue.keys.join(', ')}: unknown field`);
    throw new ConfigError(`profile: ${issue?.path.join('.') || 'profile'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

const SECONDS_PER_MONTH = 730 * 3600;

/** The month's volumes a profile implies, the quantities every stage's bill is priced from. */
export interface Traffic {
  readonly sessions: number;
  readonly apiRequests: number;
  readonly reads: number;
  readonly writes: number;
  readonly cacheableReads: number;
  readonly webRequests: number;
  readonly webGb: number;
  readonly apiResponseGb: number;
  readonly storageGb: number;
  readonly signups: number;
  readonly emails: number;
  readonly orders: number;
  readonly analyticsEvents: number;
  readonly logGb: number;
  readonly averageRps: number;
  readonly peakRps: number;
}

/** GB as AWS meters it: 1024³ bytes. */
const kbToGb = (kb: number) => kb / 1024 / 1024;

export function trafficOf(profile: UsageProfile): Traffic {
  const sessions = profile.users * profile.sessionsPerUser;
  const apiRequests = sessions * profile.apiRequestsPerSession;
  const reads = apiRequests * profile.readShare;
  const signups = profile.users * profile.signupShare;
  const orders = profile.users * profile.ordersPerUser;
  const averageRps = apiRequests / SECONDS_PER_MONTH;
  return {
    sessions,
    apiRequests,
    reads,
    writes: apiRequests - reads,
    cacheableReads: reads * profile.cacheableReadShare,
    webRequests: sessions * profile.webRequestsPerSession,
    webGb: kbToGb(sessions * profile.webKbPerSession),
    apiResponseGb: kbToGb(apiRequests * profile.responseKb),
    storageGb: kbToGb(profile.users * profile.storagePerUserKb),
    signups,
    emails: signups * profile.emailsPerSignup + orders * profile.emailsPerOrder,
    orders,
    analyticsEvents: sessions * profile.analyticsEventsPerSession,
    logGb: kbToGb(apiRequests * profile.logKbPerRequest),
    averageRps,
    peakRps: averageRps * profile.peakToAverage,
  };
}

/** Monthly active users that would make `monthlyRequests` API calls under this profile. */
export function usersFromRequests(profile: UsageProfile, monthlyRequests: number): number {
  return Math.round(monthlyRequests / (profile.sessionsPerUser * profile.apiRequestsPerSession));
}

export { SECONDS_PER_MONTH };
