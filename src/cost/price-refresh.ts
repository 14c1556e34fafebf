import { Decimal } from 'decimal.js';
import { CostModelError } from './errors.js';
import { PRICED_REGIONS, type Price, priceCatalog, type RefreshedPriceFile } from './prices.js';

/**
 * The part of the AWS Price List Query API the refresh needs: `GetProducts`, as
 * `@aws-sdk/client-pricing`'s `PricingClient.send(new GetProductsCommand(input))` answers it.
 * https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_pricing_GetProducts.html
 */
export interface PriceListClient {
  getProducts(input: GetProductsInput): Promise<GetProductsOutput>;
}

export interface GetProductsInput {
  readonly ServiceCode: string;
  readonly Filters: readonly {
    readonly Type: 'TERM_MATCH';
    readonly Field: string;
    readonly Value: string;
  }[];
  readonly FormatVersion: 'aws_v1';
  readonly NextToken?: string;
  readonly MaxResults?: number;
}

/** `PriceList` holds one JSON document (a string) per product, with its terms. */
export interface GetProductsOutput {
  readonly FormatVersion?: string;
  readonly PriceList?: readonly string[];
  readonly NextToken?: string;
}

/** One product of a `PriceList`, as far as the refresh reads it. */
interface PriceListProduct {
  readonly product?: { readonly sku?: string; readonly attributes?: Record<string, string> };
  readonly publicationDate?: string;
  readonly terms?: {
    readonly OnDemand?: Record<
      string,
      {
        readonly effectiveDate?: string;
        readonly priceDimensions?: Record<
          string,
          {
            readonly beginRange?: string;
            readonly endRange?: string;
            readonly unit?: string;
            readonly pricePerUnit?: { readonly USD?: string };
          }
        >;
      }
    >;
  };
}

/**
 * How a catalog entry is found in the API's answer: the offer (service code), filters that narrow
 * the products, the usage type (matched without its region prefix: `EU-`, `APS1-`, `USE1-`...),
 * and `scale`, what AWS's price per unit is multiplied by to give the catalog's price per `per`
 * units (1,000,000 for a price per million requests).
 */
interface RefreshSpec {
  readonly key: string;
  readonly offerCode: string;
  readonly usageType: RegExp;
  readonly scale: number;
  readonly filters?: Readonly<Record<string, string>>;
}

/** A usage type with or without its region's prefix (`EU-`, `APS1-`, `USE1-`), and nothing else. */
const ending = (usageType: string) =>
  new RegExp(`^([A-Z]{2,4}[0-9]?-)?${usageType.replace(/[.:]/g, (c) => `\\${c}`)}$`);
const spec = (
  key: string,
  offerCode: string,
  usageType: string,
  scale = 1,
  filters?: Record<string, string>,
): RefreshSpec => ({ key, offerCode, usageType: ending(usageType), scale, ...(filters ? { filters } : {}) });

/** The catalog entries the refresh reads from the Price List API; the rest keep the shipped figures. */
export const REFRESH_SPECS: readonly RefreshSpec[] = [
  spec('lambda.requests', 'AWSLambda', 'Request', 1e6),
  spec('lambda.duration.x86_64', 'AWSLambda', 'Lambda-GB-Second'),
  spec('lambda.duration.arm64', 'AWSLambda', 'Lambda-GB-Second-ARM'),
  spec('apigateway.http.requests', 'AmazonApiGateway', 'ApiGatewayHttpRequest', 1e6),
  spec('apigateway.rest.requests', 'AmazonApiGateway', 'ApiGatewayRequest', 1e6),
  // Fargate's catalog prices are per 3,600 seconds: AWS's hourly figure as it stands.
  spec('fargate.linux.x86_64.vcpu', 'AmazonECS', 'Fargate-vCPU-Hours:perCPU'),
  spec('fargate.linux.x86_64.memory', 'AmazonECS', 'Fargate-GB-Hours'),
  spec('fargate.linux.arm64.vcpu', 'AmazonECS', 'Fargate-ARM-vCPU-Hours:perCPU'),
  spec('fargate.linux.arm64.memory', 'AmazonECS', 'Fargate-ARM-GB-Hours'),
  spec('dynamodb.reads', 'AmazonDynamoDB', 'ReadRequestUnits', 1e6),
  spec('dynamodb.writes', 'AmazonDynamoDB', 'WriteRequestUnits', 1e6),
  spec('dynamodb.replicatedWrites', 'AmazonDynamoDB', 'ReplWriteRequestUnits', 1e6),
  spec('dynamodb.storage', 'AmazonDynamoDB', 'TimedStorage-ByteHrs'),
  spec('dynamodb.pitr', 'AmazonDynamoDB', 'TimedPITRStorage-ByteHrs'),
  spec('sqs.standard', 'AWSQueueService', 'Requests-Tier1', 1e6),
  spec('sqs.fifo', 'AWSQueueService', 'Requests-FIFO-Tier1', 1e6),
  spec('sns.publishes', 'AmazonSNS', 'Requests-Tier1', 1e6),
  spec('ses.emails', 'AmazonSES', 'Recipients', 1000),
  spec('s3.storage', 'AmazonS3', 'TimedStorage-ByteHrs'),
  spec('s3.put', 'AmazonS3', 'Requests-Tier1', 1000),
  spec('s3.get', 'AmazonS3', 'Requests-Tier2', 1000),
  spec('datatransfer.internet', 'AWSDataTransfer', 'DataTransfer-Out-Bytes'),
  spec('cloudwatch.logsIngested', 'AmazonCloudWatch', 'DataProcessing-Bytes'),
  spec('cloudwatch.logsStored', 'AmazonCloudWatch', 'TimedStorage-ByteHrs'),
  spec('cloudwatch.metrics', 'AmazonCloudWatch', 'CW:MetricMonitorUsage'),
  spec('cloudwatch.alarms', 'AmazonCloudWatch', 'CW:AlarmMonitorUsage'),
  spec('kms.keys', 'awskms', 'KMS-Keys'),
  spec('natgateway.hours', 'AmazonEC2', 'NatGateway-Hours', 1, { productFamily: 'NAT Gateway' }),
  spec('natgateway.data', 'AmazonEC2', 'NatGateway-Bytes', 1, { productFamily: 'NAT Gateway' }),
  spec('alb.hours', 'AWSELB', 'LoadBalancerUsage', 1, { productFamily: 'Load Balancer-Application' }),
  spec('alb.lcus', 'AWSELB', 'LCUUsage', 1, { productFamily: 'Load Balancer-Application' }),
  spec('waf.acls', 'awswaf', 'WebACLV2'),
  spec('waf.rules', 'awswaf', 'RuleV2'),
  spec('elasticache.valkey.cache.m7g.large', 'AmazonElastiCache', 'NodeUsage:cache.m7g.large', 1, {
    cacheEngine: 'Valkey',
  }),
  spec('elasticache.redis.cache.m7g.large', 'AmazonElastiCache', 'NodeUsage:cache.m7g.large', 1, {
    cacheEngine: 'Redis',
  }),
  spec('athena.tbScanned', 'AmazonAthena', 'DataScannedInTB'),
  spec('redshift.rpuHours', 'AmazonRedshift', 'Redshift:ServerlessUsage'),
  spec('config.configurationItems', 'AWSConfig', 'ConfigurationItemRecorded'),
];

/** Every product of one offer in one region that passes the spec's filters, page by page. */
async function productsOf(
  client: PriceListClient,
  offerCode: string,
  region: string,
  filters: Readonly<Record<string, string>>,
): Promise<PriceListProduct[]> {
  const products: PriceListProduct[] = [];
  let NextToken: string | undefined;
  do {
    const page = await client.getProducts({
      ServiceCode: offerCode,
      FormatVersion: 'aws_v1',
      Filters: Object.entries({ regionCode: region, ...filters }).map(([Field, Value]) => ({
        Type: 'TERM_MATCH' as const,
        Field,
        Value,
      })),
      ...(NextToken ? { NextToken } : {}),
    });
    for (const item of page.PriceList ?? []) {
      try {
        products.push(JSON.parse(item) as PriceListProduct);
      } catch {
        throw new CostModelError(`GetProducts ${offerCode} ${region}: a PriceList entry is not JSON`, {
          field: 'PriceList',
        });
      }
    }
    NextToken = page.NextToken;
  } while (NextToken);
  return products;
}

const decimalString = (value: Decimal) => value.toFixed();

/**
 * One catalog record from a product's on-demand price dimensions: tiers by `beginRange`, a leading
 * free range left to the calculators (they apply free tiers themselves), AWS's price times `scale`.
 */
function recordOf(
  product: PriceListProduct,
  spec: RefreshSpec,
  region: string,
  template: Price,
  refreshedAt: string,
): Price | undefined {
  const term = Object.values(product.terms?.OnDemand ?? {})[0];
  const dimensions = Object.values(term?.priceDimensions ?? {})
    .filter((dimension) => dimension.pricePerUnit?.USD !== undefined)
    .sort((a, b) => Number(a.beginRange ?? 0) - Number(b.beginRange ?? 0));
  if (dimensions.length === 0) return undefined;
  let freeUpTo = new Decimal(0);
  while (dimensions.length > 1 && new Decimal(dimensions[0]!.pricePerUnit!.USD!).isZero()) {
    freeUpTo = new Decimal(dimensions[0]!.endRange ?? 0);
    dimensions.shift();
  }
  const priced = dimensions.map((dimension) => ({
    usd: decimalString(new Decimal(dimension.pricePerUnit!.USD!).times(spec.scale)),
    upTo:
      dimension.endRange === undefined || dimension.endRange === 'Inf'
        ? null
        : decimalString(new Decimal(dimension.endRange).minus(freeUpTo)),
  }));
  const attributes = product.product?.attributes ?? {};
  const date = (product.publicationDate ?? term?.effectiveDate ?? refreshedAt).slice(0, 10);
  const { usd: _usd, tiers: _tiers, note: _note, sku: _sku, usageType: _usageType, ...kept } = template;
  return {
    ...kept,
    region,
    source: `AWS Price List Query API (GetProducts, ServiceCode ${spec.offerCode}, regionCode ${region})`,
    sourceDate: date,
    confidence: 'high',
    provenance: 'aws-price-list',
    offerCode: spec.offerCode,
    ...(product.product?.sku ? { sku: product.product.sku } : {}),
    ...(attributes.usagetype ? { usageType: attributes.usagetype } : {}),
    ...(priced.length === 1 && priced[0]!.upTo === null ? { usd: priced[0]!.usd } : { tiers: priced }),
    note: `refreshed ${refreshedAt.slice(0, 10)} from GetProducts; publication ${product.publicationDate ?? 'not given'}`,
  };
}

export interface RefreshResult {
  readonly file: RefreshedPriceFile;
  /** Catalog entries the API gave no single matching product for, per region: the snapshot stays. */
  readonly notFound: readonly { readonly key: string; readonly region: string; readonly reason: string }[];
}

/**
 * Reads the current on-demand prices of the catalog's entries for `regions` from the Price List
 * API, and merges them into `previous` (a file an earlier refresh wrote): the refreshed regions'
 * records replace theirs, other regions' stay.
 */
export async function refreshPrices(options: {
  client: PriceListClient;
  regions: readonly string[];
  previous?: RefreshedPriceFile;
  now: Date;
}): Promise<RefreshResult> {
  const unknown = options.regions.filter((region) => !PRICED_REGIONS.includes(region));
  if (unknown.length > 0)
    throw new CostModelError(`region: must be one of ${PRICED_REGIONS.join(', ')}, got '${unknown[0]}'`, {
      field: 'region',
    });
  const refreshedAt = options.now.toISOString();
  const catalog = priceCatalog();
  const prices: Price[] = [];
  const notFound: { key: string; region: string; reason: string }[] = [];
  const pages = new Map<string, Promise<PriceListProduct[]>>();
  for (const region of options.regions) {
    for (const entry of REFRESH_SPECS) {
      const template = catalog.find((price) => price.key === entry.key);
      if (!template) continue;
      const filters = entry.filters ?? {};
      const cacheKey = `${entry.offerCode}|${region}|${JSON.stringify(filters)}`;
      if (!pages.has(cacheKey))
        pages.set(cacheKey, productsOf(options.client, entry.offerCode, region, filters));
      const matches = (await pages.get(cacheKey)!).filter((product) => {
        const attributes = product.product?.attributes ?? {};
        return (
          entry.usageType.test(attributes.usagetype ?? '') &&
          Object.entries(filters).every(([field, value]) => attributes[field] === value)
        );
      });
      const record =
        matches.length === 1 ? recordOf(matches[0]!, entry, region, template, refreshedAt) : undefined;
      if (record) prices.push(record);
      else
        notFound.push({
          key: entry.key,
          region,
          reason: matches.length === 0 ? 'no product matches' : `${matches.length} products match`,
        });
    }
  }
  const kept = (options.previous?.prices ?? []).filter((price) => !options.regions.includes(price.region));
  const regions = [...new Set([...(options.previous?.regions ?? []), ...options.regions])].sort();
  return {
    file: {
      note: "Prices read from the AWS Price List Query API by `growstack prices refresh`; the plan prefers them to the shipped snapshot's for the same entry and region.",
      refreshedAt,
      regions,
      prices: [...kept, ...prices],
    },
    notFound,
  };
}
