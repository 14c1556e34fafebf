import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall, type Browser, type DevServer, openBrowser, startDevServer } from '../support/browser.js';

let server: DevServer;
let browser: Browser;

beforeAll(async () => {
  server = await startDevServer(['--stage', 'growing']);
  browser = await openBrowser(server.url);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('a price change at the growing stage, in a browser', () => {
  it('shows on the next page load: the browser asks again and gets the new price, or 304 when unchanged', async () => {
    const { page } = browser;
    const listing = await apiCall<{ items: { id: string; priceCents: number }[] }>(
      server,
      '/api/products?limit=1',
    );
    const product = listing.body.items[0];
    if (!product) throw new Error('the demo catalog is empty');
    const price = page.locator('.price-large');

    await page.goto(`/products/${product.id}`);
    await expect.poll(() => price.textContent()).toBe(dollars(product.priceCents));

    // Unchanged: the browser revalidates its copy and the API answers 304 (the page sees the 200
    // the browser makes of it, so the server's own count tells).
    const notModified = () => countOf(server, '304');
    const before = await notModified();
    await page.reload();
    await expect.poll(() => price.textContent()).toBe(dollars(product.priceCents));
    await expect.poll(notModified).toBe(before + 1);

    const login = await apiCall<{ token: string }>(server, '/api/auth/login', {
      method: 'POST',
      body: { email: 'admin@growstack.local', password: 'growstack-admin' },
    });
    const newCents = product.priceCents + 1100;
    const patch = await apiCall(server, `/api/products/${product.id}`, {
      method: 'PATCH',
      token: login.body.token,
      body: { priceCents: newCents },
    });
    expect(patch.status).toBe(200);

    await page.reload();
    await expect.poll(() => price.textContent()).toBe(dollars(newCents));
    expect(await notModified()).toBe(before + 1);
    expect(browser.foreignRequests).toEqual([]);
  });
});

/** GET /api/products/:id answers with this status so far, from the server's /metrics. */
async function countOf(server: DevServer, status: string): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const line = text
    .split('\n')
    .find(
      (one) =>
        one.startsWith('http_requests_total{') &&
        one.includes('route="/api/products/:id"') &&
        one.includes(`status="${status}"`) &&
        one.includes('method="GET"'),
    );
  return line ? Number(line.split(' ').pop()) : 0;
}

function dollars(cents: number): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(cents / 100);
}
