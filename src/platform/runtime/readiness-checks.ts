import { type DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Redis } from 'ioredis';
import type { Clock, DependencyState, Readiness, ReadinessReport } from '../../contracts/ports.js';
import { TABLE_SCHEMA } from '../../contracts/table-schema.js';

/** Resolves when the dependency answers; rejects (or is aborted through `signal`) when it does not. */
export type Probe = (signal: AbortSignal) => Promise<void>;

export interface DependencyProbe {
  /** How readiness names it: `table`, `cache`, `queue`. */
  readonly name: string;
  /** The adapter that serves it (`dynamodb`, `redis`, `memory`...). */
  readonly mode: string;
  /** Absent for what lives in the process (an in-memory cache, inline jobs): always ok. */
  readonly probe?: Probe;
}

export interface ReadinessOptions {
  readonly clock: Clock;
  /** A dependency that has not answered by then is down. @default 1000 */
  readonly timeoutMs?: number;
  /**
   * How long one answer is reused: load balancers, Kubernetes and Route 53 poll every few seconds
   * from many places, and each poll must not become a read on the table. @default 1500
   */
  readonly cacheMs?: number;
}

/**
 * Readiness over the dependencies the stage composed: every probe runs at once, each bounded by
 * the time-out; the report is shared by every caller within the cache period.
 */
export function createReadiness(probes: readonly DependencyProbe[], options: ReadinessOptions): Readiness {
  const timeoutMs = options.timeoutMs ?? 1_000;
  const cacheMs = options.cacheMs ?? 1_500;
  let last: { at: number; report: Promise<ReadinessReport> } | undefined;
  const run = async (): Promise<ReadinessReport> => {
    const states = await Promise.all(probes.map((probe) => stateOf(probe, timeoutMs)));
    return {
      ready: states.every((state) => state.status === 'ok'),
      checks: Object.fromEntries(
        probes.map((probe, index) => [probe.name, states[index] as DependencyState]),
      ),
    };
  };
  return {
    check() {
      const now = options.clock.now().getTime();
      if (!last || now - last.at >= cacheMs) last = { at: now, report: run() };
      return last.report;
    },
  };
}

async function stateOf(dependency: DependencyProbe, timeoutMs: number): Promise<DependencyState> {
  const { mode, probe } = dependency;
  if (!probe) return { status: 'ok', mode };
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timed-out'>((resolve) => {
    timer = setTimeout(() => resolve('timed-out'), timeoutMs);
  });
  try {
    const outcome = await Promise.race([probe(controller.signal).then(() => 'ok' as const), timedOut]);
    if (outcome === 'ok') return { status: 'ok', mode };
    controller.abort();
    return { status: 'down', mode, detail: `no answer within ${timeoutMs} ms` };
  } catch (error) {
    // The error's name only (ECONNREFUSED's address stays in the logs, not on a public endpoint).
    const name = error instanceof Error ? error.name : 'Error';
    return { status: 'down', mode, detail: `unreachable (${name})` };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A GetItem of a key no item has: half a read capacity unit, allowed by the data-plane grant the
 * API already holds, and it fails as soon as the table or the endpoint is gone.
 */
export function tableProbe(client: DynamoDBClient, tableName: string): Probe {
  const key = { S: '_readiness' };
  return async (signal) => {
    await client.send(
      new GetItemCommand({
        TableName: tableName,
        Key: { [TABLE_SCHEMA.partitionKey]: key, [TABLE_SCHEMA.sortKey]: key },
        ProjectionExpression: TABLE_SCHEMA.partitionKey,
      }),
      { abortSignal: signal },
    );
  };
}

/** PING through the app's own Redis client (cache, sessions and rate limits share it). */
export function redisProbe(client: () => Redis): Probe {
  return async () => {
    const answer = await client().ping();
    if (answer !== 'PONG') throw new Error(`PING answered ${answer}`);
  };
}

/** GetQueueAttributes on the job queue: included in the send grant the API holds. */
export function queueProbe(client: SQSClient, queueUrl: string): Probe {
  return async (signal) => {
    await client.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }), {
      abortSignal: signal,
    });
  };
}
