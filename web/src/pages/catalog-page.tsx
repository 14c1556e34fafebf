import { useState } from 'react';
import { api, type Page, type Product } from '../api.js';
import { Empty, ErrorMessage, Loading } from '../components/feedback.js';
import { ProductCard } from '../components/product-card.js';
import { Link } from '../router.js';
import { useLoad } from '../use-api.js';

/** The demo catalog's categories; products in any other category still show under "All". */
export const CATEGORIES = ['books', 'electronics', 'home', 'garden', 'kitchen', 'sports', 'toys', 'apparel'];
const PAGE_SIZE = 12;

export function CatalogPage({ category }: { category: string | null }) {
  // The cursors of the pages up to this one (the app remounts this page per category), so "Previous" goes back without a server round trip.
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors[cursors.length - 1];
  const [page, reload] = useLoad(
    (signal) => {
      const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
      if (category) query.set('category', category);
      if (cursor) query.set('cursor', cursor);
      return api<Page<Product>>(`/api/products?${query}`, { signal });
    },
    [category, cursor],
  );
  const title = category ? category[0]!.toUpperCase() + category.slice(1) : 'All products';

  return (
    <>
      <nav aria-label="Categories" className="categories">
        <ul>
          {[null, ...CATEGORIES].map((name) => (
            <li key={name ?? 'all'}>
              <Link
                href={name ? `/?category=${name}` : '/'}
                aria-current={name === category ? 'page' : undefined}
                className="chip"
              >
                {name ?? 'All'}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <h1>{title}</h1>
      {page.state === 'loading' && <Loading what="products" />}
      {page.state === 'error' && <ErrorMessage error={page.error} onRetry={reload} />}
      {page.state === 'ready' && page.value.items.length === 0 && (
        <Empty>
          <p>No products here yet.</p>
          {category && <Link href="/">See all products</Link>}
        </Empty>
      )}
      {page.state === 'ready' && page.value.items.length > 0 && (
        <>
          <ul className="grid" aria-label={`${title}, page ${cursors.length}`}>
            {page.value.items.map((product) => (
              <ProductCard key={product.id} product={product} />
            ))}
          </ul>
          <nav className="pager" aria-label="Pages">
            <button
              type="button"
              className="button-secondary"
              disabled={cursors.length === 1}
              onClick={() => setCursors((stack) => stack.slice(0, -1))}
            >
              ← Previous
            </button>
            <span>Page {cursors.length}</span>
            <button
              type="button"
              className="button-secondary"
              disabled={!page.value.nextCursor}
              onClick={() => {
                const next = page.value.nextCursor ?? undefined;
                setCursors((stack) => [...stack, next]);
                window.scrollTo(0, 0);
              }}
            >
              Next →
            </button>
          </nav>
        </>
      )}
    </>
  );
}
