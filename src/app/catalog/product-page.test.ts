import { describe, expect, it } from 'vitest';
import { readPageHead } from '../../../test/support/page-head.js';
import type { ProductRecord } from '../../contracts/ports.js';
import { jsonForScript, productIdOf, renderProductPage } from './product-page.js';

const SHELL = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="description" content="Growstack storefront" />
    <title>Growstack</title>
    <script type="module" crossorigin src="/assets/index-CPALGdV2.js"></script>
  </head>
  <body><div id="root"></div></body>
</html>`;

const URL_OF_PAGE = 'https://shop.example.com/products/01J9ZK3V8QW5Y7N2B4C6D8E0FG';

const product = (overrides: Partial<ProductRecord> = {}): ProductRecord => ({
  id: '01J9ZK3V8QW5Y7N2B4C6D8E0FG',
  name: 'Walnut desk lamp',
  description: 'A warm light for late work, turned from one piece of walnut.',
  category: 'home',
  priceCents: 4905,
  currency: 'EUR',
  stock: 3,
  imageUrl: '/images/products/home.svg',
  createdAt: '2026-01-02T03:04:05.000Z',
  updatedAt: '2026-01-02T03:04:05.000Z',
  ...overrides,
});

const render = (record: ProductRecord) =>
  renderProductPage(SHELL, { kind: 'found', product: record }, URL_OF_PAGE);

describe('the product page for crawlers and link previews', () => {
  it("puts the product's title, description, Open Graph and Twitter card tags in the shell's head", () => {
    const page = render(product());
    expect(page.status).toBe(200);
    const head = readPageHead(page.html);
    expect(head.title).toBe('Walnut desk lamp | Growstack');
    expect(head.meta).toMatchObject({
      description: 'A warm light for late work, turned from one piece of walnut.',
      'og:type': 'product',
      'og:title': 'Walnut desk lamp',
      'og:description': 'A warm light for late work, turned from one piece of walnut.',
      'og:url': URL_OF_PAGE,
      'og:image': 'https://shop.example.com/images/products/home.svg',
      'product:price:amount': '49.05',
      'product:price:currency': 'EUR',
      'twitter:card': 'summary_large_image',
      'twitter:title': 'Walnut desk lamp',
      'twitter:image': 'https://shop.example.com/images/products/home.svg',
    });
    // One title and one description: the shop-wide ones are replaced, not repeated.
    expect(page.html.match(/<title>/g)).toHaveLength(1);
    expect(page.html.match(/name="description"/g)).toHaveLength(1);
    // The app still loads for a reader that runs scripts.
    expect(page.html).toContain('<script type="module" crossorigin src="/assets/index-CPALGdV2.js">');
    expect(page.html.indexOf('application/ld+json')).toBeLessThan(page.html.indexOf('</head>'));
  });

  it("describes the product as schema.org's Product with one Offer", () => {
    const [jsonLd, ...more] = readPageHead(render(product()).html).jsonLd;
    expect(more).toEqual([]);
    expect(jsonLd).toEqual({
      '@context': 'https://schema.org',
      '@type': 'Product',
      '@id': URL_OF_PAGE,
      name: 'Walnut desk lamp',
      description: 'A warm light for late work, turned from one piece of walnut.',
      image: 'https://shop.example.com/images/products/home.svg',
      sku: '01J9ZK3V8QW5Y7N2B4C6D8E0FG',
      category: 'home',
      offers: {
        '@type': 'Offer',
        url: URL_OF_PAGE,
        price: '49.05',
        priceCurrency: 'EUR',
        availability: 'https://schema.org/InStock',
      },
    });
  });

  it('says OutOfStock when no stock is left, and prices whole and tiny amounts exactly', () => {
    const sold = readPageHead(render(product({ stock: 0, priceCents: 7 })).html).jsonLd[0];
    expect(sold).toMatchObject({
      offers: { availability: 'https://schema.org/OutOfStock', price: '0.07' },
    });
    const whole = readPageHead(render(product({ priceCents: 120_000 })).html).jsonLd[0];
    expect(whole).toMatchObject({ offers: { price: '1200.00' } });
  });

  it('falls back to the category picture when the product has none, and keeps absolute images', () => {
    const none = readPageHead(render(product({ imageUrl: '', category: 'books' })).html);
    expect(none.meta['og:image']).toBe('https://shop.example.com/images/products/books.svg');
    const cdn = readPageHead(render(product({ imageUrl: 'https://cdn.example.net/a.png' })).html);
    expect(cdn.meta['og:image']).toBe('https://cdn.example.net/a.png');
  });

  it('cuts a long description at 160 characters for the meta tags but keeps it whole in JSON-LD', () => {
    const long = 'word '.repeat(100).trim();
    const head = readPageHead(render(product({ description: long })).html);
    expect(head.meta.description!.length).toBeLessThanOrEqual(160);
    expect(head.meta.description!.endsWith('…')).toBe(true);
    expect(head.jsonLd[0]).toMatchObject({ description: long });
  });

  it.each([
    '</script><script>alert(1)</script>',
    'The "best" lamp\'s <b>bold</b> & more',
    'a < b && c > d',
    'line\u2028separator\u2029paragraph',
    '<!-- comment --> ]]> {{x}}',
  ])('keeps the hostile name %j as text in every tag and in the JSON-LD', (name) => {
    const page = render(product({ name, description: name }));
    const head = readPageHead(page.html);
    expect(head.title).toBe(`${name} | Growstack`);
    expect(head.meta['og:title']).toBe(name);
    expect(head.meta['twitter:title']).toBe(name);
    expect(head.jsonLd[0]).toMatchObject({ name, description: name });
    // No element of the name's making: the shell's one module script and the JSON-LD only.
    expect(head.scriptCount).toBe(2);
    expect(page.html).not.toContain('<script>alert');
    expect(page.html).not.toContain('<b>');
    // HTML text may hold U+2028; the script element's JSON holds it only as an escape.
    const script = /application\/ld\+json">([\s\S]*?)<\/script>/.exec(page.html)?.[1];
    expect(script).not.toMatch(/[<>\u2028\u2029]/);
  });

  it('answers an unknown product with the plain shell and a 404', () => {
    expect(renderProductPage(SHELL, { kind: 'missing' }, URL_OF_PAGE)).toEqual({ status: 404, html: SHELL });
  });

  it('answers with the plain shell and a 200 when the table did not answer', () => {
    expect(renderProductPage(SHELL, { kind: 'unreachable' }, URL_OF_PAGE)).toEqual({
      status: 200,
      html: SHELL,
    });
  });

  it('escapes what could end a script element in JSON, and JSON.parse reads it back', () => {
    const value = { name: '</script>&\u2028' };
    const text = jsonForScript(value);
    expect(text).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(text)).toEqual(value);
  });

  it.each([
    ['/products/01J9ZK3V8Q', '01J9ZK3V8Q'],
    ['/products/01J9ZK3V8Q/', '01J9ZK3V8Q'],
    ['/products/a%20b', 'a b'],
    ['/products/', null],
    ['/products/a/b', null],
    ['/orders/1', null],
    ['/products/%E0%A4%A', null],
  ])('reads the product id of %s as %j', (path, id) => {
    expect(productIdOf(path)).toBe(id);
  });
});
