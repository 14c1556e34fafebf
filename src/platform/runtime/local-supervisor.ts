import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_ADMIN, seedDemoData } from '../../app/demo-data.js';
import { opsCostReport } from '../../cost/advise/ops-report.js';
import { LocalCognitoIdentity } from '../adapters/cognito-identity.js';
import { createDynamoDbClient } from '../adapters/dynamodb-client.js';
import { ensureTable } from '../adapters/dynamodb-table.js';
import { createKinesisClient, ensureStream } from '../adapters/kinesis-events.js';
import { createRedisClient } from '../adapters/redis-client.js';
import type { Config } from '../config.js';
import { ConfigError, UnavailableError } from '../errors.js';
import { capabilitiesOf } from '../stages.js';
import { composeRuntime, type Runtime } from './compose.js';
import { startDynamoDbLocal } from './dynamodb-local.js';
import { type RunningServer, startHttpServer } from './http-server.js';
import { type KinesisLocal, startKinesisLocal } from './kinesis-local.js';
import { type LocalQueue, startLocalQueue, startObservedWorker } from './local-queue.js';
import { type RedisLocal, redisProblem, startRedisLocal } from './redis-local.js';
import { type SesLocal, startSesLocal } from './ses-local.js';
import { streamAnalytics } from './stream-analytics.js';
import { ensureWebBuild } from './web-build.js';

/** The local stand-ins' names: a user pool and an event stream that exist only on this machine. */
const LOCAL_USER_POOL = { userPoolId: 'us-east-1_GrowstackLocal', clientId: 'growstack-local-api' };
const LOCAL_EVENT_STREAM = 'growstack-events';

export interface LocalStack {
  readonly url: string;
  readonly runtime: Runtime;
  readonly dynamodbEndpoint: string;
  readonly admin: typeof DEMO_ADMIN;
  /** Stops the server, then DynamoDB Local, and waits for both. */
  stop(): Promise<void>;
}

export type Progress = (message: string) => void;

/**
 * Starts everything one machine needs for a stage: the web UI (built if missing), DynamoDB Local
 * as a child process (data under the data dir), the table, the demo data on first run, and the
 * HTTP server.
 */
export async function startLocalStack(config: Config, progress: Progress = () => {}): Promise<LocalStack> {
  if (!capabilitiesOf(config.stage).runsLocally) {
    throw new ConfigError(`stage '${config.stage}' is not yet available locally; use --stage startup`);
  }
  const caps = capabilitiesOf(config.stage);
  const needsRedis = caps.cache === 'redis' || caps.sessions === 'redis';
  const missingRedis = needsRedis ? redisProblem() : null;
  if (missingRedis) throw new UnavailableError(missingRedis);
  const webRoot = await ensureWebBuild(progress);
  const pidFile = dynamoDbPidFile(config.dataDir);
  stopStale(pidFile, 'DynamoDBLocal');
  const redisPidFile = join(config.dataDir, 'redis.pid');
  if (needsRedis) stopStale(redisPidFile, 'redis-server');
  progress('starting DynamoDB Local');
  const dynamo = await startDynamoDbLocal({ dbPath: join(config.dataDir, 'dynamodb') });
  writeFileSync(pidFile, String(dynamo.process.pid));
  let server: RunningServer | undefined;
  let runtime: Runtime | undefined;
  let ses: SesLocal | undefined;
  let queue: LocalQueue | undefined;
  let redis: RedisLocal | undefined;
  let kinesis: KinesisLocal | undefined;
  const stop = async () => {
    await server?.close();
    await queue?.stop();
    runtime?.close();
    await kinesis?.stop();
    await redis?.stop();
    rmSync(redisPidFile, { force: true });
    await ses?.stop();
    await dynamo.stop();
    rmSync(pidFile, { force: true });
  };
  try {
    progress('starting the SES stand-in (mail at /api/dev/mail)');
    ses = await startSesLocal();
    let localConfig: Config = {
      ...config,
      local: true,
      dynamodbEndpoint: dynamo.endpoint,
      sesEndpoint: ses.endpoint,
    };
    if (needsRedis) {
      progress('starting redis-server (the ElastiCache stand-in: cache, sessions, rate limits)');
      redis = await startRedisLocal({ dir: join(config.dataDir, 'redis') });
      writeFileSync(redisPidFile, String(redis.process.pid));
      localConfig = { ...localConfig, redisUrl: redis.url };
    }
    if (caps.jobs === 'sqs') {
      progress('starting the SQS stand-in (fauxqs) and the job worker');
      queue = await startLocalQueue({ region: config.region });
      localConfig = { ...localConfig, queueUrl: queue.queueUrl, sqsEndpoint: queue.endpoint };
    }
    if (caps.analytics === 'kinesis') {
      progress('starting the Kinesis stand-in (kinesalite): analytics events, top products in /ops');
      kinesis = await startKinesisLocal();
      const client = createKinesisClient({ region: config.region, endpoint: kinesis.endpoint });
      await ensureStream(client, LOCAL_EVENT_STREAM);
      client.destroy();
      localConfig = { ...localConfig, kinesisStream: LOCAL_EVENT_STREAM, kinesisEndpoint: kinesis.endpoint };
    }
    const identity =
      caps.sessions === 'cognito'
        ? await LocalCognitoIdentity.create(LOCAL_USER_POOL, { file: join(config.dataDir, 'user-pool.json') })
        : undefined;
    if (identity) progress('signing in through the local Cognito stand-in (users in user-pool.json)');
    const admin = createDynamoDbClient({ region: config.region, endpoint: dynamo.endpoint });
    if (await ensureTable(admin, config.tableName)) progress(`created table ${config.tableName}`);
    admin.destroy();
    runtime = composeRuntime(localConfig, {
      redis: createRedisClient,
      streamAnalytics,
      ...(identity ? { identity } : {}),
      webRoot,
      costReport: (text) => opsCostReport(text, localConfig.region),
    });
    if (queue) startObservedWorker(queue, localConfig, runtime);
    const seeded = await seedDemoData(runtime.services, await runtime.ports.table.products.isEmpty());
    if (seeded.productsCreated > 0) progress(`seeded ${seeded.productsCreated} demo products`);
    server = await startHttpServer(runtime.app, { port: config.port, host: config.host });
    return { url: server.url, runtime, dynamodbEndpoint: dynamo.endpoint, admin: DEMO_ADMIN, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Where the supervisor notes the pid of the DynamoDB Local that holds the data dir. */
export const dynamoDbPidFile = (dataDir: string) => join(dataDir, 'dynamodb.pid');

/** The pid of a DynamoDB Local still running on this data dir, or null. */
export function runningDynamoDbPid(pidFile: string): number | null {
  return runningPid(pidFile, 'DynamoDBLocal');
}

/** The pid in the file when that process is still running and its command line names `marker`. */
function runningPid(pidFile: string, marker: string): number | null {
  try {
    const pid = Number(readFileSync(pidFile, 'utf8'));
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker) ? pid : null;
  } catch {
    // No pid file, gone already, or no /proc on this system.
    return null;
  }
}

/** A stand-in left behind by a crashed run would hold its files (database, append-only log): end it first. */
function stopStale(pidFile: string, marker: string): void {
  const pid = runningPid(pidFile, marker);
  if (pid !== null) process.kill(pid, 'SIGKILL');
  rmSync(pidFile, { force: true });
}
