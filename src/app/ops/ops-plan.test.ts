import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStorefront, type TestStorefront } from '../../../test/support/storefront.js';
import { cachedTemplates, ROOT, TEMPLATE_CACHE } from '../../../test/support/synth.js';
import { STAGES, type Stage } from '../../contracts/stages.js';
import type { RegionTemplate } from '../../contracts/templates.js';
import { planStages } from '../../cost/plan/plan.js';
import { parseProfile } from '../../cost/plan/profile.js';
import { inventoryFromTemplates } from '../../cost/plan/template-inventory.js';
import { templateCacheReader } from '../../platform/template-cache-reader.js';

describe('GET /api/ops/plan', () => {
  let storefront: TestStorefront;
  let lambdaLike: TestStorefront;
  let uncached: TestStorefront;
  const templates = new Map<Stage, RegionTemplate[]>();
  beforeAll(async () => {
    // The cache the plan fills: synthesized once for the run, then read.
    for (const stage of STAGES) templates.set(stage, await cachedTemplates(stage));
    storefront = await createTestStorefront({ templates: templateCacheReader(TEMPLATE_CACHE, ROOT) });
    lambdaLike = await createTestStorefront({ costReport: false });
    uncached = await createTestStorefront({ templates: () => undefined });
  }, 240_000);
  afterAll(() => {
    storefront?.runtime.close();
    lambdaLike?.runtime.close();
    uncached?.runtime.close();
  });

  it('gives an admin every stage’s cost at the measured traffic and the advisor’s verdict', async () => {
    for (let index = 0; index < 5; index++) await storefront.call('GET', '/api/products');
    const response = await storefront.call('GET', '/api/ops/plan', { token: await storefront.adminToken() });
    expect(response.status).toBe(200);
    expect(response.json.stage).toBe('startup');
    expect(response.json.stages.map((stage: { stage: string }) => stage.stage)).toEqual([
      'startup',
      'growing',
      'scaling',
      'enterprise',
    ]);
    for (const stage of response.json.stages) expect(stage.totalUsd).toBeGreaterThanOrEqual(0);
    // Five requests in a fraction of a second say nothing about a month: no extrapolation, no move.
    expect(response.json.verdict).toBe('not-enough-data');
    expect(response.json.summary).toMatch(
      /^not enough data yet \(\d+ requests over \d+ seconds?; need at least 500/,
    );
    expect(response.json.usersFrom).toBe('profile');
    expect(response.json.recommendedStage).toBe('startup');
    expect(response.json.findings[0]).toMatchObject({ rule: 'evidence-window', threshold: 500 });
    // Which prices, the dates of their data and the newest one's age in days.
    expect(response.json.prices).toMatchObject({
      kind: 'shipped',
      newest: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });
    expect(response.json.prices.ageDays).toBeGreaterThanOrEqual(0);
    expect(response.json.templates).toEqual({ missing: [], stale: [], fillCommand: 'npx growstack plan' });
  });

  it('prices each stage’s fixed costs from the same template inventory as growstack plan', async () => {
    const response = await storefront.call('GET', '/api/ops/plan', { token: await storefront.adminToken() });
    const plan = planStages({
      profile: parseProfile({}, 1000),
      region: 'us-east-1',
      inventories: new Map(STAGES.map((stage) => [stage, inventoryFromTemplates(templates.get(stage)!)])),
    });
    const fixed = (stages: { stage: string; fixedUsd: number; source: string }[]) =>
      stages.map(({ stage, fixedUsd, source }) => ({ stage, fixedUsd, source }));
    expect(fixed(response.json.stages)).toEqual(fixed(plan.stages));
    expect(new Set(response.json.stages.map((stage: { source: string }) => stage.source))).toEqual(
      new Set(['synthesized template']),
    );
  });

  it('names the stages it cannot price, and the command that fills the template cache', async () => {
    const response = await uncached.call('GET', '/api/ops/plan', { token: await uncached.adminToken() });
    expect(response.status).toBe(200);
    expect(response.json.stages).toEqual([]);
    expect(response.json.templates.missing).toEqual([...STAGES]);
    expect(response.json.summary).toMatch(
      /not priced: the templates of startup.* are not cached \(run npx growstack plan\)/,
    );
    expect(response.json.summary).not.toMatch(/\$0/);
  });

  it('refuses anybody but an admin', async () => {
    expect((await storefront.call('GET', '/api/ops/plan')).status).toBe(401);
    const customer = await storefront.customer();
    const refused = await storefront.call('GET', '/api/ops/plan', { token: customer.token });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
  });

  it('answers 404 problem+json where the process cannot read its own metrics', async () => {
    const response = await lambdaLike.call('GET', '/api/ops/plan', { token: await lambdaLike.adminToken() });
    expect(response.status).toBe(404);
    expect(response.json.detail).toMatch(/does not serve/);
  });
});
