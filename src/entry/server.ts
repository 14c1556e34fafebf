import type { Logger } from '../contracts/ports.js';
import { opsCostReport } from '../cost/advise/ops-report.js';
import { cognitoIdentityFor } from '../platform/adapters/cognito-identity.js';
import { createOpenSearchClient, OpenSearchIndex } from '../platform/adapters/opensearch-index.js';
import { createRedisClient } from '../platform/adapters/redis-client.js';
import { readSecretField } from '../platform/adapters/secret-field.js';
import { type Config, loadConfig } from '../platform/config.js';
import { type RunningServer, startHttpServer } from '../platform/runtime/http-server.js';
import { startTracing, type Tracing, type TracingOptions } from '../platform/runtime/otel.js';
import { templateCacheReader } from '../platform/template-cache-reader.js';
import { composeRuntime, type Runtime } from './compose.js';
import { stageMapSource } from './stage-map-source.js';
import { streamAnalytics } from './stream-analytics.js';

export interface ContainerServer {
  readonly url: string;
  readonly port: number;
  readonly runtime: Runtime;
  /** Requests being answered right now. */
  inFlight(): number;
  /**
   * Stops accepting connections at once, lets in-flight requests finish within the grace period,
   * closes idle keep-alive connections, then releases the runtime's clients. Resolves `drained`,
   * or `timed-out` when requests were still open at the end of the grace period (they are cut).
   */
  shutdown(reason: string): Promise<'drained' | 'timed-out'>;
}

export interface ContainerServerOptions {
  readonly logger?: Logger;
  /** Default 25 s: inside the 30 s ECS waits between SIGTERM and SIGKILL. */
  readonly graceMs?: number;
  /** Tests: record spans here, as if `otlpEndpoint` were set. */
  readonly spanExporter?: TracingOptions['exporter'];
}

/**
 * The API in a container (ECS Fargate from the scaling stage on): the same Hono app the Lambda
 * and the local supervisor serve, on Node's HTTP server, with Prometheus /metrics and the ops
 * console's cost report.
 */
export async function startContainerServer(
  config: Config,
  options: ContainerServerOptions = {},
): Promise<ContainerServer> {
  // Before the runtime builds its clients, so their calls are traced from the first one.
  const tracing: Tracing | undefined =
    config.otlpEndpoint || options.spanExporter
      ? startTracing({
          serviceName: 'growstack-api',
          region: config.region,
          stage: config.stage,
          sampleRate: config.traceSampleRate,
          endpoint: config.otlpEndpoint,
          exporter: options.spanExporter,
        })
      : undefined;
  const identity =
    config.cognitoUserPoolId && config.cognitoClientId
      ? cognitoIdentityFor({ userPoolId: config.cognitoUserPoolId, clientId: config.cognitoClientId })
      : undefined;
  // The cache growstack plan fills: the ops console's costs and stage maps read it.
  const templates = templateCacheReader(config.templateCacheDir, process.cwd());
  const runtime = composeRuntime(config, {
    redis: createRedisClient,
    ...(identity ? { identity } : {}),
    streamAnalytics,
    openSearch: (endpoint, region) => new OpenSearchIndex(createOpenSearchClient({ endpoint, region })),
    ...(options.logger ? { logger: options.logger } : {}),
    templates,
    stageMaps: (costAdvisor) =>
      stageMapSource({ running: config.stage, local: config.local, readTemplates: templates, costAdvisor }),
    costReport: (text, templates) => opsCostReport(text, config.region, templates),
  });
  const logger = runtime.ports.logger;
  let server: RunningServer;
  try {
    server = await startHttpServer(runtime.app, { port: config.port, host: config.host });
  } catch (error) {
    runtime.close();
    await tracing?.shutdown();
    throw error;
  }
  // Longer than the load balancer's 60 s idle timeout, so the ALB, not Node, closes idle
  // connections: otherwise it can send a request down a socket Node is closing, and answer 502.
  server.server.keepAliveTimeout = 65_000;
  server.server.headersTimeout = 66_000;
  let inFlight = 0;
  server.server.on('request', (_request, response) => {
    inFlight++;
    response.once('close', () => inFlight--);
  });
  logger.info({ url: server.url, stage: config.stage }, 'serving');
  let stopping: Promise<'drained' | 'timed-out'> | undefined;
  const graceMs = options.graceMs ?? 25_000;
  return {
    url: server.url,
    port: server.port,
    runtime,
    inFlight: () => inFlight,
    shutdown(reason) {
      if (stopping) {
        logger.warn({ reason }, 'shutdown already under way');
        return stopping;
      }
      stopping = (async () => {
        logger.info(
          { reason, inFlight, graceMs },
          'shutdown: no new connections; draining in-flight requests',
        );
        let timer: NodeJS.Timeout | undefined;
        const timedOut = new Promise<'timed-out'>((resolve) => {
          timer = setTimeout(() => resolve('timed-out'), graceMs);
        });
        // A keep-alive connection whose request finishes during the drain becomes idle: close it
        // then, rather than waiting out the keep-alive timeout.
        const sweep = setInterval(() => server.server.closeIdleConnections(), 100);
        const outcome = await Promise.race([server.close().then(() => 'drained' as const), timedOut]);
        clearInterval(sweep);
        clearTimeout(timer);
        if (outcome === 'timed-out') {
          logger.error({ inFlight }, 'shutdown: grace period over; cutting the remaining connections');
          server.server.closeAllConnections();
        } else {
          logger.info({}, 'shutdown: drained');
        }
        runtime.close();
        // The last spans go to the collector before the process exits.
        await tracing?.shutdown();
        logger.info({ outcome }, 'shutdown: clients closed');
        return outcome;
      })();
      return stopping;
    },
  };
}

/**
 * The container's main: configuration from the environment, SIGTERM and SIGINT for a graceful
 * shutdown, exit 0 when drained and 1 when the grace period ran out. A wrong setting is one line
 * on stderr and exit 2.
 */
export async function runContainer(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(env);
    if (config.redisAuthSecretArn && !config.redisAuthToken)
      config = { ...config, redisAuthToken: await readSecretField(config.redisAuthSecretArn, 'token') };
    if (config.originVerifySecretArn && !config.originVerifySecret) {
      const arn = config.originVerifySecretArn;
      const setting = 'originVerifySecretArn (ORIGIN_VERIFY_SECRET_ARN)';
      config = { ...config, originVerifySecret: await readSecretField(arn, 'value', undefined, setting) };
    }
  } catch (error) {
    process.stderr.write(`growstack server: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  }
  const server = await startContainerServer(config, { graceMs: config.shutdownGraceSeconds * 1000 });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      void server.shutdown(signal).then((outcome) => process.exit(outcome === 'drained' ? 0 : 1));
    });
  }
}
