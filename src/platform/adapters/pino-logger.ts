import { pino } from 'pino';
import type { Logger } from '../../contracts/ports.js';
import { requestContext } from '../request-context.js';

/** Structured logs: one JSON object per line, on stdout (CloudWatch Logs reads it as is), with the request and trace ids. */
export function createPinoLogger(
  level: string,
  base: Record<string, unknown> = {},
  /** Where lines go; stdout unless a test reads them. */
  destination?: pino.DestinationStream,
): Logger & { child(fields: Record<string, unknown>): Logger } {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'growstack', ...base },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Every line written while serving a request names it and its X-Ray trace.
    mixin: () => {
      const context = requestContext.getStore();
      return context
        ? { requestId: context.requestId, ...(context.traceId ? { traceId: context.traceId } : {}) }
        : {};
    },
  };
  return wrap(destination ? pino(options, destination) : pino(options));
}

function wrap(logger: pino.Logger): Logger & { child(fields: Record<string, unknown>): Logger } {
  return {
    info: (fields, message) => logger.info(fields, message),
    warn: (fields, message) => logger.warn(fields, message),
    error: (fields, message) => logger.error(fields, message),
    child: (fields) => wrap(logger.child(fields)),
  };
}
