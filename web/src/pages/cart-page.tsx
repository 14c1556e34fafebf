import { useRef, useState } from 'react';
import { api, formatMoney, newIdempotencyKey, type Order, sendEvent } from '../api.js';
import { cart, cartSignature, MAX_QUANTITY, useCart } from '../cart.js';
import { Empty, ErrorMessage } from '../components/feedback.js';
import { ProductImage } from '../components/product-card.js';
import { Link, navigate } from '../router.js';
import { useSession } from '../session.js';

export function CartPage() {
  const lines = useCart();
  const { user } = useSession();
  const [error, setError] = useState<unknown>(null);
  const [placing, setPlacing] = useState(false);
  // One key per checkout attempt: a double click, or a retry after a lost answer, sends the same
  // key, and the API answers with the order it already made. A changed cart is a new attempt.
  const attempt = useRef<{ key: string; signature: string } | null>(null);
  const inFlight = useRef(false);

  if (lines.length === 0) {
    return (
      <>
        <h1>Your cart</h1>
        <Empty>
          <p>Your cart is empty.</p>
          <Link href="/">Browse products</Link>
        </Empty>
      </>
    );
  }

  const currency = lines[0]!.currency;
  const total = lines.reduce((sum, line) => sum + line.priceCents * line.quantity, 0);

  const checkout = async () => {
    if (inFlight.current) return;
    inFlight.current = true;
    const signature = cartSignature(lines);
    if (attempt.current?.signature !== signature) attempt.current = { key: newIdempotencyKey(), signature };
    setPlacing(true);
    setError(null);
    try {
      const order = await api<Order>('/api/orders', {
        method: 'POST',
        headers: { 'idempotency-key': attempt.current.key },
        body: { items: lines.map((line) => ({ productId: line.productId, quantity: line.quantity })) },
      });
      sendEvent('checkout');
      attempt.current = null;
      cart.clear();
      navigate(`/orders?placed=${order.id}`);
    } catch (failure) {
      setError(failure);
    } finally {
      inFlight.current = false;
      setPlacing(false);
    }
  };

  return (
    <>
      <h1>Your cart</h1>
      <ul className="cart-lines" aria-label="Items in your cart">
        {lines.map((line) => (
          <li key={line.productId} className="cart-line">
            <ProductImage product={line} size="card" />
            <div className="cart-line-body">
              <Link href={`/products/${line.productId}`}>{line.name}</Link>
              <span className="muted">{formatMoney(line.priceCents, line.currency)} each</span>
            </div>
            <label className="quantity">
              <span>Quantity</span>
              <input
                type="number"
                min={1}
                max={MAX_QUANTITY}
                value={line.quantity}
                onChange={(event) => cart.setQuantity(line.productId, Number(event.target.value))}
              />
            </label>
            <span className="price">{formatMoney(line.priceCents * line.quantity, line.currency)}</span>
            <button
              type="button"
              className="button-secondary"
              aria-label={`Remove ${line.name}`}
              onClick={() => {
                cart.remove(line.productId);
                sendEvent('remove_from_cart', line.productId);
              }}
            >
              Remove
            </button>
          </li>
        ))}
      </ul>
      <p className="total">
        Total <strong>{formatMoney(total, currency)}</strong>
      </p>
      {error !== null && <ErrorMessage error={error} />}
      {user ? (
        <button
          type="button"
          className="button-large"
          onClick={checkout}
          disabled={placing}
          aria-busy={placing}
        >
          {placing ? 'Placing your order…' : 'Place order'}
        </button>
      ) : (
        <p className="notice">
          {user === undefined ? (
            'Checking your session…'
          ) : (
            <>
              To check out, <Link href="/login?next=/cart">sign in</Link> or{' '}
              <Link href="/signup?next=/cart">create an account</Link>. Your cart stays as it is.
            </>
          )}
        </p>
      )}
    </>
  );
}
