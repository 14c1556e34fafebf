import { beforeAll, describe, expect, it } from 'vitest';
import { createTestStorefront, type TestStorefront } from '../../../test/support/storefront.js';

let shop: TestStorefront;

beforeAll(async () => {
  shop = await createTestStorefront();
  await shop.product({ name: 'Blue Teapot', description: 'Pours well', category: 'kitchen' });
  await shop.product({ name: 'Garden hose', description: 'Thirty metres of GREEN', category: 'garden' });
  await shop.product({ name: 'Novel', description: 'A story', category: 'books' });
});

const names = (result: { json: { items: { name: string }[] } }) =>
  result.json.items.map((item) => item.name).sort();

describe('search', () => {
  it('matches name, description and category without regard to case', async () => {
    expect(names(await shop.call('GET', '/api/search?q=teapot'))).toEqual(['Blue Teapot']);
    expect(names(await shop.call('GET', '/api/search?q=green'))).toEqual(['Garden hose']);
    expect(names(await shop.call('GET', '/api/search?q=BOOKS'))).toEqual(['Novel']);
    expect(names(await shop.call('GET', '/api/search?q=o'))).toEqual(['Blue Teapot', 'Garden hose', 'Novel']);
  });

  it('says which engine answered and finds nothing for an unmatched query', async () => {
    const result = await shop.call('GET', '/api/search?q=zzzz');
    expect(result.json).toEqual({ items: [], engine: 'dynamodb-query' });
  });

  it('honours the limit', async () => {
    expect((await shop.call('GET', '/api/search?q=o&limit=2')).json.items).toHaveLength(2);
  });

  it('rejects an empty or oversized query', async () => {
    const empty = await shop.call('GET', '/api/search?q=%20');
    expect(empty.status).toBe(400);
    expect(empty.json.errors[0].path).toBe('q');
    expect((await shop.call('GET', `/api/search?q=${'x'.repeat(101)}`)).status).toBe(400);
    expect((await shop.call('GET', '/api/search')).status).toBe(400);
  });
});
