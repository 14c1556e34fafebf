/**
 * Crawlers and link-preview agents: they run no JavaScript, so the product pages give them the
 * product's tags in the HTML. The CloudFront Function (src/infra/edge/spa-routing.js, plain
 * JavaScript that cannot import) holds the same pattern; its test checks the two agree.
 */
export const CRAWLER_USER_AGENTS =
  /googlebot|google-inspectiontool|bingbot|slurp|duckduckbot|baiduspider|yandex|applebot|twitterbot|facebookexternalhit|facebookcatalog|meta-externalagent|linkedinbot|slackbot|slack-imgproxy|discordbot|whatsapp|telegrambot|pinterest|redditbot|embedly|skypeuripreview|vkshare|quora link preview|iframely|mastodon|bluesky|petalbot|seznambot|ia_archiver/i;

/** The request header the edge sets on a crawler's request; part of the product pages' cache key. */
export const CRAWLER_HEADER = 'x-growstack-crawler';

/** True when a User-Agent names a crawler or a link-preview agent. */
export function isCrawler(userAgent: string | undefined): boolean {
  return userAgent !== undefined && CRAWLER_USER_AGENTS.test(userAgent);
}
