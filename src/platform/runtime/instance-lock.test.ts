import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  acquireInstanceLock,
  InstanceLockedError,
  instanceLockPath,
  liveInstance,
  processStartOf,
} from './instance-lock.js';
import { waitFor } from './process-tools.js';

const started: ChildProcess[] = [];
afterEach(() => {
  for (const child of started.splice(0)) child.kill('SIGKILL');
});

/** A process that idles until killed. */
function idler(): ChildProcess {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  started.push(child);
  return child;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

function writeLock(dataDir: string, record: Record<string, unknown>): void {
  writeFileSync(
    instanceLockPath(dataDir),
    JSON.stringify({
      startedAt: '2026-01-01T00:00:00.000Z',
      stage: 'startup',
      url: null,
      dynamodbEndpoint: null,
      ...record,
    }),
  );
}

describe('the instance lock', () => {
  it('takes a free folder, records updates, and releases it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'growstack-lock-'));
    const lock = await acquireInstanceLock(dataDir, { stage: 'growing' });
    lock.update({ port: 4321, dynamodbEndpoint: 'http://127.0.0.1:9' });
    const record = JSON.parse(readFileSync(instanceLockPath(dataDir), 'utf8'));
    expect(record).toMatchObject({
      pid: process.pid,
      stage: 'growing',
      port: 4321,
      processStart: processStartOf(process.pid),
    });
    expect(liveInstance(dataDir)?.dynamodbEndpoint).toBe('http://127.0.0.1:9');
    lock.release();
    expect(liveInstance(dataDir)).toBeNull();
  });

  it('refuses a folder a live instance holds, naming its pid and port', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'growstack-lock-'));
    const holder = idler();
    await waitFor(async () => processStartOf(holder.pid as number) !== null, {
      timeoutMs: 10_000,
      intervalMs: 20,
      what: 'the holder',
    });
    writeLock(dataDir, {
      pid: holder.pid,
      processStart: processStartOf(holder.pid as number),
      port: 3000,
      children: [],
    });
    const refused = acquireInstanceLock(dataDir, { stage: 'startup' });
    await expect(refused).rejects.toBeInstanceOf(InstanceLockedError);
    await expect(refused).rejects.toThrow(`pid ${holder.pid} on port 3000`);
  });

  it('breaks a lock whose process is gone, stopping the children that are still the ones it started', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'growstack-lock-'));
    const gone = idler();
    const goneStart = processStartOf(gone.pid as number);
    gone.kill('SIGKILL');
    await exited(gone);
    const orphan = idler();
    const stranger = idler();
    await waitFor(async () => processStartOf(orphan.pid as number) !== null, {
      timeoutMs: 10_000,
      intervalMs: 20,
      what: 'the orphan',
    });
    writeLock(dataDir, {
      pid: gone.pid,
      processStart: goneStart,
      port: 3000,
      children: [
        { name: 'dynamodb', pid: orphan.pid, processStart: processStartOf(orphan.pid as number) },
        // Same pid, other start time: a process that merely got the number again. Never killed.
        { name: 'redis', pid: stranger.pid, processStart: 'not-its-start-time' },
      ],
    });
    const stale: number[] = [];
    const lock = await acquireInstanceLock(dataDir, { stage: 'startup' }, (record) => stale.push(record.pid));
    expect(stale).toEqual([gone.pid]);
    await exited(orphan);
    expect(orphan.signalCode).toBe('SIGKILL');
    expect(stranger.exitCode).toBeNull();
    expect(stranger.signalCode).toBeNull();
    expect(liveInstance(dataDir)?.pid).toBe(process.pid);
    lock.release();
  });
});
