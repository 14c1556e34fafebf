import { HOURS_PER_MONTH, type StageMonth, type UsagePart } from './context.js';

/** Where the product pages' renderer sits (src/infra/constructs/product-pages-edge.ts). */
const PRODUCT_PAGES_PATH = '/products/*';
/** The product pages' cache policy keeps a page at most 5 minutes. */
const PAGE_TTL_MINUTES = 5;
/**
 * CloudFront's regional edge caches, where origin-request functions run: a page that misses
 * there reaches the function (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/HowCloudFrontWorks.html).
 */
const REGIONAL_EDGE_CACHES = 13;
/** An unmarked request is handed back untouched: the shortest billed duration. */
const PASS_THROUGH_MS = 1;

const count = (value: number) => Math.round(value).toLocaleString('en-US');

/**
 * Lambda@Edge, for the requests that reach it. The product pages' renderer runs on origin
 * request, so only what misses the edge cache reaches it: crawlers' and link previews' product
 * pages (the profile's crawler requests per user, less its crawler cache hit ratio), and people's
 * app shell on /products/* when it expires, at most once per regional edge cache per TTL.
 * A function on any other trigger is taken to run on each page load (two per session).
 */
export function edgeParts({ inventory, traffic, profile }: StageMonth): UsagePart[] {
  return inventory.edgeFunctions.map((fn) => {
    if (fn.eventType !== 'origin-request' || fn.pathPattern !== PRODUCT_PAGES_PATH) {
      const requests = Math.round(traffic.sessions * 2);
      return {
        service: 'lambdaedge',
        usage: { requests, durationMs: 5, memoryMb: fn.memoryMb },
        assumption: `Lambda@Edge on ${fn.eventType} of ${fn.pathPattern}: taken to run on each page load (${count(requests)} requests, 5 ms)`,
      };
    }
    const crawlerRequests = profile.users * profile.crawlerRequestsPerUser;
    const renders = crawlerRequests * (1 - profile.crawlerCacheHitRatio);
    const shellRefreshes = Math.min(
      traffic.sessions,
      REGIONAL_EDGE_CACHES * (60 / PAGE_TTL_MINUTES) * HOURS_PER_MONTH,
    );
    const requests = renders + shellRefreshes;
    const durationMs =
      requests === 0 ? 0 : (renders * profile.edgeRenderMs + shellRefreshes * PASS_THROUGH_MS) / requests;
    return {
      service: 'lambdaedge',
      usage: { requests: Math.round(requests), durationMs, memoryMb: fn.memoryMb },
      assumption:
        `Lambda@Edge renders the product pages of crawlers and link previews that miss the edge cache: ` +
        `${count(crawlerRequests)} crawler requests (crawlerRequestsPerUser ${profile.crawlerRequestsPerUser}), ` +
        `${Math.round(profile.crawlerCacheHitRatio * 100)} % from the cache (crawlerCacheHitRatio), ` +
        `${count(renders)} renders of ${profile.edgeRenderMs} ms (edgeRenderMs) at ${fn.memoryMb} MB; ` +
        `people's requests reach it only when the app shell expires (${count(shellRefreshes)} pass-throughs of ${PASS_THROUGH_MS} ms)`,
    };
  });
}
