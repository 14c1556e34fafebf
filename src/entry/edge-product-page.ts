import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type {
  CloudFrontHeaders,
  CloudFrontRequestEvent,
  CloudFrontRequestResult,
  CloudFrontResultResponse,
} from 'aws-lambda';
import { type ProductLookup, productIdOf, renderProductPage } from '../app/catalog/product-page.js';
import { CRAWLER_HEADER } from '../contracts/crawlers.js';
import type { EdgeProductPageSettings } from '../contracts/edge-settings.js';
import type { ProductRecord } from '../contracts/ports.js';
import { awsClientConfig } from '../platform/adapters/aws-client-config.js';
// Not dynamodb-client.ts: that one traces its clients, and nothing at the edge is traced.
import { createDocumentClient } from '../platform/adapters/dynamodb-document-client.js';
import { createStorefrontService } from '../platform/adapters/dynamodb-entities.js';
import { DynamoDbProductRepository } from '../platform/adapters/dynamodb-products.js';

/**
 * Lambda@Edge, origin request of the product pages' behavior (enterprise stage). A request the
 * viewer-request function marked as a crawler's gets the rendered product page from here; every
 * other request goes on to the origin untouched, and people get the app as on every stage.
 *
 * Where the shell comes from: it is embedded when the function is bundled, from the same
 * web/dist the same synth deploys to the bucket, so its hashed script names are the ones the
 * bucket serves. Fetching index.html from the origin instead would cost a second round trip per
 * render and need the bucket's Origin Access Control signature inside the function.
 */

/** Reads one product from the table in `region`; null when there is none. */
export type ProductReader = (id: string, region: string) => Promise<ProductRecord | null>;

export interface EdgeProductPageOptions {
  readonly settings: EdgeProductPageSettings;
  readonly readProduct: ProductReader;
  /** The region the function runs in (Lambda sets AWS_REGION at every edge location). */
  readonly region: string | undefined;
  /** How long the table may take before the plain shell is served. @default 1000 ms */
  readonly timeoutMs?: number;
}

/** How long each kind of page may stay in the edge cache, within the cache policy's bounds. */
export const EDGE_PAGE_MAX_AGE = { found: 300, missing: 60, unreachable: 10 } as const;

/** The replica nearest to `region`: from the build-time map, else the primary's. */
export function tableRegionFor(settings: EdgeProductPageSettings, region: string | undefined): string {
  const primary = settings.tableRegions[0] ?? 'us-east-1';
  return (region && settings.nearestTableRegion[region]) || primary;
}

/** The origin-request handler, with its settings and table reads given (tests pass fakes). */
export function createEdgeProductPageHandler(options: EdgeProductPageOptions) {
  const timeoutMs = options.timeoutMs ?? 1000;
  const tableRegion = tableRegionFor(options.settings, options.region);
  return async (event: CloudFrontRequestEvent): Promise<CloudFrontRequestResult> => {
    const record = event.Records[0];
    if (!record) throw new TypeError('An origin-request event carries one record.');
    const { request, config } = record.cf;
    const marked = request.headers[CRAWLER_HEADER]?.[0]?.value === '1';
    const id = marked ? productIdOf(request.uri) : null;
    if (!id) return request;
    const lookup = await lookUp(() => options.readProduct(id, tableRegion), timeoutMs);
    const origin = options.settings.siteOrigin ?? `https://${config.distributionDomainName}`;
    const page = renderProductPage(options.settings.shell, lookup, `${origin}${request.uri}`);
    return pageResponse(page.status, page.html, EDGE_PAGE_MAX_AGE[lookup.kind]);
  };
}

/** The product, or `unreachable` when the table errs or is slower than the timeout. */
async function lookUp(read: () => Promise<ProductRecord | null>, timeoutMs: number): Promise<ProductLookup> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), timeoutMs);
  });
  try {
    const product = await Promise.race([read(), late]);
    if (product === 'late') return { kind: 'unreachable' };
    return product ? { kind: 'found', product } : { kind: 'missing' };
  } catch {
    return { kind: 'unreachable' };
  } finally {
    clearTimeout(timer);
  }
}

function pageResponse(status: 200 | 404, html: string, maxAge: number): CloudFrontResultResponse {
  const headers: CloudFrontHeaders = {
    'content-type': [{ key: 'Content-Type', value: 'text/html; charset=utf-8' }],
    // Browsers revalidate as they do for the shell; the edge keeps the page for `maxAge`.
    'cache-control': [{ key: 'Cache-Control', value: `no-cache, s-maxage=${maxAge}` }],
  };
  return {
    status: String(status),
    statusDescription: status === 200 ? 'OK' : 'Not Found',
    headers,
    body: html,
  };
}

/**
 * Product reads with GetItem (ElectroDB's `get`) against the replica in `region`: one client per
 * region, one attempt with short socket timeouts, so a region that does not answer costs the
 * page its tags, not its delivery.
 */
export function dynamoDbProductReader(tableName: string, endpoint?: string): ProductReader {
  const repositories = new Map<string, DynamoDbProductRepository>();
  return (id, region) => {
    let repository = repositories.get(region);
    if (!repository) {
      const client = new DynamoDBClient({
        ...awsClientConfig({ region, endpoint }),
        maxAttempts: 1,
        requestHandler: { connectionTimeout: 300, requestTimeout: 800 },
      });
      repository = new DynamoDbProductRepository(
        createStorefrontService(createDocumentClient(client), tableName),
      );
      repositories.set(region, repository);
    }
    return repository.get(id);
  };
}

declare const __GROWSTACK_EDGE_SETTINGS__: EdgeProductPageSettings | undefined;

/** The settings the bundle was built with; none outside a bundle (tests build their own). */
function bundledSettings(): EdgeProductPageSettings | undefined {
  return typeof __GROWSTACK_EDGE_SETTINGS__ === 'undefined' ? undefined : __GROWSTACK_EDGE_SETTINGS__;
}

let bundled: ((event: CloudFrontRequestEvent) => Promise<CloudFrontRequestResult>) | undefined;

/** The Lambda@Edge entry point. */
export async function handler(event: CloudFrontRequestEvent): Promise<CloudFrontRequestResult> {
  if (!bundled) {
    const settings = bundledSettings();
    // Unbundled, there is nothing to render with: every request goes on to the origin.
    if (!settings) return event.Records[0]?.cf.request;
    bundled = createEdgeProductPageHandler({
      settings,
      readProduct: dynamoDbProductReader(settings.tableName),
      // The one environment variable Lambda@Edge has: Lambda's own, naming the edge region.
      region: process.env.AWS_REGION,
    });
  }
  return bundled(event);
}
