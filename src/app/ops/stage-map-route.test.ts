import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStorefront, type TestStorefront } from '../../../test/support/storefront.js';
import { cachedTemplates, ROOT, TEMPLATE_CACHE } from '../../../test/support/synth.js';
import { STAGES } from '../../contracts/stages.js';
import { templateCacheReader } from '../../platform/template-cache-reader.js';

describe('GET /api/ops/stage-map', () => {
  let storefront: TestStorefront;
  let uncached: TestStorefront;
  let bare: TestStorefront;
  beforeAll(async () => {
    for (const stage of STAGES) await cachedTemplates(stage);
    storefront = await createTestStorefront({ templates: templateCacheReader(TEMPLATE_CACHE, ROOT) });
    uncached = await createTestStorefront({ templates: () => undefined });
    bare = await createTestStorefront();
  }, 240_000);
  afterAll(() => {
    storefront?.runtime.close();
    uncached?.runtime.close();
    bare?.runtime.close();
  });

  it('draws the running stage beside the next, with what the next adds and its monthly cost', async () => {
    const token = await storefront.adminToken();
    const response = await storefront.call('GET', '/api/ops/stage-map', { token });
    expect(response.status).toBe(200);
    const report = response.json;
    expect(report).toMatchObject({ running: 'startup', stage: 'startup', next: 'growing', missing: [] });
    expect(report.current.regions[0].boxes.map((box: { id: string }) => box.id)).toContain('data.dynamodb');
    expect(report.current.svg).toContain('aria-label="Stage map: startup"');
    expect(report.nextMap.svg).toMatch(/<g class="box added" data-box="queues\.sqs">/);
    expect(report.nextMap.svg).toMatch(/<g class="box" data-box="data\.dynamodb">/);
    expect(report.diff.added.map((change: { id: string }) => change.id)).toContain('queues.sqs');
    // The same figure as the cost panel's, which prices the same cached templates as the plan.
    const plan = await storefront.call('GET', '/api/ops/plan', { token });
    const growing = plan.json.stages.find((stage: { stage: string }) => stage.stage === 'growing');
    expect(report.nextMonthly.fixedUsd).toBe(growing.fixedUsd);
    expect(report.nextMonthly.totalUsd).toBeGreaterThan(0);
    expect(report.nextMonthlyNote).toMatch(/a month at .* users/);
  });

  it('draws another stage on request, and the last stage without a next', async () => {
    const token = await storefront.adminToken();
    const scaling = await storefront.call('GET', '/api/ops/stage-map?stage=scaling', { token });
    expect(scaling.json.diff.addedRegions).toEqual(['ap-southeast-1']);
    expect(scaling.json.nextMap.svg).toContain('class="region added" data-region="ap-southeast-1"');
    const last = await storefront.call('GET', '/api/ops/stage-map?stage=enterprise', { token });
    expect(last.json).toMatchObject({ next: null, nextMap: null, diff: null, nextMonthly: null });
    expect(last.json.current.regions).toHaveLength(3);
  });

  it('says which templates are missing and how to fill the cache', async () => {
    const response = await uncached.call('GET', '/api/ops/stage-map', { token: await uncached.adminToken() });
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({
      missing: ['startup', 'growing'],
      fillCommand: 'npx growstack plan',
      current: null,
      nextMap: null,
      nextMonthly: null,
    });
    expect(response.json.nextMonthlyNote).toMatch(/not cached \(run npx growstack plan\)/);
  });

  it('answers a stage it does not know with problem+json naming the field', async () => {
    const response = await storefront.call('GET', '/api/ops/stage-map?stage=huge', {
      token: await storefront.adminToken(),
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.json.errors[0].path).toBe('stage');
  });

  it('refuses anybody but an admin, and answers 404 where no template cache is kept', async () => {
    expect((await storefront.call('GET', '/api/ops/stage-map')).status).toBe(401);
    const customer = await storefront.customer();
    expect((await storefront.call('GET', '/api/ops/stage-map', { token: customer.token })).status).toBe(403);
    const none = await bare.call('GET', '/api/ops/stage-map', { token: await bare.adminToken() });
    expect(none.status).toBe(404);
    expect(none.json.detail).toMatch(/synthesized-templates cache/);
  });
});
