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

  it('fits the real client’s API (what the container passes in)', () => {
    const real: SearchClient = new Client({ node: 'http://127.0.0.1:9' });
    expect(typeof real.search).toBe('function');
  });
});
