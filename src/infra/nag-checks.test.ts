import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { addNagChecks } from './nag-checks.js';
import { acknowledgementsIn, isValidationFailure, readNagReport } from './synthesize.js';

/** A one-queue app with the same checks as the storefront: no DLQ and no TLS rule, two findings. */
function synthLooseQueue(outdir: string, acknowledgeDlq: boolean): App {
  const app = new App({ outdir });
  addNagChecks(app);
  const queue = new Queue(new Stack(app, 'Loose'), 'Queue');
  if (acknowledgeDlq) {
    Validations.of(queue).acknowledge({ id: 'AwsSolutions-SQS3', reason: 'A test of one acknowledgement.' });
  }
  try {
    app.synth();
  } catch (error) {
    // An unacknowledged error fails the synth after the report is written; the report is the point.
    if (!isValidationFailure(error)) throw error;
  }
  return app;
}

describe('cdk-nag on every synth', () => {
  let outdir: string;
  beforeEach(() => {
    outdir = mkdtempSync(join(tmpdir(), 'growstack-nag-'));
    // CDK's own CloudFormation validation is checked with the real stacks; here it only costs time.
    vi.stubEnv('CDK_VALIDATION', 'false');
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    rmSync(outdir, { recursive: true, force: true });
  });

  it('reports a new finding nobody acknowledged, so the zero-findings test of the stacks means something', () => {
    synthLooseQueue(outdir, false);
    const { unacknowledged } = readNagReport(outdir);
    expect(unacknowledged.map((finding) => finding.rule).sort()).toEqual([
      'AwsSolutions-SQS3',
      'AwsSolutions-SQS4',
    ]);
    expect(unacknowledged[0]).toMatchObject({ plugin: 'AwsSolutions', severity: 'error' });
  });

  it('keeps an acknowledged finding out of the unacknowledged list, with its reason', () => {
    const app = synthLooseQueue(outdir, true);
    const { unacknowledged } = readNagReport(outdir);
    expect(unacknowledged.map((finding) => finding.rule)).toEqual(['AwsSolutions-SQS4']);
    expect(acknowledgementsIn(app)).toEqual([
      expect.objectContaining({
        plugin: 'AwsSolutions',
        rule: 'AwsSolutions-SQS3',
        reason: 'A test of one acknowledgement.',
      }),
    ]);
  });
});
