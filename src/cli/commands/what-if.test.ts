import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { capture } from '../../../test/support/cli.js';
import { main } from '../main.js';

const dir = mkdtempSync(join(tmpdir(), 'growstack-what-if-'));

async function planJson(args: string[]) {
  const { io, out, err } = capture();
  const code = await main(['plan', ...args, '--json'], io);
  expect(code, err.join('\n')).toBe(0);
  return JSON.parse(out.join('\n'));
}

type Line = { item: string; quantity: number; usd: number };
type Service = { service: string; lines: Line[] };
const linesOf = (stage: { services: Service[] }, service: string) =>
  stage.services.find((candidate) => candidate.service === service)?.lines ?? [];

describe('growstack plan --set', () => {
  it('overrides usage-profile fields for one run', async () => {
    const plan = await planJson([
      '--stage',
      'startup',
      '--set',
      'cacheHitRatio=0.5',
      '--set',
      'sessionsPerUser=2',
    ]);
    expect(plan.profile).toMatchObject({ cacheHitRatio: 0.5, sessionsPerUser: 2, users: 10_000 });
    // 10,000 users x 2 sessions.
    expect(plan.traffic.sessions).toBe(20_000);
  }, 60_000);

  it('overrides a growstack.config.ts setting for one run: twice the API tasks, twice the task-hours', async () => {
    const tasks = async (args: string[]) => {
      const [scaling] = (await planJson(['--stage', 'scaling', ...args])).stages;
      return linesOf(scaling, 'fargate')
        .filter((line) => /vCPU/i.test(line.item))
        .reduce((sum, line) => sum + line.quantity, 0);
    };
    const two = await tasks([]);
    const four = await tasks(['--set', 'apiMinTasks=4']);
    expect(two).toBeGreaterThan(0);
    expect(four).toBeCloseTo(two * 2, 6);
  }, 300_000);

  it.each([
    [['--set', 'bogus=1'], /^growstack plan: --set bogus: unknown key/],
    [['--set', 'readShare=2'], /^growstack plan: --set readShare: .*got 2$/],
    [['--set', 'apiMinTasks=1'], /^growstack plan: --set apiMinTasks: /],
    [['--set', 'needsMultiRegion=maybe'], /^growstack plan: --set needsMultiRegion: /],
    [['--set', 'analyticsEngine=bigquery'], /^growstack plan: --set analyticsEngine: .*got bigquery$/],
    [['--set', 'cacheHitRatio'], /^growstack plan: --set cacheHitRatio: expected key=value/],
  ])('exits 2 with one line naming the key for %j', async (args, message) => {
    const { io, err } = capture();
    expect(await main(['plan', '--stage', 'startup', ...args], io)).toBe(2);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(message);
  });
});

describe('growstack plan --baseline', () => {
  it('prints the change per stage and per line, and fails above the limit', async () => {
    const current = await planJson(['--stage', 'startup', '--users', '1000000']);
    // The baseline: the same plan with its largest line $2 cheaper, so the stage rose by $2.
    const baseline = structuredClone(current);
    const stage = baseline.stages[0];
    const line = stage.services[0].lines[0];
    line.usd = Number((line.usd - 2).toFixed(2));
    stage.totalUsd = Number((stage.totalUsd - 2).toFixed(2));
    const file = join(dir, 'base.json');
    writeFileSync(file, JSON.stringify(baseline));

    const text = capture();
    expect(
      await main(
        ['plan', '--stage', 'startup', '--users', '1000000', '--baseline', file, '--fail-above', '5'],
        text.io,
      ),
    ).toBe(0);
    const out = text.out.join('\n');
    expect(out).toMatch(/Change against .*base\.json \(a month\):/);
    expect(out).toMatch(/startup: \$[\d,.]+ -> \$[\d,.]+ \(\+\$2\.00\)/);
    expect(out).toContain(`  ${stage.services[0].service} ${line.item} (${line.kind}):`);

    const failing = capture();
    expect(
      await main(
        ['plan', '--stage', 'startup', '--users', '1000000', '--baseline', file, '--fail-above', '1.5'],
        failing.io,
      ),
    ).toBe(1);
    expect(failing.err).toEqual(['growstack plan: --fail-above 1.5: startup rose by $2.00 a month']);

    const json = capture();
    expect(
      await main(['plan', '--stage', 'startup', '--users', '1000000', '--baseline', file, '--json'], json.io),
    ).toBe(0);
    const change = JSON.parse(json.out.join('\n')).change;
    expect(change.maxRiseUsd).toBe(2);
    expect(change.stages[0].lines).toHaveLength(1);
    expect(change.stages[0].lines[0]).toMatchObject({ item: line.item, deltaUsd: 2 });
  }, 60_000);

  it('reads a baseline from before plans said whether they were complete', async () => {
    const current = await planJson(['--stage', 'startup']);
    for (const stage of current.stages) delete stage.complete;
    const file = join(dir, 'old.json');
    writeFileSync(file, JSON.stringify(current));
    const { io, out } = capture();
    expect(await main(['plan', '--stage', 'startup', '--baseline', file, '--fail-above', '0'], io)).toBe(0);
    expect(out.join('\n')).toMatch(/startup: .*\(\+\$0\.00\)\n {2}no line changed/);
  }, 60_000);

  it.each([
    [['--fail-above', '5'], /--fail-above needs --baseline/],
    [['--baseline', 'BASE', '--fail-above', 'lots'], /--fail-above must be an amount/],
    [['--baseline', '/nonexistent/plan.json'], /--baseline .*cannot be read/],
    [['--baseline', 'BAD'], /--baseline .*not a growstack plan --json: stages: /],
  ])('exits 2 with one line for %j', async (args, message) => {
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ plan: 'no' }));
    writeFileSync(join(dir, 'ok.json'), JSON.stringify({ stages: [] }));
    const argv = args.map((arg) =>
      arg === 'BAD' ? join(dir, 'bad.json') : arg === 'BASE' ? join(dir, 'ok.json') : arg,
    );
    const { io, err } = capture();
    expect(await main(['plan', '--stage', 'startup', ...argv], io)).toBe(2);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(message);
  });

  it('is wired into CI: the pull-request job compares the base’s plan with the head’s', () => {
    const workflow = readFileSync(
      join(import.meta.dirname, '..', '..', '..', '.github', 'workflows', 'ci.yml'),
      'utf8',
    );
    expect(workflow).toMatch(/plan --json > "\$RUNNER_TEMP\/base-plan.json"/);
    expect(workflow).toMatch(
      /plan --baseline "\$RUNNER_TEMP\/base-plan.json" --fail-above "\$COST_FAIL_ABOVE_USD"/,
    );
    expect(workflow).toContain('$GITHUB_STEP_SUMMARY');
  });
});
