import { describe, expect, it } from 'vitest';
import {
  aboveBand,
  bandHolds,
  bandLabel,
  capabilitiesOf,
  isStage,
  nextStage,
  STAGE_TABLE,
  STAGES,
  stageForUsers,
} from './stages.js';

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

describe('the band rule: a stage fits users in (lower, upper], startup in [0, 10,000]', () => {
  it.each([
    // [users, the one stage whose band holds them]
    [0, 'startup'],
    [1, 'startup'],
    [10_000, 'startup'],
    [10_001, 'growing'],
    [100_000, 'growing'],
    [100_001, 'scaling'],
    [1_000_000, 'scaling'],
    [1_000_001, 'enterprise'],
    [1_000_000_000, 'enterprise'],
  ] as const)('puts %i users in %s and in no other band', (users, stage) => {
    expect(stageForUsers(users)).toBe(stage);
    expect(STAGES.filter((candidate) => bandHolds(capabilitiesOf(candidate).users, users))).toEqual([stage]);
  });

  it('says when users are past a band’s top, and never for the open top band', () => {
    expect(aboveBand(capabilitiesOf('startup').users, 10_000)).toBe(false);
    expect(aboveBand(capabilitiesOf('startup').users, 10_001)).toBe(true);
    expect(aboveBand(capabilitiesOf('enterprise').users, 1e9)).toBe(false);
    expect(STAGES.map((stage) => bandLabel(capabilitiesOf(stage).users))).toEqual([
      '0-10,000',
      '10,001-100,000',
      '100,001-1,000,000',
      '1,000,001 or more',
    ]);
  });
});
