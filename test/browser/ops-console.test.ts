import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STAGES } from '../../src/contracts/stages.js';
import {
  apiCall,
  type Browser,
  type DevServer,
  openBrowser,
  startDevServer,
  tokenOf,
} from '../support/browser.js';
import { cachedTemplates, TEMPLATE_CACHE } from '../support/synth.js';

let server: DevServer;
let browser: Browser;

beforeAll(async () => {
  // The template cache growstack plan fills, which the console's costs and stage maps read.
  for (const stage of STAGES) await cachedTemplates(stage);
  server = await startDevServer([], { GROWSTACK_TEMPLATE_CACHE: TEMPLATE_CACHE });
  browser = await openBrowser(server.url);
}, 240_000);

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
  // Under load on a shared machine the panel, its curve and the live charts take past the default.
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
    // The cost curve growstack plan --html draws: a line and a quoted band per stage on log scales,
    // dashed where the three bounded stages stop fitting, and its facts in words.
    const curve = costs.locator('[data-chart="cost-curve"]');
    await curve.locator('svg').waitFor();
    expect(await curve.locator('polyline.stage-cost').count()).toBe(4);
    expect(await curve.locator('rect.quote-band').count()).toBe(4);
    expect(await curve.locator('line.stops-fitting').count()).toBe(3);
    expect(await curve.locator('svg text').allTextContents()).toEqual(
      expect.arrayContaining(['1,000', '10,000,000', 'monthly active users (log scale)']),
    );
    expect(await curve.locator('.curve-facts li').first().textContent()).toMatch(
      /^startup: stops fitting past 10,000 users/,
    );
    // The multi-region stages hold lines the price data cannot price: their totals read as lower
    // bounds, in the table and under the curve, never as the whole bill.
    const enterpriseTotal = costs
      .getByRole('row', { name: /^enterprise/ })
      .locator('td')
      .nth(2);
    expect(await enterpriseTotal.getAttribute('data-complete')).toBe('false');
    expect(await enterpriseTotal.textContent()).toMatch(
      /^at least \$[\d,]+\.\d\d \(incomplete: \d+ lines? not priced: /,
    );
    const startupTotal = costs
      .getByRole('row', { name: /^startup/ })
      .locator('td')
      .nth(2);
    expect(await startupTotal.textContent()).toMatch(/^\$[\d,]+\.\d\d$/);
    expect(await curve.locator('[data-lower-bounds]').getAttribute('data-lower-bounds')).toContain(
      'enterprise',
    );
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
  }, 60_000);

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

  it('draws the running stage’s map beside the next, with what the next adds and what it costs', async () => {
    const { page } = browser;
    await page.goto('/ops');
    const panel = page.locator('[data-panel="stage-map"]');
    const current = panel.locator('[data-map="current"][data-stage="startup"]');
    const map = current.getByRole('img', { name: /^Stage map: startup\. us-east-1: / });
    await map.waitFor();
    expect(await map.getAttribute('alt')).toMatch(/CloudFront.*API Gateway REST API.*DynamoDB table/);
    // Drawn: the browser decoded our SVG into an image of its declared size.
    await expect
      .poll(() =>
        page.evaluate<number>(
          `document.querySelector('[data-panel="stage-map"] [data-map="current"] img').naturalWidth`,
        ),
      )
      .toBeGreaterThan(300);
    const svg = decodeURIComponent(
      (await map.getAttribute('src'))?.replace(/^data:image\/svg\+xml;charset=utf-8,/, '') ?? '',
    );
    // Running locally, each box names its stand-in.
    expect(svg).toContain('local: DynamoDB Local');

    const next = panel.locator('[data-map="next"][data-stage="growing"]').getByRole('img');
    expect(await next.getAttribute('alt')).toMatch(/^Stage map: growing \(next stage\)/);
    const nextSvg = decodeURIComponent((await next.getAttribute('src')) ?? '');
    expect(nextSvg).toMatch(/<g class="box added" data-box="queues\.sqs">/);
    expect(nextSvg).toMatch(/<g class="box" data-box="data\.dynamodb">/);
    const added = panel.getByRole('list', { name: 'What growing adds' });
    expect(await added.textContent()).toContain('SQS queues');
    expect(await added.textContent()).not.toContain('DynamoDB table');

    // Its fixed cost is the cost panel's for growing: one inventory, the plan's. (The usage-driven
    // part follows the traffic measured at each request, so the totals may differ by a little.)
    const priced = panel.locator('[data-next="growing"] .advice');
    expect(await priced.locator('strong').textContent()).toMatch(/^growing costs \$[\d,]+\.\d\d a month$/);
    const growingRow = page
      .locator('[data-panel="cost"] table.stage-costs')
      .getByRole('row', { name: /^growing/ });
    await growingRow.waitFor();
    const fixed = (await growingRow.locator('td').first().textContent()) ?? 'none';
    expect(await priced.textContent()).toContain(`(fixed ${fixed},`);
    await browser.screenshot('ops-stage-map');
    expect(browser.foreignRequests).toEqual([]);
  });

  it('refreshes the traces on its own while asked to, and not while the tab is hidden', async () => {
    const { page } = browser;
    await page.goto('/ops');
    const panel = page.locator('[data-panel="traces"]');
    await panel.getByLabel('Route').fill('/api/orders');
    const listed = panel.getByRole('button', { name: 'GET /api/orders', exact: true });
    await panel.locator('caption').waitFor();
    expect(await listed.count()).toBe(0);
    await panel.getByLabel('Auto-refresh', { exact: true }).check();
    await panel.getByLabel('Auto-refresh interval').selectOption('2');
    expect((await fetch(`${server.url}/api/orders`)).status).toBe(401);
    // No click on Refresh: the panel asks again by itself.
    await listed.first().waitFor({ timeout: 10_000 });

    const asked: string[] = [];
    const onRequest = (request: { url(): string }) => {
      if (request.url().includes('/api/ops/traces?')) asked.push(request.url());
    };
    page.on('request', onRequest);
    try {
      // What the browser does when the tab goes to the background, and back.
      const setHidden = (hidden: boolean) =>
        page.evaluate(`(() => {
          Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => '${hidden ? 'hidden' : 'visible'}' });
          document.dispatchEvent(new Event('visibilitychange'));
        })()`);
      await setHidden(true);
      await panel.locator('[data-auto-refresh="paused"]').waitFor();
      const before = asked.length;
      await page.waitForTimeout(5000); // two intervals and more
      expect(asked.length).toBe(before);
      await setHidden(false);
      await panel.locator('[data-auto-refresh="on"]').waitFor();
      await expect.poll(() => asked.length).toBeGreaterThan(before);
    } finally {
      page.off('request', onRequest);
    }
    await panel.getByLabel('Auto-refresh', { exact: true }).uncheck();
    await panel.locator('[data-auto-refresh="off"]').waitFor();
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
