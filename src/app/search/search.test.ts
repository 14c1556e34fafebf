import { beforeAll, describe, expect, it } from 'vitest';
import { createTestStorefront, type TestStorefront } from '../../../test/support/storefront.js';

let shop: TestStorefront;

beforeAll(async () => {
  shop = await createTestStorefront();
  await shop.product({ name: 'Blue Teapot', description: 'Pours well. A classic.', category: 'kitchen' });
  await shop.product({
    name: 'Garden hose',
    description: 'Thirty metres of GREEN. A classic.',
    category: 'garden',
  });
  await shop.product({ name: 'Novel', description: 'A story. A classic.', category: 'books' });
});

const names = (result: { json: { items: { name: string }[] } }) =>
  result.json.items.map((item) => item.name).sort();

describe('search', () => {
  it('matches name, description and category without regard to case', async () => {
    expect(names(await shop.call('GET', '/api/search?q=teapot'))).toEqual(['Blue Teapot']);
    expect(names(await shop.call('GET', '/api/search?q=green'))).toEqual(['Garden hose']);
    expect(names(await shop.call('GET', '/api/search?q=BOOKS'))).toEqual(['Novel']);
    expect(names(await shop.call('GET', '/api/search?q=CLASS'))).toEqual([
      'Blue Teapot',
      'Garden hose',
      'Novel',
    ]);
    // The table matches the start of words: the middle of one, or a single letter, is no match.
    expect(names(await shop.call('GET', '/api/search?q=eapot'))).toEqual([]);
    expect(names(await shop.call('GET', '/api/search?q=o'))).toEqual([]);
  });

  it('says which engine answered and finds nothing for an unmatched query', async () => {
    const result = await shop.call('GET', '/api/search?q=zzzz');
    expect(result.json).toEqual({ items: [], engine: 'dynamodb-query' });
  });

  it('honours the limit', async () => {
    expect((await shop.call('GET', '/api/search?q=classic&limit=2')).json.items).toHaveLength(2);
  });

  it('rejects an empty or oversized query', async () => {
    const empty = await shop.call('GET', '/api/search?q=%20');
    expect(empty.status).toBe(400);
    expect(empty.json.errors[0].path).toBe('q');
    expect((await shop.call('GET', `/api/search?q=${'x'.repeat(101)}`)).status).toBe(400);
    expect((await shop.call('GET', '/api/search')).status).toBe(400);
  });
});

describe.each(['startup', 'growing'] as const)('search filters at %s', (stage) => {
  let filtered: TestStorefront;
  beforeAll(async () => {
    filtered = await createTestStorefront({ stage });
    await filtered.product({ name: 'Oak desk', category: 'office', stock: 3 });
    await filtered.product({ name: 'Oak shelf', category: 'home', stock: 0 });
    await filtered.product({ name: 'Oak chair', category: 'office', stock: 0 });
  });

  it('narrows to one category, to what is in stock, or both, before the limit', async () => {
    expect(names(await filtered.call('GET', '/api/search?q=oak&category=office'))).toEqual([
      'Oak chair',
      'Oak desk',
    ]);
    expect(names(await filtered.call('GET', '/api/search?q=oak&inStock=true'))).toEqual(['Oak desk']);
    expect(names(await filtered.call('GET', '/api/search?q=oak&inStock=false'))).toHaveLength(3);
    expect(
      names(await filtered.call('GET', '/api/search?q=oak&category=office&inStock=true&limit=1')),
    ).toEqual(['Oak desk']);
    const wrong = await filtered.call('GET', '/api/search?q=oak&category=Not%20A%20Slug&inStock=maybe');
    expect(wrong.status).toBe(400);
    expect(wrong.json.errors.map((error: { path: string }) => error.path).sort()).toEqual([
      'category',
      'inStock',
    ]);
  });
});
