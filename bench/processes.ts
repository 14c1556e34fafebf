import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDynamoDbLocal } from '../src/platform/runtime/dynamodb-local.js';
import { freePort } from '../src/platform/runtime/process-tools.js';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'growstack.mjs');

/**
 * `npm start` (growstack dev) from spawn to the first 200 from /api/health, then SIGTERM and
 * wait for the exit, so the next run starts clean. Milliseconds.
 */
export async function startToHealthy(dataDir: string): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, 'dev', '--port', '0'], {
    cwd: ROOT,
    env: { ...process.env, GROWSTACK_DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`growstack dev printed no URL in 120 s:\n${output}`)),
        120_000,
      );
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const match = /web UI\s+(http:\/\/\S+?)\/\s/.exec(output);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('exit', (code) => reject(new Error(`growstack dev exited with ${code}:\n${output}`)));
    });
    for (;;) {
      const response = await fetch(`${url}/api/health`).catch(() => undefined);
      if (response?.status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return performance.now() - started;
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

/** DynamoDB Local alone, from `java -jar` to its first answer (ListTables, in memory): the baseline. */
async function dynamoAlone(): Promise<number> {
  const started = performance.now();
  const dynamo = await startDynamoDbLocal();
  const ms = performance.now() - started;
  await dynamo.stop();
  return Math.round(ms);
}

/**
 * Cold: a fresh data directory (DynamoDB Local creates the table and the demo data is seeded).
 * Warm: the same directory again. DynamoDB Local alone is started before each run, so the
 * baseline is sampled as often as the start it bounds and under the same load of the machine.
 */
export async function startBench(
  warmRuns = 5,
): Promise<{ coldMs: number; warmMs: number[]; dynamoAloneMs: number[] }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'growstack-bench-start-'));
  try {
    const dynamoAloneMs = [await dynamoAlone()];
    const coldMs = Math.round(await startToHealthy(dataDir));
    const warmMs: number[] = [];
    for (let run = 0; run < warmRuns; run++) {
      dynamoAloneMs.push(await dynamoAlone());
      warmMs.push(Math.round(await startToHealthy(dataDir)));
    }
    return { coldMs, warmMs, dynamoAloneMs };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function runCli(args: string[]): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => {
    errors += chunk.toString();
  });
  return new Promise((resolve, reject) =>
    child.once('exit', (code) =>
      code === 0
        ? resolve(performance.now() - started)
        : reject(new Error(`growstack ${args.join(' ')}: ${errors}`)),
    ),
  );
}

/**
 * `growstack plan --stage all` as a user runs it: cold re-synthesizes the stages whose CDK code
 * exists (the template cache is cleared first), warm reads the cache.
 */
export async function planBench(): Promise<{ coldMs: number; warmMs: number }> {
  rmSync(join(ROOT, '.growstack', 'plan'), { recursive: true, force: true });
  const args = ['plan', '--stage', 'all', '--users', '50000', '--json'];
  const coldMs = Math.round(await runCli(args));
  const warmMs = Math.round(await runCli(args));
  return { coldMs, warmMs };
}

/** Architect's sandbox beside ours: milliseconds per start, or why it was not measured. */
export type PeerStart = { readonly startMs: number[] } | { readonly skipped: string };

/**
 * The offline peer a startup would pick instead: Architect's sandbox (`@architect/sandbox`),
 * when installed here or in BENCH_ARCHITECT_SANDBOX (a folder whose node_modules holds it). A
 * fresh Node process starts it on a one-route app (`GET /products` from a Lambda handler), timed
 * from spawn to that route's first 200, as `npm start` is. It is not a dependency of ours: the
 * comparison is optional, and skipped with the reason when the package is absent.
 */
export async function architectPeer(runs = 3): Promise<PeerStart> {
  let entry: string;
  try {
    const from = [ROOT, process.env.BENCH_ARCHITECT_SANDBOX].filter((dir): dir is string => !!dir);
    entry = createRequire(join(ROOT, 'package.json')).resolve('@architect/sandbox', { paths: from });
  } catch {
    return {
      skipped: 'not installed (npm install --no-save @architect/sandbox, or BENCH_ARCHITECT_SANDBOX=folder)',
    };
  }
  const app = mkdtempSync(join(tmpdir(), 'growstack-bench-arc-'));
  try {
    mkdirSync(join(app, 'src', 'http', 'get-products'), { recursive: true });
    writeFileSync(join(app, 'app.arc'), '@app\ngrowstack-peer\n\n@http\nget /products\n');
    writeFileSync(
      join(app, 'src', 'http', 'get-products', 'index.mjs'),
      "export const handler = async () => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{\"items\":[]}' });\n",
    );
    const startMs: number[] = [];
    for (let run = 0; run < runs; run++) {
      const port = await freePort();
      const started = performance.now();
      const script = `require(${JSON.stringify(entry)}).start({ cwd: ${JSON.stringify(app)}, port: ${port}, quiet: true })`;
      const child = spawn(process.execPath, ['-e', script], {
        // Local credentials, so the AWS SDK inside does not ask the instance metadata service.
        env: {
          ...process.env,
          AWS_ACCESS_KEY_ID: 'local',
          AWS_SECRET_ACCESS_KEY: 'local',
          AWS_REGION: 'us-east-1',
        },
        stdio: 'ignore',
      });
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      try {
        const deadline = Date.now() + 60_000;
        for (;;) {
          const response = await fetch(`http://127.0.0.1:${port}/products`).catch(() => undefined);
          if (response?.status === 200) break;
          if (Date.now() > deadline) return { skipped: 'installed, but its sandbox gave no 200 in 60 s' };
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        startMs.push(Math.round(performance.now() - started));
      } finally {
        child.kill('SIGTERM');
        await exited;
      }
    }
    return { startMs };
  } finally {
    rmSync(app, { recursive: true, force: true });
  }
}
