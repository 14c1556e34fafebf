import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

// `--import tsx` runs TypeScript in this very process (the tsx CLI would add a wrapper process).
const TS = ['--import', 'tsx'];

export interface ServerChild {
  readonly name: string;
  readonly url: string;
  readonly pid: number;
  /** Bytes the process has written to stdout so far (its log lines). */
  stdoutBytes(): number;
  stop(): Promise<void>;
}

/**
 * Starts `bench/serve.ts <kind>` in its own Node process and waits for its URL. Its stdout (the
 * access log) goes to `logFile`, so the bench can weigh the log a run writes.
 */
export async function startServer(
  name: string,
  kind: 'ceiling' | 'hono' | 'app',
  env: NodeJS.ProcessEnv,
  logFile: string,
): Promise<ServerChild> {
  const out = openSync(logFile, 'w');
  const child = spawn(process.execPath, [...TS, join(import.meta.dirname, 'serve.ts'), kind], {
    env: { ...process.env, ...env },
    stdio: ['ignore', out, 'pipe', 'ipc'],
  });
  closeSync(out);
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    errors += chunk.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (message) => resolve((message as { url: string }).url));
    child.once('exit', (code) => reject(new Error(`${name} server exited with ${code}:\n${errors}`)));
  });
  return {
    name,
    url,
    pid: child.pid as number,
    stdoutBytes: () => statSync(logFile).size,
    stop: () => stopChild(child),
  };
}

/** Ends a child this bench started, by its pid, and waits for it to go. */
export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  return exited;
}

/** Runs a bench script (`tsx bench/<script>`) in its own process and parses its `BENCH <json>` line. */
export function runScript<T>(script: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<T> {
  const child = spawn(process.execPath, [...TS, join(import.meta.dirname, script), ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      const line = output.split('\n').find((text) => text.startsWith('BENCH '));
      if (code !== 0 || !line)
        return reject(new Error(`${script} failed (${code}):\n${output.slice(-2000)}`));
      resolve(JSON.parse(line.slice('BENCH '.length)) as T);
    });
  });
}

/** Resident set size of a process in MB (Linux /proc), or null where it cannot be read. */
export function residentMb(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] ? Math.round(Number(match[1]) / 1024) : null;
  } catch {
    return null;
  }
}
