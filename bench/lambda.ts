import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { LAMBDA_BUNDLING } from '../src/infra/lambda-bundling.js';

export interface LambdaResult {
  readonly name: string;
  readonly bundleBytes: number;
  readonly gzipBytes: number;
  readonly spawnToResultMs: number;
  readonly importMs: number;
  readonly firstEventMs: number;
  readonly coldInitMs: number;
  readonly warmP50Ms: number;
  readonly warmP99Ms: number;
}

const ROOT = join(import.meta.dirname, '..');

/** Bundles an entry exactly as the CDK stack does (same esbuild options) into bench/.out. */
async function bundle(entry: string): Promise<string> {
  const outdir = join(ROOT, 'bench', '.out');
  mkdirSync(outdir, { recursive: true });
  const outfile = join(outdir, `${entry.replace(/\.ts$/, '')}.mjs`);
  await build({
    entryPoints: [join(ROOT, 'src', 'platform', 'runtime', entry)],
    outfile,
    bundle: true,
    platform: 'node',
    minify: LAMBDA_BUNDLING.minify,
    sourcemap: LAMBDA_BUNDLING.sourcemap,
    target: LAMBDA_BUNDLING.target,
    format: LAMBDA_BUNDLING.format,
    external: [...LAMBDA_BUNDLING.external],
    banner: { js: LAMBDA_BUNDLING.banner },
    logLevel: 'error',
  });
  return outfile;
}

/** Starts a fresh Node process on the bundle, as Lambda's init would, and reads its timings. */
function invokeFresh(
  file: string,
  kind: 'api' | 'worker',
  productId: string,
  env: NodeJS.ProcessEnv,
): Promise<{
  wallMs: number;
  timings: Omit<LambdaResult, 'name' | 'bundleBytes' | 'gzipBytes' | 'spawnToResultMs'>;
}> {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [join(import.meta.dirname, 'lambda-invoke.mjs'), file, kind, productId],
    {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      const line = output.split('\n').find((text) => text.startsWith('BENCH '));
      if (code !== 0 || !line)
        return reject(new Error(`${kind} bundle failed (${code}):\n${output.slice(-2000)}`));
      resolve({ wallMs: performance.now() - started, timings: JSON.parse(line.slice('BENCH '.length)) });
    });
  });
}

/** Weighs both Lambda bundles and times a cold init against a warm invoke of each. */
export async function lambdaBench(options: {
  readonly tableName: string;
  readonly dynamodbEndpoint: string;
  readonly sesEndpoint: string;
  readonly productId: string;
}): Promise<LambdaResult[]> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    TABLE_NAME: options.tableName,
    DYNAMODB_ENDPOINT: options.dynamodbEndpoint,
    SES_ENDPOINT: options.sesEndpoint,
    GROWSTACK_TELEMETRY: 'emf',
    LOG_LEVEL: 'silent',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
    MAIL_FROM: 'shop@example.com',
  };
  const results: LambdaResult[] = [];
  for (const [name, entry, kind, stage] of [
    ['API (lambda-api)', 'lambda-api.ts', 'api', 'startup'],
    ['worker (lambda-worker)', 'lambda-worker.ts', 'worker', 'growing'],
  ] as const) {
    const file = await bundle(entry);
    const bytes = readFileSync(file);
    const run = await invokeFresh(file, kind, options.productId, {
      ...env,
      GROWSTACK_STAGE: stage,
      ...(stage === 'growing' ? { QUEUE_URL: 'http://127.0.0.1:1/000000000000/unused' } : {}),
    });
    results.push({
      name,
      bundleBytes: statSync(file).size,
      gzipBytes: gzipSync(bytes).length,
      spawnToResultMs: Math.round(run.wallMs),
      ...run.timings,
    });
  }
  return results;
}
