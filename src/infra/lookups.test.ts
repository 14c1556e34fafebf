import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LOOKUP_CONTEXT_FIXTURE, ROOT, TEST_ZONE } from '../../test/support/synth.js';
import { parseInfraConfig } from './infra-config.js';
import { PendingLookupsError } from './lookups.js';
import { synthesize } from './synthesize.js';

const scratch = mkdtempSync(join(tmpdir(), 'growstack-lookups-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const config = parseInfraConfig({ hostedZone: TEST_ZONE, account: '123456789012' });

// Each test synthesizes the scaling stage, which takes seconds (minutes on a loaded machine).
describe('a synth for a named account', () => {
  it('refuses, keeping nothing, while the availability-zone lookups are unresolved', async () => {
    const outdir = join(scratch, 'pending');
    const synth = synthesize({
      stage: 'scaling',
      outdir,
      root: ROOT,
      config,
      bundling: false,
      lookupContextFile: join(scratch, 'no-such-cdk.context.json'),
    });
    await expect(synth).rejects.toBeInstanceOf(PendingLookupsError);
    await expect(synth).rejects.toThrow(
      /lookups not resolved: availability-zones \(123456789012, us-east-1\); availability-zones \(123456789012, eu-west-1\)\. .*Run 'npx cdk synth -c stage=scaling'/,
    );
    expect(existsSync(outdir)).toBe(false);
  }, 180_000);

  it('places the subnets in the zones recorded in cdk.context.json', async () => {
    const summary = await synthesize({
      stage: 'scaling',
      outdir: join(scratch, 'resolved'),
      root: ROOT,
      config,
      bundling: false,
      lookupContextFile: LOOKUP_CONTEXT_FIXTURE,
    });
    const primary = readFileSync(summary.stacks[0]?.templateFile ?? '', 'utf8');
    expect(primary).not.toMatch(/dummy/);
    expect(primary).toMatch(/"AvailabilityZone": "us-east-1a"/);
    expect(primary).toMatch(/"AvailabilityZone": "us-east-1b"/);
  }, 180_000);
});
