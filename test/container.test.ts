import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDynamoDbClient } from '../src/platform/adapters/dynamodb-client.js';
import { ensureTable } from '../src/platform/adapters/dynamodb-table-setup.js';
import { freePort, waitFor } from '../src/platform/runtime/process-tools.js';

const ROOT = join(import.meta.dirname, '..');
const BUNDLE = join(ROOT, 'test', 'artifacts', 'container');

/** A TCP proxy in front of DynamoDB Local that holds every chunk for `delayMs`: a slow table. */
function slowProxy(target: URL): Promise<{
  port: number;
  delayMs: number;
  seen: Promise<void>;
  close(): void;
  setDelay(ms: number): void;
}> {
  let delayMs = 0;
  let markSeen: () => void = () => {};
  const seen = new Promise<void>((resolve) => {
    markSeen = resolve;
  });
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    sockets.add(client).add(upstream);
    client.on('data', (chunk) => {
      if (delayMs > 0) markSeen();
      setTimeout(() => upstream.write(chunk), delayMs);
    });
    upstream.on('data', (chunk) => client.write(chunk));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({
        port: typeof address === 'object' && address ? address.port : 0,
        get delayMs() {
          return delayMs;
        },
        seen,
        setDelay: (ms) => {
          delayMs = ms;
        },
        close: () => {
          for (const socket of sockets) socket.destroy();
          server.close();
        },
      });
    }),
  );
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

function healthcheck(port: number): number {
  try {
    execFileSync(process.execPath, [join(BUNDLE, 'healthcheck.mjs')], {
      env: { PORT: String(port) },
      stdio: 'ignore',
    });
    return 0;
  } catch (error) {
    return (error as { status: number }).status;
  }
}

beforeAll(() => {
  // The same bundle the image's build stage makes.
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'bundle-container.mjs'), BUNDLE], {
    stdio: 'ignore',
  });
}, 120_000);

describe('the container entry point', () => {
  let proxy: Awaited<ReturnType<typeof slowProxy>>;
  const tableName = `container-${randomUUID()}`;

  beforeAll(async () => {
    const endpoint = inject('dynamodbEndpoint');
    const client = createDynamoDbClient({ region: 'us-east-1', endpoint });
    await ensureTable(client, tableName);
    client.destroy();
    proxy = await slowProxy(new URL(endpoint));
  });
  afterAll(() => proxy?.close());

  it('finishes the request in flight on SIGTERM, refuses new connections, and exits 0', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [join(BUNDLE, 'server.mjs')], {
      env: {
        PATH: process.env.PATH,
        PORT: String(port),
        HOST: '127.0.0.1',
        TABLE_NAME: tableName,
        DYNAMODB_ENDPOINT: `http://127.0.0.1:${proxy.port}`,
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        AWS_REGION: 'us-east-1',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        RATE_LIMIT: '0',
        LOG_LEVEL: 'info',
        SHUTDOWN_GRACE_SECONDS: '20',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const exited = exitOf(child);
    try {
      await waitFor(async () => healthcheck(port) === 0, {
        timeoutMs: 30_000,
        intervalMs: 200,
        what: `the container server:\n${output}`,
      });
      proxy.setDelay(1_500);
      const inFlight = fetch(`http://127.0.0.1:${port}/api/products`);
      await proxy.seen; // the request has reached the table: it is in flight
      child.kill('SIGTERM');
      await waitFor(async () => output.includes('no new connections'), {
        timeoutMs: 5_000,
        intervalMs: 20,
        what: 'the shutdown log',
      });
      const refused = await new Promise<string>((resolve) => {
        const socket = connect(port, '127.0.0.1');
        socket.once('connect', () => {
          socket.destroy();
          resolve('connected');
        });
        socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
      });
      expect(refused).toBe('ECONNREFUSED');
      const response = await inFlight;
      expect(response.status).toBe(200);
      expect(((await response.json()) as { items: unknown[] }).items).toEqual([]);
      expect(await exited).toBe(0);
      expect(output).toMatch(/"msg":"shutdown: drained"/);
      // Every log line is JSON.
      for (const line of output.trim().split('\n')) expect(() => JSON.parse(line), line).not.toThrow();
      expect(healthcheck(port)).toBe(1);
    } finally {
      proxy.setDelay(0);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 90_000);

  it('stays live for the image HEALTHCHECK while its table is unreachable, and is not ready', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [join(BUNDLE, 'server.mjs')], {
      env: {
        PATH: process.env.PATH,
        PORT: String(port),
        HOST: '127.0.0.1',
        TABLE_NAME: tableName,
        // Nothing listens there: the table is down from the start.
        DYNAMODB_ENDPOINT: `http://127.0.0.1:${await freePort()}`,
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        AWS_REGION: 'us-east-1',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        LOG_LEVEL: 'silent',
      },
      stdio: 'ignore',
    });
    const exited = exitOf(child);
    try {
      await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/api/health/live`)).status === 200, {
        timeoutMs: 30_000,
        intervalMs: 200,
        what: 'the container server',
      });
      // Restarting the container would not bring the table back: liveness holds.
      expect(healthcheck(port)).toBe(0);
      const ready = await fetch(`http://127.0.0.1:${port}/api/health`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ checks: { table: { status: 'down' } } });
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  }, 60_000);

  it('says in one line what setting is wrong and exits 2', async () => {
    const child = spawn(process.execPath, [join(BUNDLE, 'server.mjs')], {
      env: { PATH: process.env.PATH, PORT: 'eighty' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    expect(await exitOf(child)).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^growstack server: port \(PORT\):/);
  });
});

describe('the Dockerfile', () => {
  const text = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const stages = lines.reduce<string[][]>((all, line) => {
    if (/^FROM /i.test(line)) all.push([]);
    all.at(-1)?.push(line);
    return all;
  }, []);
  const final = stages.at(-1) ?? [];

  it('builds in one stage and runs in a distroless, non-root one', () => {
    expect(stages).toHaveLength(2);
    expect(stages[0]?.[0]).toBe('FROM node:24-bookworm-slim AS build');
    expect(final[0]).toBe('FROM gcr.io/distroless/nodejs24-debian12:nonroot');
    expect(final).toContain('USER nonroot');
    expect(final.some((line) => /^RUN /.test(line))).toBe(false);
    expect(final.some((line) => /npm (install|ci)/.test(line))).toBe(false);
  });

  it('exposes 8080, checks its health without a shell, and runs Node as PID 1 in exec form', () => {
    expect(final).toContain('EXPOSE 8080');
    expect(final.find((line) => line.startsWith('HEALTHCHECK'))).toMatch(
      /CMD \["\/nodejs\/bin\/node", "\/app\/healthcheck\.mjs"\]$/,
    );
    expect(final).toContain('STOPSIGNAL SIGTERM');
    const cmd = final.find((line) => line.startsWith('CMD'));
    expect(JSON.parse(cmd?.slice(4) ?? '')).toEqual(['/app/server.mjs']);
  });

  it('builds with the lockfile and the bundling script the tests run', () => {
    expect(stages[0]).toContain('RUN npm ci --no-audit --no-fund');
    expect(stages[0]).toContain('RUN node scripts/bundle-container.mjs /build/out');
  });
});
