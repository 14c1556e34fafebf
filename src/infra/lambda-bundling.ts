/**
 * How every Lambda function of ours is bundled, as plain esbuild options: the CDK construct
 * passes them to NodejsFunction, and the benchmarks build the same bundles to weigh and time them.
 */
export const LAMBDA_BUNDLING = {
  minify: true,
  sourcemap: true,
  target: 'node24',
  format: 'esm',
  // The Node.js runtime ships AWS SDK v3; leaving it out keeps the bundle small.
  external: ['@aws-sdk/*'],
  // ESM bundles of CommonJS dependencies still call require().
  banner: "import{createRequire}from'node:module';const require=createRequire(import.meta.url);",
} as const;
