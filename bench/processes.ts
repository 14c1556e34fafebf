import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDynamoDbLocal } from '../src/platform/runtime/dynamodb-local.js';

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
