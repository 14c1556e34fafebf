import { AsyncLocalStorage } from 'node:async_hooks';

/** What every log line written while serving a request carries, and what jobs pass on. */
export interface RequestContext {
  readonly requestId: string;
  /** X-Ray trace id (`1-5f84c7a1-...`) when a load balancer, API Gateway or Lambda started a trace. */
  readonly traceId?: string | undefined;
  /** The whole X-Ray trace header, handed on to SQS as the message's AWSTraceHeader. */
  readonly traceHeader?: string | undefined;
}

export const requestContext = new AsyncLocalStorage<RequestContext>();

/**
 * The trace of this request: the ALB and API Gateway send `X-Amzn-Trace-Id`; Lambda puts the
 * invocation's in `_X_AMZN_TRACE_ID`. Header format: `Root=1-…;Parent=…;Sampled=1`.
 */
export function traceOf(header: string | undefined): Pick<RequestContext, 'traceId' | 'traceHeader'> {
  const traceHeader = header ?? process.env._X_AMZN_TRACE_ID;
  const traceId = /(?:^|;)\s*Root=([^;]+)/.exec(traceHeader ?? '')?.[1];
  return traceId ? { traceId, traceHeader } : {};
}
