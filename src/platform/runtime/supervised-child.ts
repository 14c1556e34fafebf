import type { ChildProcess } from 'node:child_process';

/** A stand-in running as a child process (DynamoDB Local, redis-server). */
export interface ChildHandle {
  readonly process: ChildProcess;
  /** Stops it and waits for it to exit. */
  stop(): Promise<void>;
}

export interface SupervisedChild<T extends ChildHandle> {
  /** The child serving now (a new one after each restart). */
  current(): T;
  /** Stops restarting, stops the child (and one being restarted), and waits for both. */
  stop(): Promise<void>;
}

export interface SuperviseOptions<T extends ChildHandle> {
  /** Named in every log line: `DynamoDB Local`. */
  readonly label: string;
  readonly log: (line: string) => void;
  /** Called with each restarted child (the supervisor notes its pid in the instance lock). */
  readonly onRestarted?: (child: T) => void;
  /** First wait before a restart; it doubles per failed attempt. @default 1000 */
  readonly initialDelayMs?: number;
  /** @default 30000 */
  readonly maxDelayMs?: number;
  /** A child that ran this long before dying starts the count again. @default 60000 */
  readonly stableMs?: number;
}

/**
 * Starts a child with `start` and starts it again, with a doubling wait, whenever it exits without
 * being asked to: the server keeps its endpoint (start is expected to reuse the port), answers 503
 * while the child is away, and carries on once it is back.
 */
export async function supervise<T extends ChildHandle>(
  start: () => Promise<T>,
  options: SuperviseOptions<T>,
): Promise<SupervisedChild<T>> {
  const initialDelayMs = options.initialDelayMs ?? 1_000;
  const maxDelayMs = options.maxDelayMs ?? 30_000;
  const stableMs = options.stableMs ?? 60_000;
  let current = await start();
  let stopping = false;
  let attempt = 0;
  let upSince = Date.now();
  let timer: NodeJS.Timeout | undefined;
  let restarting: Promise<void> | undefined;

  const schedule = (why: string) => {
    attempt++;
    const delay = Math.min(initialDelayMs * 2 ** (attempt - 1), maxDelayMs);
    options.log(`${options.label} exited (${why}); restart ${attempt} in ${delay} ms`);
    timer = setTimeout(() => {
      restarting = restart().finally(() => {
        restarting = undefined;
      });
    }, delay);
  };

  const restart = async () => {
    if (stopping) return;
    let next: T;
    try {
      next = await start();
    } catch (error) {
      if (!stopping)
        schedule(
          `restart failed: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`,
        );
      return;
    }
    if (stopping) {
      await next.stop();
      return;
    }
    current = next;
    upSince = Date.now();
    watch(next);
    options.onRestarted?.(next);
    options.log(`${options.label} is back (pid ${next.process.pid})`);
  };

  const watch = (child: T) => {
    child.process.once('exit', (code, signal) => {
      if (stopping) return;
      if (Date.now() - upSince >= stableMs) attempt = 0;
      schedule(signal ? `signal ${signal}` : `code ${code}`);
    });
  };
  watch(current);

  return {
    current: () => current,
    async stop() {
      stopping = true;
      clearTimeout(timer);
      await restarting;
      await current.stop();
    },
  };
}
