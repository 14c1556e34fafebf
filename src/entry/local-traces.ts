import type { TraceStore } from '../contracts/traces.js';
import type { Config } from '../platform/config.js';
import { startTracing, type Tracing } from '../platform/runtime/otel.js';
import { TraceRing } from '../platform/runtime/trace-ring.js';

export interface LocalTraces {
  /** The last requests and jobs of this process, for the ops console's traces view. */
  readonly store: TraceStore;
  /** Sends what is buffered to the collector, if one is set, and stops tracing. */
  shutdown(): Promise<void>;
}

/**
 * Every request while traffic is what a person makes (50 a second), none beyond: a load test
 * traced in full spent 25–50 µs a request on span bookkeeping (npm run bench), a third of a
 * cached read, and even 1 % beyond the reservoir cost a replayed read a tenth of its rate. The
 * ring of 500 traces then holds the last ten seconds of a load test, which is what a person reads.
 */
export const LOCAL_REQUEST_SAMPLING = { perSecond: 50, rate: 0 } as const;

let running: { readonly ring: TraceRing; readonly tracing: Tracing } | undefined;

/**
 * Traces the requests and jobs of this process the way the container does (the same spans):
 * every job, and up to 50 requests a second (a person's every request, a sample of a load test),
 * into a ring of the last 500 traces the ops console reads, and to the OTLP collector at
 * `OTEL_EXPORTER_OTLP_ENDPOINT` too when it is set. OpenTelemetry's tracer provider is one per
 * process, so every runtime composed in the process shares the first one started.
 */
export function startLocalTraces(config: Pick<Config, 'region' | 'stage' | 'otlpEndpoint'>): LocalTraces {
  if (!running) {
    const ring = new TraceRing();
    const tracing = startTracing({
      serviceName: 'growstack-local',
      region: config.region,
      stage: config.stage,
      sampleRate: 1,
      requests: LOCAL_REQUEST_SAMPLING,
      endpoint: config.otlpEndpoint,
      processors: [ring],
    });
    running = { ring, tracing };
  }
  const current = running;
  return {
    store: current.ring,
    async shutdown() {
      if (running !== current) return;
      running = undefined;
      await current.tracing.shutdown();
    },
  };
}
