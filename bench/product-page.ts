import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { CloudFrontRequestEvent } from 'aws-lambda';
import { build } from 'esbuild';
import { renderProductPage } from '../src/app/catalog/product-page.js';
import { CRAWLER_HEADER } from '../src/contracts/crawlers.js';
import type { EdgeProductPageSettings } from '../src/contracts/edge-settings.js';
import type { ProductRecord } from '../src/contracts/ports.js';
import { createEdgeProductPageHandler } from '../src/entry/edge-product-page.js';
import { LAMBDA_BUNDLING } from '../src/infra/lambda-bundling.js';

export interface ProductPageResult {
  readonly name: string;
  readonly requests: number;
  readonly meanUs: number;
  readonly p50Us: number;
  readonly p99Us: number;
}

export interface EdgeBundleResult {
  readonly bundleBytes: number;
  readonly gzipBytes: number;
  /** Whether any OpenTelemetry code was bundled: the edge function traces nothing. */
  readonly openTelemetry: boolean;
}

const ROOT = join(import.meta.dirname, '..');

/** The built shell when there is one (its real size), else one of the same shape. */
function shell(): string {
  try {
    return readFileSync(join(ROOT, 'web', 'dist', 'index.html'), 'utf8');
  } catch {
    return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="description" content="Growstack storefront" />
    <title>Growstack</title>
    <link rel="icon" href="/favicon.svg" />
    <script type="module" crossorigin src="/assets/index-CPALGdV2.js"></script>
    <link rel="stylesheet" crossorigin href="/assets/index-B3kT9xQe.css">
  </head>
  <body><div id="root"></div></body>
</html>`;
  }
}

const product: ProductRecord = {
  id: '01J9ZK3V8QW5Y7N2B4C6D8E0FG',
  name: 'Walnut desk lamp <"Nordic"> & shade',
  description:
    'A warm light for late work, turned from one piece of walnut, with a linen shade and a braided cable. '.repeat(
      3,
    ),
  category: 'home',
  priceCents: 4905,
  currency: 'EUR',
  stock: 3,
  imageUrl: '/images/products/home.svg',
  createdAt: '2026-01-02T03:04:05.000Z',
  updatedAt: '2026-01-02T03:04:05.000Z',
};

/** Times `run` in batches of 100 (a single render is below the timer's resolution). */
async function time(name: string, batches: number, run: () => unknown): Promise<ProductPageResult> {
  const BATCH = 100;
  for (let warm = 0; warm < 2_000; warm++) await run();
  const perRequest: number[] = [];
  for (let batch = 0; batch < batches; batch++) {
    const started = process.hrtime.bigint();
    for (let index = 0; index < BATCH; index++) await run();
    perRequest.push(Number(process.hrtime.bigint() - started) / 1000 / BATCH);
  }
  perRequest.sort((a, b) => a - b);
  const round = (value: number) => Math.round(value * 100) / 100;
  const at = (share: number) =>
    perRequest[Math.min(perRequest.length - 1, Math.floor(perRequest.length * share))] ?? 0;
  return {
    name,
    requests: batches * BATCH,
    meanUs: round(perRequest.reduce((sum, value) => sum + value, 0) / perRequest.length),
    p50Us: round(at(0.5)),
    p99Us: round(at(0.99)),
  };
}

/**
 * The product page's rendering time per request: the pure renderer, and the whole edge handler
 * on a real-shaped origin-request event with the product already read (the table's round trip
 * is the network's, not the code's: `edgeRenderMs` in the cost model's profile adds it).
 */
export async function productPageBench(batches = Number(process.env.BENCH_PAGE_BATCHES ?? 500)) {
  const html = shell();
  const url = `https://shop.example.com/products/${product.id}`;
  const settings: EdgeProductPageSettings = {
    tableName: 'bench',
    tableRegions: ['us-east-1', 'eu-west-1', 'ap-southeast-1'],
    nearestTableRegion: { 'eu-central-1': 'eu-west-1' },
    shell: html,
    siteOrigin: 'https://shop.example.com',
  };
  const handler = createEdgeProductPageHandler({
    settings,
    readProduct: async () => product,
    region: 'eu-central-1',
  });
  const event = {
    Records: [
      {
        cf: {
          config: {
            distributionDomainName: 'd111111abcdef8.cloudfront.net',
            distributionId: 'EDFDVBD6EXAMPLE',
            eventType: 'origin-request',
            requestId: '4TyzHTaYWb1GX1qTfsHhEqV6HUDd_BzoBZnwfnvQc_1oF26ClkoUSEQ==',
          },
          request: {
            clientIp: '203.0.113.178',
            method: 'GET',
            uri: `/products/${product.id}`,
            querystring: '',
            headers: {
              host: [{ key: 'Host', value: 'growstack-site.s3.us-east-1.amazonaws.com' }],
              [CRAWLER_HEADER]: [{ key: CRAWLER_HEADER, value: '1' }],
            },
          },
        },
      },
    ],
  } as unknown as CloudFrontRequestEvent;
  return [
    await time('renderProductPage (found)', batches, () =>
      renderProductPage(html, { kind: 'found', product }, url),
    ),
    await time('edge handler, marked request (product in hand)', batches, () => handler(event)),
  ];
}

/** The edge function's bundle, built with the construct's esbuild options. */
export async function edgeBundleBench(): Promise<EdgeBundleResult> {
  const result = await build({
    entryPoints: [join(ROOT, 'src', 'entry', 'edge-product-page.ts')],
    bundle: true,
    write: false,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    minify: LAMBDA_BUNDLING.minify,
    external: [...LAMBDA_BUNDLING.external],
    banner: { js: LAMBDA_BUNDLING.banner },
    metafile: true,
    logLevel: 'error',
  });
  const code = result.outputFiles[0]?.contents ?? new Uint8Array();
  return {
    bundleBytes: code.length,
    gzipBytes: gzipSync(code).length,
    openTelemetry: Object.keys(result.metafile.inputs).some((input) => input.includes('@opentelemetry')),
  };
}
