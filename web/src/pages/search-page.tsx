import { useEffect } from 'react';
import { api, type Product, sendEvent } from '../api.js';
import { Empty, ErrorMessage, Loading } from '../components/feedback.js';
import { ProductCard } from '../components/product-card.js';
import { useLoad } from '../use-api.js';

/** Results for ?q=, which the header's search box keeps up to date as you type. */
export function SearchPage({ q }: { q: string }) {
  const text = q.trim();
  const [result, reload] = useLoad(
    (signal) =>
      text
        ? api<{ items: Product[]; engine: string }>(`/api/search?${new URLSearchParams({ q: text })}`, {
            signal,
          })
        : Promise.resolve({ items: [], engine: '' }),
    [text],
  );
  useEffect(() => {
    if (text) sendEvent('search');
  }, [text]);

  return (
    <>
      <h1>{text ? `Results for “${text}”` : 'Search'}</h1>
      {!text && <Empty>Type in the search box to find products.</Empty>}
      {text && result.state === 'loading' && <Loading what="results" />}
      {result.state === 'error' && <ErrorMessage error={result.error} onRetry={reload} />}
      {text && result.state === 'ready' && (
        <>
          <p className="muted" role="status">
            {result.value.items.length === 0
              ? `Nothing matches “${text}”.`
              : `${result.value.items.length} ${result.value.items.length === 1 ? 'product' : 'products'} found`}
          </p>
          <ul className="grid" aria-label="Search results">
            {result.value.items.map((product) => (
              <ProductCard key={product.id} product={product} />
            ))}
          </ul>
        </>
      )}
    </>
  );
}
