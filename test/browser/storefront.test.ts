import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiCall,
  type Browser,
  type DevServer,
  openBrowser,
  startDevServer,
  tokenOf,
} from '../support/browser.js';

/** The storefront's search box waits this long after the last key (web/src/app.tsx). */
const SEARCH_DELAY_MS = 250;

let server: DevServer;
let browser: Browser;
const events: { type: string; productId?: string }[] = [];

beforeAll(async () => {
  server = await startDevServer();
  browser = await openBrowser(server.url);
  browser.page.on('request', (request) => {
    if (request.method() === 'POST' && request.url().endsWith('/api/events'))
      events.push(request.postDataJSON());
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the storefront in a browser', () => {
  it('takes a shopper from browsing to search, product, cart, sign-up, checkout and my orders', async () => {
    const { page } = browser;
    await page.goto('/');
    await expect.poll(() => page.locator('.grid .card').count()).toBe(12);
    await browser.screenshot('01-catalog');

    await page.getByRole('button', { name: 'Next →' }).click();
    await page.getByText('Page 2').waitFor();
    await expect.poll(() => page.locator('.grid .card').count()).toBe(12);

    await page.getByRole('navigation', { name: 'Categories' }).getByRole('link', { name: 'kitchen' }).click();
    await page.getByRole('heading', { name: 'Kitchen' }).waitFor();
    await expect.poll(() => page.locator('.grid .card').count()).toBe(8);

    // Typing sends one search after the pause, not one per key. The page's clock stands still
    // while the keys arrive, so however slow the machine types, no pause passes between them.
    const searches: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/api/search?')) searches.push(request.url());
    });
    await page.clock.install();
    await page.clock.pauseAt(Date.now() + 1_000);
    const searchbox = page.getByRole('searchbox', { name: 'Search products' });
    await searchbox.pressSequentially('desk lamp', { delay: 40 });
    await expect.poll(() => searchbox.inputValue()).toBe('desk lamp');
    // Just short of the pause after the last key: still no search.
    await page.clock.runFor(SEARCH_DELAY_MS - 1);
    expect(page.url()).not.toMatch(/\/search\?/);
    await page.clock.runFor(1);
    await page.clock.resume();
    await page.waitForURL(/\/search\?q=desk\+lamp$/);
    await page.getByRole('heading', { name: 'Results for “desk lamp”' }).waitFor();
    const results = page.getByRole('list', { name: 'Search results' }).getByRole('link');
    await results.first().waitFor();
    expect(searches).toHaveLength(1);
    expect(searches[0]).toMatch(/q=desk\+lamp$/);
    await browser.screenshot('02-search');

    const firstResult = (await results.first().textContent())!;
    expect(firstResult).toMatch(/desk lamp/i);
    await results.first().click();
    await page.getByRole('heading', { level: 1, name: firstResult }).waitFor();
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page.getByText(`Added ${firstResult} to your cart.`).waitFor();
    await page.getByRole('link', { name: /Go to cart/ }).waitFor();
    await browser.screenshot('03-product');
    const productId = new URL(page.url()).pathname.split('/').pop()!;
    await expect
      .poll(() => events)
      .toEqual(
        expect.arrayContaining([
          { type: 'view', productId },
          { type: 'add_to_cart', productId },
        ]),
      );

    await page.getByRole('link', { name: /^Cart/ }).click();
    await page.getByRole('heading', { name: 'Your cart' }).waitFor();
    await page.getByRole('link', { name: 'create an account' }).click();
    await page.getByLabel('Name').fill('Ada Shopper');
    await page.getByLabel('E-mail').fill('ada@example.com');
    await page.getByLabel('Password').fill('correct horse battery');
    await browser.screenshot('04-signup');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(/\/cart$/);
    await page.getByRole('button', { name: 'Place order' }).waitFor();
    await browser.screenshot('05-cart');

    await page.getByRole('button', { name: 'Place order' }).click();
    await page.waitForURL(/\/orders\?placed=/);
    await page.getByText('Thank you! Your order was placed.').waitFor();
    const placed = new URL(page.url()).searchParams.get('placed')!;
    await page.locator(`[data-order-id="${placed}"]`).getByText(`1 × ${firstResult}`).waitFor();
    await browser.screenshot('06-orders');

    const mine = await apiCall<{ items: { id: string }[] }>(server, '/api/orders', {
      token: await tokenOf(page),
    });
    expect(mine.body.items.map((order) => order.id)).toEqual([placed]);
    expect(browser.foreignRequests).toEqual([]);
  });

  it('makes one order from a double click on checkout', async () => {
    const { page } = browser;
    const token = await tokenOf(page);
    const before = await apiCall<{ items: unknown[] }>(server, '/api/orders', { token });
    await page.goto('/?category=books');
    await page.locator('.grid .card a').first().click();
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page.goto('/cart');
    const keys: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/api/orders'))
        keys.push(request.headers()['idempotency-key'] ?? '');
    });

    await page.getByRole('button', { name: 'Place order' }).dblclick();
    await page.waitForURL(/\/orders\?placed=/);

    const after = await apiCall<{ items: unknown[] }>(server, '/api/orders', { token });
    expect(after.body.items).toHaveLength(before.body.items.length + 1);
    expect(keys.length).toBeGreaterThanOrEqual(1);
    expect(new Set(keys).size).toBe(1);
  });

  it('shows the API’s explanation when the password is wrong', async () => {
    const { page } = browser;
    await page.getByRole('button', { name: /Sign out/ }).click();
    await page.getByRole('link', { name: 'Sign in' }).waitFor();
    await page.goto('/login');
    await page.getByLabel('E-mail').fill('ada@example.com');
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('E-mail or password is wrong.');
    expect(await tokenOf(page)).toBeNull();
    await browser.screenshot('07-login-error');
  });

  it('fits a phone-width screen without sideways scrolling', async () => {
    const { page } = browser;
    await page.setViewportSize({ width: 375, height: 740 });
    for (const path of ['/', '/cart', '/login']) {
      await page.goto(path);
      await page.locator('h1').waitFor();
      const overflow = await page.evaluate<number>(
        'document.documentElement.scrollWidth - window.innerWidth',
      );
      expect(overflow, path).toBeLessThanOrEqual(0);
    }
    await page.goto('/');
    await expect.poll(() => page.locator('.grid .card').count()).toBe(12);
    await browser.screenshot('08-catalog-phone');
    await page.setViewportSize({ width: 1280, height: 900 });
  });
});
