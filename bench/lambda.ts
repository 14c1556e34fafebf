import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { LAMBDA_BUNDLING } from '../src/infra/lambda-bundling.js';

export interface LambdaResult {
  readonly name: string;
  readonly bundleBytes: number;
  /** The heaviest packages in the bundle, in KB. */
  readonly largestKb: string;
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
async function bundle(entry: string): Promise<{ file: string; largest: string }> {
  const source = entry.startsWith('bench/') ? join(ROOT, entry) : join(ROOT, 'src', 'entry', entry);
  const outdir = join(ROOT, 'bench', '.out');
  mkdirSync(outdir, { recursive: true });
  const outfile = join(outdir, `${entry.replace(/^bench\//, '').replace(/\.ts$/, '')}.mjs`);
  const result = await build({
    entryPoints: [source],
    metafile: true,
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
  return { file: outfile, largest: largestPackages(result.metafile?.outputs ?? {}) };
}

/** The five packages (or our src) that weigh most in a bundle, in KB: where to cut first. */
function largestPackages(outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }>) {
  const byPackage = new Map<string, number>();
  for (const [path, output] of Object.entries(outputs)) {
    if (!path.endsWith('.mjs')) continue;
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
      const name = match?.[1] ?? 'src';
      byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
    }
  }
  return [...byPackage.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([name, bytes]) => `${name} ${Math.round(bytes / 1024)}`)
    .join(', ');
}

/** Starts a fresh Node process on the bundle, as Lambda's init would, and reads its timings. */
function invokeFresh(
  file: string,
  kind: 'api' | 'worker',
  productId: string,
  env: NodeJS.ProcessEnv,
): Promise<{
  wallMs: number;
  timings: Omit<LambdaResult, 'name' | 'bundleBytes' | 'largestKb' | 'gzipBytes' | 'spawnToResultMs'>;
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
    ['bare handler (DynamoDB client only)', 'bench/lambda-bare.ts', 'api', 'startup'],
    ['API (lambda-api)', 'lambda-api.ts', 'api', 'startup'],
    ['worker (lambda-worker)', 'lambda-worker.ts', 'worker', 'growing'],
  ] as const) {
    const { file, largest } = await bundle(entry);
    const bytes = readFileSync(file);
    const run = await invokeFresh(file, kind, options.productId, {
      ...env,
      GROWSTACK_STAGE: stage,
      ...(stage === 'growing' ? { QUEUE_URL: 'http://127.0.0.1:1/000000000000/unused' } : {}),
    });
    results.push({
      name,
      bundleBytes: statSync(file).size,
      largestKb: largest,
      gzipBytes: gzipSync(bytes).length,
      spawnToResultMs: Math.round(run.wallMs),
      ...run.timings,
    });
  }
  return results;
}
