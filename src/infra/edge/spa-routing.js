// CloudFront Function (cloudfront-js-2.0), viewer request of the web UI (the default behavior):
// the single-page app routes in the browser, so a path that names no file (`/`, `/ops`,
// `/products/01J...`) is answered with the app shell; a file (`/assets/index-1a2b.js`,
// `/favicon.svg`) keeps its path, and a missing one stays a 403/404. Nothing else rewrites
// responses: the API under /api/* has its own behaviors, so its errors reach the client as sent.
// Kept as plain JavaScript: CloudFront runs this file as it is, and the tests run the same file.
//
// Where product pages are rendered at the edge (the enterprise stage), the product pages'
// behavior runs this file with MARK_CRAWLERS set to true (src/infra/edge/spa-routing-code.ts):
// a crawler's or link-preview agent's request keeps its product path and carries CRAWLER_HEADER,
// which is in that behavior's cache key, so people and crawlers never share a cached page.
// The pattern is src/contracts/crawlers.ts's CRAWLER_USER_AGENTS; the tests check they agree.
var APP_SHELL = '/index.html';
var MARK_CRAWLERS = false;
var CRAWLER_HEADER = 'x-growstack-crawler';
var CRAWLER_USER_AGENTS =
  /googlebot|google-inspectiontool|bingbot|slurp|duckduckbot|baiduspider|yandex|applebot|twitterbot|facebookexternalhit|facebookcatalog|meta-externalagent|linkedinbot|slackbot|slack-imgproxy|discordbot|whatsapp|telegrambot|pinterest|redditbot|embedly|skypeuripreview|vkshare|quora link preview|iframely|mastodon|bluesky|petalbot|seznambot|ia_archiver/i;
var PRODUCT_PAGE = /^\/products\/[^/]+\/?$/;

/** True when the last path segment has no extension, e.g. `/products/42` but not `/app.js`. */
function isAppRoute(uri) {
  var last = uri.substring(uri.lastIndexOf('/') + 1);
  return last.indexOf('.') === -1;
}

/** True when the request's User-Agent names a crawler or a link-preview agent. */
function fromCrawler(request) {
  var agent = request.headers['user-agent'];
  return agent !== undefined && CRAWLER_USER_AGENTS.test(agent.value);
}

// biome-ignore lint/correctness/noUnusedVariables: CloudFront calls `handler` by name
function handler(event) {
  var request = event.request;
  if (MARK_CRAWLERS) {
    // Only this function sets the mark: a viewer's own copy would split the cache for nothing.
    delete request.headers[CRAWLER_HEADER];
    if (PRODUCT_PAGE.test(request.uri) && fromCrawler(request)) {
      request.headers[CRAWLER_HEADER] = { value: '1' };
      return request;
    }
  }
  if (isAppRoute(request.uri)) request.uri = APP_SHELL;
  return request;
}
