import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');
export const BIN = join(ROOT, 'bin', 'growstack.mjs');

export interface DevProcess {
  readonly child: ChildProcess;
  readonly url: string;
  readonly output: () => string;
  /** Resolves with the exit code (null when a signal ended it). */
  readonly exited: Promise<number | null>;
}

/**
 * Waits until `child` prints the banner's web UI line; rejects if it exits first. Generous: Java
 * starts in 3 s on an idle machine and has taken over a minute on a busy one.
 */
export function awaitBanner(child: ChildProcess, timeoutMs = 240_000): Promise<DevProcess> {
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /web UI\s+(http:\/\/\S+?)\/\s/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve({ child, url: match[1], output: () => output, exited });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before serving:\n${output}`));
    });
  });
}

/** Spawns `growstack dev` (what `npm start` runs) on `dataDir`. */
export function spawnDev(dataDir: string, args: readonly string[] = ['--port', '0']): ChildProcess {
  return spawn(process.execPath, [BIN, 'dev', ...args], {
    env: { ...process.env, GROWSTACK_DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Starts `growstack dev` and resolves once it serves. */
export function startDev(dataDir: string, args: readonly string[] = ['--port', '0']): Promise<DevProcess> {
  return awaitBanner(spawnDev(dataDir, args));
}

/** Runs `growstack dev` expecting it to fail: its exit code and output. */
export function failedDev(
  dataDir: string,
  args: readonly string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawnDev(dataDir, args);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Pids of the running processes whose command line mentions `text` (a data folder's path). */
export function pidsMentioning(text: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      // A zombie has an empty command line: it serves nothing.
      if (cmdline.includes(text)) pids.push(Number(entry));
    } catch {
      // Gone while we looked.
    }
  }
  return pids;
}

export interface LockRecord {
  readonly pid: number;
  readonly port: number | null;
  readonly url: string | null;
  readonly dynamodbEndpoint: string | null;
  readonly children: { readonly name: string; readonly pid: number }[];
}

/** The data folder's instance lock, as the running instance wrote it. */
export function readLock(dataDir: string): LockRecord {
  return JSON.parse(readFileSync(join(dataDir, 'instance.lock'), 'utf8')) as LockRecord;
}

/** The pid of one child the lock names. */
export function childPid(dataDir: string, name: string): number {
  const child = readLock(dataDir).children.find((entry) => entry.name === name);
  if (!child) throw new Error(`the lock names no ${name}: ${JSON.stringify(readLock(dataDir))}`);
  return child.pid;
}
