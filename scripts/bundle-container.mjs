#!/usr/bin/env node
// Builds what the API container image ships: one ESM bundle of the server (AWS SDK included: the
// container, unlike Lambda, has no SDK of its own), the health check, and the few files the code
// reads at run time (the price list, the API docs' Swagger UI assets). The Dockerfile's build
// stage runs this; the container tests run the same output.
//   node scripts/bundle-container.mjs [outdir]     (default: dist/container)
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { build } from 'esbuild';

const root = resolve(import.meta.dirname, '..');
const outdir = resolve(process.argv[2] ?? join(root, 'dist', 'container'));
rmSync(outdir, { recursive: true, force: true });

await build({
  entryPoints: {
    server: join(root, 'src/entry/container.ts'),
    healthcheck: join(root, 'src/entry/healthcheck.ts'),
  },
  outdir,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'esm',
  minify: true,
  sourcemap: true,
  // ESM bundles of CommonJS dependencies still call require().
  banner: { js: "import{createRequire}from'node:module';const require=createRequire(import.meta.url);" },
  logLevel: 'warning',
});

// src/cost/prices.ts reads ./prices/*.json beside itself: beside the bundle here.
const prices = join(root, 'src/cost/prices');
mkdirSync(join(outdir, 'prices'));
for (const file of readdirSync(prices).filter((name) => name.endsWith('.json'))) {
  copyFileSync(join(prices, file), join(outdir, 'prices', file));
}

// /api/docs serves Swagger UI from the installed swagger-ui-dist: keep the three files it reads.
const swagger = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const swaggerOut = join(outdir, 'node_modules', 'swagger-ui-dist');
mkdirSync(swaggerOut, { recursive: true });
for (const file of [
  'package.json',
  'swagger-ui.css',
  'swagger-ui-bundle.js',
  'swagger-ui-standalone-preset.js',
]) {
  copyFileSync(join(swagger, file), join(swaggerOut, file));
}
console.log(`container bundle written to ${outdir}`);
