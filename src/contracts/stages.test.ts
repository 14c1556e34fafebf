import { describe, expect, it } from 'vitest';
import { capabilitiesOf, isStage, nextStage, STAGE_TABLE, STAGES } from './stages.js';

const rank = { none: 0, inline: 0, memory: 1, sqs: 1, redis: 2 } as const;

describe('stage table', () => {
  it('lists the four stages in growth order, each sized above the one before', () => {
    expect(STAGES).toEqual(['startup', 'growing', 'scaling', 'enterprise']);
    for (const [index, stage] of STAGES.entries()) {
      const previous = STAGES[index - 1];
      if (previous) expect(capabilitiesOf(stage).users.min).toBe(capabilitiesOf(previous).users.max);
    }
  });

  it('makes each stage a superset of the one before', () => {
    for (const [index, stage] of STAGES.entries()) {
      const previous = STAGES[index - 1];
      if (!previous) continue;
      const before = STAGE_TABLE[previous];
      const now = STAGE_TABLE[stage];
      expect(now.regions).toBeGreaterThanOrEqual(before.regions);
      expect(rank[now.cache]).toBeGreaterThanOrEqual(rank[before.cache]);
      expect(rank[now.jobs]).toBeGreaterThanOrEqual(rank[before.jobs]);
      for (const group of ['web', 'data', 'security', 'observability'] as const) {
        for (const [key, value] of Object.entries(before[group])) {
          if (value === true)
            expect(now[group][key as keyof (typeof now)[typeof group]], `${stage}.${group}.${key}`).toBe(
              true,
            );
        }
      }
    }
  });

  it('matches the design table at the points other tools rely on', () => {
    expect(capabilitiesOf('startup')).toMatchObject({ jobs: 'inline', cache: 'none', regions: 1 });
    expect(capabilitiesOf('growing')).toMatchObject({
      jobs: 'sqs',
      cache: 'memory',
      data: { pointInTimeRecovery: true },
    });
    expect(capabilitiesOf('scaling')).toMatchObject({ regions: 2, cache: 'redis', security: { waf: true } });
    expect(capabilitiesOf('enterprise')).toMatchObject({
      regions: 3,
      sessions: 'cognito',
      search: 'opensearch',
    });
  });

  it('recognises stage names and the next stage', () => {
    expect(isStage('growing')).toBe(true);
    expect(isStage('huge')).toBe(false);
    expect(nextStage('startup')).toBe('growing');
    expect(nextStage('enterprise')).toBeNull();
  });
});
