import { join } from 'node:path';
import { DEMO_ADMIN } from '../app/demo-data.js';
import { UnavailableError } from '../contracts/errors.js';
import { capabilitiesOf } from '../contracts/stages.js';
import type { Config } from '../platform/config.js';
import {
  type DynamoDbLocal,
  dynamoDbLocalEndpoint,
  startDynamoDbLocal,
} from '../platform/runtime/dynamodb-local.js';
import type { RunningServer } from '../platform/runtime/http-server.js';
import { acquireInstanceLock, type ChildRecord, processStartOf } from '../platform/runtime/instance-lock.js';
import { type KinesisLocal, startKinesisLocal } from '../platform/runtime/kinesis-local.js';
import { assertPortFree, freePort } from '../platform/runtime/process-tools.js';
import { type RedisLocal, redisProblem, startRedisLocal } from '../platform/runtime/redis-local.js';
import { type SesLocal, startSesLocal } from '../platform/runtime/ses-local.js';
import { type ChildHandle, type SupervisedChild, supervise } from '../platform/runtime/supervised-child.js';
import { ensureWebBuild } from '../platform/runtime/web-build.js';
import type { Runtime } from './compose.js';
import type { LocalQueue } from './local-queue.js';
import type { LocalTraces } from './local-traces.js';

// Only what launching the stand-ins needs is imported above: the app itself (./local-app.ts) is
// loaded while Java starts. `npm start` is held to DynamoDB Local's own start (npm run bench).

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
  // Java as launched, before it is supervised: a failure elsewhere in the start must stop it too.
  let launched: DynamoDbLocal | undefined;
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
  // The demo data checked after a warm start's server already listens.
  let settling: Promise<void> | undefined;
  const stop = async () => {
    await server?.close();
    await settling;
    await queue?.stop();
    runtime?.close();
    await traces?.shutdown();
    await kinesis?.stop();
    await redis?.stop();
    await ses?.stop();
    await (dynamo ?? launched)?.stop();
    lock.release();
  };
  // The child already started is the first; restarts reuse its port, so the clients keep their
  // endpoint and reconnect.
  const superviseFrom = async <C extends ChildHandle & { readonly port: number }>(
    name: string,
    label: string,
    first: C,
    restart: (port: number) => Promise<C>,
  ): Promise<SupervisedChild<C>> => {
    let started = false;
    const supervised = await supervise(
      async () => {
        if (started) return restart(first.port);
        started = true;
        return first;
      },
      { label, log, onRestarted: (child) => noteChild(name, child.process.pid) },
    );
    noteChild(name, first.process.pid);
    return supervised;
  };
  // What is under way in parallel: on a failure each is let finish, so stop() sees and ends it.
  const pending: Promise<unknown>[] = [];
  const track = <T>(promise: Promise<T>): Promise<T> => {
    pending.push(promise);
    return promise;
  };
  try {
    await assertPortFree(config.port, config.host);
    // Java first: its start (seconds) is the floor of ours, and everything below overlaps it.
    progress('starting DynamoDB Local');
    const dbPath = join(config.dataDir, 'dynamodb');
    // The port is found first, so Java is launched synchronously below, before the app's modules
    // start loading (which keeps this thread busy for about a second).
    const dynamoPort = await freePort();
    const firstDynamo = track(
      startDynamoDbLocal({ dbPath, port: dynamoPort, probeTable: config.tableName, signal }).then(
        (started) => (launched = started),
      ),
    );
    // Its failure (no Java) is met at `await firstDynamo` below, after the app is composed; until
    // then it must not count as an unhandled rejection.
    firstDynamo.catch(() => {});
    const app = track(import('./local-app.js'));
    const web = track(ensureWebBuild(progress));
    progress('starting the SES stand-in (mail at /api/dev/mail)');
    track(startSesLocal().then((started) => (ses = started)));
    let redisUrl: string | undefined;
    if (needsRedis) {
      progress('starting redis-server (the ElastiCache stand-in: cache, sessions, rate limits)');
      const dir = join(config.dataDir, 'redis');
      track(
        startRedisLocal({ dir, signal }).then(async (firstRedis) => {
          redisUrl = firstRedis.url;
          redis = await superviseFrom('redis', 'redis-server', firstRedis, (port) =>
            startRedisLocal({ dir, port }),
          );
        }),
      );
    }
    const queueModule = caps.jobs === 'sqs' ? track(import('./local-queue.js')) : undefined;
    if (queueModule) {
      progress('starting the SQS stand-in (fauxqs) and the job worker');
      track(
        queueModule
          .then(({ startLocalQueue }) => startLocalQueue({ region: config.region }))
          .then((q) => (queue = q)),
      );
    }
    const redisModule = needsRedis ? track(import('../platform/adapters/redis-client.js')) : undefined;
    const cognitoModule =
      caps.sessions === 'cognito' ? track(import('../platform/adapters/cognito-identity.js')) : undefined;
    const streamModule = caps.analytics === 'kinesis' ? track(import('./stream-analytics.js')) : undefined;
    if (streamModule) {
      progress('starting the Kinesis stand-in (kinesalite): analytics events, top products in /ops');
      track(
        Promise.all([startKinesisLocal(), import('../platform/adapters/kinesis-events.js')]).then(
          async ([started, { createKinesisClient, ensureStream }]) => {
            kinesis = started;
            const client = createKinesisClient({ region: config.region, endpoint: started.endpoint });
            await ensureStream(client, LOCAL_EVENT_STREAM);
            client.destroy();
          },
        ),
      );
    }
    // The app is composed while Java still starts: nothing below needs the table until
    // ensureTable. The stand-ins settle first, so a failure anywhere stops all that did start.
    await Promise.all(pending.filter((promise) => promise !== firstDynamo));
    const webRoot = await web;
    const local = await app;
    signal?.throwIfAborted();
    const dynamodbEndpoint = dynamoDbLocalEndpoint(dynamoPort);
    let localConfig: Config = {
      ...config,
      local: true,
      dynamodbEndpoint,
      sesEndpoint: (ses as SesLocal).endpoint,
      ...(redisUrl ? { redisUrl } : {}),
      ...(queue ? { queueUrl: queue.queueUrl, sqsEndpoint: queue.endpoint } : {}),
    };
    if (kinesis)
      localConfig = { ...localConfig, kinesisStream: LOCAL_EVENT_STREAM, kinesisEndpoint: kinesis.endpoint };
    const identity = cognitoModule
      ? await (await cognitoModule).LocalCognitoIdentity.create(LOCAL_USER_POOL, {
          file: join(config.dataDir, 'user-pool.json'),
        })
      : undefined;
    if (identity) progress('signing in through the local Cognito stand-in (users in user-pool.json)');
    // Every request and job is traced into the ops console's ring (and to OTLP when set).
    traces = local.startLocalTraces(localConfig);
    // The cache growstack plan fills: the ops console's costs and stage maps read it.
    const templates = local.templateCacheReader(localConfig.templateCacheDir, process.cwd());
    runtime = local.composeRuntime(localConfig, {
      traces: traces.store,
      ...(redisModule ? { redis: (await redisModule).createRedisClient } : {}),
      ...(streamModule ? { streamAnalytics: (await streamModule).streamAnalytics } : {}),
      ...(identity ? { identity } : {}),
      webRoot,
      templates,
      stageMaps: (costAdvisor) =>
        local.stageMapSource({
          running: localConfig.stage,
          local: localConfig.local,
          readTemplates: templates,
          costAdvisor,
        }),
      costReport: (text, templates) => local.opsCostReport(text, localConfig.region, templates),
    });
    const first = await firstDynamo;
    signal?.throwIfAborted();
    dynamo = await superviseFrom('dynamodb', 'DynamoDB Local', first, (port) =>
      startDynamoDbLocal({ dbPath, port }),
    );
    lock.update({ dynamodbEndpoint });
    // Java's readiness probe already asked for the table: only a missing one needs a call.
    if (!first.probedTableExists) {
      const admin = local.createDynamoDbClient({ region: config.region, endpoint: dynamodbEndpoint });
      if (await local.ensureTable(admin, config.tableName)) progress(`created table ${config.tableName}`);
      admin.destroy();
    }
    if (queue && queueModule) (await queueModule).startObservedWorker(queue, localConfig, runtime);
    const { app: http, services } = runtime;
    const listen = () => local.startHttpServer(http, { port: config.port, host: config.host });
    // The first readiness check (answers are reused for 1.5 s) is asked now, beside the look at
    // the catalog, so the first caller of /api/health does not pay for the emulator's first reads.
    const primed = http.request('/api/health');
    if (!first.probedTableExists) {
      // A first run (the table was just made) serves nothing before the demo catalog is whole.
      const seeded = await local.seedDemoData(services, true);
      progress(`seeded ${seeded.productsCreated} demo products`);
      signal?.throwIfAborted();
      server = await listen();
    } else {
      // Later runs serve at once: waiting on the emulator's first look at the catalog cost a warm
      // start 60 ms. Meanwhile they make sure the demo admin exists (and the demo catalog, should
      // the table have been emptied since); stop() waits for that, and a failure is logged.
      settling = runtime.ports.table.products
        .isEmpty()
        .then(async (empty) => {
          const seeded = await local.seedDemoData(services, empty);
          if (empty) progress(`seeded ${seeded.productsCreated} demo products`);
        })
        .catch((error: unknown) =>
          log(`could not check the demo data: ${error instanceof Error ? error.message : String(error)}`),
        );
      server = await listen();
      signal?.throwIfAborted();
    }
    await primed;
    lock.update({ port: server.port, url: server.url });
    return {
      url: server.url,
      runtime,
      dynamodbEndpoint,
      admin: DEMO_ADMIN,
      state: localStateOf(config),
      stop,
    };
  } catch (error) {
    await Promise.allSettled(pending);
    await stop();
    throw error;
  }
}
