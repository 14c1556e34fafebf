import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStorefront, type TestStorefront } from '../../../test/support/storefront.js';

describe('GET /api/ops/plan', () => {
  let storefront: TestStorefront;
  let lambdaLike: TestStorefront;
  beforeAll(async () => {
    storefront = await createTestStorefront();
    lambdaLike = await createTestStorefront({ costReport: false });
  });
  afterAll(() => {
    storefront?.runtime.close();
    lambdaLike?.runtime.close();
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
