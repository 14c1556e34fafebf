import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { childPid } from './support/dev-process.js';
import { readPageHead } from './support/page-head.js';

const BIN = join(import.meta.dirname, '..', 'bin', 'growstack.mjs');

interface Started {
  readonly child: ChildProcess;
  readonly url: string;
  readonly output: () => string;
}

/** Starts `growstack dev` (what `npm start` runs) and resolves with the URL it prints. */
function startDev(
  dataDir: string,
  env: NodeJS.ProcessEnv = process.env,
  extraArgs: string[] = [],
): Promise<Started> {
  const child = spawn(process.execPath, [BIN, 'dev', '--port', '0', ...extraArgs], {
    env: { ...env, GROWSTACK_DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL within 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /web UI\s+(http:\/\/\S+?)\/\s/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve({ child, url: match[1], output: () => output });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before serving:\n${output}`));
    });
  });
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('growstack dev (npm start)', () => {
  it('serves on a free port, keeps data across restarts and leaves no child behind on SIGTERM', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'growstack-dev-'));
    const first = await startDev(dataDir);
    expect(first.output()).toContain('seeded 64 demo products');
    expect(first.output()).toContain('admin@growstack.local');
    const health = await fetch(`${first.url}/api/health`);
    expect(await health.json()).toMatchObject({
      status: 'ok',
      stage: 'startup',
      checks: { table: { status: 'ok' } },
    });
    const products = (await (await fetch(`${first.url}/api/products?limit=100`)).json()) as {
      items: { id: string; name: string }[];
    };
    expect(products.items.length).toBeGreaterThanOrEqual(50);
    // What `curl -A Twitterbot localhost:3000/products/<id>` shows: the product's tags in the shell.
    const [shown] = products.items;
    const page = (userAgent: string) =>
      fetch(`${first.url}/products/${shown?.id}`, { headers: { 'user-agent': userAgent } });
    const forCrawler = readPageHead(await (await page('Twitterbot/1.0')).text());
    expect(forCrawler.meta['og:title']).toBe(shown?.name);
    expect(forCrawler.jsonLd[0]).toMatchObject({ '@type': 'Product', name: shown?.name });
    const forPerson = readPageHead(
      await (await page('Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0')).text(),
    );
    expect(forPerson.meta['og:title']).toBeUndefined();
    expect(forPerson.jsonLd).toEqual([]);
    const signup = await fetch(`${first.url}/api/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'keep@example.com', password: 'correct-horse-1', name: 'Keep' }),
    });
    expect(signup.status).toBe(201);

    const javaPid = childPid(dataDir, 'dynamodb');
    expect(isAlive(javaPid)).toBe(true);
    const exited = exitOf(first.child);
    first.child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(isAlive(javaPid)).toBe(false);

    const second = await startDev(dataDir);
    try {
      expect(second.output()).not.toContain('seeded');
      const login = await fetch(`${second.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'keep@example.com', password: 'correct-horse-1' }),
      });
      expect(login.status).toBe(200);
    } finally {
      const done = exitOf(second.child);
      second.child.kill('SIGINT');
      expect(await done).toBe(0);
    }
  }, 120_000);

  it('runs --stage scaling with a redis-server it starts and stops', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'growstack-scaling-'));
    const started = await startDev(dataDir, process.env, ['--stage', 'scaling']);
    const redisPid = childPid(dataDir, 'redis');
    try {
      expect(started.output()).toContain('starting redis-server');
      expect(isAlive(redisPid)).toBe(true);
      const health = await fetch(`${started.url}/api/health`);
      expect(await health.json()).toMatchObject({
        status: 'ok',
        stage: 'scaling',
        checks: { table: { status: 'ok' }, cache: { status: 'ok', mode: 'redis' } },
      });
      const signup = await fetch(`${started.url}/api/auth/signup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'redis@example.com', password: 'correct-horse-1', name: 'Redis' }),
      });
      expect(signup.status).toBe(201);
      const { token } = (await signup.json()) as { token: string };
      const me = await fetch(`${started.url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
      expect(me.status).toBe(200);
    } finally {
      const done = exitOf(started.child);
      started.child.kill('SIGTERM');
      expect(await done).toBe(0);
    }
    expect(isAlive(redisPid)).toBe(false);
  }, 120_000);

  it('runs --stage enterprise: the user pool and event stream stand-ins, accounts kept across a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'growstack-enterprise-'));
    const post = (url: string, path: string, body: unknown, token?: string) =>
      fetch(`${url}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(body),
      });
    const credentials = { email: 'pool@example.com', password: 'correct-horse-7' };
    const first = await startDev(dataDir, process.env, ['--stage', 'enterprise']);
    try {
      expect(first.output()).toContain('starting the Kinesis stand-in');
      expect(first.output()).toContain('local Cognito stand-in');
      const signup = await post(first.url, '/api/auth/signup', { ...credentials, name: 'Pool' });
      expect(signup.status).toBe(201);
    } finally {
      const done = exitOf(first.child);
      first.child.kill('SIGTERM');
      expect(await done).toBe(0);
    }
    const second = await startDev(dataDir, process.env, ['--stage', 'enterprise']);
    try {
      // The pool's users and key are in the data dir, like the table's accounts.
      const login = await post(second.url, '/api/auth/login', credentials);
      expect(login.status).toBe(200);
      const admin = (await (
        await post(second.url, '/api/auth/login', {
          email: 'admin@growstack.local',
          password: 'growstack-admin',
        })
      ).json()) as { token: string };
      const products = (await (await fetch(`${second.url}/api/products?limit=1`)).json()) as {
        items: { id: string }[];
      };
      const productId = products.items[0]?.id;
      expect((await post(second.url, '/api/events', { type: 'view', productId })).status).toBe(202);
      const report = await fetch(`${second.url}/api/ops/analytics/top-products`, {
        headers: { authorization: `Bearer ${admin.token}` },
      });
      expect(await report.json()).toMatchObject({ products: [{ productId, views: 1 }] });
      const search = (await (await fetch(`${second.url}/api/search?q=a`)).json()) as { engine: string };
      expect(search.engine).toBe('in-process-index');
    } finally {
      const done = exitOf(second.child);
      second.child.kill('SIGTERM');
      expect(await done).toBe(0);
    }
  }, 180_000);

  it.each([
    ['Java is missing', [], /Java 17 or newer is needed/],
    [
      'redis-server is missing for --stage scaling',
      ['--stage', 'scaling'],
      /redis-server is needed for --stage scaling.*apt-get install redis-server/,
    ],
  ])(
    'says in one line that %s, how to fix it, and exits non-zero',
    async (_what, args, message) => {
      const dataDir = mkdtempSync(join(tmpdir(), 'growstack-missing-'));
      const child = spawn(process.execPath, [BIN, 'dev', '--port', '0', ...args], {
        env: { ...process.env, PATH: '/nonexistent', GROWSTACK_DATA_DIR: dataDir },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      expect(await exitOf(child)).toBe(1);
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).toMatch(message);
    },
    30_000,
  );
});
