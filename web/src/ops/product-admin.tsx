import { type FormEvent, useState } from 'react';
import { api, formatMoney, type Page, type Product } from '../api.js';
import { Empty, ErrorMessage, Loading } from '../components/feedback.js';
import { useLoad } from '../use-api.js';

const PAGE_SIZE = 20;

/** "12.50" → 1250; exact for any amount with at most two decimals. */
function toCents(text: string): number {
  const match = /^\s*(\d+)(?:[.,](\d{1,2}))?\s*$/.exec(text);
  if (!match) return Number.NaN;
  return Number(match[1]) * 100 + Number((match[2] ?? '0').padEnd(2, '0'));
}

const toPrice = (cents: number) => (cents / 100).toFixed(2);

interface Draft {
  name: string;
  category: string;
  price: string;
  stock: string;
}

function draftOf(product: Product): Draft {
  return {
    name: product.name,
    category: product.category,
    price: toPrice(product.priceCents),
    stock: String(product.stock),
  };
}

/** A form field the API would refuse, named as the form labels it. */
class InvalidField extends Error {
  override name = 'InvalidField';
}

/** The API payload, or InvalidField naming the field: NaN would travel as null and be refused as such. */
function payloadOf(draft: Draft) {
  const priceCents = toCents(draft.price);
  if (Number.isNaN(priceCents))
    throw new InvalidField(
      `Price must be an amount of zero or more with at most two decimals, like 12.50 (got '${draft.price.trim()}').`,
    );
  const stock = draft.stock.trim();
  if (!/^\d+$/.test(stock))
    throw new InvalidField(`Stock must be a whole number of zero or more (got '${stock}').`);
  return {
    name: draft.name.trim(),
    category: draft.category.trim(),
    priceCents,
    stock: Number(stock),
  };
}

/** Create, edit, restock and delete products (admin routes of the catalog API). */
export function ProductAdmin() {
  const [cursor, setCursor] = useState<string | undefined>(undefined);
  const [page, reload] = useLoad(
    (signal) =>
      api<Page<Product>>(
        `/api/products?limit=${PAGE_SIZE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        {
          signal,
        },
      ),
    [cursor],
  );
  const [history, setHistory] = useState<(string | undefined)[]>([]);
  const [message, setMessage] = useState('');

  return (
    <section aria-labelledby="products-title" className="panel">
      <h2 id="products-title">Products</h2>
      <CreateProduct
        onCreated={(product) => {
          setMessage(`Created ${product.name}.`);
          setHistory([]);
          setCursor(undefined);
          reload();
        }}
      />
      <p role="status" className="muted">
        {message}
      </p>
      {page.state === 'loading' && <Loading what="products" />}
      {page.state === 'error' && <ErrorMessage error={page.error} onRetry={reload} />}
      {page.state === 'ready' && page.value.items.length === 0 && <Empty>No products yet.</Empty>}
      {page.state === 'ready' && page.value.items.length > 0 && (
        <>
          <div className="table-scroll">
            <table className="admin-table">
              <caption className="visually-hidden">Products, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Category</th>
                  <th scope="col">Price</th>
                  <th scope="col">Stock</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {page.value.items.map((product) => (
                  <ProductRow key={product.id} product={product} onChanged={setMessage} onDeleted={reload} />
                ))}
              </tbody>
            </table>
          </div>
          <nav className="pager" aria-label="Product pages">
            <button
              type="button"
              className="button-secondary"
              disabled={history.length === 0}
              onClick={() => {
                setCursor(history[history.length - 1]);
                setHistory((stack) => stack.slice(0, -1));
              }}
            >
              ← Previous
            </button>
            <button
              type="button"
              className="button-secondary"
              disabled={!page.value.nextCursor}
              onClick={() => {
                setHistory((stack) => [...stack, cursor]);
                setCursor(page.value.nextCursor ?? undefined);
              }}
            >
              Next →
            </button>
          </nav>
        </>
      )}
    </section>
  );
}

function CreateProduct({ onCreated }: { onCreated: (product: Product) => void }) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const draft = Object.fromEntries(
      ['name', 'category', 'price', 'stock'].map((key) => [key, String(data.get(key) ?? '')]),
    ) as unknown as Draft;
    setBusy(true);
    setError(null);
    try {
      const created = await api<Product>('/api/products', {
        method: 'POST',
        body: { ...payloadOf(draft), description: String(data.get('description') ?? '') },
      });
      form.reset();
      onCreated(created);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return (
    <details className="create">
      <summary>Add a product</summary>
      <form onSubmit={submit} className="inline-form" aria-label="Add a product">
        <label>
          Name <input name="name" required maxLength={200} />
        </label>
        <label>
          Category{' '}
          <input name="category" required pattern="[a-z0-9]+(-[a-z0-9]+)*" placeholder="home-office" />
        </label>
        <label>
          Price{' '}
          <input name="price" required inputMode="decimal" pattern="\d+([.,]\d{1,2})?" placeholder="12.50" />
        </label>
        <label>
          Stock <input name="stock" type="number" min={0} required defaultValue={0} />
        </label>
        <label className="wide">
          Description <textarea name="description" maxLength={2000} rows={2} />
        </label>
        <button type="submit" disabled={busy}>
          {busy ? 'Adding…' : 'Add product'}
        </button>
        {error !== null && <ErrorMessage error={error} />}
      </form>
    </details>
  );
}

function ProductRow({
  product: initial,
  onChanged,
  onDeleted,
}: {
  product: Product;
  onChanged: (message: string) => void;
  onDeleted: () => void;
}) {
  const [product, setProduct] = useState(initial);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  const save = () =>
    run(async () => {
      if (!draft) return;
      const updated = await api<Product>(`/api/products/${product.id}`, {
        method: 'PATCH',
        body: payloadOf(draft),
      });
      setProduct(updated);
      setDraft(null);
      onChanged(`Saved ${updated.name}.`);
    });
  const remove = () =>
    run(async () => {
      await api(`/api/products/${product.id}`, { method: 'DELETE' });
      onChanged(`Deleted ${product.name}.`);
      onDeleted();
    });
  const field = (key: keyof Draft, label: string, props: Record<string, unknown> = {}) => (
    <input
      aria-label={`${label} of ${product.name}`}
      value={draft?.[key] ?? ''}
      onChange={(event) =>
        setDraft((current) => (current ? { ...current, [key]: event.target.value } : current))
      }
      {...props}
    />
  );

  return (
    <>
      <tr data-product-id={product.id}>
        {draft ? (
          <>
            <td>{field('name', 'Name')}</td>
            <td>{field('category', 'Category')}</td>
            <td>{field('price', 'Price', { inputMode: 'decimal', size: 8 })}</td>
            <td>{field('stock', 'Stock', { type: 'number', min: 0, size: 6 })}</td>
            <td className="row-actions">
              <button type="button" onClick={save} disabled={busy}>
                Save
              </button>
              <button
                type="button"
                className="button-secondary"
                onClick={() => setDraft(null)}
                disabled={busy}
              >
                Cancel
              </button>
            </td>
          </>
        ) : (
          <>
            <td>{product.name}</td>
            <td>{product.category}</td>
            <td>{formatMoney(product.priceCents, product.currency)}</td>
            <td className={product.stock === 0 ? 'stock-out' : undefined}>{product.stock}</td>
            <td className="row-actions">
              {confirming ? (
                <>
                  <button type="button" className="button-danger" onClick={remove} disabled={busy}>
                    Delete {product.name}?
                  </button>
                  <button type="button" className="button-secondary" onClick={() => setConfirming(false)}>
                    Keep
                  </button>
                </>
              ) : (
                <>
                  <button
                    type="button"
                    className="button-secondary"
                    onClick={() => setDraft(draftOf(product))}
                    aria-label={`Edit ${product.name}`}
                  >
                    Edit
                  </button>
                  <button
                    type="button"
                    className="button-secondary"
                    onClick={() => setConfirming(true)}
                    aria-label={`Delete ${product.name}`}
                  >
                    Delete
                  </button>
                </>
              )}
            </td>
          </>
        )}
      </tr>
      {error !== null && (
        <tr>
          <td colSpan={5}>
            <ErrorMessage error={error} />
          </td>
        </tr>
      )}
    </>
  );
}
