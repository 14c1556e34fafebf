import { describe, expect, it } from 'vitest';
import { capture } from '../../../test/support/cli.js';
import { templateInventories } from '../../../test/support/synth.js';
import { main } from '../../cli/main.js';
import type { Stage } from '../../contracts/stages.js';
import { advise } from '../advise/advise.js';
import { planStages } from './plan.js';
import { parseProfile } from './profile.js';

/** Each stage's inventory as growstack plan counts it, from the shared template cache. */
const templated = await templateInventories();

const inventories = new Map(templated);
const fits = (users: number, stage: Stage) =>
  planStages({ profile: parseProfile({}, users), region: 'us-east-1', inventories }).stages.find(
    (candidate) => candidate.stage === stage,
  )!.meetsNeeds;

/** A scrape of an hour's traffic at `stage`: enough evidence for the advisor to answer. */
const scrape = (stage: Stage) =>
  [
    `growstack_stage_info{stage="${stage}"} 1`,
    'growstack_uptime_seconds 3600',
    'http_requests_total{method="GET",route="/api/products",status="200"} 1000',
    'http_request_duration_seconds_bucket{le="0.05",method="GET",route="/api/products",status="200"} 1000',
    'http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/api/products",status="200"} 1000',
    '',
  ].join('\n');
const adviseAt = (stage: Stage, users: number) =>
  advise({
    metricsText: scrape(stage),
    profile: parseProfile({}),
    usersFlag: users,
    region: 'us-east-1',
    inventories,
  });

describe('each band edge, in the plan and the advisor', () => {
  it.each([
    ['startup', 10_000, true],
    ['startup', 10_001, false],
    ['growing', 100_000, true],
    ['growing', 100_001, false],
    ['scaling', 1_000_000, true],
    ['scaling', 1_000_001, false],
  ] as const)('plan: %s fits %i users: %s', (stage, users, expected) => {
    expect(fits(users, stage)).toBe(expected);
  });

  it.each([
    [10_000, 'startup'],
    [10_001, 'growing'],
    [100_000, 'growing'],
    [100_001, 'scaling'],
    [1_000_000, 'scaling'],
    [1_000_001, 'enterprise'],
  ] as const)('plan: the cheapest stage that fits %i users is %s', (users, stage) => {
    expect(planStages({ profile: parseProfile({}, users), region: 'us-east-1', inventories }).cheapest).toBe(
      stage,
    );
  });

  it.each([
    ['startup', 10_000, 'stay', 'startup'],
    ['startup', 10_001, 'move-up', 'growing'],
    ['growing', 100_000, 'stay', 'growing'],
    ['growing', 100_001, 'move-up', 'scaling'],
    ['scaling', 1_000_000, 'stay', 'scaling'],
    ['scaling', 1_000_001, 'move-up', 'enterprise'],
  ] as const)('advise: at %s with %i users the verdict is %s (%s)', (stage, users, verdict, recommended) => {
    const advice = adviseAt(stage, users);
    expect(advice.verdict).toBe(verdict);
    expect(advice.recommendedStage).toBe(recommended);
  });

  it('growstack plan with no flags (10,000 users) says startup fits and is the cheapest', async () => {
    const { io, out } = capture();
    expect(await main(['plan', '--stage', 'startup'], io)).toBe(0);
    const text = out.join('\n');
    expect(text).toMatch(/startup: fits \(sized for 0-10,000 users\)/);
    expect(text).toMatch(/Cheapest stage that meets this profile: startup/);
  }, 60_000);
});
