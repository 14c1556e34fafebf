import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@opensearch-project/opensearch';
import { describe, expect, it } from 'vitest';
import { PRODUCT_MAPPINGS } from '../../contracts/search-index.js';
import { OpenSearchIndex, productSearchBody, type SearchClient } from './opensearch-index.js';

const PRODUCT = {
  id: '01JDZ6V0Q7R6W3Y8C1E5T2K9AB',
  name: 'Oak desk',
  description: 'Solid oak',
  category: 'office',
  priceCents: 25000,
  currency: 'USD',
  stock: 3,
  imageUrl: '',
  createdAt: '2026-11-25T10:00:00.000Z',
  updatedAt: '2026-11-25T10:00:00.000Z',
};

describe('the OpenSearch query', () => {
  it('scores by relevance over name, category and description, forgives typos, and filters without scoring', () => {
    const body = productSearchBody('oka desk', 5, { category: 'office', inStock: true });
    expect(body.size).toBe(5);
    expect(body.query.bool.must[0]?.multi_match).toMatchObject({
      query: 'oka desk',
      fields: ['name^3', 'category.text^2', 'description'],
      fuzziness: 'AUTO',
      operator: 'and',
    });
    expect(body.query.bool.filter).toEqual([
      { term: { category: 'office' } },
      { range: { stock: { gt: 0 } } },
    ]);
    expect(productSearchBody('oak', 5).query.bool.filter).toEqual([]);
  });

  it('maps every field of a product, and nothing else (strict)', () => {
    expect(Object.keys(PRODUCT_MAPPINGS.properties).sort()).toEqual(Object.keys(PRODUCT).sort());
    expect(PRODUCT_MAPPINGS.dynamic).toBe('strict');
  });
});

describe('the OpenSearch search adapter', () => {
  it('asks the product index and returns the hits as products, in the engine’s order', async () => {
    const asked: object[] = [];
    // The domain cannot run here: a client that answers as OpenSearch's search API does.
    const client: SearchClient = {
      search: async (params) => {
        asked.push(params);
        return {
          body: {
            hits: {
              hits: [
                { _score: 2.1, _source: PRODUCT },
                { _score: 1.3, _source: { ...PRODUCT, id: 'b' } },
              ],
            },
          },
        };
      },
      bulk: async () => ({ body: {} }),
    };
    const index = new OpenSearchIndex(client);
    const found = await index.search('oak', 10, { inStock: true });
    expect(found.map((product) => product.id)).toEqual([PRODUCT.id, 'b']);
    expect(asked).toEqual([{ index: 'products', body: productSearchBody('oak', 10, { inStock: true }) }]);
    expect(index.engine).toBe('opensearch');
  });

  it('fits the real client’s API (what the container passes in)', async () => {
    // A stand-in domain that answers one search: the real client must send it where OpenSearch
    // expects it and hand back the hits the index reads.
    const asked: { method?: string; url?: string; body: unknown }[] = [];
    const domain = createServer((request, response) => {
      let text = '';
      request.on('data', (chunk) => {
        text += chunk;
      });
      request.on('end', () => {
        asked.push({ method: request.method, url: request.url, body: JSON.parse(text || 'null') });
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ hits: { hits: [{ _score: 1, _source: PRODUCT }] } }));
      });
    });
    await new Promise<void>((resolve) => domain.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = domain.address() as AddressInfo;
      const real: SearchClient = new Client({ node: `http://127.0.0.1:${port}` });
      const found = await new OpenSearchIndex(real).search('oak', 3);
      expect(found).toEqual([PRODUCT]);
      expect(asked).toEqual([
        { method: 'POST', url: '/products/_search', body: productSearchBody('oak', 3, undefined) },
      ]);
    } finally {
      await new Promise((resolve) => domain.close(resolve));
    }
  });
});
