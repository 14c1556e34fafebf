import { useState } from 'react';
import { api, formatMoney, type Order, type Page } from '../api.js';
import { Empty, ErrorMessage, Loading } from '../components/feedback.js';
import { Link } from '../router.js';
import { useSession } from '../session.js';
import { useLoad } from '../use-api.js';

export function OrdersPage({ placed }: { placed: string | null }) {
  const { user } = useSession();
  if (user === undefined) return <Loading what="your session" />;
  if (user === null)
    return (
      <>
        <h1>My orders</h1>
        <p className="notice">
          <Link href="/login?next=/orders">Sign in</Link> to see your orders.
        </p>
      </>
    );
  return <OrderList placed={placed} userId={user.id} />;
}

function OrderList({ placed, userId }: { placed: string | null; userId: string }) {
  const [more, setMore] = useState<{ orders: Order[]; cursor: string | null; error: unknown }>({
    orders: [],
    cursor: null,
    error: null,
  });
  const [first, reload] = useLoad(
    (signal) =>
      api<Page<Order>>('/api/orders?limit=10', { signal }).then((page) => {
        setMore({ orders: [], cursor: page.nextCursor, error: null });
        return page;
      }),
    [userId],
  );
  const loadMore = async () => {
    if (!more.cursor) return;
    try {
      const page = await api<Page<Order>>(`/api/orders?limit=10&cursor=${encodeURIComponent(more.cursor)}`);
      setMore((state) => ({
        orders: [...state.orders, ...page.items],
        cursor: page.nextCursor,
        error: null,
      }));
    } catch (error) {
      setMore((state) => ({ ...state, error }));
    }
  };

  return (
    <>
      <h1>My orders</h1>
      {placed && (
        <p className="notice notice-success" role="status">
          Thank you! Your order was placed.
        </p>
      )}
      {first.state === 'loading' && <Loading what="your orders" />}
      {first.state === 'error' && <ErrorMessage error={first.error} onRetry={reload} />}
      {first.state === 'ready' && first.value.items.length === 0 && (
        <Empty>
          <p>You have not ordered anything yet.</p>
          <Link href="/">Browse products</Link>
        </Empty>
      )}
      {first.state === 'ready' && first.value.items.length > 0 && (
        <ol className="orders" aria-label="Orders, newest first">
          {[...first.value.items, ...more.orders].map((order) => (
            <li
              key={order.id}
              className={order.id === placed ? 'order order-new' : 'order'}
              data-order-id={order.id}
            >
              <h2>
                Order {order.id.slice(-8)}{' '}
                <span className="muted">{new Date(order.createdAt).toLocaleString('en-US')}</span>
              </h2>
              <ul>
                {order.items.map((line) => (
                  <li key={line.productId}>
                    {line.quantity} × {line.name} — {formatMoney(line.lineTotalCents, order.currency)}
                  </li>
                ))}
              </ul>
              <p>
                Total <strong>{formatMoney(order.totalCents, order.currency)}</strong> · {order.status}
              </p>
            </li>
          ))}
        </ol>
      )}
      {more.error !== null && <ErrorMessage error={more.error} />}
      {more.cursor && (
        <button type="button" className="button-secondary" onClick={loadMore}>
          Load older orders
        </button>
      )}
    </>
  );
}
