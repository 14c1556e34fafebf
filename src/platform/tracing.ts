import diagnostics from 'node:diagnostics_channel';
import {
  type Attributes,
  context,
  ProxyTracerProvider,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';

/**
 * Spans for what the app does, written against the OpenTelemetry API only. Until a tracer
 * provider is registered (the container does so: runtime/otel.ts) every call here is a no-op, so
 * the Lambda bundles and the local server pay for nothing but a function call. On Lambda, X-Ray's
 * active tracing records the invocation itself.
 */
export function tracer(): Tracer {
  // Asked for each time, not kept: a tracer obtained before the provider was registered (or
  // after it was replaced) would keep answering for the old one.
  return trace.getTracer('growstack');
}

/**
 * Whether a tracer provider is registered in this process (runtime/otel.ts). Until one is, a
 * request can skip the span bookkeeping entirely: it would only make no-op spans (about 20 µs a
 * request, bench/middleware-cost.ts).
 */
export function tracingRegistered(): boolean {
  const provider = trace.getTracerProvider();
  return !(provider instanceof ProxyTracerProvider) || provider.getDelegateTracer('growstack') !== undefined;
}

/** Decides, before any span is made, whether a request is traced in full. */
export interface RequestSampler {
  admit(): boolean;
}

let requestSampler: RequestSampler | undefined;

/** Installs (or, with undefined, removes) the sampler `admitRequest` asks. */
export function setRequestSampler(sampler: RequestSampler | undefined): void {
  requestSampler = sampler;
}

/**
 * X-Ray's default sampling rule, as a sampler: the first `perSecond` requests of each second in
 * full, then `rate` of the rest (https://docs.aws.amazon.com/xray/latest/devguide/xray-console-sampling.html:
 * "one request per second, and five percent of any additional requests"). A person clicking
 * through the app sees every request; a load test pays for a few.
 */
export function reservoirSampler(options: {
  readonly perSecond: number;
  readonly rate: number;
  readonly now?: () => number;
  readonly random?: () => number;
}): RequestSampler {
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  let second = -1;
  let taken = 0;
  return {
    admit() {
      const current = Math.floor(now() / 1000);
      if (current !== second) {
        second = current;
        taken = 0;
      }
      if (taken < options.perSecond) {
        taken++;
        return true;
      }
      return random() < options.rate;
    },
  };
}

/**
 * Whether this request gets a span: a caller's decision in the trace header (`Sampled=1|0`) is
 * followed; otherwise the installed sampler's (none: every request, the provider's own sampler
 * deciding, as on AWS). A request not admitted skips the span machinery entirely.
 */
export function admitRequest(header: string | undefined): boolean {
  if (header) {
    const sampled = /(?:^|;)\s*Sampled=([01])/.exec(header)?.[1];
    if (sampled !== undefined) return sampled === '1';
  }
  return requestSampler ? requestSampler.admit() : true;
}

/** The header every AWS hop (ALB, API Gateway, Lambda, SQS's AWSTraceHeader) carries. */
export const TRACE_HEADER = 'x-amzn-trace-id';

/** The message attribute that carries the trace header beside SQS's AWSTraceHeader. */
export const TRACE_MESSAGE_ATTRIBUTE = 'traceHeader';

/** The recording span of this request or job, if a tracer provider is registered. */
export function activeSpan(): Span | undefined {
  const span = trace.getActiveSpan();
  return span?.isRecording() ? span : undefined;
}

/** A 32-hex OpenTelemetry trace id as X-Ray writes it: `1-<8 hex epoch>-<24 hex>`. */
export function xrayTraceId(traceId: string): string {
  return `1-${traceId.slice(0, 8)}-${traceId.slice(8)}`;
}

/**
 * The trace header to hand on to the next hop (SQS's AWSTraceHeader), naming the active span as
 * the parent; undefined when nothing records.
 */
export function outgoingTraceHeader(): string | undefined {
  if (!activeSpan()) return undefined;
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier[TRACE_HEADER] ?? carrier['X-Amzn-Trace-Id'];
}

let adopted: string | undefined;

/**
 * The trace id the root span being started right now should take, once: the one the load
 * balancer made up. The tracer provider's id generator asks (runtime/otel.ts).
 */
export function takeAdoptedTraceId(): string | undefined {
  const traceId = adopted;
  adopted = undefined;
  return traceId;
}

/** `Root=1-67891233-abcdef012345678912345678` → the 32-hex trace id, if well formed. */
function rootTraceId(header: string): string | undefined {
  const root = /(?:^|;)\s*Root=1-([0-9a-f]{8})-([0-9a-f]{24})(?:;|$)/.exec(header);
  return root ? `${root[1]}${root[2]}` : undefined;
}

/**
 * Runs `serve` inside a SERVER span continuing the caller's trace, named after the matched route
 * once it is known. A header with a parent (`Root=…;Parent=…;Sampled=…`) is continued as is. The
 * ALB sends only `Root=…`: the span then starts a trace under that same id, so the load
 * balancer's access log, X-Ray and our log lines name one trace.
 */
export async function traceRequest<T>(
  request: { method: string; path: string; header(name: string): string | undefined },
  serve: () => Promise<T>,
  finish: () => { route: string; status: number },
): Promise<T> {
  const header = request.header(TRACE_HEADER);
  const parent = header ? propagation.extract(ROOT_CONTEXT, { [TRACE_HEADER]: header }) : ROOT_CONTEXT;
  if (header && !trace.getSpanContext(parent)) adopted = rootTraceId(header);
  return tracer().startActiveSpan(
    `${request.method} ${request.path}`,
    {
      kind: SpanKind.SERVER,
      attributes: { 'http.request.method': request.method, 'url.path': request.path },
    },
    parent,
    async (span) => {
      adopted = undefined;
      try {
        return await serve();
      } catch (error) {
        span.recordException(error as Error);
        span.setStatus({ code: SpanStatusCode.ERROR });
        throw error;
      } finally {
        if (span.isRecording()) {
          const { route, status } = finish();
          span.updateName(`${request.method} ${route}`);
          span.setAttributes({ 'http.route': route, 'http.response.status_code': status });
          if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        }
        span.end();
      }
    },
  );
}

interface MiddlewareStackOwner {
  readonly middlewareStack: {
    add(
      middleware: (
        next: (args: unknown) => Promise<{ output?: { $metadata?: { requestId?: string } } }>,
        handlerContext: { clientName?: string; commandName?: string },
      ) => (args: unknown) => Promise<unknown>,
      options: { step: 'initialize'; name: string; override?: boolean },
    ): void;
  };
}

/**
 * A CLIENT span around every call an AWS SDK v3 client makes, with the attributes the X-Ray
 * exporter turns into an `aws` subsegment (service, operation, region, request id). A client
 * middleware rather than module patching: our code is bundled, so there are no modules to patch.
 */
export function traceAwsClient<C extends object>(client: C, region: string): C {
  (client as unknown as MiddlewareStackOwner).middlewareStack.add(
    (next, handlerContext) => async (args) => {
      if (!activeSpan()) return next(args);
      const service = (handlerContext.clientName ?? 'AWS').replace(/Client$/, '');
      const operation = (handlerContext.commandName ?? 'Command').replace(/Command$/, '');
      return tracer().startActiveSpan(
        `${service}.${operation}`,
        {
          kind: SpanKind.CLIENT,
          attributes: {
            'rpc.system': 'aws-api',
            'rpc.service': service,
            'rpc.method': operation,
            'cloud.region': region,
          },
        },
        async (span) => {
          try {
            const result = await next(args);
            const requestId = result.output?.$metadata?.requestId;
            if (requestId) span.setAttribute('aws.request_id', requestId);
            return result;
          } catch (error) {
            span.recordException(error as Error);
            span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).name });
            throw error;
          } finally {
            span.end();
          }
        },
      );
    },
    { step: 'initialize', name: 'growstackTracing', override: true },
  );
  return client;
}

interface RedisCommandContext {
  readonly command?: string;
  readonly batchMode?: string;
  readonly database?: number;
  readonly serverAddress?: string;
  readonly serverPort?: number;
  span?: Span;
}

/**
 * CLIENT spans for Redis commands, from the tracing channels ioredis publishes (ioredis:command,
 * ioredis:batch). Subscribing is what turns ioredis's tracing on; the returned function turns it off.
 */
export function traceRedisCommands(): () => void {
  const channels = ['ioredis:command', 'ioredis:batch'].map((name) => diagnostics.tracingChannel(name));
  const handlers = {
    start(message: unknown) {
      const command = message as RedisCommandContext;
      if (!activeSpan()) return;
      const operation = command.command ?? command.batchMode ?? 'command';
      const attributes: Attributes = {
        'db.system.name': 'redis',
        'db.operation.name': operation.toUpperCase(),
        'db.namespace': String(command.database ?? 0),
      };
      if (command.serverAddress) attributes['server.address'] = command.serverAddress;
      if (command.serverPort) attributes['server.port'] = command.serverPort;
      command.span = tracer().startSpan(`redis ${operation.toUpperCase()}`, {
        kind: SpanKind.CLIENT,
        attributes,
      });
    },
    asyncEnd(message: unknown) {
      (message as RedisCommandContext).span?.end();
    },
    error(message: unknown) {
      const { span, error } = message as RedisCommandContext & { error?: Error };
      if (!span) return;
      if (error) span.recordException(error);
      span.setStatus({ code: SpanStatusCode.ERROR });
    },
    // A command that throws before it returns its promise publishes error and end, no asyncEnd.
    end(message: unknown) {
      const command = message as RedisCommandContext & { error?: Error };
      if (command.error) command.span?.end();
    },
    asyncStart() {},
  };
  for (const channel of channels) channel.subscribe(handlers);
  return () => {
    for (const channel of channels) channel.unsubscribe(handlers);
  };
}

/**
 * Runs one queued job inside a CONSUMER span that starts a trace of its own, linked to the span
 * that enqueued it (the message's trace header), as OpenTelemetry's messaging conventions have a
 * batch consumer do. `named` gives the span the job's type once the body is parsed.
 */
export function traceJob<T>(
  traceHeader: string | undefined,
  run: (named: (jobType: string) => void) => Promise<T>,
): Promise<T> {
  const enqueuedBy = traceHeader
    ? trace.getSpanContext(propagation.extract(ROOT_CONTEXT, { [TRACE_HEADER]: traceHeader }))
    : undefined;
  return tracer().startActiveSpan(
    'job',
    {
      kind: SpanKind.CONSUMER,
      root: true,
      links: enqueuedBy ? [{ context: enqueuedBy }] : [],
      attributes: { 'messaging.system': 'aws_sqs', 'messaging.operation.type': 'process' },
    },
    ROOT_CONTEXT,
    async (span) => {
      try {
        return await run((jobType) => {
          span.updateName(`job ${jobType}`);
          span.setAttribute('job.type', jobType);
        });
      } catch (error) {
        span.recordException(error as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}
