import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { capture } from '../../../test/support/cli.js';
import { templateInventories } from '../../../test/support/synth.js';
import { main } from '../../cli/main.js';
import { planStages } from './plan.js';
import { parseProfile } from './profile.js';

/** Each stage's inventory as growstack plan counts it, from the shared template cache. */
const templated = await templateInventories();

/**
 * Gaps in the price list, made here so the tests do not hang on which regions the shipped list
 * happens to cover: in eu-west-1, no Lambda request price, no DynamoDB read price (no free tier, so
 * always billed), and no CloudFront or SES price at all.
 */
vi.mock('../prices.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../prices.js')>();
  const hidden = (key: string, region: string) =>
    region === 'eu-west-1' &&
    (['lambda.requests', 'dynamodb.reads'].includes(key) || /^(cloudfront|ses)\./.test(key));
  return {
    ...original,
    lookupPrice: (key: string, region: string) =>
      hidden(key, region) ? { missing: true, key, region } : original.lookupPrice(key, region),
    findPrice: (key: string, region: string) =>
      hidden(key, region) ? undefined : original.findPrice(key, region),
  };
});

/** The templates as the plan synthesizes them for each primary region (containers keep us-east-1). */
const byRegion = new Map([
  ['us-east-1', templated],
  ['eu-west-1', await templateInventories('eu-west-1')],
]);
const inventories = (region: 'us-east-1' | 'eu-west-1') => new Map(byRegion.get(region)!);

describe('a plan with prices missing for its region', () => {
  const plan = planStages({
    profile: parseProfile({}, 10_000),
    region: 'eu-west-1',
    inventories: inventories('eu-west-1'),
  });
  const startup = plan.stages.find((stage) => stage.stage === 'startup')!;

  it('names each unpriced line with its service and region instead of dropping it', () => {
    expect(startup.complete).toBe(false);
    expect(startup.unpriced).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ service: 'dynamodb', item: 'On-demand reads', region: 'eu-west-1' }),
        expect.objectContaining({ service: 'ses', item: 'Outbound e-mail', region: 'eu-west-1' }),
      ]),
    );
    // A service with nothing priced is still listed, with no total that reads as $0.00.
    const ses = startup.services.find((service) => service.service === 'ses');
    expect(ses?.lines).toEqual([]);
    expect(ses?.unpriced).toEqual([expect.objectContaining({ quantity: 1000 })]);
  });

  it('names the cheapest by its priced lines only as not certain, and says why', () => {
    expect(plan.stages.every((stage) => !stage.complete)).toBe(true);
    expect(plan.cheapest).toBe('startup');
    expect(plan.cheapestCertain).toBe(false);
    expect(plan.notes.join('\n')).toMatch(
      /startup is the cheapest by its priced lines, but \d+ of its lines are not priced, so a stage above it could still turn out cheaper/,
    );
  });

  it('is complete where every line has a price', () => {
    const east = planStages({
      profile: parseProfile({}, 10_000),
      region: 'us-east-1',
      inventories: inventories('us-east-1'),
    });
    const eastStartup = east.stages.find((stage) => stage.stage === 'startup')!;
    expect(eastStartup.unpriced).toEqual([]);
    expect(eastStartup.complete).toBe(true);
  });
});

describe('growstack plan and price with prices missing', () => {
  it('says "not priced" and "incomplete" in text, JSON and HTML, and exits 1 under --strict', async () => {
    const html = join(mkdtempSync(join(tmpdir(), 'growstack-unpriced-')), 'plan.html');
    const text = capture();
    const args = ['plan', '--region', 'eu-west-1', '--stage', 'startup'];
    expect(await main([...args, '--html', html], text.io)).toBe(0);
    const out = text.out.join('\n');
    expect(out).toMatch(/not priced: dynamodb On-demand reads in eu-west-1/);
    // A lower bound, marked as one, and the count of what it leaves out.
    expect(out).toMatch(/total a month\s+≥\$[\d.,]+/);
    expect(out).toMatch(/not priced\s+\d+ lines?/);
    expect(out).toMatch(/startup: total incomplete: \$[\d.,]+ priced, \d+ lines? not priced/);
    expect(out).toMatch(/ses\s+not priced/);
    expect(out).toMatch(/note: startup is the only stage that meets the profile, and it is not fully priced/);
    const report = readFileSync(html, 'utf8');
    expect(report).toMatch(/not priced/);
    expect(report).toMatch(/incomplete/);

    const json = capture();
    expect(await main([...args, '--json'], json.io)).toBe(0);
    const parsed = JSON.parse(json.out.join('\n'));
    expect(parsed.stages[0]).toMatchObject({ stage: 'startup', complete: false });
    expect(parsed.stages[0].unpriced).toEqual(
      expect.arrayContaining([expect.objectContaining({ service: 'dynamodb', region: 'eu-west-1' })]),
    );

    const strict = capture();
    expect(await main([...args, '--strict'], strict.io)).toBe(1);
    expect(strict.err).toHaveLength(1);
    expect(strict.err[0]).toMatch(/--strict: startup .*not priced/);
    // Fully priced: --strict passes.
    expect(await main(['plan', '--stage', 'startup', '--strict'], capture().io)).toBe(0);
  }, 60_000);

  it('never headlines $0.00 for a bill it could not price, and exits 1 under --strict', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'growstack-unpriced-usage-'));
    const cloudfront = join(dir, 'cloudfront.json');
    writeFileSync(
      cloudfront,
      JSON.stringify({ service: 'cloudfront', requests: 50e6, dataTransferOutGb: 2000 }),
    );
    const whole = capture();
    expect(await main(['price', '--usage', cloudfront, '--region', 'eu-west-1'], whole.io)).toBe(0);
    expect(whole.out[0]).toBe('cloudfront in eu-west-1: not priced (2 lines have no eu-west-1 price)');
    expect(whole.out.join('\n')).not.toMatch(/\$0\.00/);
    expect(whole.out.join('\n')).toMatch(/HTTPS requests .*not priced/);

    const lambda = join(dir, 'lambda.json');
    writeFileSync(
      lambda,
      JSON.stringify({ service: 'lambda', requests: 3e6, durationMs: 100, memoryMb: 512, freeTier: false }),
    );
    const part = capture();
    expect(await main(['price', '--usage', lambda, '--region', 'eu-west-1'], part.io)).toBe(0);
    expect(part.out[0]).toMatch(
      /^lambda in eu-west-1: incomplete: \$[\d.,]+ a month priced, 1 line not priced \(Requests\)$/,
    );
    const json = capture();
    expect(await main(['price', '--usage', lambda, '--region', 'eu-west-1', '--json'], json.io)).toBe(0);
    expect(JSON.parse(json.out.join('\n'))).toMatchObject({
      complete: false,
      unpriced: [{ item: 'Requests', quantity: 3e6, region: 'eu-west-1' }],
    });

    const strict = capture();
    expect(await main(['price', '--usage', lambda, '--region', 'eu-west-1', '--strict'], strict.io)).toBe(1);
    expect(strict.err[0]).toMatch(/--strict: 1 line not priced in eu-west-1 \(Requests\)/);
    expect(await main(['price', '--usage', lambda, '--strict'], capture().io)).toBe(0);
  });
});
