import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { CRAWLER_HEADER, CRAWLER_USER_AGENTS, isCrawler } from '../../contracts/crawlers.js';
import { spaRoutingSource } from './spa-routing-code.js';

interface CloudFrontRequest {
  uri: string;
  method: string;
  querystring: Record<string, { value: string }>;
  headers: Record<string, { value: string }>;
}

const SOURCE = join(import.meta.dirname, 'spa-routing.js');

/** Runs the function file as CloudFront does: a script defining `handler(event)`. */
function edgeHandler(): (event: { request: CloudFrontRequest }) => CloudFrontRequest {
  const sandbox: { handler?: (event: { request: CloudFrontRequest }) => CloudFrontRequest } = {};
  runInNewContext(`${readFileSync(SOURCE, 'utf8')}\nthis.handler = handler;`, sandbox);
  if (!sandbox.handler) throw new Error('no handler in the function file');
  return sandbox.handler;
}

const request = (uri: string): CloudFrontRequest => ({
  uri,
  method: 'GET',
  querystring: { ref: { value: 'mail' } },
  headers: { host: { value: 'shop.example.com' } },
});

describe('the single-page-app routing edge function', () => {
  it.each(['/', '/ops', '/products/01J9ZK3V8Q', '/products/01J9ZK3V8Q/', '/orders', '/login'])(
    'answers the app route %s with the app shell, keeping the query string',
    (uri) => {
      const routed = edgeHandler()({ request: request(uri) });
      expect(routed.uri).toBe('/index.html');
      expect(routed.querystring).toEqual({ ref: { value: 'mail' } });
      expect(routed.headers.host).toEqual({ value: 'shop.example.com' });
    },
  );

  it.each(['/assets/index-CPALGdV2.js', '/assets/index-BO-KJ4mk.css', '/favicon.svg', '/index.html'])(
    'leaves the file %s where it is',
    (uri) => {
      expect(edgeHandler()({ request: request(uri) }).uri).toBe(uri);
    },
  );

  it('fits CloudFront Functions: under 10 KB, ES5-style source without imports', () => {
    const source = readFileSync(SOURCE, 'utf8');
    expect(Buffer.byteLength(source)).toBeLessThan(10 * 1024);
    expect(source).not.toMatch(/\bimport\b|\brequire\(|\blet\b|\bconst\b|=>/);
  });
});

describe('crawler marking on the product pages behavior', () => {
  const marking = (): ((event: { request: CloudFrontRequest }) => CloudFrontRequest) => {
    const sandbox: { handler?: (event: { request: CloudFrontRequest }) => CloudFrontRequest } = {};
    runInNewContext(`${spaRoutingSource({ markCrawlers: true })}\nthis.handler = handler;`, sandbox);
    if (!sandbox.handler) throw new Error('no handler in the function source');
    return sandbox.handler;
  };
  const from = (uri: string, agent: string | undefined): CloudFrontRequest => {
    const base = request(uri);
    return agent === undefined
      ? base
      : { ...base, headers: { ...base.headers, 'user-agent': { value: agent } } };
  };

  it.each([
    'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
    'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
    'Twitterbot/1.0',
    'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)',
    'LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)',
    'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)',
    'Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)',
    'WhatsApp/2.23.20.0',
    'TelegramBot (like TwitterBot)',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.1.1 Safari/605.1.15 (Applebot/0.1)',
    'DuckDuckBot/1.1; (+http://duckduckgo.com/duckduckbot.html)',
    'Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)',
    'Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)',
    'Pinterest/0.2 (+https://www.pinterest.com/bot.html)',
    'Mozilla/5.0 (compatible; redditbot/1.0; +http://www.reddit.com/feedback)',
    'Mozilla/5.0 (compatible; Embedly/0.2; +http://support.embed.ly/)',
  ])('marks %s and keeps the product path for the edge function', (agent) => {
    const routed = marking()({ request: from('/products/01J9ZK3V8Q', agent) });
    expect(routed.headers[CRAWLER_HEADER]).toEqual({ value: '1' });
    expect(routed.uri).toBe('/products/01J9ZK3V8Q');
    expect(isCrawler(agent)).toBe(true);
  });

  it.each([
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
    'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
    'curl/8.5.0',
    undefined,
  ])('leaves %s unmarked and answers it with the app shell', (agent) => {
    const routed = marking()({ request: from('/products/01J9ZK3V8Q', agent) });
    expect(routed.headers[CRAWLER_HEADER]).toBeUndefined();
    expect(routed.uri).toBe('/index.html');
    expect(isCrawler(agent)).toBe(false);
  });

  it("drops a viewer's own mark, so a person cannot split the cache or ask for the crawlers' page", () => {
    const forged = from('/products/01J9ZK3V8Q', 'Mozilla/5.0 Firefox/133.0');
    forged.headers[CRAWLER_HEADER] = { value: 'anything' };
    const routed = marking()({ request: forged });
    expect(routed.headers[CRAWLER_HEADER]).toBeUndefined();
    expect(routed.uri).toBe('/index.html');
  });

  it('marks only product pages: a crawler on another route or file is routed as before', () => {
    const home = marking()({ request: from('/', 'Twitterbot/1.0') });
    expect(home.uri).toBe('/index.html');
    expect(home.headers[CRAWLER_HEADER]).toBeUndefined();
    const asset = marking()({ request: from('/favicon.svg', 'Twitterbot/1.0') });
    expect(asset.uri).toBe('/favicon.svg');
  });

  it('marks nobody where the file runs as it is (every stage without edge-rendered pages)', () => {
    const routed = edgeHandler()({ request: from('/products/01J9ZK3V8Q', 'Twitterbot/1.0') });
    expect(routed.headers[CRAWLER_HEADER]).toBeUndefined();
    expect(routed.uri).toBe('/index.html');
  });

  it("holds the same crawler pattern as the app's, and still fits CloudFront Functions when switched on", () => {
    const source = spaRoutingSource({ markCrawlers: true });
    expect(source).toContain('var MARK_CRAWLERS = true;');
    expect(source).toContain(`var CRAWLER_HEADER = '${CRAWLER_HEADER}';`);
    expect(source).toContain(`var CRAWLER_USER_AGENTS =\n  ${CRAWLER_USER_AGENTS.toString()};`);
    expect(Buffer.byteLength(source)).toBeLessThan(10 * 1024);
  });
});
