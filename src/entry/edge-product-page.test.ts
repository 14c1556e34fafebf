import { randomUUID } from 'node:crypto';
import type { CloudFrontRequest, CloudFrontRequestEvent, CloudFrontResultResponse } from 'aws-lambda';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { readPageHead } from '../../test/support/page-head.js';
import { CRAWLER_HEADER } from '../contracts/crawlers.js';
import type { EdgeProductPageSettings } from '../contracts/edge-settings.js';
import type { ProductRecord } from '../contracts/ports.js';
import { createDocumentClient, createDynamoDbClient } from '../platform/adapters/dynamodb-client.js';
import { createStorefrontService } from '../platform/adapters/dynamodb-entities.js';
import { DynamoDbProductRepository } from '../platform/adapters/dynamodb-products.js';
import { ensureTable } from '../platform/adapters/dynamodb-table-setup.js';
import {
  createEdgeProductPageHandler,
  dynamoDbProductReader,
  handler,
  type ProductReader,
  tableRegionFor,
} from './edge-product-page.js';

const SHELL =
  '<!doctype html><html><head><title>Growstack</title><script type="module" src="/assets/index-CPALGdV2.js"></script></head><body><div id="root"></div></body></html>';
const ID = '01J9ZK3V8QW5Y7N2B4C6D8E0FG';

const settings: EdgeProductPageSettings = {
  tableName: 'growstack',
  tableRegions: ['us-east-1', 'eu-west-1', 'ap-northeast-1'],
  nearestTableRegion: { 'eu-central-1': 'eu-west-1', 'ap-south-1': 'ap-northeast-1' },
  shell: SHELL,
  siteOrigin: 'https://shop.example.com',
};

const lamp: ProductRecord = {
  id: ID,
  name: 'Walnut desk lamp',
  description: 'A warm light for late work.',
  category: 'home',
  priceCents: 4905,
  currency: 'EUR',
  stock: 0,
  imageUrl: '/images/products/home.svg',
  createdAt: '2026-01-02T03:04:05.000Z',
  updatedAt: '2026-01-02T03:04:05.000Z',
};

/** An origin-request event as CloudFront sends it for an S3 origin with Origin Access Control. */
function originRequest(uri: string, headers: Record<string, string>): CloudFrontRequestEvent {
  const request: CloudFrontRequest = {
    clientIp: '203.0.113.178',
    method: 'GET',
    uri,
    querystring: 'utm_source=chat',
    headers: {
      host: [{ key: 'Host', value: 'growstack-site-bucket.s3.us-east-1.amazonaws.com' }],
      ...Object.fromEntries(
        Object.entries(headers).map(([name, value]) => [name.toLowerCase(), [{ key: name, value }]]),
      ),
    },
    origin: {
      s3: {
        authMethod: 'origin-access-identity',
        region: 'us-east-1',
        customHeaders: {},
        domainName: 'growstack-site-bucket.s3.us-east-1.amazonaws.com',
        path: '',
      },
    },
  };
  return {
    Records: [
      {
        cf: {
          config: {
            distributionDomainName: 'd111111abcdef8.cloudfront.net',
            distributionId: 'EDFDVBD6EXAMPLE',
            eventType: 'origin-request',
            requestId: '4TyzHTaYWb1GX1qTfsHhEqV6HUDd_BzoBZnwfnvQc_1oF26ClkoUSEQ==',
          },
          request,
        },
      },
    ],
  };
}

const crawler = (uri = `/products/${ID}`) =>
  originRequest(uri, { 'User-Agent': 'Amazon CloudFront', [CRAWLER_HEADER]: '1' });

/** A reader that records the regions it was asked in. */
function fakeReader(answer: () => Promise<ProductRecord | null>): ProductReader & { regions: string[] } {
  const regions: string[] = [];
  const read = Object.assign(
    async (_id: string, region: string) => {
      regions.push(region);
      return answer();
    },
    { regions },
  );
  return read;
}

const asResponse = (result: unknown) => result as CloudFrontResultResponse;

describe('the product pages edge function', () => {
  it("answers a marked request for a known product with the product's tags, from the nearest replica", async () => {
    const read = fakeReader(async () => lamp);
    const edge = createEdgeProductPageHandler({ settings, readProduct: read, region: 'eu-central-1' });
    const response = asResponse(await edge(crawler()));
    expect(response.status).toBe('200');
    expect(response.headers?.['content-type']?.[0]?.value).toBe('text/html; charset=utf-8');
    expect(response.headers?.['cache-control']?.[0]?.value).toBe('no-cache, s-maxage=300');
    const head = readPageHead(response.body ?? '');
    expect(head.meta['og:title']).toBe('Walnut desk lamp');
    expect(head.meta['og:url']).toBe(`https://shop.example.com/products/${ID}`);
    expect(head.jsonLd[0]).toMatchObject({
      '@type': 'Product',
      offers: { price: '49.05', priceCurrency: 'EUR', availability: 'https://schema.org/OutOfStock' },
    });
    expect(read.regions).toEqual(['eu-west-1']);
  });

  it('passes an unmarked request to the origin untouched, without reading the table', async () => {
    const read = fakeReader(async () => lamp);
    const edge = createEdgeProductPageHandler({ settings, readProduct: read, region: 'us-east-1' });
    const event = originRequest('/index.html', { 'User-Agent': 'Amazon CloudFront' });
    const before = structuredClone(event.Records[0]!.cf.request);
    expect(await edge(event)).toEqual(before);
    expect(read.regions).toEqual([]);
  });

  it('passes a marked request for anything but a product page to the origin', async () => {
    const read = fakeReader(async () => lamp);
    const edge = createEdgeProductPageHandler({ settings, readProduct: read, region: 'us-east-1' });
    const event = crawler('/products/');
    expect(await edge(event)).toBe(event.Records[0]!.cf.request);
    expect(read.regions).toEqual([]);
  });

  it('answers an unknown product with the plain shell and a 404, cached a minute', async () => {
    const edge = createEdgeProductPageHandler({
      settings,
      readProduct: fakeReader(async () => null),
      region: 'us-east-1',
    });
    const response = asResponse(await edge(crawler()));
    expect(response).toMatchObject({ status: '404', body: SHELL });
    expect(response.headers?.['cache-control']?.[0]?.value).toBe('no-cache, s-maxage=60');
  });

  it('answers with the plain shell and a 200 when the table errs', async () => {
    const edge = createEdgeProductPageHandler({
      settings,
      readProduct: fakeReader(async () => {
        throw Object.assign(new Error('connect ETIMEDOUT'), { name: 'TimeoutError' });
      }),
      region: 'us-east-1',
    });
    const response = asResponse(await edge(crawler()));
    expect(response).toMatchObject({ status: '200', body: SHELL });
    expect(response.headers?.['cache-control']?.[0]?.value).toBe('no-cache, s-maxage=10');
  });

  it('answers with the plain shell when the table is slower than the timeout', async () => {
    const edge = createEdgeProductPageHandler({
      settings,
      readProduct: fakeReader(() => new Promise((resolve) => setTimeout(() => resolve(lamp), 2_000))),
      region: 'us-east-1',
      timeoutMs: 50,
    });
    const started = performance.now();
    const response = asResponse(await edge(crawler()));
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(response).toMatchObject({ status: '200', body: SHELL });
  });

  it("names the distribution's domain in the page's URL when the site has no domain of its own", async () => {
    const edge = createEdgeProductPageHandler({
      settings: { ...settings, siteOrigin: undefined },
      readProduct: fakeReader(async () => lamp),
      region: 'us-east-1',
    });
    const head = readPageHead(asResponse(await edge(crawler())).body ?? '');
    expect(head.meta['og:url']).toBe(`https://d111111abcdef8.cloudfront.net/products/${ID}`);
  });

  it('reads from the primary replica in an edge region the map does not name', () => {
    expect(tableRegionFor(settings, 'me-south-1')).toBe('us-east-1');
    expect(tableRegionFor(settings, undefined)).toBe('us-east-1');
    expect(tableRegionFor(settings, 'ap-south-1')).toBe('ap-northeast-1');
  });

  it('lets every request through when run unbundled, with no settings to render with', async () => {
    const event = crawler();
    expect(await handler(event)).toBe(event.Records[0]!.cf.request);
  });
});

describe('the product pages edge function against DynamoDB Local', () => {
  const endpoint = inject('dynamodbEndpoint');
  const tableName = `edge-pages-${randomUUID()}`;

  beforeAll(async () => {
    const client = createDynamoDbClient({ region: 'us-east-1', endpoint });
    await ensureTable(client, tableName);
    const service = createStorefrontService(createDocumentClient(client), tableName);
    await new DynamoDbProductRepository(service).create({ ...lamp, stock: 4 });
  });

  it('reads the product with GetItem and renders it; an unknown id is a 404', async () => {
    const edge = createEdgeProductPageHandler({
      settings: { ...settings, tableName },
      readProduct: dynamoDbProductReader(tableName, endpoint),
      region: 'us-east-1',
    });
    const found = asResponse(await edge(crawler()));
    expect(found.status).toBe('200');
    expect(readPageHead(found.body ?? '').jsonLd[0]).toMatchObject({
      name: 'Walnut desk lamp',
      offers: { availability: 'https://schema.org/InStock' },
    });
    const unknown = asResponse(await edge(crawler('/products/01J9ZK3V8QW5Y7N2B4C6D8E0ZZ')));
    expect(unknown.status).toBe('404');
  });

  it('serves the plain shell when the replica does not answer', async () => {
    const edge = createEdgeProductPageHandler({
      settings: { ...settings, tableName },
      // Nothing listens on port 9 (discard) here: the connection is refused at once.
      readProduct: dynamoDbProductReader(tableName, 'http://127.0.0.1:9'),
      region: 'us-east-1',
    });
    expect(asResponse(await edge(crawler()))).toMatchObject({ status: '200', body: SHELL });
  });
});
