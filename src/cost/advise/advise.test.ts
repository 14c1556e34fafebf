import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capture } from '../../../test/support/cli.js';
import { createTestStorefront, type TestStorefront } from '../../../test/support/storefront.js';
import { templateInventories } from '../../../test/support/synth.js';
import { main } from '../../cli/main.js';
import { ConfigError } from '../../contracts/errors.js';
import { parseProfile } from '../plan/profile.js';
import { advise } from './advise.js';

/** Each stage's inventory as growstack plan counts it, from the shared template cache. */
const templated = await templateInventories();

const inventories = new Map(templated);

/** A scrape as the app writes it: `requests` requests of which `errors` 5xx, all in one latency bucket. */
function scrape(options: {
  stage: string;
  uptime: number;
  requests: number;
  errors?: number;
  latencyBucket?: number;
  cache?: { hits: number; misses: number };
  queue?: { depth: number; dead: number };
}): string {
  const ok = options.requests - (options.errors ?? 0);
  const bucket = options.latencyBucket ?? 0.05;
  const buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
  const lines = [
    `growstack_stage_info{stage="${options.stage}"} 1`,
    `growstack_uptime_seconds ${options.uptime}`,
    `http_requests_total{method="GET",route="/api/products",status="200"} ${ok}`,
    `http_requests_total{method="GET",route="/api/products",status="500"} ${options.errors ?? 0}`,
    // The ops console's own polling is not traffic.
    `http_requests_total{method="GET",route="/metrics",status="200"} 100000`,
    ...buckets.map(
      (le) =>
        `http_request_duration_seconds_bucket{le="${le}",method="GET",route="/api/products",status="200"} ${le >= bucket ? options.requests : 0}`,
    ),
    `http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/api/products",status="200"} ${options.requests}`,
  ];
  if (options.cache)
    lines.push(`cache_hits_total ${options.cache.hits}`, `cache_misses_total ${options.cache.misses}`);
  if (options.queue) lines.push(`queue_depth ${options.queue.depth}`, `dlq_depth ${options.queue.dead}`);
  return `${lines.join('\n')}\n`;
}

const adviseOn = (text: string, users?: number) =>
  advise({
    metricsText: text,
    profile: parseProfile({}),
    region: 'us-east-1',
    inventories,
    ...(users === undefined ? {} : { usersFlag: users }),
  });

describe('the stage advisor', () => {
  it('flags a share of 429s above 2 %, saying where the counters live at the stage', () => {
    const limited = (stage: string) =>
      `${scrape({ stage, uptime: 3600, requests: 1000 })}http_requests_total{method="GET",route="/api/products",status="429"} 50\n`;
    const growing = adviseOn(limited('growing'), 50_000).findings.find(
      (finding) => finding.rule === 'rate-limited',
    );
    expect(growing?.measured).toBeCloseTo(50 / 1050, 5);
    expect(growing?.message).toMatch(/counted per API instance/);
    const scaling = adviseOn(limited('scaling'), 300_000).findings.find(
      (finding) => finding.rule === 'rate-limited',
    );
    expect(scaling?.message).toMatch(/counted across every task in Redis/);
    const few = `${scrape({ stage: 'growing', uptime: 3600, requests: 1000 })}http_requests_total{method="GET",route="/api/products",status="429"} 5\n`;
    expect(adviseOn(few, 50_000).findings.some((finding) => finding.rule === 'rate-limited')).toBe(false);
  });

  it('reports jobs lost to a queue outage', () => {
    const text = `${scrape({ stage: 'growing', uptime: 3600, requests: 1000 })}growstack_business_events_total{event="jobs_enqueue_failed",stage="growing"} 3\n`;
    const lost = adviseOn(text, 50_000).findings.find((finding) => finding.rule === 'jobs-lost');
    expect(lost).toMatchObject({ direction: 'fix', measured: 3, threshold: 0 });
  });

  it('says what the next stage brings when latency points up from scaling', () => {
    const slow = adviseOn(
      scrape({ stage: 'scaling', uptime: 3600, requests: 1000, latencyBucket: 2.5 }),
      300_000,
    );
    const p99 = slow.findings.find((finding) => finding.rule === 'p99-latency');
    expect(p99?.message).toMatch(/enterprise adds OpenSearch/);
    expect(slow.recommendedStage).toBe('enterprise');
  });

  it('knows the enterprise triggers: slow search and an event volume the table counters should not take', () => {
    const buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    const search = (seconds: number, count: number) =>
      [...buckets.map(String), '+Inf']
        .map(
          (le) =>
            `http_request_duration_seconds_bucket{le="${le}",method="GET",route="/api/search",status="200"} ${le === '+Inf' || Number(le) >= seconds ? count : 0}`,
        )
        .join('\n');
    const events = (count: number) => `growstack_business_events_total{event="events_recorded"} ${count}`;
    const base = scrape({ stage: 'scaling', uptime: 100, requests: 1000 });
    const slow = adviseOn(`${base}${search(1, 500)}\n${events(50_000)}\n`, 300_000);
    expect(slow.findings.find((finding) => finding.rule === 'search-latency')).toMatchObject({
      direction: 'up',
      // Interpolated within the bucket (0.5 s, 1 s] that holds every search.
      measured: 0.975,
      threshold: 0.5,
      message: expect.stringMatching(/in-process index.*OpenSearch/),
    });
    expect(slow.findings.find((finding) => finding.rule === 'event-volume')).toMatchObject({
      direction: 'up',
      measured: 500,
      threshold: 200,
      message: expect.stringMatching(/Kinesis/),
    });
    expect(slow.recommendedStage).toBe('enterprise');
    // Fast search, few events, or too few searches to judge: no finding.
    const calm = adviseOn(`${base}${search(0.1, 500)}\n${events(1000)}\n`, 300_000);
    expect(calm.findings.map((finding) => finding.rule)).not.toContain('search-latency');
    expect(calm.findings.map((finding) => finding.rule)).not.toContain('event-volume');
    const few = adviseOn(`${base}${search(5, 20)}\n`, 300_000);
    expect(few.findings.map((finding) => finding.rule)).not.toContain('search-latency');
    // At enterprise, OpenSearch and the stream are already there.
    const already = adviseOn(
      `${scrape({ stage: 'enterprise', uptime: 100, requests: 1000 })}${search(1, 500)}\n${events(50_000)}\n`,
      2_000_000,
    );
    expect(already.findings.map((finding) => finding.rule)).not.toContain('search-latency');
    expect(already.findings.map((finding) => finding.rule)).not.toContain('event-volume');
  });

  it('estimates users from the request rate and keeps a stage whose band holds them', () => {
    // 1,000 requests in an hour: 730,000 a month; at 6 sessions of 15 calls a user, 8,111 users.
    const advice = adviseOn(scrape({ stage: 'startup', uptime: 3600, requests: 1000 }));
    expect(advice.measured.requestsPerSecond).toBeCloseTo(1000 / 3600, 6);
    expect(advice.users).toBe(8111);
    expect(advice.usersFrom).toBe('request rate');
    expect(advice.verdict).toBe('stay');
    expect(advice.findings.map((finding) => finding.rule)).toEqual(['users-in-band']);
  });

  it('says when to move up, with the rule, the value, the threshold and the monthly cost of the move', () => {
    const advice = adviseOn(scrape({ stage: 'startup', uptime: 3600, requests: 1000 }), 50_000);
    expect(advice).toMatchObject({ verdict: 'move-up', recommendedStage: 'growing', users: 50_000 });
    expect(advice.findings[0]).toMatchObject({
      rule: 'users-above-stage',
      measured: 50_000,
      threshold: 10_000,
    });
    expect(advice.cost.recommendedUsd).toBeGreaterThan(advice.cost.currentUsd);
    expect(advice.cost.deltaUsd).toBeCloseTo(advice.cost.recommendedUsd - advice.cost.currentUsd, 2);
    expect(advice.summary).toMatch(/move up from startup to growing: \$[\d,.]+ a month instead of/);
  });

  it('jumps to the stage whose band holds the users, not just the next one', () => {
    expect(adviseOn(scrape({ stage: 'startup', uptime: 60, requests: 10 }), 2_000_000).recommendedStage).toBe(
      'enterprise',
    );
  });

  it('says when a stage is more than the traffic needs, and what stepping down saves', () => {
    const advice = adviseOn(scrape({ stage: 'growing', uptime: 3600, requests: 100 }), 2_000);
    expect(advice).toMatchObject({ verdict: 'move-down', recommendedStage: 'startup' });
    expect(advice.findings[0]).toMatchObject({
      rule: 'users-below-stage',
      measured: 2_000,
      threshold: 5_000,
    });
    expect(advice.cost.deltaUsd).toBeLessThan(0);
  });

  it('moves up for a p99 above one second, and lists problems that are not a stage matter', () => {
    const advice = adviseOn(
      scrape({
        stage: 'growing',
        uptime: 3600,
        requests: 1000,
        errors: 50,
        latencyBucket: 2.5,
        cache: { hits: 10, misses: 90 },
        queue: { depth: 5000, dead: 3 },
      }),
      50_000,
    );
    const rules = Object.fromEntries(advice.findings.map((finding) => [finding.rule, finding]));
    expect(rules['p99-latency']).toMatchObject({ direction: 'up', threshold: 1 });
    expect(rules['p99-latency']!.measured).toBeGreaterThan(1);
    expect(rules['error-rate']).toMatchObject({ direction: 'fix', measured: 0.05, threshold: 0.01 });
    expect(rules['cache-hit-ratio']).toMatchObject({ direction: 'fix', measured: 0.1 });
    expect(rules['dead-letters']).toMatchObject({ measured: 3 });
    expect(rules['queue-backlog']).toMatchObject({ measured: 5000 });
    expect(advice.recommendedStage).toBe('scaling');
  });

  it('refuses text that is not a Growstack scrape', () => {
    expect(() => adviseOn('up 1\n')).toThrow(ConfigError);
    expect(() => adviseOn('growstack_stage_info{stage="startup"} 1\n')).toThrow(/growstack_uptime_seconds/);
  });
});

describe('growstack advise on a real app’s /metrics', () => {
  let storefront: TestStorefront;
  beforeAll(async () => {
    storefront = await createTestStorefront();
  });
  afterAll(() => storefront?.runtime.close());

  it('reads the scrape and recommends a stage, as text and as JSON', async () => {
    for (let index = 0; index < 20; index++) await storefront.call('GET', '/api/products?limit=5');
    const response = await storefront.runtime.app.request('/metrics');
    const file = join(mkdtempSync(join(tmpdir(), 'growstack-advise-')), 'metrics.txt');
    writeFileSync(file, await response.text());

    const json = capture();
    expect(await main(['advise', '--metrics', file, '--users', '50000', '--json'], json.io)).toBe(0);
    const advice = JSON.parse(json.out.join('\n'));
    expect(advice).toMatchObject({ stage: 'startup', verdict: 'move-up', recommendedStage: 'growing' });
    expect(advice.measured.requests).toBeGreaterThanOrEqual(20);

    const text = capture();
    expect(await main(['advise', '--metrics', file, '--users', '50000'], text.io)).toBe(0);
    expect(text.out.join('\n')).toMatch(/\[up\] users-above-stage: 50,000 monthly users/);
  }, 60_000);

  it.each([
    [['advise', '--url', 'http://127.0.0.1:9/', '--metrics', 'x'], /not both/],
    [['advise', '--url', 'http://127.0.0.1:9/'], /nothing answered/],
    [['advise', '--metrics', '/nonexistent/metrics.txt'], /cannot be read/],
    [['advise', '--url', 'not a url'], /--url must be an http\(s\) URL/],
  ])('exits 2 with one line for %j', async (argv, message) => {
    const { io, err } = capture();
    expect(await main(argv, io)).toBe(2);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(message);
  });
});
