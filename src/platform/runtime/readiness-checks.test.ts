import { describe, expect, inject, it } from 'vitest';
import { freshTable } from '../../../test/support/fixtures.js';
import type { Clock } from '../../contracts/ports.js';
import { createDynamoDbClient } from '../adapters/dynamodb-client.js';
import { freePort } from './process-tools.js';
import { createReadiness, tableProbe } from './readiness-checks.js';

function manualClock(): Clock & { advance(ms: number): void } {
  let now = Date.parse('2026-01-01T00:00:00Z');
  return { now: () => new Date(now), advance: (ms) => (now += ms) };
}

describe('readiness', () => {
  it('is ready with every dependency ok and names each one with its mode', async () => {
    const readiness = createReadiness(
      [
        { name: 'table', mode: 'dynamodb', probe: async () => {} },
        { name: 'cache', mode: 'memory' },
      ],
      { clock: manualClock() },
    );
    expect(await readiness.check()).toEqual({
      ready: true,
      checks: { table: { status: 'ok', mode: 'dynamodb' }, cache: { status: 'ok', mode: 'memory' } },
    });
  });

  it('is not ready when one probe fails or does not answer in time, and names that one', async () => {
    const readiness = createReadiness(
      [
        { name: 'table', mode: 'dynamodb', probe: async () => {} },
        {
          name: 'cache',
          mode: 'redis',
          probe: async () => {
            throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { name: 'ConnectError' });
          },
        },
        { name: 'queue', mode: 'sqs', probe: () => new Promise<void>(() => {}) },
      ],
      { clock: manualClock(), timeoutMs: 50 },
    );
    const report = await readiness.check();
    expect(report.ready).toBe(false);
    expect(report.checks.table).toEqual({ status: 'ok', mode: 'dynamodb' });
    expect(report.checks.cache).toEqual({
      status: 'down',
      mode: 'redis',
      detail: 'unreachable (ConnectError)',
    });
    expect(report.checks.queue).toEqual({ status: 'down', mode: 'sqs', detail: 'no answer within 50 ms' });
  });

  it('asks the dependencies at most once per cache period, however often it is polled', async () => {
    const clock = manualClock();
    let calls = 0;
    const readiness = createReadiness(
      [
        {
          name: 'table',
          mode: 'dynamodb',
          probe: async () => {
            calls++;
          },
        },
      ],
      { clock, cacheMs: 1_500 },
    );
    await Promise.all([readiness.check(), readiness.check(), readiness.check()]);
    clock.advance(1_000);
    await readiness.check();
    expect(calls).toBe(1);
    clock.advance(600);
    await readiness.check();
    expect(calls).toBe(2);
  });

  it('probes the real table: ok while DynamoDB answers, down when nothing listens', async () => {
    const endpoint = inject('dynamodbEndpoint');
    const tableName = await freshTable('ready', endpoint);
    const up = createDynamoDbClient({ region: 'us-east-1', endpoint });
    const gone = createDynamoDbClient({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${await freePort()}`,
    });
    try {
      await expect(tableProbe(up, tableName)(AbortSignal.timeout(5_000))).resolves.toBeUndefined();
      await expect(tableProbe(up, 'no-such-table')(AbortSignal.timeout(5_000))).rejects.toThrow();
      await expect(tableProbe(gone, tableName)(AbortSignal.timeout(5_000))).rejects.toThrow();
    } finally {
      up.destroy();
      gone.destroy();
    }
  });
});
