import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, waitFor } from '../src/platform/runtime/process-tools.js';
import {
  awaitBanner,
  BIN,
  childPid,
  type DevProcess,
  failedDev,
  isAlive,
  pidsMentioning,
  ROOT,
  readLock,
  spawnDev,
  startDev,
} from './support/dev-process.js';

const JSON_HEADERS = { 'content-type': 'application/json' };
const post = (url: string, body: unknown) =>
  fetch(url, { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify(body) });

async function stop(dev: DevProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  if (dev.child.exitCode === null && dev.child.signalCode === null) dev.child.kill(signal);
  return dev.exited;
}

/** Waits until no process (DynamoDB Local, redis-server) still works on the data folder. */
async function noneLeft(dataDir: string): Promise<void> {
  await waitFor(async () => pidsMentioning(dataDir).length === 0, {
    timeoutMs: 30_000,
    intervalMs: 100,
    what: `every process on ${dataDir} to end (left: ${pidsMentioning(dataDir).join(', ')})`,
  });
}

/**
 * Waits for a 200 from /api/health. Retried: after a long pause, fetch may reuse a keep-alive
 * socket the server is closing that very moment ("fetch failed"), a client-side race.
 */
async function healthy(url: string): Promise<boolean> {
  return waitFor(async () => (await fetch(`${url}/api/health`)).status === 200, {
    timeoutMs: 30_000,
    intervalMs: 200,
    what: `a 200 from ${url}/api/health`,
  });
}

async function refusesConnections(url: string): Promise<boolean> {
  try {
    await fetch(`${url}/api/health/live`, { signal: AbortSignal.timeout(5_000) });
    return false;
  } catch {
    return true;
  }
}

describe('one instance per data folder', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'growstack-instance-'));
  let first: DevProcess;

  beforeAll(async () => {
    first = await startDev(dataDir);
  }, 300_000);

  afterAll(async () => {
    if (first) expect(await stop(first)).toBe(0);
    await noneLeft(dataDir);
  }, 60_000);

  it('prints the ops console, where the stage keeps its state, and what a stage move keeps', () => {
    const output = first.output();
    expect(output).toMatch(/ops\s+http:\/\/\S+\/ops\s/);
    expect(output).toContain(`State of this stage in ${dataDir}`);
    expect(output).toMatch(/table\s+dynamodb\//);
    expect(output).toContain('instance.lock');
    expect(output).toMatch(/Moving stage \(npm start -- --stage growing\) on this folder keeps the table/);
  });

  it('refuses a second start in one line naming the holder, and the first keeps serving', async () => {
    const javaPid = childPid(dataDir, 'dynamodb');
    const port = Number(new URL(first.url).port);
    const second = await failedDev(dataDir, ['--port', '0']);
    expect(second.code).toBe(1);
    const lines = second.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`pid ${first.child.pid}`);
    expect(lines[0]).toContain(`port ${port}`);
    expect(second.stdout).not.toContain('starting DynamoDB Local');
    expect(isAlive(javaPid)).toBe(true);
    await expect(healthy(first.url)).resolves.toBe(true);
    const products = await fetch(`${first.url}/api/products?limit=5`);
    expect(products.status).toBe(200);
    expect(((await products.json()) as { items: unknown[] }).items).toHaveLength(5);
  }, 300_000);

  it('backs up through the running instance, with consistent reads, marked as a live scan', async () => {
    const out = join(dataDir, 'live-backup.jsonl.gz');
    const result = spawnSync(process.execPath, [BIN, 'backup', '--out', out, '--json'], {
      env: { ...process.env, GROWSTACK_DATA_DIR: dataDir },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const printed = JSON.parse(result.stdout) as Record<string, unknown>;
    const manifest = JSON.parse(readFileSync(`${out}.manifest.json`, 'utf8')) as Record<string, unknown>;
    expect(manifest).toMatchObject({ consistency: 'live-scan', source: readLock(dataDir).dynamodbEndpoint });
    expect(String(manifest.note)).toMatch(/not a point-in-time snapshot/);
    expect(manifest.itemCount).toBeGreaterThanOrEqual(64);
    expect(printed).toMatchObject({ consistency: 'live-scan', itemCount: manifest.itemCount });
    await expect(healthy(first.url)).resolves.toBe(true);
  }, 300_000);

  it('restarts a DynamoDB Local that died, and keeps what it had acknowledged', async () => {
    const account = { email: 'survivor@example.com', password: 'survives-a-crash-1', name: 'Survivor' };
    expect((await post(`${first.url}/api/auth/signup`, account)).status).toBe(201);
    const javaPid = childPid(dataDir, 'dynamodb');
    process.kill(javaPid, 'SIGKILL');
    await waitFor(
      async () => {
        const pid = childPid(dataDir, 'dynamodb');
        return pid !== javaPid && isAlive(pid);
      },
      { timeoutMs: 180_000, intervalMs: 200, what: 'a new DynamoDB Local in the lock' },
    );
    await waitFor(async () => (await fetch(`${first.url}/api/health`)).status === 200, {
      timeoutMs: 120_000,
      intervalMs: 200,
      what: 'a 200 from /api/health after the restart',
    });
    expect(first.output()).toMatch(/DynamoDB Local exited \(signal SIGKILL\); restart 1 in \d+ ms/);
    const login = await post(`${first.url}/api/auth/login`, {
      email: account.email,
      password: account.password,
    });
    expect(login.status).toBe(200);
  }, 360_000);
});

describe('start-up refusals and recovery', () => {
  let blocker: Server | undefined;
  afterAll(() => blocker?.close());

  it('says in one line that the port is taken, naming PORT= and --port, before starting Java', async () => {
    const port = await freePort();
    blocker = createServer();
    await new Promise<void>((resolve) => blocker?.listen(port, '127.0.0.1', resolve));
    const dataDir = mkdtempSync(join(tmpdir(), 'growstack-port-'));
    const result = await failedDev(dataDir, ['--port', String(port)]);
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`port ${port}`);
    expect(lines[0]).toContain('PORT=');
    expect(lines[0]).toContain('--port');
    expect(result.stdout).not.toContain('starting DynamoDB Local');
    expect(pidsMentioning(dataDir)).toEqual([]);
  }, 120_000);

  it('cleans up after a crashed run: its orphaned DynamoDB Local is stopped and the folder taken', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'growstack-crashed-'));
    const crashed = await startDev(dataDir);
    const orphan = childPid(dataDir, 'dynamodb');
    crashed.child.kill('SIGKILL');
    await crashed.exited;
    expect(isAlive(orphan)).toBe(true);
    const next = await startDev(dataDir);
    try {
      expect(isAlive(orphan)).toBe(false);
      expect(readLock(dataDir).pid).toBe(next.child.pid);
      await expect(healthy(next.url)).resolves.toBe(true);
    } finally {
      expect(await stop(next)).toBe(0);
    }
    await noneLeft(dataDir);
  }, 480_000);

  it('takes over a lock whose pid is alive but belongs to another process', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'growstack-reused-'));
    mkdirSync(dataDir, { recursive: true });
    // This test's own pid: alive, but not the instance that wrote the lock (its start time differs).
    writeFileSync(
      join(dataDir, 'instance.lock'),
      JSON.stringify({
        pid: process.pid,
        processStart: '1',
        startedAt: '2026-01-01T00:00:00.000Z',
        port: 3000,
        url: 'http://localhost:3000',
        dynamodbEndpoint: 'http://127.0.0.1:1',
        children: [{ name: 'dynamodb', pid: process.pid, processStart: '1' }],
      }),
    );
    const next = await startDev(dataDir);
    try {
      expect(readLock(dataDir).pid).toBe(next.child.pid);
    } finally {
      expect(await stop(next)).toBe(0);
    }
    await noneLeft(dataDir);
  }, 300_000);
});

describe('signals stop the whole tree', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    '%s to growstack dev --stage scaling stops the server, DynamoDB Local and redis-server',
    async (signal) => {
      const dataDir = mkdtempSync(join(tmpdir(), 'growstack-signal-'));
      const dev = await startDev(dataDir, ['--port', '0', '--stage', 'scaling']);
      let pids: number[] = [];
      try {
        const children = readLock(dataDir).children;
        expect(children.map((child) => child.name)).toEqual(expect.arrayContaining(['dynamodb', 'redis']));
        pids = children.map((child) => child.pid);
        expect(pids.every(isAlive)).toBe(true);
      } finally {
        expect(await stop(dev, signal)).toBe(0);
      }
      await noneLeft(dataDir);
      // redis-server rewrites its command line: look for its pid itself.
      await waitFor(async () => !pids.some(isAlive), {
        timeoutMs: 20_000,
        intervalMs: 100,
        what: `the children ${pids.join(', ')} to end`,
      });
      expect(await refusesConnections(dev.url)).toBe(true);
    },
    360_000,
  );

  it('SIGTERM to npm itself (npm start) stops the whole tree', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'growstack-npm-'));
    const npm = spawn('npm', ['start', '--', '--port', '0'], {
      cwd: ROOT,
      env: { ...process.env, GROWSTACK_DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const dev = await awaitBanner(npm);
    expect(pidsMentioning(dataDir).length).toBeGreaterThanOrEqual(1);
    // npm runs the script through sh: the signal must reach the node process behind it.
    npm.kill('SIGTERM');
    await dev.exited;
    await noneLeft(dataDir);
    await waitFor(async () => refusesConnections(dev.url), {
      timeoutMs: 20_000,
      intervalMs: 200,
      what: 'the server to stop answering',
    });
  }, 360_000);

  it('SIGTERM during start-up leaves no DynamoDB Local behind', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'growstack-early-'));
    const child = spawnDev(dataDir);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await waitFor(async () => pidsMentioning(dataDir).length > 0, {
      timeoutMs: 90_000,
      intervalMs: 50,
      what: 'DynamoDB Local to be spawned',
    });
    child.kill('SIGTERM');
    expect(await exited).not.toBe(0);
    await noneLeft(dataDir);
  }, 300_000);
});
