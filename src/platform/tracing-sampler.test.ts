import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { tracesRequest } from './http/edge-middleware.js';
import { startTracing } from './runtime/otel.js';
import { admitRequest, reservoirSampler, setRequestSampler } from './tracing.js';

afterEach(() => setRequestSampler(undefined));

describe('the request sampler (X-Ray default rule: a reservoir per second, then a share)', () => {
  it('admits the first perSecond requests of each second, then the rate of the rest', () => {
    let now = 10_000;
    let draws = 0;
    // A random source that admits exactly one draw in four.
    const sampler = reservoirSampler({
      perSecond: 3,
      rate: 0.25,
      now: () => now,
      random: () => (draws++ % 4 === 1 ? 0.1 : 0.9),
    });
    const firstSecond = Array.from({ length: 11 }, () => sampler.admit());
    expect(firstSecond.slice(0, 3)).toEqual([true, true, true]);
    expect(firstSecond.slice(3).filter(Boolean)).toHaveLength(2);
    now += 999;
    expect(sampler.admit()).toBe(false);
    // A new second refills the reservoir.
    now += 1;
    expect([sampler.admit(), sampler.admit(), sampler.admit()]).toEqual([true, true, true]);
  });

  it("follows the caller's decision in the trace header before the sampler", () => {
    setRequestSampler({ admit: () => false });
    expect(admitRequest('Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1')).toBe(true);
    expect(admitRequest(undefined)).toBe(false);
    setRequestSampler({ admit: () => true });
    expect(admitRequest('Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0')).toBe(
      false,
    );
    expect(admitRequest('Root=1-5759e988-bd862e3fe1be46a994272793')).toBe(true);
  });

  it('admits every request when no sampler is installed (AWS: the provider decides)', () => {
    expect(Array.from({ length: 100 }, () => admitRequest(undefined)).every(Boolean)).toBe(true);
  });

  it('asks the sampler once per request, whether the edge replay or the middleware asks first', async () => {
    const tracing = startTracing({
      serviceName: 'sampler-test',
      region: 'us-east-1',
      stage: 'growing',
      sampleRate: 1,
      exporter: new InMemorySpanExporter(),
    });
    try {
      let asked = 0;
      // Admits only the first request it is asked about, as a spent reservoir would.
      setRequestSampler({ admit: () => ++asked === 1 });
      const request = new IncomingMessage(new Socket());
      expect(tracesRequest(undefined, request)).toBe(true);
      expect(tracesRequest(undefined, request)).toBe(true);
      expect(asked).toBe(1);
      expect(tracesRequest(undefined, new IncomingMessage(new Socket()))).toBe(false);
    } finally {
      await tracing.shutdown();
    }
  });
});
