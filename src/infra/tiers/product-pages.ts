import { join } from 'node:path';
import type { Stack } from 'aws-cdk-lib';
import { ProductPagesEdge } from '../constructs/product-pages-edge.js';
import type { Site } from '../constructs/site.js';

export interface ProductPagesTierOptions {
  /** Repository root: where the edge handler's entry and web/dist are found. */
  readonly root: string;
  readonly tableName: string;
  /** Regions that hold a replica of the table now, the primary first. */
  readonly tableRegions: readonly string[];
  /** The site's own origin (`https://shop.example.com`), when it has a domain. */
  readonly siteOrigin: string | undefined;
}

/**
 * Product pages that crawlers and link previews can read (enterprise): the Lambda@Edge renderer
 * on a `/products/*` behavior of the site's distribution, in front of the same web origin and
 * with the same security headers as the UI's default behavior. Added under the stack with id
 * `ProductPages`, so nothing that existed before changes its logical id.
 */
export function productPagesTier(
  stack: Stack,
  site: Site,
  options: ProductPagesTierOptions,
): ProductPagesEdge {
  const pages = new ProductPagesEdge(stack, 'ProductPages', {
    entry: join(options.root, 'src', 'entry', 'edge-product-page.ts'),
    tableName: options.tableName,
    tableRegions: options.tableRegions,
    webDist: join(options.root, 'web', 'dist'),
    siteOrigin: options.siteOrigin,
  });
  pages.addTo(site.distribution, site.webOrigin, site.webHeaders);
  return pages;
}
