import type { ProductRecord } from '../../contracts/ports.js';
import { defaultImageUrl } from './product-images.js';

/**
 * The product page that crawlers and link-preview agents read: the single-page app's shell with
 * the product's title, description, Open Graph and Twitter card tags and schema.org `Product`
 * JSON-LD in its head. Pure text in, text out, so the local server and the edge function render
 * the same page from the same code.
 */

/** What the product lookup found: the product, no such product, or no answer from the table. */
export type ProductLookup =
  | { readonly kind: 'found'; readonly product: ProductRecord }
  | { readonly kind: 'missing' }
  | { readonly kind: 'unreachable' };

export interface ProductPage {
  /** 404 for an unknown product; 200 otherwise, a table that did not answer included. */
  readonly status: 200 | 404;
  readonly html: string;
}

/** The path of a product's page in the web app; the id is one path segment. */
export const PRODUCT_PAGE_PATH = /^\/products\/([^/]+)\/?$/;

/** The product id a page path names, or null when the path is no product page. */
export function productIdOf(path: string): string | null {
  const match = PRODUCT_PAGE_PATH.exec(path);
  if (!match?.[1]) return null;
  try {
    const id = decodeURIComponent(match[1]);
    return id.length > 0 && id.length <= 64 ? id : null;
  } catch {
    return null;
  }
}

/** Search result snippets show about this much; a longer meta description is cut there. */
const DESCRIPTION_CHARS = 160;

const SCHEMA_IN_STOCK = 'https://schema.org/InStock';
const SCHEMA_OUT_OF_STOCK = 'https://schema.org/OutOfStock';

/**
 * Renders the page for `pageUrl` (absolute, e.g. `https://shop.example.com/products/01J...`):
 * a found product's tags in the shell; the shell with a 404 for an unknown product; the plain
 * shell with a 200 when the table did not answer, so a preview is at worst the app's own card.
 */
export function renderProductPage(shell: string, lookup: ProductLookup, pageUrl: string): ProductPage {
  if (lookup.kind === 'missing') return { status: 404, html: shell };
  if (lookup.kind === 'unreachable') return { status: 200, html: shell };
  return { status: 200, html: withHead(shell, lookup.product, pageUrl) };
}

/** schema.org `Product` with one `Offer`, as search engines read it for rich results. */
export function productJsonLd(product: ProductRecord, pageUrl: string): Record<string, unknown> {
  return {
    '@context': 'https://schema.org',
    '@type': 'Product',
    '@id': pageUrl,
    name: product.name,
    description: product.description,
    image: imageOf(product, pageUrl),
    sku: product.id,
    category: product.category,
    offers: {
      '@type': 'Offer',
      url: pageUrl,
      price: decimalPrice(product.priceCents),
      priceCurrency: product.currency,
      availability: product.stock > 0 ? SCHEMA_IN_STOCK : SCHEMA_OUT_OF_STOCK,
    },
  };
}

function withHead(shell: string, product: ProductRecord, pageUrl: string): string {
  const title = `${product.name} | Growstack`;
  const description = shorten(product.description || product.name);
  const image = imageOf(product, pageUrl);
  const price = decimalPrice(product.priceCents);
  const tags = [
    meta('name', 'description', description),
    `<link rel="canonical" href="${escapeHtml(pageUrl)}">`,
    meta('property', 'og:type', 'product'),
    meta('property', 'og:site_name', 'Growstack'),
    meta('property', 'og:title', product.name),
    meta('property', 'og:description', description),
    meta('property', 'og:url', pageUrl),
    meta('property', 'og:image', image),
    meta('property', 'product:price:amount', price),
    meta('property', 'product:price:currency', product.currency),
    meta('name', 'twitter:card', 'summary_large_image'),
    meta('name', 'twitter:title', product.name),
    meta('name', 'twitter:description', description),
    meta('name', 'twitter:image', image),
    `<script type="application/ld+json">${jsonForScript(productJsonLd(product, pageUrl))}</script>`,
  ].join('\n    ');
  // The shell's own title and description speak for the whole shop: the product's replace them.
  const bare = shell
    .replace(/<title>[\s\S]*?<\/title>\s*/i, '')
    .replace(/<meta\s+name="description"[^>]*>\s*/i, '');
  const head = `<title>${escapeHtml(title)}</title>\n    ${tags}\n  `;
  const close = bare.search(/<\/head>/i);
  return close === -1 ? `${head}${bare}` : `${bare.slice(0, close)}${head}${bare.slice(close)}`;
}

function meta(attribute: 'name' | 'property', key: string, content: string): string {
  return `<meta ${attribute}="${key}" content="${escapeHtml(content)}">`;
}

/** Text safe in HTML text and in a double- or single-quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ENTITIES[char] ?? char);
}

const HTML_ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * JSON inside a `<script>` element: `<`, `>` and `&` as \u escapes, so no `</script>` or `<!--`
 * in a product's name can end the element, and U+2028/U+2029 escaped for older JavaScript parsers.
 * JSON.parse reads the escapes back as the same characters.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Integer cents as the decimal schema.org and Open Graph expect: 1999 → "19.99". */
function decimalPrice(cents: number): string {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

/** Previews need an absolute image URL; the catalog stores paths like /images/products/home.svg. */
function imageOf(product: ProductRecord, pageUrl: string): string {
  const path = product.imageUrl || defaultImageUrl(product.category);
  try {
    return new URL(path, pageUrl).toString();
  } catch {
    return path;
  }
}

function shorten(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= DESCRIPTION_CHARS ? flat : `${flat.slice(0, DESCRIPTION_CHARS - 1).trimEnd()}…`;
}
