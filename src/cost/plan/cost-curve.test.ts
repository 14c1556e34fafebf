import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { capture } from '../../../test/support/cli.js';
import { templateInventories } from '../../../test/support/synth.js';
import { main } from '../../cli/main.js';
import { STAGES, type Stage } from '../../contracts/stages.js';
import { costCurve } from './cost-curve.js';
import { curveSvg } from './curve-svg.js';
import { planStages } from './plan.js';
import { parseProfile } from './profile.js';

/** Each stage's inventory as growstack plan counts it, from the shared template cache. */
const templated = await templateInventories();

const inventories = new Map(templated);
const profile = parseProfile({});
const curve = costCurve({ profile, region: 'us-east-1', inventories });
const totalAt = (users: number, stage: Stage) =>
  planStages({ profile: { ...profile, users }, region: 'us-east-1', inventories }).stages.find(
    (candidate) => candidate.stage === stage,
  )!.totalUsd;

describe('the cost curve', () => {
  it('spans 1,000 to 10,000,000 users on a log grid, each point the plan’s own totals', () => {
    expect(curve.points[0]?.users).toBe(1_000);
    expect(curve.points.at(-1)?.users).toBe(10_000_000);
    // Four points a decade, four decades.
    expect(curve.points).toHaveLength(17);
    const at = curve.points.find((point) => point.users === 100_000)!;
    for (const stage of STAGES)
      expect(at.stages.find((entry) => entry.stage === stage)?.totalUsd).toBe(totalAt(100_000, stage));
  });

  it('marks where each stage stops fitting and carries the seed’s quoted range', () => {
    expect(curve.stages.map((stage) => stage.stopsFittingAt)).toEqual([10_000, 100_000, 1_000_000, null]);
    expect(curve.stages[0]?.quote).toEqual({ minUsd: 50, maxUsd: 200 });
  });

  it('finds where the next stage becomes no dearer, to within 1 %', () => {
    for (const [index, stage] of curve.stages.entries()) {
      const next = curve.stages[index + 1];
      if (!next || stage.nextCheaperFrom === null) continue;
      const at = stage.nextCheaperFrom;
      expect(totalAt(at, next.stage)).toBeLessThanOrEqual(totalAt(at, stage.stage));
      if (at > 1_000)
        expect(totalAt(Math.floor(at / 1.011), next.stage)).toBeGreaterThan(
          totalAt(Math.floor(at / 1.011), stage.stage),
        );
    }
    // The next stage is never cheaper at 1,000 users: each stage costs more at no traffic.
    expect(curve.stages.every((stage) => stage.nextCheaperFrom !== 1_000)).toBe(true);
  });

  it('draws a line and a quote band per stage, fit ends and crossovers, all inline', () => {
    const svg = curveSvg(curve);
    expect(svg.match(/<polyline class="stage-cost"/g)).toHaveLength(4);
    expect(svg.match(/<rect class="quote-band"/g)).toHaveLength(4);
    // startup, growing and scaling stop fitting inside the span; enterprise never does.
    expect(svg.match(/<line class="stops-fitting"/g)).toHaveLength(3);
    expect(svg.match(/<circle class="next-cheaper"/g)?.length ?? 0).toBe(
      curve.stages.filter((stage) => stage.nextCheaperFrom !== null).length,
    );
    expect(svg).toContain('startup stops fitting past 10,000 users');
  });

  it('is in growstack plan --html, with the same facts in words', async () => {
    const html = join(mkdtempSync(join(tmpdir(), 'growstack-curve-')), 'plan.html');
    expect(await main(['plan', '--html', html], capture().io)).toBe(0);
    const report = readFileSync(html, 'utf8');
    expect(report).toContain('Monthly cost against users');
    expect(report.match(/<polyline class="stage-cost"/g)).toHaveLength(4);
    expect(report).toMatch(
      /<li>startup: stops fitting past 10,000 users; growing (costs no more from about [\d,]+|stays dearer up to 10,000,000) users/,
    );
    expect(report).not.toMatch(/\s(src|href)=/);
  }, 120_000);
});
