import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { capture } from '../../test/support/cli.js';
import { templateInventories } from '../../test/support/synth.js';
import { refreshedPriceFile, runPriceRefresh } from '../cli/commands/prices.js';
import { CostModelError } from './errors.js';
import { formatPlan } from './plan/format-plan.js';
import { planStages } from './plan/plan.js';
import { parseProfile } from './plan/profile.js';
import { type GetProductsInput, type PriceListClient, refreshPrices } from './price-refresh.js';
import { lookupPrice, onlyShippedPrices, preferPriceFile, priceSnapshot } from './prices.js';

/** Each stage's inventory as growstack plan counts it, from the shared template cache. */
const templated = await templateInventories();

const FIXTURES = resolve(import.meta.dirname, '..', '..', 'test', 'fixtures', 'price-list');

/**
 * A Price List client answering from fixtures in GetProducts' documented shape (PriceList: one
 * JSON string per product): `<ServiceCode>-<regionCode>.json`, then `.<NextToken>.json` pages.
 * An offer with no fixture answers no products.
 */
function fixtureClient(calls: GetProductsInput[] = []): PriceListClient {
  return {
    async getProducts(input) {
      calls.push(input);
      const region = input.Filters.find((filter) => filter.Field === 'regionCode')?.Value;
      const page = input.NextToken ? `.${input.NextToken}` : '';
      try {
        return JSON.parse(readFileSync(join(FIXTURES, `${input.ServiceCode}-${region}${page}.json`), 'utf8'));
      } catch {
        return { FormatVersion: 'aws_v1', PriceList: [] };
      }
    },
  };
}

const NOW = new Date('2026-12-05T08:00:00Z');

afterEach(() => onlyShippedPrices());

describe('growstack prices refresh', () => {
  it('reads prices, tiers, SKU, usage type and publication date from GetProducts', async () => {
    const calls: GetProductsInput[] = [];
    const { file, notFound } = await refreshPrices({
      client: fixtureClient(calls),
      regions: ['eu-west-1'],
      now: NOW,
    });
    const record = (key: string) =>
      file.prices.find((price) => price.key === key && price.region === 'eu-west-1');
    // $0.0000002 a request, priced per million in the catalog.
    expect(record('lambda.requests')).toMatchObject({
      usd: '0.2',
      per: 1_000_000,
      sku: 'B5V2RNHAWGVJBZD3',
      usageType: 'EU-Request',
      offerCode: 'AWSLambda',
      provenance: 'aws-price-list',
      sourceDate: '2026-11-20',
    });
    // Not Lambda@Edge's EU-Lambda-Edge-Request, which also ends in "-Request".
    expect(record('lambda.duration.x86_64')?.tiers).toEqual([
      { upTo: '6000000000', usd: '0.0000166667' },
      { upTo: '15000000000', usd: '0.000015' },
      { upTo: null, usd: '0.0000133334' },
    ]);
    // Page 1 of DynamoDB: reads at the fixture's $0.15 a million; page 2 (NextToken): storage,
    // its free 25 GB left to the calculator, and not the Standard-IA class.
    expect(record('dynamodb.reads')).toMatchObject({ usd: '0.15' });
    expect(record('dynamodb.storage')).toMatchObject({ usd: '0.283', usageType: 'EU-TimedStorage-ByteHrs' });
    expect(
      calls.filter((call) => call.ServiceCode === 'AmazonDynamoDB').map((call) => call.NextToken),
    ).toEqual([undefined, 'page-2']);
    expect(calls[0]).toMatchObject({
      FormatVersion: 'aws_v1',
      Filters: [{ Type: 'TERM_MATCH', Field: 'regionCode', Value: 'eu-west-1' }],
    });
    // No product in the fixtures: named, and the shipped figure stays.
    expect(notFound).toContainEqual({
      key: 'sqs.standard',
      region: 'eu-west-1',
      reason: 'no product matches',
    });
    expect(file.regions).toEqual(['eu-west-1']);
  });

  it('keeps other regions of an earlier refresh, and refuses a region the catalog does not cover', async () => {
    const first = await refreshPrices({ client: fixtureClient(), regions: ['eu-west-1'], now: NOW });
    const apRecord = { ...first.file.prices[0]!, region: 'ap-southeast-1', usd: '0.3' };
    const previous = { ...first.file, regions: ['ap-southeast-1', 'eu-west-1'], prices: [apRecord] };
    const { file } = await refreshPrices({
      client: fixtureClient(),
      regions: ['eu-west-1'],
      previous,
      now: NOW,
    });
    expect(file.prices.filter((price) => price.region === 'ap-southeast-1')).toEqual([apRecord]);
    expect(file.regions).toEqual(['ap-southeast-1', 'eu-west-1']);
    await expect(refreshPrices({ client: fixtureClient(), regions: ['mars-1'], now: NOW })).rejects.toThrow(
      CostModelError,
    );
  });

  it('writes .growstack/prices.json, which the catalog then prefers to the shipped snapshot', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'growstack-prices-'));
    const { io, out } = capture();
    expect(
      await runPriceRefresh({ client: fixtureClient(), regions: ['eu-west-1'], dataDir, io, now: NOW }),
    ).toBe(0);
    expect(out.join('\n')).toMatch(/wrote 4 prices for eu-west-1 to .*prices\.json/);
    expect(out.join('\n')).toMatch(
      /not refreshed \(the shipped snapshot stays for these\): .*sqs\.standard in eu-west-1/,
    );

    // The shipped snapshot has AWS's $0.1415; the refreshed file the fixture's $0.15.
    const shipped = lookupPrice('dynamodb.reads', 'eu-west-1');
    expect(!shipped.missing && shipped.price.usd).toBe('0.1415');
    expect(preferPriceFile(refreshedPriceFile(dataDir))).toMatchObject({
      kind: 'refreshed',
      file: refreshedPriceFile(dataDir),
    });
    const refreshed = lookupPrice('dynamodb.reads', 'eu-west-1');
    expect(!refreshed.missing && refreshed.price.usd).toBe('0.15');
    // Entries the refresh did not cover keep the snapshot's figure.
    const writes = lookupPrice('dynamodb.writes', 'eu-west-1');
    expect(!writes.missing && writes.price.usd).toBe('0.705');
    onlyShippedPrices();
    expect(priceSnapshot().kind).toBe('shipped');
  });

  it('makes the plan say which prices it used, how old they are, and how many lines are secondary', async () => {
    const inventories = new Map(templated);
    const planNow = () => planStages({ profile: parseProfile({}, 10_000), region: 'us-east-1', inventories });
    const shipped = planNow();
    // The shipped snapshot's newest AWS figure is eu-west-1's API Gateway offer file of 2026-10-02.
    expect(shipped.prices).toMatchObject({ kind: 'shipped', newest: '2026-10-02' });
    const footer = formatPlan(shipped, NOW);
    expect(footer).toMatch(
      /Prices: the snapshot shipped with Growstack \(AWS price data dated \d{4}-\d{2}(-\d{2})? to 2026-10-02, the newest 64 days old\)/,
    );
    const counts = shipped.stages.map((stage) => `${stage.stage} ${stage.secondaryLines}`).join(', ');
    expect(footer).toContain(`Lines priced from secondary data, not AWS's own figures: ${counts}`);

    const dataDir = mkdtempSync(join(tmpdir(), 'growstack-prices-'));
    const { io } = capture();
    await runPriceRefresh({ client: fixtureClient(), regions: ['eu-west-1'], dataDir, io, now: NOW });
    preferPriceFile(refreshedPriceFile(dataDir));
    const refreshed = planNow();
    expect(refreshed.prices).toMatchObject({ kind: 'refreshed', newest: '2026-11-20' });
    expect(formatPlan(refreshed, NOW)).toContain(
      `Prices: refreshed from the AWS Price List API into ${refreshedPriceFile(dataDir)}`,
    );
  });

  it('names a damaged price file instead of pricing with it', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'growstack-prices-'));
    writeFileSync(refreshedPriceFile(dataDir), '{"prices": [');
    expect(() => preferPriceFile(refreshedPriceFile(dataDir))).toThrow(/not valid JSON/);
  });
});

describe('growstack prices on the command line', () => {
  it('names a wrong subcommand or region in one line', async () => {
    const { main } = await import('../cli/main.js');
    for (const [args, pattern] of [
      [['prices'], /growstack prices: expected 'refresh', got nothing/],
      [['prices', 'update'], /expected 'refresh', got 'update'/],
      [
        ['prices', 'refresh', '--region', 'mars-1'],
        /--region must be one of us-east-1, eu-west-1, ap-southeast-1/,
      ],
    ] as const) {
      const { io, err } = capture();
      expect(await main([...args], io)).toBe(2);
      expect(err.join('\n')).toMatch(pattern);
    }
  });

  it('lists each price with where it comes from: AWS’s offer and usage type, or secondary data', async () => {
    const { main } = await import('../cli/main.js');
    const { io, out } = capture();
    expect(await main(['price', '--list'], io)).toBe(0);
    const text = out.join('\n');
    expect(text).toMatch(
      /eu-west-1 {2}dynamodb\.reads +\$0\.1415 per 1000000 read request units {2}\(2026-09-11, AWS Price List AmazonDynamoDB EU-ReadRequestUnits\)/,
    );
    expect(text).toMatch(/us-east-1 {2}xray\.recorded +\$5 per 1000000 traces {2}\([^)]*, secondary data\)/);
  });

  it('says how to install the Price List client when it is not installed, and writes nothing', async () => {
    const { main } = await import('../cli/main.js');
    // Growstack does not depend on @aws-sdk/client-pricing: the user installs it to refresh.
    expect(
      existsSync(resolve(import.meta.dirname, '..', '..', 'node_modules', '@aws-sdk', 'client-pricing')),
    ).toBe(false);
    const { io, err } = capture();
    expect(await main(['prices', 'refresh', '--region', 'eu-west-1'], io)).toBe(1);
    expect(err).toEqual([
      "growstack prices: @aws-sdk/client-pricing is not installed: run 'npm install @aws-sdk/client-pricing', then growstack prices refresh again",
    ]);
  });
});
