import type { CloudWatchLogsLogEvent } from 'aws-lambda';

/** One log line as the log store indexes it: the fields the dashboards filter and group by. */
export interface LogDocument {
  readonly '@timestamp': string;
  readonly region: string;
  readonly logGroup: string;
  readonly logStream: string;
  /** CloudWatch Logs' id of the event: the same line delivered twice has the same one. */
  readonly eventId: string;
  readonly message: string;
  readonly level?: string;
  readonly msg?: string;
  readonly route?: string;
  readonly method?: string;
  readonly status?: number;
  readonly durationMs?: number;
  readonly requestId?: string;
  readonly traceId?: string;
  readonly error: boolean;
}

/** Where a log event came from, as the subscription record names it. */
export interface LogSource {
  readonly region: string;
  readonly logGroup: string;
  readonly logStream: string;
}

/**
 * A line is kept to 16 KiB: a stack trace fits, and a runaway dump cannot make the document
 * bigger than Firehose takes (1,000 KiB a record).
 */
export const MAX_MESSAGE_CHARS = 16 * 1024;

/** pino's numeric levels: https://getpino.io/#/docs/api?id=logger-level */
const PINO_LEVELS: Readonly<Record<number, string>> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
};
const ERROR_LEVELS = new Set(['error', 'fatal']);

type Fields = Record<string, unknown>;

const isObject = (value: unknown): value is Fields =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function parseObject(text: string): Fields | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The structured fields of a line, if it has any. pino writes one JSON object a line; Lambda's
 * JSON log format wraps what `console` writes as `{timestamp, level, requestId, message}`, with the
 * application's own JSON (when it is JSON) as the message; its text format prefixes
 * `<time>\t<request id>\t<LEVEL>\t`.
 */
export function structuredFields(message: string): Fields | undefined {
  const trimmed = message.trim();
  const outer = trimmed.startsWith('{')
    ? parseObject(trimmed)
    : parseObject(trimmed.slice(Math.max(0, trimmed.indexOf('\t{') + 1)));
  if (!outer) return undefined;
  const inner = isObject(outer.message)
    ? outer.message
    : typeof outer.message === 'string' && outer.message.trimStart().startsWith('{')
      ? parseObject(outer.message)
      : undefined;
  return inner ? { ...outer, ...inner } : outer;
}

/** A level by name, from pino's numbers or Lambda's upper-case names. */
export function levelName(level: unknown): string | undefined {
  if (typeof level === 'number') return PINO_LEVELS[level] ?? String(level);
  if (typeof level === 'string' && level !== '') return level.toLowerCase();
  return undefined;
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value.slice(0, MAX_MESSAGE_CHARS) : undefined;

function number(value: unknown): number | undefined {
  const parsed = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof parsed === 'number' && Number.isFinite(parsed) ? parsed : undefined;
}

/**
 * One CloudWatch Logs event as one document. The HTTP edge logs `route`, `method`, `status` and
 * `ms` per request (create-http-app.ts); every line written while serving it carries `requestId`
 * and `traceId` (pino-logger.ts). An error is a line at error level or above, or a 5xx answer.
 */
export function logDocument(source: LogSource, event: CloudWatchLogsLogEvent): LogDocument {
  const fields = structuredFields(event.message) ?? {};
  const level = levelName(fields.level);
  const status = number(fields.status);
  const durationMs = number(fields.durationMs ?? fields.ms);
  const optional = {
    level,
    msg: text(fields.msg) ?? (typeof fields.message === 'string' ? text(fields.message) : undefined),
    route: text(fields.route),
    method: text(fields.method),
    status: status === undefined ? undefined : Math.trunc(status),
    durationMs,
    requestId: text(fields.requestId),
    traceId: text(fields.traceId) ?? text(fields.xray_trace_id),
  };
  return {
    '@timestamp': new Date(event.timestamp).toISOString(),
    region: source.region,
    logGroup: source.logGroup,
    logStream: source.logStream,
    eventId: event.id,
    message: event.message.slice(0, MAX_MESSAGE_CHARS),
    ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined)),
    error: (level !== undefined && ERROR_LEVELS.has(level)) || (status !== undefined && status >= 500),
  };
}
