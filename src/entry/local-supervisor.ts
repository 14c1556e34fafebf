import { join } from 'node:path';
import { DEMO_ADMIN, seedDemoData } from '../app/demo-data.js';
import { UnavailableError } from '../contracts/errors.js';
import { capabilitiesOf } from '../contracts/stages.js';
import { opsCostReport } from '../cost/advise/ops-report.js';
import { LocalCognitoIdentity } from '../platform/adapters/cognito-identity.js';
import { createDynamoDbClient } from '../platform/adapters/dynamodb-client.js';
import { ensureTable } from '../platform/adapters/dynamodb-table-setup.js';
import { createKinesisClient, ensureStream } from '../platform/adapters/kinesis-events.js';
import { createRedisClient } from '../platform/adapters/redis-client.js';
import type { Config } from '../platform/config.js';
import { type DynamoDbLocal, startDynamoDbLocal } from '../platform/runtime/dynamodb-local.js';
import { type RunningServer, startHttpServer } from '../platform/runtime/http-server.js';
import { acquireInstanceLock, type ChildRecord, processStartOf } from '../platform/runtime/instance-lock.js';
import { type KinesisLocal, startKinesisLocal } from '../platform/runtime/kinesis-local.js';
import { assertPortFree } from '../platform/runtime/process-tools.js';
import { type RedisLocal, redisProblem, startRedisLocal } from '../platform/runtime/redis-local.js';
import { type SesLocal, startSesLocal } from '../platform/runtime/ses-local.js';
import { type SupervisedChild, supervise } from '../platform/runtime/supervised-child.js';
import { ensureWebBuild } from '../platform/runtime/web-build.js';
import { templateCacheReader } from '../platform/template-cache-reader.js';
import { composeRuntime, type Runtime } from './compose.js';
import { type LocalQueue, startLocalQueue, startObservedWorker } from './local-queue.js';
import { type LocalTraces, startLocalTraces } from './local-traces.js';
import { stageMapSource } from './stage-map-source.js';
import { streamAnalytics } from './stream-analytics.js';

/** The local stand-ins' names: a user pool and an event stream that exist only on this machine. */
const LOCAL_USER_POOL = { userPoolId: 'us-east-1_GrowstackLocal', clientId: 'growstack-local-api' };
const LOCAL_EVENT_STREAM = 'growstack-events';

export interface LocalStack {
  readonly url: string;
  readonly runtime: Runtime;
  readonly dynamodbEndpoint: string;
  readonly admin: typeof DEMO_ADMIN;
  /** Where this stage keeps its state, for the banner. */
  readonly state: readonly LocalState[];
  /** Stops the server, then every stand-in, waits for each, and releases the data folder. */
  stop(): Promise<void>;
}

export type Progress = (message: string) => void;

/** One place a local stage keeps state: a path under the data dir, or `memory`. */
export interface LocalState {
  readonly what: string;
  /** Relative to the data dir, or `in memory`. */
  readonly where: string;
  readonly kept: string;
}

/** Where each stand-in of the stage keeps its state, and what survives a stop. */
export function localStateOf(config: Pick<Config, 'stage'>): LocalState[] {
  const caps = capabilitiesOf(config.stage);
  const state: LocalState[] = [
    {
      what: 'table',
      where: 'dynamodb/',
      kept: 'DynamoDB Local on disk: products, accounts, orders; kept across restarts and stage moves',
    },
  ];
  if (caps.cache === 'redis' || caps.sessions !== 'dynamodb')
    state.push({ what: 'redis', where: 'redis/', kept: 'sessions, cache, rate limits (append-only file)' });
  if (caps.sessions === 'cognito')
    state.push({
      what: 'user pool',
      where: 'user-pool.json',
      kept: 'the Cognito stand-in: users and signing key',
    });
  const inMemory = [
    'sent mail',
    ...(caps.jobs === 'sqs' ? ['the job queue (fauxqs)'] : []),
    ...(caps.analytics === 'kinesis' ? ['the event stream (kinesalite)'] : []),
  ];
  state.push({ what: 'in memory', where: '-', kept: `${inMemory.join(', ')}: gone when stopped` });
  state.push({
    what: 'lock',
    where: 'instance.lock',
    kept: 'who runs on this folder (pid, port, endpoints)',
  });
  return state;
}

export interface LocalStackOptions {
  /** Aborting it during start-up stops what has started and rejects with the signal's reason. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * Starts everything one machine needs for a stage: the web UI (built if missing), DynamoDB Local
 * as a child process (data under the data dir), the table, the demo data on first run, and the
 * HTTP server. The data dir is locked for this process first (a second start is refused, naming
 * this one), and the port checked before anything slow starts. DynamoDB Local and redis-server
 * are restarted, with a doubling wait, if they die.
 */
export async function startLocalStack(
  config: Config,
  progress: Progress = () => {},
  options: LocalStackOptions = {},
): Promise<LocalStack> {
  const { signal } = options;
  const caps = capabilitiesOf(config.stage);
  const needsRedis = caps.cache === 'redis' || caps.sessions === 'redis';
  const missingRedis = needsRedis ? redisProblem() : null;
  if (missingRedis) throw new UnavailableError(missingRedis);
  const lock = await acquireInstanceLock(config.dataDir, { stage: config.stage }, (stale) =>
    progress(`cleaning up after a run that ended without stopping (pid ${stale.pid})`),
  );
  let server: RunningServer | undefined;
  let runtime: Runtime | undefined;
  let ses: SesLocal | undefined;
  let queue: LocalQueue | undefined;
  let dynamo: SupervisedChild<DynamoDbLocal> | undefined;
  let redis: SupervisedChild<RedisLocal> | undefined;
  let kinesis: KinesisLocal | undefined;
  let traces: LocalTraces | undefined;
  const children = new Map<string, ChildRecord>();
  const noteChild = (name: string, pid: number | undefined) => {
    if (pid === undefined) return;
    children.set(name, { name, pid, processStart: processStartOf(pid) });
    lock.update({ children: [...children.values()] });
  };
  // A restart is news for whoever watches the terminal and for the logs.
  const log = (line: string) => {
    progress(line);
    runtime?.ports.logger.warn({ stage: config.stage }, line);
  };
  const stop = async () => {
    await server?.close();
    await queue?.stop();
    runtime?.close();
    await traces?.shutdown();
    await kinesis?.stop();
    await redis?.stop();
    await ses?.stop();
    await dynamo?.stop();
    lock.release();
  };
  try {
    await assertPortFree(config.port, config.host);
    const webRoot = await ensureWebBuild(progress);
    signal?.throwIfAborted();
    progress('starting DynamoDB Local');
    const dbPath = join(config.dataDir, 'dynamodb');
    const first = await startDynamoDbLocal({ dbPath, signal });
    // Restarts reuse the port: the clients keep their endpoint and reconnect.
    dynamo = await supervise(
      async () => (dynamo ? startDynamoDbLocal({ dbPath, port: first.port }) : first),
      {
        label: 'DynamoDB Local',
        log,
        onRestarted: (child) => noteChild('dynamodb', child.process.pid),
      },
    );
    noteChild('dynamodb', first.process.pid);
    lock.update({ dynamodbEndpoint: first.endpoint });
    progress('starting the SES stand-in (mail at /api/dev/mail)');
    ses = await startSesLocal();
    let localConfig: Config = {
      ...config,
      local: true,
      dynamodbEndpoint: first.endpoint,
      sesEndpoint: ses.endpoint,
    };
    if (needsRedis) {
      signal?.throwIfAborted();
      progress('starting redis-server (the ElastiCache stand-in: cache, sessions, rate limits)');
      const dir = join(config.dataDir, 'redis');
      const firstRedis = await startRedisLocal({ dir, signal });
      redis = await supervise(
        async () => (redis ? startRedisLocal({ dir, port: firstRedis.port }) : firstRedis),
        {
          label: 'redis-server',
          log,
          onRestarted: (child) => noteChild('redis', child.process.pid),
        },
      );
      noteChild('redis', firstRedis.process.pid);
      localConfig = { ...localConfig, redisUrl: firstRedis.url };
    }
    signal?.throwIfAborted();
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
    const admin = createDynamoDbClient({ region: config.region, endpoint: first.endpoint });
    if (await ensureTable(admin, config.tableName)) progress(`created table ${config.tableName}`);
    admin.destroy();
    // Every request and job is traced into the ops console's ring (and to OTLP when set).
    traces = startLocalTraces(localConfig);
    // The cache growstack plan fills: the ops console's costs and stage maps read it.
    const templates = templateCacheReader(localConfig.templateCacheDir, process.cwd());
    runtime = composeRuntime(localConfig, {
      traces: traces.store,
      redis: createRedisClient,
      streamAnalytics,
      ...(identity ? { identity } : {}),
      webRoot,
      templates,
      stageMaps: (costAdvisor) =>
        stageMapSource({
          running: localConfig.stage,
          local: localConfig.local,
          readTemplates: templates,
          costAdvisor,
        }),
      costReport: (text, templates) => opsCostReport(text, localConfig.region, templates),
    });
    if (queue) startObservedWorker(queue, localConfig, runtime);
    const seeded = await seedDemoData(runtime.services, await runtime.ports.table.products.isEmpty());
    if (seeded.productsCreated > 0) progress(`seeded ${seeded.productsCreated} demo products`);
    signal?.throwIfAborted();
    server = await startHttpServer(runtime.app, { port: config.port, host: config.host });
    lock.update({ port: server.port, url: server.url });
    return {
      url: server.url,
      runtime,
      dynamodbEndpoint: first.endpoint,
      admin: DEMO_ADMIN,
      state: localStateOf(config),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
