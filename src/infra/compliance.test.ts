import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Bucket, BucketEncryption, CfnBucket } from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import { main } from '../cli/main.js';
import { acknowledge } from './acknowledge.js';
import { type ComplianceLine, complianceReport, formatComplianceReport } from './compliance.js';

/** A test app: one bucket that breaks the rules on purpose, one that meets them with a reason for the rest. */
function testApp(): App {
  const app = new App();
  const stack = new Stack(app, 'Audit', { env: { region: 'us-east-1' } });
  new CfnBucket(stack, 'Careless', {});
  const careful = new Bucket(stack, 'Careful', {
    encryption: BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    versioned: true,
  });
  acknowledge(careful, { 'AwsSolutions-S1': 'Access logs for this test bucket are not needed.' });
  return app;
}

const find = (lines: readonly ComplianceLine[], rule: string, resource: string) =>
  lines.find((line) => line.rule === rule && line.resource.includes(resource));

describe('the compliance report', () => {
  const lines = complianceReport(testApp(), ['hipaa', 'pci']);

  it('shows a deliberately non-compliant resource as non-compliant in every pack that checks it', () => {
    expect(find(lines, 'AwsSolutions-S10', 'Careless')?.status).toBe('non-compliant');
    expect(find(lines, 'AwsSolutions-S10', 'Careful')?.status).toBe('compliant');
    expect(find(lines, 'HIPAA.Security-S3BucketLoggingEnabled', 'Careless')?.status).toBe('non-compliant');
    expect(find(lines, 'PCI.DSS.321-S3BucketLoggingEnabled', 'Careless')?.status).toBe('non-compliant');
  });

  it('carries the reason of an acknowledged finding', () => {
    expect(find(lines, 'AwsSolutions-S1', 'Careful')).toMatchObject({
      status: 'acknowledged',
      reason: 'Access logs for this test bucket are not needed.',
    });
    expect(find(lines, 'AwsSolutions-S1', 'Careless')?.status).toBe('non-compliant');
  });

  it('lists every rule that ran with a status, pack by pack', () => {
    const text = formatComplianceReport(lines, 'Test');
    expect(new Set(lines.map((line) => line.pack))).toEqual(
      new Set(['AwsSolutions', 'HIPAA.Security', 'PCI.DSS.321']),
    );
    for (const rule of new Set(lines.map((line) => line.rule.replace(/\[.*\]$/, '')))) {
      expect(text).toMatch(
        new RegExp(
          `^\\| ${rule.replace(/\./g, '\\.')} \\| (non-compliant|error|acknowledged|compliant|not-applicable) \\|`,
          'm',
        ),
      );
    }
    expect(text).toMatch(/\| AwsSolutions-S10 \| non-compliant \| 1 \| 0 \|/);
    expect(text).toMatch(
      /\| AwsSolutions-S1 \| Audit\/Careful\/Resource \| acknowledged \| Access logs for this test bucket are not needed\. \|/,
    );
  });
});

describe('growstack synth --compliance --report', () => {
  it('writes the report of the chosen packs and still gates only on AwsSolutions', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'growstack-compliance-'));
    const report = join(scratch, 'report.md');
    const out: string[] = [];
    const code = await main(
      [
        'synth',
        '--stage',
        'startup',
        '--out',
        join(scratch, 'cdk.out'),
        '--compliance',
        'nist',
        '--report',
        report,
      ],
      { out: (text) => out.push(text), err: () => {} },
    );
    expect(code).toBe(0);
    const text = readFileSync(report, 'utf8');
    expect(text).toMatch(/^## AwsSolutions$/m);
    expect(text).toMatch(/^## NIST\.800\.53\.R5$/m);
    expect(text).toMatch(/\| NIST\.800\.53\.R5-\S+ \| non-compliant \|/);
    expect(out.join('\n')).toMatch(/compliance report: .*report\.md/);
  }, 120_000);
});
