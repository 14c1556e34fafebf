import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConflictError } from '../../contracts/errors.js';

/** Asks the kernel for a free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface WaitOptions {
  readonly timeoutMs: number;
  readonly intervalMs: number;
  /** Named in the time-out error. */
  readonly what: string;
  /** Gives up at once (with the signal's reason) when aborted: a stop asked for during start-up. */
  readonly signal?: AbortSignal | undefined;
}

/** Calls `probe` until it resolves truthy; rethrows the last error after the time-out. */
export async function waitFor<T>(probe: () => Promise<T>, options: WaitOptions): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    options.signal?.throwIfAborted();
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      if (error instanceof Error && error.message.includes('exited early')) throw error;
      if (options.signal?.aborted) throw options.signal.reason;
      lastError = error;
    }
    await sleep(options.intervalMs);
  }
  const reason = lastError instanceof Error ? `: ${lastError.message}` : '';
  throw new Error(`${options.what} was not ready after ${options.timeoutMs} ms${reason}`);
}

/**
 * Waits for a stand-in started as a child process (DynamoDB Local, redis-server) to answer
 * `probe`, failing with its last output if it exits first or never answers (and killing it then).
 * Resolves with its stop(): SIGTERM, SIGKILL after 5 s, resolved once it has exited.
 */
export async function awaitChildReady(
  child: ChildProcess,
  probe: () => Promise<boolean>,
  options: WaitOptions,
): Promise<() => Promise<void>> {
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await waitFor(async () => {
      if (child.exitCode !== null) throw new Error(`${options.what} exited early: ${output.trim()}`);
      return probe();
    }, options);
  } catch (error) {
    child.kill('SIGKILL');
    // Gone before the caller carries on: an exit right after must leave nothing behind.
    if (child.exitCode === null && child.signalCode === null) await exited;
    throw error;
  }
  return async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
}

/** The port is taken: nothing has been started yet. */
export class PortInUseError extends ConflictError {}

/**
 * Fails in one line when `port` cannot be bound on `host`, before any stand-in starts (Java takes
 * seconds; finding out after it is wasted time and a confusing EADDRINUSE). Port 0 always works.
 */
export async function assertPortFree(port: number, host: string): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      const why = error.code === 'EACCES' ? 'is not allowed for this user' : 'is already in use';
      reject(
        new PortInUseError(
          `port ${port} on ${host} ${why}; stop what holds it or pick another: PORT=${port + 1} npm start, or npm start -- --port ${port + 1} (0 picks a free one)`,
        ),
      );
    });
    server.listen(port, host, () => server.close(() => resolve()));
  });
}
