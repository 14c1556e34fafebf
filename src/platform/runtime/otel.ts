import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { AWSXRayIdGenerator } from '@opentelemetry/id-generator-aws-xray';
import { AWSXRayPropagator } from '@opentelemetry/propagator-aws-xray';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  ParentBasedSampler,
  SimpleSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-base';
import { reservoirSampler, setRequestSampler, takeAdoptedTraceId, traceRedisCommands } from '../tracing.js';

export interface TracingOptions {
  readonly serviceName: string;
  readonly region: string;
  readonly stage: string;
  /**
   * Share of new traces recorded (0–1). A caller that already decided (`Sampled=0|1` in the
   * header) is followed.
   */
  readonly sampleRate: number;
  /**
   * The OTLP/HTTP endpoint: the ADOT collector beside the container (http://127.0.0.1:4318),
   * which sends the spans to X-Ray. Ignored when `exporter` is given.
   */
  readonly endpoint?: string | undefined;
  /**
   * Requests traced in full: the first `perSecond` each second, then `rate` of the rest, decided
   * before any span is made (a request not admitted costs no span work). Absent: `sampleRate`
   * alone decides, through the provider's sampler.
   */
  readonly requests?: { readonly perSecond: number; readonly rate: number } | undefined;
  /** Tests: an in-memory exporter, each span exported as it ends. */
  readonly exporter?: SpanExporter | undefined;
  /**
   * More processors beside the exporter's (the local trace ring). With them and neither
   * `endpoint` nor `exporter`, nothing is exported.
   */
  readonly processors?: readonly SpanProcessor[] | undefined;
}

export interface Tracing {
  /** Exports what is buffered and unregisters everything. */
  shutdown(): Promise<void>;
}

/**
 * Turns tracing on for this process (the API container): X-Ray trace ids (epoch-prefixed, so X-Ray
 * accepts them), the X-Amzn-Trace-Id propagator (the ALB's header in, SQS's AWSTraceHeader out),
 * async-context propagation, and Redis command spans. The spans of `tracing.ts` then record.
 */
export function startTracing(options: TracingOptions): Tracing {
  const processors: SpanProcessor[] = [...(options.processors ?? [])];
  if (options.exporter) processors.push(new SimpleSpanProcessor(options.exporter));
  else if (options.endpoint || processors.length === 0)
    processors.push(
      new BatchSpanProcessor(
        new OTLPTraceExporter(
          options.endpoint ? { url: `${options.endpoint.replace(/\/$/, '')}/v1/traces` } : {},
        ),
      ),
    );
  const xray = new AWSXRayIdGenerator();
  const provider = new BasicTracerProvider({
    idGenerator: {
      generateTraceId: () => takeAdoptedTraceId() ?? xray.generateTraceId(),
      generateSpanId: () => xray.generateSpanId(),
    },
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(options.sampleRate) }),
    resource: resourceFromAttributes({
      'service.name': options.serviceName,
      'deployment.environment.name': options.stage,
      'cloud.provider': 'aws',
      'cloud.region': options.region,
    }),
    spanProcessors: processors,
  });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(new AWSXRayPropagator());
  trace.setGlobalTracerProvider(provider);
  if (options.requests) setRequestSampler(reservoirSampler(options.requests));
  const stopRedis = traceRedisCommands();
  return {
    async shutdown() {
      setRequestSampler(undefined);
      stopRedis();
      await provider.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}
