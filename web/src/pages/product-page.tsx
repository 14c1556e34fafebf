import { useEffect, useState } from 'react';
import { api, formatMoney, type Product, sendEvent } from '../api.js';
import { cart, useCart } from '../cart.js';
import { ErrorMessage, Loading } from '../components/feedback.js';
import { ProductImage } from '../components/product-card.js';
import { Link } from '../router.js';
import { useLoad } from '../use-api.js';

export function ProductPage({ id }: { id: string }) {
  const [product, reload] = useLoad(
    (signal) => api<Product>(`/api/products/${encodeURIComponent(id)}`, { signal }),
    [id],
  );
  const lines = useCart();
  const [added, setAdded] = useState(false);
  useEffect(() => {
    setAdded(false);
    sendEvent('view', id);
  }, [id]);

  if (product.state === 'loading') return <Loading what="the product" />;
  if (product.state === 'error')
    return (
      <>
        <ErrorMessage error={product.error} onRetry={reload} />
        <Link href="/">Back to all products</Link>
      </>
    );
  const item = product.value;
  const inCart = lines.find((line) => line.productId === item.id)?.quantity ?? 0;
  return (
    <article className="product">
      <ProductImage product={item} size="page" />
      <div className="product-body">
        <p className="breadcrumb">
          <Link href={`/?category=${item.category}`}>{item.category}</Link>
        </p>
        <h1>{item.name}</h1>
        <p className="price price-large">{formatMoney(item.priceCents, item.currency)}</p>
        <p>{item.description}</p>
        <p className={item.stock > 0 ? 'stock' : 'stock stock-out'}>
          {item.stock > 0 ? `${item.stock} in stock` : 'Out of stock'}
        </p>
        <div className="actions">
          <button
            type="button"
            disabled={item.stock === 0 || inCart >= item.stock}
            onClick={() => {
              cart.add(item);
              sendEvent('add_to_cart', item.id);
              setAdded(true);
            }}
          >
            Add to cart
          </button>
          {inCart > 0 && <Link href="/cart">Go to cart ({inCart} in cart)</Link>}
        </div>
        <p role="status" className="muted">
          {added ? `Added ${item.name} to your cart.` : ''}
        </p>
      </div>
    </article>
  );
}
