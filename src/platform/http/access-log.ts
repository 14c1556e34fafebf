import { writeSync } from 'node:fs';
import type { Logger } from '../../contracts/ports.js';

/**
 * One line per request, with only what an operator filters and groups on: the saved Logs
 * Insights queries (infra/constructs/log-queries.ts) and the log store's documents
 * (runtime/log-documents.ts) read `msg`, `level`, `method`, `route`, `status`, `ms`, `requestId`
 * and `traceId`; `path` says which product or page it was.
 */
export interface AccessLogLine {
  readonly requestId: string;
  readonly traceId?: string | undefined;
  readonly method: string;
  readonly route: string;
  readonly path: string;
  readonly status: number;
  readonly ms: number;
}

export interface AccessLog {
  write(line: AccessLogLine): void;
}

/**
 * Through the process's logger, written before the request's answer goes: Lambda, whose
 * process may be frozen as soon as the handler returns, and tests that read the logger.
 */
export function loggerAccessLog(logger: Logger): AccessLog {
  return {
    write(line) {
      if (line.status >= 500) logger.error({ ...line }, 'request failed');
      else logger.info({ ...line }, 'request');
    },
  };
}

/** pino's numbers, so the lines read like every other log line of the process. */
const INFO = 30;
const ERROR = 50;
const QUIET_LEVELS = new Set(['error', 'fatal']);

export interface BufferedAccessLogOptions {
  /** The process's log level: `silent` writes nothing, `warn` and above only failed requests. */
  readonly level: string;
  /** Fields every line carries (service, stage), as pino's `base`. */
  readonly base: Readonly<Record<string, string>>;
  /** Where a batch of lines goes; stdout unless a test reads them. */
  readonly write?: (chunk: string) => void;
  /** Written synchronously when the process exits with lines still buffered; stdout's fd by default. */
  readonly fd?: number;
  /**
   * How long lines wait to be written with the ones after them (default 50 ms; 0: at the end of
   * the event loop's turn). Under load a turn holds a request or two, so writing each turn was a
   * system call per request or two: a sixth of a cached read's cost (npm run bench).
   */
  readonly flushAfterMs?: number;
}

/** Lines waiting beyond this many characters (about 3,000 lines) are written at once, whatever the wait. */
const FLUSH_AT_CHARS = 1024 * 1024;

/**
 * The access log of a long-lived server (container, `npm start`): each line is serialized when
 * the request ends but written with the others of the next 50 ms (or 1 MB), off the request's
 * path, instead of one blocking stdout write per request. What is still buffered when the
 * process exits is written synchronously then.
 */
export class BufferedAccessLog implements AccessLog {
  private pending: string[] = [];
  private pendingChars = 0;
  private scheduled = false;
  private readonly flushAfterMs: number;
  /** The ISO time of the last line, reused while the millisecond is the same. */
  private lastMs = -1;
  private lastTime = '';
  private watchingExit = false;
  private readonly prefix: string;
  private readonly minLevel: number;
  private readonly output: (chunk: string) => void;
  private readonly fd: number;

  constructor(options: BufferedAccessLogOptions) {
    this.minLevel =
      options.level === 'silent'
        ? Number.POSITIVE_INFINITY
        : options.level === 'warn' || QUIET_LEVELS.has(options.level)
          ? ERROR
          : INFO;
    // The constant part of every line, serialized once.
    this.prefix = JSON.stringify({ service: 'growstack', ...options.base }).slice(1, -1);
    this.output = options.write ?? ((chunk) => process.stdout.write(chunk));
    this.fd = options.fd ?? 1;
    this.flushAfterMs = options.flushAfterMs ?? 50;
  }

  write(line: AccessLogLine): void {
    const failed = line.status >= 500;
    const level = failed ? ERROR : INFO;
    if (level < this.minLevel) return;
    const fields = JSON.stringify(line).slice(1);
    const msg = failed ? 'request failed' : 'request';
    const now = Date.now();
    if (now !== this.lastMs) {
      this.lastMs = now;
      this.lastTime = new Date(now).toISOString();
    }
    const text = `{"level":${level},"time":"${this.lastTime}",${this.prefix},"msg":"${msg}",${fields}\n`;
    this.pending.push(text);
    this.pendingChars += text.length;
    if (!this.watchingExit) {
      // Watched from the first line on, so runtimes that never serve a request add no listener.
      this.watchingExit = true;
      process.once('exit', this.flushOnExit);
    }
    if (this.pendingChars >= FLUSH_AT_CHARS) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      if (this.flushAfterMs === 0) setImmediate(this.flush);
      else setTimeout(this.flush, this.flushAfterMs).unref();
    }
  }

  /** Writes what is buffered now (tests; shutdown). */
  readonly flush = (): void => {
    this.scheduled = false;
    if (this.pending.length === 0) return;
    const chunk = this.pending.join('');
    this.pending = [];
    this.pendingChars = 0;
    this.output(chunk);
  };

  /** Writes what is left and stops watching for the process's exit. */
  close(): void {
    process.off('exit', this.flushOnExit);
    this.watchingExit = false;
    this.flush();
  }

  private readonly flushOnExit = (): void => {
    if (this.pending.length === 0) return;
    const chunk = this.pending.join('');
    this.pending = [];
    this.pendingChars = 0;
    try {
      writeSync(this.fd, chunk);
    } catch {
      // stdout already closed: nothing left to write to.
    }
  };
}
