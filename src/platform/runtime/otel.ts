import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import type { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { AWSXRayIdGenerator } from '@opentelemetry/id-generator-aws-xray';
import { AWSXRayPropagator } from '@opentelemetry/propagator-aws-xray';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  ParentBasedSampler,
  type ReadableSpan,
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

/**
 * The OTLP/HTTP exporter, loaded when it first has spans to send: its module and the OTLP
 * transformer's (about 150 files) are then off the path of every start that exports nothing
 * yet, and of every local start that exports nowhere.
 */
class LazyOtlpExporter implements SpanExporter {
  #exporter: Promise<SpanExporter> | undefined;

  constructor(private readonly config: ConstructorParameters<typeof OTLPTraceExporter>[0]) {}

  #load(): Promise<SpanExporter> {
    this.#exporter ??= import('@opentelemetry/exporter-trace-otlp-http').then(
      ({ OTLPTraceExporter }) => new OTLPTraceExporter(this.config),
    );
    return this.#exporter;
  }

  export(spans: ReadableSpan[], done: Parameters<SpanExporter['export']>[1]): void {
    this.#load().then(
      (exporter) => exporter.export(spans, done),
      // ExportResultCode.FAILED: the batch processor counts the batch as lost, as for a send error.
      (error: unknown) => done({ code: 1, error: error instanceof Error ? error : new Error(String(error)) }),
    );
  }

  async shutdown(): Promise<void> {
    if (this.#exporter) await (await this.#exporter).shutdown();
  }

  async forceFlush(): Promise<void> {
    if (this.#exporter) await (await this.#exporter).forceFlush?.();
  }
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
        new LazyOtlpExporter(
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
