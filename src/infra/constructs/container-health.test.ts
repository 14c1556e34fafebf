import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { LIVENESS_PATH, livenessCheckCommand } from './container-health.js';

/** Runs the check as ECS would (`CMD` form: the executable, then its arguments), with this Node. */
function runCheck(port: number): Promise<number> {
  const [form, , ...args] = livenessCheckCommand(port);
  expect(form).toBe('CMD');
  return new Promise((resolve) =>
    execFile(process.execPath, args, (error) => resolve(error ? Number(error.code ?? 1) : 0)),
  );
}

let server: Server | undefined;
afterEach(() => {
  server?.close();
  server = undefined;
});

/** A stand-in API on 127.0.0.1: its liveness and readiness answers are the test's to choose. */
function api(live: number, ready: number): Promise<number> {
  const listening = createServer((request, response) => {
    response.statusCode = request.url === LIVENESS_PATH ? live : request.url === '/api/health' ? ready : 404;
    response.end();
  });
  server = listening;
  return new Promise((resolve) =>
    listening.listen(0, '127.0.0.1', () => resolve((listening.address() as AddressInfo).port)),
  );
}

describe("the API container's liveness check", () => {
  it('runs node from the distroless image, no shell', () => {
    expect(livenessCheckCommand(8080).slice(0, 3)).toEqual(['CMD', '/nodejs/bin/node', '-e']);
  });

  it('passes while the process answers /api/health/live, even when a dependency is down (readiness 503)', async () => {
    expect(await runCheck(await api(200, 503))).toBe(0);
  });

  it('fails when the process answers liveness with an error', async () => {
    expect(await runCheck(await api(500, 200))).toBe(1);
  });

  it('fails when nothing listens', async () => {
    const port = await api(200, 200);
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
    expect(await runCheck(port)).toBe(1);
  });
});
