import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { PriceListClient } from '../../cost/price-refresh.js';
import { PRICED_REGIONS, type PriceSnapshot } from '../../cost/prices.js';
import { type CliIo, type Command, CommandFailure, type OptionValues, UsageError } from '../command.js';

/** The AWS SDK package the refresh reads the Price List Query API with; not a dependency of Growstack. */
const PRICING_PACKAGE = '@aws-sdk/client-pricing';

/** The price file in the data folder that `growstack plan` prefers to the shipped snapshot. */
export const refreshedPriceFile = (dataDir: string) => join(dataDir, 'prices.json');

/**
 * A Price List client from @aws-sdk/client-pricing, with the user's own credentials (the SDK's
 * default chain). The API answers in us-east-1 for every region's prices.
 * https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/using-price-list-query-api.html
 */
async function sdkClient(): Promise<PriceListClient> {
  type Sdk = {
    PricingClient: new (config: { region: string }) => { send(command: unknown): Promise<unknown> };
    GetProductsCommand: new (input: unknown) => unknown;
  };
  let sdk: Sdk;
  try {
    // A name the compiler does not resolve: the package is the user's to install.
    const name: string = PRICING_PACKAGE;
    sdk = (await import(name)) as Sdk;
  } catch {
    throw new CommandFailure(
      `${PRICING_PACKAGE} is not installed: run 'npm install ${PRICING_PACKAGE}', then growstack prices refresh again`,
    );
  }
  const client = new sdk.PricingClient({ region: 'us-east-1' });
  return {
    getProducts: async (input) =>
      (await client.send(new sdk.GetProductsCommand(input))) as Awaited<
        ReturnType<PriceListClient['getProducts']>
      >,
  };
}

/**
 * Prefers the data folder's refreshed price file (when `growstack prices refresh` wrote one) to the
 * shipped snapshot, for the plan and the advisor; returns which prices are in use.
 */
export async function preferLocalPrices(): Promise<PriceSnapshot> {
  const { loadConfig } = await import('../../platform/config.js');
  const { preferPriceFile } = await import('../../cost/prices.js');
  return preferPriceFile(refreshedPriceFile(loadConfig(process.env).dataDir));
}

/** Refreshes the price file for `regions` with `client`, and says what it wrote. */
export async function runPriceRefresh(options: {
  client: PriceListClient;
  regions: readonly string[];
  dataDir: string;
  io: CliIo;
  now?: Date;
}): Promise<number> {
  const { RefreshedPriceFileSchema } = await import('../../cost/prices.js');
  const { refreshPrices } = await import('../../cost/price-refresh.js');
  const file = refreshedPriceFile(options.dataDir);
  let previous: ReturnType<typeof RefreshedPriceFileSchema.parse> | undefined;
  if (existsSync(file)) {
    const parsed = RefreshedPriceFileSchema.safeParse(safeJson(file));
    // A file this command cannot read is replaced, not merged.
    if (parsed.success) previous = parsed.data;
    else options.io.err(`${file} is not a price file this version reads: writing it anew`);
  }
  const result = await refreshPrices({
    client: options.client,
    regions: options.regions,
    ...(previous ? { previous } : {}),
    now: options.now ?? new Date(),
  });
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, `${JSON.stringify(result.file, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
  const written = result.file.prices.filter((price) => options.regions.includes(price.region)).length;
  options.io.out(
    `wrote ${written} prices for ${options.regions.join(', ')} to ${file} (AWS Price List Query API, ${result.file.refreshedAt.slice(0, 10)}); growstack plan now prefers them to the shipped snapshot`,
  );
  if (result.notFound.length > 0)
    options.io.out(
      `not refreshed (the shipped snapshot stays for these): ${result.notFound.map((entry) => `${entry.key} in ${entry.region} (${entry.reason})`).join('; ')}`,
    );
  return 0;
}

function safeJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function regionsOf(values: OptionValues): string[] {
  const given = values.region;
  const regions = Array.isArray(given) ? given.map(String) : [...PRICED_REGIONS];
  for (const region of regions)
    if (!PRICED_REGIONS.includes(region))
      throw new UsageError(`--region must be one of ${PRICED_REGIONS.join(', ')}, got '${region}'`);
  return [...new Set(regions)];
}

/** `growstack prices refresh`: current prices from the AWS Price List Query API into the data folder. */
export const pricesCommand: Command = {
  name: 'prices',
  summary: "Refresh the local price file from AWS's Price List Query API",
  usage: 'growstack prices refresh [--region R]...',
  help: [
    'Subcommands:',
    "  refresh          read the catalog's on-demand prices from the AWS Price List Query API",
    '                   (GetProducts, with your own AWS credentials) into .growstack/prices.json',
    '',
    'Options:',
    `  --region R       ${PRICED_REGIONS.join(' | ')}; repeat for several (default all three)`,
    '',
    `Needs ${PRICING_PACKAGE} (npm install ${PRICING_PACKAGE}). growstack plan prefers the refreshed`,
    'prices to the snapshot shipped with Growstack, entry by entry, and says which it used.',
  ].join('\n'),
  options: { region: { type: 'string', multiple: true } },
  allowPositionals: true,
  async run(values, positionals, io) {
    if (positionals[0] !== 'refresh' || positionals.length > 1)
      throw new UsageError(
        `expected 'refresh', got ${positionals.length === 0 ? 'nothing' : `'${positionals.join(' ')}'`}`,
      );
    const regions = regionsOf(values);
    const { loadConfig } = await import('../../platform/config.js');
    const { dataDir } = loadConfig(process.env);
    return runPriceRefresh({ client: await sdkClient(), regions, dataDir, io });
  },
};
