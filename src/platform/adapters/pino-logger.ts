import { pino } from 'pino';
import type { Logger } from '../ports.js';

/** Structured logs: one JSON object per line, on stdout (CloudWatch Logs reads it as is). */
export function createPinoLogger(
  level: string,
  base: Record<string, unknown> = {},
): Logger & { child(fields: Record<string, unknown>): Logger } {
  const logger = pino({
    level,
    base: { service: 'growstack', ...base },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
  return wrap(logger);
}

function wrap(logger: pino.Logger): Logger & { child(fields: Record<string, unknown>): Logger } {
  return {
    info: (fields, message) => logger.info(fields, message),
    warn: (fields, message) => logger.warn(fields, message),
    error: (fields, message) => logger.error(fields, message),
    child: (fields) => wrap(logger.child(fields)),
  };
}
