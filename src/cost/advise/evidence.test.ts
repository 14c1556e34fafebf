import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { capture } from '../../../test/support/cli.js';
import { templateInventories } from '../../../test/support/synth.js';
import { main } from '../../cli/main.js';
import { parseProfile } from '../plan/profile.js';
import { advise } from './advise.js';
import { evidenceOf, usersEstimate } from './evidence.js';

/** Each stage's inventory as growstack plan counts it, from the shared template cache. */
const templated = await templateInventories();

const inventories = new Map(templated);

/** A scrape `uptime` seconds after start holding `requests` requests, `slow` of them over 2.5 s. */
function scrape(uptime: number, requests: number, slow = 0): string {
  return [
    'growstack_stage_info{stage="startup"} 1',
    `growstack_uptime_seconds ${uptime}`,
    `http_requests_total{method="GET",route="/api/products",status="200"} ${requests}`,
    `http_request_duration_seconds_bucket{le="0.05",method="GET",route="/api/products",status="200"} ${requests - slow}`,
    `http_request_duration_seconds_bucket{le="2.5",method="GET",route="/api/products",status="200"} ${requests - slow}`,
    `http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/api/products",status="200"} ${requests}`,
    '',
  ].join('\n');
}
const adviseOn = (text: string, users?: number) =>
  advise({
    metricsText: text,
    profile: parseProfile({}),
    region: 'us-east-1',
    inventories,
    ...(users === undefined ? {} : { usersFlag: users }),
  });

describe('the advisor’s evidence window', () => {
  it.each([
    // The issue's cases: 2 requests a second after start; a few minutes of clicking.
    [1, 2, '2 requests over 1 second'],
    [300, 400, '400 requests over 5 minutes'],
    // An hour is not enough with too few requests, nor many requests in too short a time.
    [3600, 499, '499 requests over 60 minutes'],
    [3599, 5000, '5,000 requests over 60 minutes'],
  ])('answers "not enough data yet" for %i s and %i requests', (uptime, requests, window) => {
    const advice = adviseOn(scrape(uptime, requests));
    expect(advice.verdict).toBe('not-enough-data');
    expect(advice.recommendedStage).toBe('startup');
    expect(advice.summary).toBe(
      `not enough data yet (${window}; need at least 500 requests over at least 60 minutes): run longer, or pass --users N`,
    );
    expect(advice.findings.map((finding) => finding.rule)).toEqual(['evidence-window']);
  });

  it('answers at the minimum: 500 requests over an hour', () => {
    const advice = adviseOn(scrape(3600, 500));
    expect(advice.evidence.enough).toBe(true);
    expect(advice.verdict).toBe('stay');
  });

  it('keeps --users, but reads no latency from a handful of requests', () => {
    // 10 requests, all of them slow: a p99 of 10 requests is the slowest one.
    const thin = adviseOn(scrape(60, 10, 10), 5_000);
    expect(thin.verdict).toBe('stay');
    expect(thin.findings.map((finding) => finding.rule)).toEqual(['users-in-band']);
    const enough = adviseOn(scrape(3600, 1000, 1000), 5_000);
    expect(enough.findings.map((finding) => finding.rule)).toContain('p99-latency');
  });
});

describe('the users estimate from the request rate', () => {
  const profile = parseProfile({});

  it('is a range: the count’s 95 % interval, widened ×peak-to-average under a day', () => {
    // 1,000 requests in 3,600 s. A month is 730 h = 2,628,000 s; a user makes 6 x 15 = 90 calls.
    // Point: 1,000 / 3,600 x 2,628,000 = 730,000 requests / 90 = 8,111 users.
    // Spread: 1.96 x √1,000 = 61.98 requests. Under a day the factor is peakToAverage = 3.
    // Low: (1,000 - 61.98) / 3 = 312.67 -> x 730 = 228,250 / 90 = 2,536 users.
    // High: (1,000 + 61.98) x 3 = 3,185.94 -> x 730 = 2,325,737 / 90 = 25,842 users.
    const estimate = usersEstimate(profile, evidenceOf(1000, 3600));
    expect(estimate.point).toBe(8111);
    expect(estimate.low).toBe(2536);
    expect(estimate.high).toBe(25842);
    expect(estimate.basis).toMatch(/95 % interval .*×3 either way because the window is under a day/);
  });

  it('narrows with a longer window: 25 % either way under a week, the count alone past one', () => {
    // Two days, 100,000 requests: 100,000 / 172,800 x 2,628,000 = 1,520,833 / 90 = 16,898.
    // Spread 1.96 x √100,000 = 619.8. Low (99,380.2 / 1.25) -> 1,209,132 / 90 = 13,435;
    // high (100,619.8 x 1.25) -> 1,912,856 / 90 = 21,254.
    const days = usersEstimate(profile, evidenceOf(100_000, 2 * 86_400));
    expect([days.low, days.point, days.high]).toEqual([13435, 16898, 21254]);
    // Eight days, 400,000 requests: 400,000 / 691,200 x 2,628,000 = 1,520,833 -> 16,898.
    // Spread 1.96 x √400,000 = 1,239.6: low 398,760.4 -> 16,846; high 401,239.6 -> 16,951.
    const week = usersEstimate(profile, evidenceOf(400_000, 8 * 86_400));
    expect([week.low, week.point, week.high]).toEqual([16846, 16898, 16951]);
  });

  it('prints the range, the evidence and whether the range crosses the band', () => {
    const advice = adviseOn(scrape(3600, 1000));
    expect(advice.usersRange).toMatchObject({ low: 2536, point: 8111, high: 25842 });
    expect(advice.findings[0]?.message).toMatch(
      /8,111 monthly users \(range 2,536-25,842, which reaches across startup's 0-10,000 band/,
    );
    expect(advice.cost.currentRangeUsd?.[0]).toBeLessThanOrEqual(advice.cost.currentUsd);
    expect(advice.cost.currentRangeUsd?.[1]).toBeGreaterThanOrEqual(advice.cost.currentUsd);
  });
});

describe('growstack advise on too little traffic', () => {
  it('says so, with the window it saw and the one it needs, in text and JSON', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'growstack-evidence-')), 'metrics.txt');
    writeFileSync(file, scrape(1, 2));
    const text = capture();
    expect(await main(['advise', '--metrics', file], text.io)).toBe(0);
    const out = text.out.join('\n');
    expect(out).toMatch(
      /Verdict: not enough data yet \(2 requests over 1 second; need at least 500 requests/,
    );
    expect(out).toMatch(/Evidence: 2 requests over 1 second; the minimum .* \(not met\)/);
    expect(out).not.toMatch(/move up/);
    const json = capture();
    expect(await main(['advise', '--metrics', file, '--json'], json.io)).toBe(0);
    expect(JSON.parse(json.out.join('\n'))).toMatchObject({
      verdict: 'not-enough-data',
      evidence: { requests: 2, seconds: 1, minRequests: 500, minSeconds: 3600, enough: false },
    });
  }, 60_000);
});
