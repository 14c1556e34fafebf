import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, type DevServer, openBrowser, startDevServer } from '../support/browser.js';

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

describe('the ops console’s traces', () => {
  it('lists the requests just made and opens one as a waterfall of its DynamoDB calls', async () => {
    const { page } = browser;
    await page.goto('/login?next=/ops');
    await page.getByLabel('E-mail').fill('admin@growstack.local');
    await page.getByLabel('Password').fill('growstack-admin');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/ops$/);

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
});
