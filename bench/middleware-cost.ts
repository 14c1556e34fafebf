// What each per-request middleware of the HTTP edge costs, alone, in its own process: the same
// tiny route served N times through Hono's fetch (no sockets, so no noise from the network), bare
// and then with one middleware at a time. Prints `BENCH <json>`: microseconds per request added.
import { closeSync, openSync, writeSync } from 'node:fs';
import { Hono, type MiddlewareHandler } from 'hono';
import { startLocalTraces } from '../src/entry/local-traces.js';
import { PrometheusMetrics } from '../src/platform/adapters/prometheus-metrics.js';
import { BufferedAccessLog } from '../src/platform/http/access-log.js';
import { edgeTrust } from '../src/platform/http/client-address.js';
import {
  accessLog,
  requestIds,
  requestTrace,
  securityHeaders,
} from '../src/platform/http/edge-middleware.js';
import { rateLimit } from '../src/platform/http/rate-limit.js';
import { setRequestSampler } from '../src/platform/tracing.js';

const N = Number(process.argv[2] ?? 5_000);
const ROUNDS = 4;
const BODY = JSON.stringify({ id: '01JDZ6V0Q7R6W3Y8C1E5T2K9AB', name: 'Desk lamp', priceCents: 2500 });
const silent = { info() {}, warn() {}, error() {} };
const devNull = openSync('/dev/null', 'w');

function appWith(middleware: MiddlewareHandler[]): Hono {
  const app = new Hono();
  for (const handler of middleware) app.use(handler);
  app.get('/api/products/:id', (c) => c.body(BODY, 200, { 'content-type': 'application/json' }));
  return app;
}

const env = { incoming: { socket: { remoteAddress: '127.0.0.1' } } };
async function microsPerRequest(app: Hono): Promise<number> {
  const started = performance.now();
  for (let index = 0; index < N; index++) await app.request('/api/products/p1', undefined, env);
  return ((performance.now() - started) * 1000) / N;
}

const log = new BufferedAccessLog({
  level: 'info',
  base: { stage: 'growing' },
  write: (chunk) => writeSync(devNull, chunk),
});
const cases: [string, () => MiddlewareHandler[]][] = [
  ['request id', () => [requestIds()]],
  ['trace context (no tracer)', () => [requestIds(), requestTrace()]],
  ['metrics (Prometheus)', () => [new PrometheusMetrics('growing').middleware()]],
  ['security headers', () => [securityHeaders()]],
  ['access log (buffered)', () => [requestIds(), accessLog(log)]],
  [
    'rate limit (in-process store)',
    () => [
      edgeTrust({ trustedProxies: 0 }),
      rateLimit({ limit: 1_000_000_000, windowSeconds: 60, logger: silent }) as MiddlewareHandler,
    ],
  ],
];

const round = (value: number) => Math.round(value * 100) / 100;
/** Bare and each case measured in turn, ROUNDS times; the fastest of each (the least disturbed). */
async function fastest(apps: Hono[]): Promise<number[]> {
  const best = apps.map(() => Number.POSITIVE_INFINITY);
  for (let round = 0; round < ROUNDS; round++)
    for (const [index, app] of apps.entries())
      best[index] = Math.min(best[index] as number, await microsPerRequest(app));
  return best;
}
const [bare = 0, ...measured] = await fastest([appWith([]), ...cases.map(([, make]) => appWith(make()))]);
const costs = cases.map(([name], index) => ({
  middleware: name,
  addedMicros: (measured[index] ?? 0) - bare,
}));
// The ids the trace and log cases need are weighed on their own line.
const idCost = costs[0]?.addedMicros ?? 0;
for (const cost of costs.slice(1))
  if (cost.middleware.startsWith('trace') || cost.middleware.startsWith('access')) cost.addedMicros -= idCost;
// Tracing as `npm start` runs it: requests sampled as X-Ray's default rule does (every request
// up to 50 a second, then one in twenty), each one traced kept in the ops console's ring; then
// every request traced, as it was before sampling.
startLocalTraces({ region: 'us-east-1', stage: 'growing', otlpEndpoint: undefined });
const [bareAgain = 0, sampled = 0] = await fastest([appWith([]), appWith([requestIds(), requestTrace()])]);
costs.push({
  middleware: 'trace context (tracing on, sampled: the npm start default)',
  addedMicros: sampled - bareAgain - idCost,
});
setRequestSampler(undefined);
const [bareFull = 0, full = 0] = await fastest([appWith([]), appWith([requestIds(), requestTrace()])]);
costs.push({
  middleware: 'trace context (tracing on, every request)',
  addedMicros: full - bareFull - idCost,
});
for (const cost of costs) cost.addedMicros = round(cost.addedMicros);
log.close();
closeSync(devNull);
console.log(
  `BENCH ${JSON.stringify({ bareMicros: round(bare), requestsPerRound: N, rounds: ROUNDS, costs })}`,
);
process.exit(0);
