import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStorefront, type TestStorefront } from '../../../test/support/storefront.js';
import { cachedTemplates, ROOT, TEMPLATE_CACHE } from '../../../test/support/synth.js';
import { capabilitiesOf, STAGES, type Stage } from '../../contracts/stages.js';
import type { RegionTemplate } from '../../contracts/templates.js';
import { CURVE_MAX_USERS, CURVE_MIN_USERS, costCurve } from '../../cost/plan/cost-curve.js';
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

  it('says which totals leave lines not priced, and names the lines, as the plan does', async () => {
    const response = await storefront.call('GET', '/api/ops/plan', { token: await storefront.adminToken() });
    const plan = planStages({
      profile: parseProfile({}, 1000),
      region: 'us-east-1',
      inventories: new Map(STAGES.map((stage) => [stage, inventoryFromTemplates(templates.get(stage)!)])),
    });
    const byStage = new Map(
      response.json.stages.map((stage: { stage: string }) => [stage.stage, stage]),
    ) as Map<string, { complete: boolean; unpriced: { service: string; item: string; region: string }[] }>;
    for (const stage of plan.stages) {
      const served = byStage.get(stage.stage)!;
      expect(served.complete).toBe(stage.complete);
      // Each distinct line the plan cannot price, once.
      const lines = new Set(stage.unpriced.map((line) => `${line.service}|${line.item}|${line.region}`));
      expect(new Set(served.unpriced.map((line) => `${line.service}|${line.item}|${line.region}`))).toEqual(
        lines,
      );
      expect(served.unpriced).toHaveLength(lines.size);
    }
    // The multi-region stages hold cells the price data has no figure for (docs/cost-model.md):
    // their totals are lower bounds, and the report must not pass them off as whole.
    expect(byStage.get('startup')!.complete).toBe(true);
    expect(byStage.get('enterprise')!.complete).toBe(false);
    expect(byStage.get('enterprise')!.unpriced.length).toBeGreaterThan(0);
  });

  it('serves the cost curve growstack plan --html draws: 1k to 10M users, bands, edges, crossovers', async () => {
    const response = await storefront.call('GET', '/api/ops/plan', { token: await storefront.adminToken() });
    const curve = response.json.curve;
    // The same curve the plan computes from the same templates, under the default profile.
    const expected = costCurve({
      profile: parseProfile({}),
      region: 'us-east-1',
      inventories: new Map(STAGES.map((stage) => [stage, inventoryFromTemplates(templates.get(stage)!)])),
    });
    expect(curve.points).toEqual(JSON.parse(JSON.stringify(expected.points)));
    expect(curve.stages).toEqual(JSON.parse(JSON.stringify(expected.stages)));
    // Log scale from 1,000 to 10,000,000 users, four points a decade: 4 decades, 17 points.
    expect(curve.points).toHaveLength(17);
    expect(curve.points[0].users).toBe(CURVE_MIN_USERS);
    expect(curve.points[16].users).toBe(CURVE_MAX_USERS);
    expect(curve.points[4].users).toBe(10_000);
    // Each stage stops fitting at its band's top; the open top band never does.
    expect(curve.stages.map((stage: { stopsFittingAt: number | null }) => stage.stopsFittingAt)).toEqual(
      STAGES.map((stage) => capabilitiesOf(stage).users.max),
    );
    expect(curve.stages[0].quote).toEqual({ minUsd: 50, maxUsd: 200 });
    // The drawing: a line and a quoted band per stage, a dashed edge for the three bounded bands.
    const count = (pattern: RegExp) => (curve.svg.match(pattern) ?? []).length;
    expect(count(/<polyline class="stage-cost"/g)).toBe(4);
    expect(count(/<rect class="quote-band"/g)).toBe(4);
    expect(count(/<line class="stops-fitting"/g)).toBe(3);
    expect(count(/<circle class="next-cheaper"/g)).toBe(
      curve.stages.filter((stage: { nextCheaperFrom: number | null }) => stage.nextCheaperFrom !== null)
        .length,
    );
    expect(curve.facts[0]).toMatch(/^startup: stops fitting past 10,000 users/);
  });

  it('names the stages it cannot price, and the command that fills the template cache', async () => {
    const response = await uncached.call('GET', '/api/ops/plan', { token: await uncached.adminToken() });
    expect(response.status).toBe(200);
    expect(response.json.stages).toEqual([]);
    // No priced stage, no curve: nothing is drawn at $0.
    expect(response.json.curve).toBeNull();
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
