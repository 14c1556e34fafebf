import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiCall,
  type Browser,
  type DevServer,
  openBrowser,
  startDevServer,
  tokenOf,
} from '../support/browser.js';

let server: DevServer;
let browser: Browser;

beforeAll(async () => {
  server = await startDevServer();
  browser = await openBrowser(server.url);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Some traffic for the charts to show, including a 404. */
async function traffic(): Promise<void> {
  await Promise.all([
    ...Array.from({ length: 10 }, () => fetch(`${server.url}/api/products?limit=5`)),
    fetch(`${server.url}/api/products/no-such-product`),
  ]);
}

describe('the ops console in a browser', () => {
  it('shows an admin the stage, live charts, the cost panel and the product table', async () => {
    const { page } = browser;
    await page.goto('/login?next=/ops');
    await page.getByLabel('E-mail').fill('admin@growstack.local');
    await page.getByLabel('Password').fill('growstack-admin');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/ops$/);

    await page.getByRole('heading', { name: 'Stage: startup' }).waitFor();
    await page.getByRole('cell', { name: 'inline in the request' }).waitFor();
    await page.getByRole('columnheader', { name: 'growing (next)' }).waitFor();

    for (const chart of ['request-rate', 'latency', 'error-rate']) {
      await page.locator(`[data-chart="${chart}"] canvas`).waitFor();
    }
    await traffic();
    // A point needs two scrapes; the requests above fall between two of them.
    await expect
      .poll(() => page.locator('[data-chart="request-rate"] .chart-latest').textContent(), {
        timeout: 15_000,
      })
      .toMatch(/requests\/s: [1-9]/);
    await expect
      .poll(() => page.locator('[data-chart="latency"] .chart-latest').textContent(), { timeout: 15_000 })
      .toMatch(/p95: \d/);
    expect(await page.locator('[data-chart="cache-hit-ratio"]').textContent()).toContain('Not in this stage');
    expect(await page.locator('[data-chart="queue-depth"]').textContent()).toContain('Not in this stage');
    // The cost model's panel: a bar chart of the four stages, their costs, and the advisor's verdict.
    const costs = page.locator('[data-panel="cost"]');
    await costs.locator('[data-chart="stage-costs"] canvas').waitFor();
    for (const stage of ['startup', 'growing', 'scaling', 'enterprise'])
      await costs.getByRole('rowheader', { name: new RegExp(`^${stage}`) }).waitFor();
    // A console opened seconds after start has too little traffic to extrapolate a month from.
    expect(await costs.locator('.advice').textContent()).toMatch(
      /not enough data yet|still fits|move (up|down) from startup/,
    );
    expect(await costs.locator('.findings li').count()).toBeGreaterThan(0);
    // Which prices the costs use, and how old their data is.
    expect(await costs.locator('[data-prices]').textContent()).toMatch(
      /Prices: the snapshot shipped with Growstack, AWS price data dated \S+ to \d{4}-\d{2}-\d{2} \(the newest \d+ days old\)/,
    );
    // Real-time analytics belong to the enterprise stage: the panel says so at startup.
    await expect
      .poll(() => page.locator('[data-panel="top-products"]').textContent())
      .toContain('come with the enterprise stage');

    // The product table: add a product, then restock it.
    await page.getByText('Add a product').click();
    const form = page.getByRole('form', { name: 'Add a product' });
    await form.getByLabel('Name').fill('Browser test kettle');
    await form.getByLabel('Category').fill('kitchen');
    await form.getByLabel('Price').fill('19.90');
    await form.getByLabel('Stock').fill('3');
    await form.getByRole('button', { name: 'Add product' }).click();
    await page.getByText('Created Browser test kettle.').waitFor();
    await page.getByRole('button', { name: 'Edit Browser test kettle' }).click();
    await page.getByLabel('Stock of Browser test kettle').fill('42');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved Browser test kettle.').waitFor();
    const row = page.getByRole('row', { name: /Browser test kettle/ });
    expect(await row.textContent()).toContain('$19.90');
    expect(await row.textContent()).toContain('42');
    const search = await apiCall<{ items: { name: string; stock: number; priceCents: number }[] }>(
      server,
      '/api/search?q=browser+test+kettle',
    );
    expect(search.body.items).toEqual([expect.objectContaining({ stock: 42, priceCents: 1990 })]);

    await page.waitForTimeout(2500); // one more scrape, so the screenshot shows lines
    await browser.screenshot('10-ops-console');
    expect(browser.foreignRequests).toEqual([]);
  });

  it('lists the requests just made and opens one as a waterfall of its DynamoDB calls', async () => {
    const { page } = browser;
    // Signed in as the admin by the first test; the same server, so no second dev server to start.
    await page.goto('/ops');

    expect((await fetch(`${server.url}/api/products?limit=3`)).status).toBe(200);
    expect((await fetch(`${server.url}/api/products/no-such-product`)).status).toBe(404);

    const panel = page.locator('[data-panel="traces"]');
    await panel.getByLabel('Route').fill('/api/products');
    await panel.getByRole('button', { name: 'Refresh' }).click();
    const listing = panel.getByRole('button', { name: 'GET /api/products', exact: true });
    await listing.first().waitFor();
    const missing = panel.getByRole('button', { name: 'GET /api/products/:id', exact: true });
    await missing.first().waitFor();

    // Only the 404: the filter asks the API for that status class.
    await panel.getByLabel('Status').selectOption('4xx');
    await missing.first().waitFor();
    await expect.poll(() => listing.count()).toBe(0);
    expect(await panel.locator('tbody tr').first().textContent()).toContain('404');
    await panel.getByLabel('Status').selectOption('');
    await panel.getByLabel('Slowest first').check();

    await listing.first().click();
    const waterfall = panel.locator('.waterfall');
    await waterfall.getByRole('heading', { name: /GET \/api\/products/ }).waitFor();
    const spans = waterfall.getByRole('list', { name: 'Spans of GET /api/products' }).getByRole('listitem');
    await expect.poll(() => spans.count()).toBeGreaterThan(1);
    const names = await spans.locator('.span-name').allTextContents();
    expect(names[0]).toBe('GET /api/products');
    expect(names.some((name) => name.startsWith('DynamoDB.'))).toBe(true);
    expect(await spans.first().locator('.span-duration').textContent()).toMatch(/\d ms/);
    await browser.screenshot('ops-traces');
    expect(browser.foreignRequests).toEqual([]);
  });

  it('labels the charts with their units and latest values, and asks nothing the stage cannot answer', async () => {
    const { page } = browser;
    const failures: string[] = [];
    const onConsole = (message: { type(): string; text(): string }) => {
      if (message.type() === 'error') failures.push(message.text());
    };
    const onResponse = (response: { status(): number; url(): string }) => {
      if (response.status() >= 400) failures.push(`${response.status()} ${response.url()}`);
    };
    page.on('console', onConsole);
    page.on('response', onResponse);
    try {
      await page.goto('/ops');
      await page.locator('[data-chart="latency"] canvas').waitFor();
      expect(await page.locator('[data-chart="latency"] figcaption').textContent()).toMatch(/\(ms\)/);
      await traffic();
      const latest = (chart: string) => page.locator(`[data-chart="${chart}"] .chart-latest`).textContent();
      await expect.poll(() => latest('latency'), { timeout: 15_000 }).toMatch(/p95: \d/);
      // Then a quiet interval: the newest point has no requests, but the chart is full of data.
      await expect.poll(() => latest('request-rate'), { timeout: 15_000 }).toMatch(/requests\/s: 0\b/);
      expect(await latest('latency')).not.toContain('no data yet');
      expect(await latest('latency')).toMatch(/p95: \d/);
      await expect
        .poll(() => page.locator('[data-panel="top-products"]').textContent())
        .toContain('come with the enterprise stage');
      // The page itself met no error: traffic()'s deliberate 404 came from outside the browser.
      expect(failures).toEqual([]);
    } finally {
      page.off('console', onConsole);
      page.off('response', onResponse);
    }
  });

  it('names the price when the product editor is given a negative one', async () => {
    const { page } = browser;
    await page.goto('/ops');
    const edit = page.getByRole('button', { name: /^Edit / }).first();
    const name = ((await edit.getAttribute('aria-label')) ?? '').replace(/^Edit /, '');
    await edit.click();
    await page.getByLabel(`Price of ${name}`).fill('-5');
    await page.getByRole('button', { name: 'Save' }).click();
    const alert = page.locator('.admin-table [role="alert"]');
    await expect.poll(() => alert.textContent()).toMatch(/Price/);
    expect(await alert.textContent()).not.toMatch(/received null|expected number/);
    await page.getByRole('button', { name: 'Cancel' }).click();
  });

  it('fits a 390 px phone screen without sideways scrolling', async () => {
    const { page } = browser;
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await page.goto('/ops');
      await page.getByRole('heading', { name: 'Stage: startup' }).waitFor();
      await page.locator('.admin-table').waitFor();
      await page.locator('[data-panel="cost"] table.stage-costs').waitFor();
      const overflow = await page.evaluate<number>(
        'document.documentElement.scrollWidth - window.innerWidth',
      );
      await browser.screenshot('12-ops-phone');
      expect(overflow).toBeLessThanOrEqual(0);
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });

  it('refuses a customer, in the page and in the API', async () => {
    const { page } = browser;
    await page.getByRole('button', { name: /Sign out/ }).click();
    await page.goto('/signup');
    await page.getByLabel('Name').fill('Curious Customer');
    await page.getByLabel('E-mail').fill('curious@example.com');
    await page.getByLabel('Password').fill('password-123');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(/\/$/);
    expect(await page.getByRole('link', { name: 'Ops console' }).count()).toBe(0);

    await page.goto('/ops');
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Access refused');
    expect(await page.locator('canvas').count()).toBe(0);
    await browser.screenshot('11-ops-refused');

    const stage = await apiCall<{ detail: string }>(server, '/api/ops/stage', { token: await tokenOf(page) });
    expect(stage.status).toBe(403);
    expect(stage.body.detail).toBe('Only an admin may do this.');
  });
});
