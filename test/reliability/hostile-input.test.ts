import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { composeRuntime, type Runtime } from '../../src/entry/compose.js';
import { createDynamoDbClient } from '../../src/platform/adapters/dynamodb-client.js';
import { loadConfig } from '../../src/platform/config.js';
import { type RunningServer, startHttpServer } from '../../src/platform/runtime/http-server.js';
import { createTestStorefront, silentLogger, type TestStorefront } from '../support/storefront.js';

// Hostile input over a real socket to the real Node server: what a scanner on the internet sends.
let shop: TestStorefront;
let runtime: Runtime;
let server: RunningServer;
let base: string;

/**
 * Writes raw bytes (a request with `connection: close`) and returns the status code and the whole
 * response. The socket is not half-closed: Node drops a request whose client ended first. A
 * server that answers before reading everything (413) may reset the socket: what arrived counts.
 */
function raw(request: string | Buffer): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, '127.0.0.1');
    let text = '';
    const done = () => resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), text });
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1');
    });
    socket.on('error', (error) => (text ? done() : reject(error)));
    socket.on('close', done);
    socket.write(request);
  });
}

/** A POST over a raw socket, for bodies fetch would give up sending once the server has answered. */
async function rawPost(path: string, body: string | Buffer, headers: Record<string, string>) {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body);
  const head = Object.entries({
    'content-type': 'application/json',
    ...headers,
    'content-length': String(bytes.length),
  })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  const result = await raw(
    Buffer.concat([
      Buffer.from(`POST ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n${head}\r\n`),
      bytes,
    ]),
  );
  const type = /\r\ncontent-type: ([^\r]+)/i.exec(result.text)?.[1] ?? null;
  return { status: result.status, type };
}

async function storedItems(): Promise<number> {
  const client = createDynamoDbClient({ region: 'us-east-1', endpoint: inject('dynamodbEndpoint') });
  try {
    const result = await client.send(new ScanCommand({ TableName: shop.tableName, Select: 'COUNT' }));
    return result.Count ?? 0;
  } finally {
    client.destroy();
  }
}

async function post(path: string, body: string | Buffer, headers: Record<string, string> = {}) {
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON came back
    json: (await response.json()) as any,
  };
}

beforeAll(async () => {
  shop = await createTestStorefront();
  // The same table, served over HTTP with a web root so the static file handler is in the path.
  const webRoot = mkdtempSync(join(tmpdir(), 'growstack-web-'));
  writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>shop</title>');
  runtime = composeRuntime(loadConfig({}, { ...shop.runtime.config }), { logger: silentLogger, webRoot });
  server = await startHttpServer(runtime.app, { port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${server.port}`;
});

afterAll(async () => {
  await server?.close();
  runtime?.close();
});

describe('hostile input', () => {
  it('answers every hostile body with a 4xx problem and stores nothing', async () => {
    const customer = await shop.customer();
    const before = await storedItems();
    const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
    const objectDepth = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    const signup = (fields: string) => `{"email":"hostile@example.com","password":"password-123",${fields}}`;
    const cases: { name: string; path: string; body: string | Buffer; headers?: Record<string, string> }[] = [
      { name: 'oversized', path: '/api/auth/signup', body: signup(`"name":"${'x'.repeat(2_000_000)}"`) },
      { name: 'deep array', path: '/api/auth/signup', body: nested(50_000) },
      {
        name: 'deep object in a field',
        path: '/api/auth/signup',
        body: signup(`"name":${objectDepth(5_000)}`),
      },
      {
        name: 'invalid UTF-8',
        path: '/api/auth/signup',
        body: Buffer.concat([
          Buffer.from(signup('"name":"')),
          Buffer.from([0xc3, 0x28, 0xff]),
          Buffer.from('"}'),
        ]),
      },
      {
        name: 'operator object for a string',
        path: '/api/auth/login',
        body: '{"email":{"$ne":null},"password":{"$gt":""}}',
      },
      {
        name: 'prototype pollution',
        path: '/api/auth/signup',
        body: signup('"name":"P","__proto__":{"role":"admin"}'),
      },
      { name: 'role smuggling', path: '/api/auth/signup', body: signup('"name":"P","role":"admin"') },
      {
        name: 'SQL-shaped e-mail',
        path: '/api/auth/signup',
        body: '{"email":"a\' OR 1=1 --","password":"password-123","name":"x"}',
      },
      {
        name: 'order with a forged price',
        path: '/api/orders',
        body: '{"items":[{"productId":"x","quantity":1,"priceCents":0}]}',
        headers: { authorization: `Bearer ${customer.token}`, 'idempotency-key': 'forged' },
      },
      {
        name: 'negative quantity',
        path: '/api/orders',
        body: '{"items":[{"productId":"x","quantity":-5}]}',
        headers: { authorization: `Bearer ${customer.token}`, 'idempotency-key': 'negative' },
      },
      {
        name: 'idempotency key with a newline-free injection',
        path: '/api/orders',
        body: '{"items":[{"productId":"x","quantity":1}]}',
        headers: { authorization: `Bearer ${customer.token}`, 'idempotency-key': "k' OR '1'='1" },
      },
      {
        name: 'null bytes in the name',
        path: '/api/events',
        body: '{"type":"\\u0000\\u0000","productId":"\\u0000"}',
      },
    ];
    for (const testCase of cases) {
      const result = await rawPost(testCase.path, testCase.body, testCase.headers ?? {});
      expect(result.status, testCase.name).toBeGreaterThanOrEqual(400);
      expect(result.status, testCase.name).toBeLessThan(500);
      expect(result.type, testCase.name).toBe('application/problem+json');
    }
    expect(await storedItems()).toBe(before);
  }, 60_000);

  it('names the body when it is not UTF-8', async () => {
    const body = Buffer.concat([
      Buffer.from('{"email":"u@example.com","password":"password-123","name":"'),
      Buffer.from([0xff]),
      Buffer.from('"}'),
    ]);
    const result = await post('/api/auth/signup', body);
    expect(result.status).toBe(400);
    expect(result.json.errors).toEqual([{ path: 'body', message: 'not valid UTF-8' }]);
  });

  it('stores injection-shaped text verbatim where free text is allowed, and searches it as text', async () => {
    const name = `Robert'); DROP TABLE users;-- <script>alert(1)</script> {{7*7}} \${7*7}`;
    const email = `bobby-${server.port}@example.com`;
    const created = await post('/api/auth/signup', JSON.stringify({ email, password: 'password-123', name }));
    expect(created.status).toBe(201);
    expect(created.json.user.name).toBe(name);
    expect(created.json.user.role).toBe('customer');
    const search = await fetch(`${base}/api/search?q=${encodeURIComponent("' OR 1=1 -- <script>")}`);
    expect(search.status).toBe(200);
    expect(((await search.json()) as { items: unknown[] }).items).toEqual([]);
  });

  it('refuses a flood of headers with 431 before any handler runs', async () => {
    const headers = Array.from({ length: 400 }, (_, index) => `x-flood-${index}: ${'a'.repeat(100)}`).join(
      '\r\n',
    );
    const result = await raw(
      `GET /api/health HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n${headers}\r\n\r\n`,
    );
    expect(result.status).toBe(431);
  });

  it('never serves a file outside the web root, however the path is spelled', async () => {
    for (const path of [
      '/../../../../etc/passwd',
      '/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
      '/..%2f..%2f..%2fetc%2fpasswd',
      '/assets/..%5c..%5c..%5cetc%5cpasswd',
      '/%252e%252e/etc/passwd',
      '/index.html%00.png',
      '/api/products/..%2f..%2f..%2fetc%2fpasswd',
      '/api/../../etc/passwd',
    ]) {
      const result = await raw(`GET ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n\r\n`);
      expect(result.text, path).not.toMatch(/root:.*:0:0:/);
      expect(result.status, path).toBeGreaterThanOrEqual(200);
      expect(result.status, path).toBeLessThan(500);
      // A path that resolves under /api stays an API 404; one that climbs out of it is the app shell.
      if (path.startsWith('/api/products/')) expect(result.status, path).toBe(404);
    }
  });
});
