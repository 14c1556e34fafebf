import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { cartCount, useCart } from './cart.js';
import { Loading } from './components/feedback.js';
import { AuthPage } from './pages/auth-page.js';
import { CartPage } from './pages/cart-page.js';
import { CatalogPage } from './pages/catalog-page.js';
import { OrdersPage } from './pages/orders-page.js';
import { ProductPage } from './pages/product-page.js';
import { SearchPage } from './pages/search-page.js';
import { Link, navigate, useLocation } from './router.js';
import { useSession } from './session.js';

const SEARCH_DELAY_MS = 250;

// The console and its chart library load only when an operator opens it, not for every shopper.
const OpsPage = lazy(() => import('./ops/ops-page.js').then((module) => ({ default: module.OpsPage })));

export function App() {
  const { path, query } = useLocation();
  const main = useRef<HTMLElement>(null);
  // Move focus to the new page's content so keyboard and screen reader users start there.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on every change of page
  useEffect(() => {
    main.current?.focus({ preventScroll: true });
  }, [path]);

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Header path={path} q={query.get('q') ?? ''} />
      <main id="main" ref={main} tabIndex={-1}>
        <Route path={path} query={query} />
      </main>
      <footer className="footer">
        <p>
          Growstack demo storefront · <a href="/api/docs">API docs</a>
        </p>
      </footer>
    </>
  );
}

function Route({ path, query }: { path: string; query: URLSearchParams }) {
  const product = /^\/products\/([^/]+)$/.exec(path);
  if (product) return <ProductPage id={decodeURIComponent(product[1]!)} />;
  switch (path) {
    case '/':
      return <CatalogPage key={query.get('category') ?? ''} category={query.get('category')} />;
    case '/search':
      return <SearchPage q={query.get('q') ?? ''} />;
    case '/cart':
      return <CartPage />;
    case '/login':
      return <AuthPage key="login" mode="login" next={query.get('next')} />;
    case '/signup':
      return <AuthPage key="signup" mode="signup" next={query.get('next')} />;
    case '/orders':
      return <OrdersPage placed={query.get('placed')} />;
    case '/ops':
      return (
        <Suspense fallback={<Loading what="the ops console" />}>
          <OpsPage />
        </Suspense>
      );
    default:
      return (
        <>
          <h1>Page not found</h1>
          <p>
            Nothing lives at <code>{path}</code>. <Link href="/">Go to the shop</Link>.
          </p>
        </>
      );
  }
}

function Header({ path, q }: { path: string; q: string }) {
  const { user, signOut } = useSession();
  const count = cartCount(useCart());
  const [text, setText] = useState(q);
  const typed = useRef(false);
  // Follow the address bar (back/forward) unless the shopper is mid-typing.
  useEffect(() => {
    if (!typed.current) setText(path === '/search' ? q : '');
  }, [path, q]);
  useEffect(() => {
    if (!typed.current) return;
    const timer = setTimeout(() => {
      typed.current = false;
      if (text.trim())
        navigate(`/search?${new URLSearchParams({ q: text.trim() })}`, { replace: path === '/search' });
    }, SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text, path]);

  return (
    <header className="header">
      <Link href="/" className="brand">
        <img src="/favicon.svg" alt="" width={28} height={28} /> Growstack
      </Link>
      <search className="search">
        <form
          onSubmit={(event) => {
            event.preventDefault();
            typed.current = false;
            if (text.trim()) navigate(`/search?${new URLSearchParams({ q: text.trim() })}`);
          }}
        >
          <label htmlFor="search" className="visually-hidden">
            Search products
          </label>
          <input
            id="search"
            type="search"
            placeholder="Search products"
            value={text}
            autoComplete="off"
            onChange={(event) => {
              typed.current = true;
              setText(event.target.value);
            }}
          />
        </form>
      </search>
      <nav aria-label="Account" className="account">
        <ul>
          <li>
            <Link href="/cart" aria-current={path === '/cart' ? 'page' : undefined}>
              Cart{' '}
              <span className="badge" aria-hidden="true">
                {count}
              </span>
              <span className="visually-hidden">({count} items)</span>
            </Link>
          </li>
          {user && (
            <li>
              <Link href="/orders" aria-current={path === '/orders' ? 'page' : undefined}>
                My orders
              </Link>
            </li>
          )}
          {user?.role === 'admin' && (
            <li>
              <Link href="/ops" aria-current={path === '/ops' ? 'page' : undefined}>
                Ops console
              </Link>
            </li>
          )}
          {user ? (
            <li>
              <button
                type="button"
                className="button-link"
                onClick={async () => {
                  await signOut();
                  navigate('/');
                }}
              >
                Sign out <span className="visually-hidden">{user.name}</span>
              </button>
            </li>
          ) : user === null ? (
            <>
              <li>
                <Link href="/login">Sign in</Link>
              </li>
              <li>
                <Link href="/signup">Create account</Link>
              </li>
            </>
          ) : null}
        </ul>
      </nav>
    </header>
  );
}
