import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { UnavailableError } from '../../contracts/errors.js';
import { awaitChildReady, freePort } from './process-tools.js';

export interface RedisLocal {
  readonly url: string;
  readonly port: number;
  readonly process: ChildProcess;
  /** Stops redis-server and waits for it to exit. */
  stop(): Promise<void>;
}

/** One line a person can act on when redis-server is missing; null when it is there. */
export function redisProblem(): string | null {
  const result = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0)
    return 'redis-server is needed for --stage scaling and was not found on PATH: apt-get install redis-server (Debian, Ubuntu) or brew install redis (macOS).';
  return null;
}

/**
 * Starts the Debian package's `redis-server` as a child process on a free 127.0.0.1 port, the
 * local stand-in for ElastiCache. With `dir`, data is kept there (append-only file) across
 * restarts; without it, nothing is written to disk.
 */
export async function startRedisLocal(
  options: { dir?: string; port?: number; signal?: AbortSignal | undefined } = {},
): Promise<RedisLocal> {
  const problem = redisProblem();
  if (problem) throw new UnavailableError(problem);
  const port = options.port ?? (await freePort());
  const persistence = options.dir
    ? ['--dir', options.dir, '--appendonly', 'yes', '--save', '']
    : ['--appendonly', 'no', '--save', ''];
  if (options.dir) mkdirSync(options.dir, { recursive: true });
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--protected-mode', 'yes', ...persistence],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const url = `redis://127.0.0.1:${port}`;
  // Loaded here, not at the top: `npm start` imports this module before Java starts.
  const { Redis } = await import('ioredis');
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => {});
  let stop: () => Promise<void>;
  try {
    stop = await awaitChildReady(
      child,
      async () => {
        if (probe.status !== 'ready') await probe.connect().catch(() => undefined);
        return (await probe.ping()) === 'PONG';
      },
      { timeoutMs: 15_000, intervalMs: 50, what: 'redis-server', signal: options.signal },
    );
  } finally {
    probe.disconnect();
  }
  return { url, port, process: child, stop };
}
