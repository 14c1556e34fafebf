import { describe, expect, it } from 'vitest';
import { ConfigError } from '../contracts/errors.js';
import { priceUsage } from './price.js';
import { ageOf, priceCatalog } from './prices.js';

const total = (usage: object, region = 'us-east-1') => priceUsage(usage, region).totalUsd;

describe('Lambda', () => {
  it('bills the INIT phase of cold starts as duration, after the free GB-seconds', () => {
    // 10,000 cold starts x 500 ms x 1 GB = 5,000 GB-s x $0.0000166667 = $0.0833 without the free
    // tier; with it, the invocations' 1M x 100 ms x 1 GB = 100,000 GB-s leave 300,000 free.
    const usage = {
      service: 'lambda',
      requests: 1_000_000,
      durationMs: 100,
      memoryMb: 1024,
      coldStarts: 10_000,
      initMs: 500,
    };
    const paid = priceUsage({ ...usage, freeTier: false }, 'us-east-1');
    const init = paid.lines.find((line) => line.item.startsWith('INIT phase'));
    expect(init?.quantity).toBe(5000);
    expect(init?.usd).toBe(0.08);
    const free = priceUsage(usage, 'us-east-1');
    expect(free.notes.join(' ')).toMatch(/INIT phase of 10000 cold starts .*free per month/);
    expect(free.totalUsd).toBe(0);
  });

  // AWS's classic example (https://aws.amazon.com/lambda/pricing/): 512 MB, 3M requests of 1 s,
  // x86, with the free tier: 1.1M GB-s x $0.0000166667 = $18.33 compute + 2M x $0.20/M = $0.40.
  it('matches the pricing page example of 3M one-second requests at 512 MB: $18.73', () => {
    const bill = priceUsage(
      { service: 'lambda', requests: 3_000_000, durationMs: 1000, memoryMb: 512 },
      'us-east-1',
    );
    expect(bill.lines.map((line) => line.usd)).toEqual([0.4, 18.33]);
    expect(bill.totalUsd).toBe(18.73);
  });

  // AWS's arm64 example (same page): 3M requests, 120 ms, 1536 MB, no free tier:
  // 540,000 GB-s x $0.0000133334 = $7.20 and 3M x $0.20/M = $0.60.
  it('matches the arm64 example of 3M requests of 120 ms at 1536 MB: $7.80', () => {
    expect(
      total({
        service: 'lambda',
        requests: 3_000_000,
        durationMs: 120,
        memoryMb: 1536,
        architecture: 'arm64',
        freeTier: false,
      }),
    ).toBe(7.8);
  });

  it('prices ephemeral storage above 512 MB and provisioned concurrency without free tier', () => {
    const bill = priceUsage(
      {
        service: 'lambda',
        requests: 1_000_000,
        durationMs: 1000,
        memoryMb: 1024,
        ephemeralStorageMb: 10240,
        freeTier: false,
        provisionedConcurrency: { concurrency: 10, hours: 730, requests: 1_000_000, durationMs: 100 },
      },
      'us-east-1',
    );
    const byItem = Object.fromEntries(bill.lines.map((line) => [line.item, line.usd]));
    // 1M s x 9.5 GB x $0.0000000309 = $0.29355 → $0.29
    expect(byItem['Ephemeral storage above 512 MB']).toBe(0.29);
    // 10 x 1 GB x 730 h x 3600 s x $0.0000041667 = $109.50
    expect(byItem['Provisioned concurrency']).toBe(109.5);
    // 100,000 GB-s x $0.0000097222 = $0.97
    expect(byItem['Duration on provisioned concurrency']).toBe(0.97);
  });

  it('splits duration across tiers instead of averaging', () => {
    const bill = priceUsage(
      { service: 'lambda', requests: 7_000_000_000, durationMs: 1000, memoryMb: 1024, freeTier: false },
      'us-east-1',
    );
    const tiers = bill.lines.filter((line) => line.item.startsWith('Duration'));
    expect(tiers.map((line) => line.quantity)).toEqual([6_000_000_000, 1_000_000_000]);
    expect(tiers.map((line) => line.usd)).toEqual([100000.2, 15000]);
  });
});

describe('API Gateway', () => {
  it('prices HTTP API requests in 512 KB metering units', () => {
    // 10M requests of 600 KB are metered as 20M requests: 20M x $1.00/M = $20.00.
    const bill = priceUsage(
      { service: 'apigateway', apiType: 'http', requests: 10_000_000, requestKb: 600, freeTier: false },
      'us-east-1',
    );
    expect(bill.totalUsd).toBe(20);
    expect(bill.notes.join(' ')).toMatch(/512 KB/);
  });

  it('prices REST requests across tiers and a 1.6 GB cache for a 30-day month', () => {
    // 400M requests: 333M x $3.50 + 67M x $2.80 = $1,165.50 + $187.60; cache 720 h x $0.038 = $27.36
    // (AWS's cache example on https://aws.amazon.com/api-gateway/pricing/).
    const bill = priceUsage(
      {
        service: 'apigateway',
        apiType: 'rest',
        requests: 400_000_000,
        cacheSizeGb: 1.6,
        cacheHours: 720,
        freeTier: false,
      },
      'us-east-1',
    );
    expect(bill.lines.map((line) => line.usd)).toEqual([1165.5, 187.6, 27.36]);
    expect(bill.totalUsd).toBe(1380.46);
  });

  it('meters WebSocket messages in 32 KB units and connection minutes', () => {
    // 1M messages of 50 KB = 2M metered x $1.00/M = $2.00; 10M minutes x $0.25/M = $2.50.
    expect(
      total({
        service: 'apigateway',
        apiType: 'websocket',
        messages: 1_000_000,
        messageKb: 50,
        connectionMinutes: 10_000_000,
        freeTier: false,
      }),
    ).toBe(4.5);
  });

  it("matches AWS's REST example, data transfer out included: $18.79", () => {
    // https://aws.amazon.com/api-gateway/pricing/ : 5M calls returning 3 KB each, no cache.
    // Calls: 5M x $3.50/M = $17.50. Transfer: 3 KB x 5M = 15M KB = 14.305 GB x $0.09 = $1.29.
    const bill = priceUsage(
      { service: 'apigateway', apiType: 'rest', requests: 5_000_000, responseKb: 3, freeTier: false },
      'us-east-1',
    );
    expect(bill.lines.map((line) => line.usd)).toEqual([17.5, 1.29]);
    expect(bill.totalUsd).toBe(18.79);
  });

  it('leaves the transfer out to CloudFront when the API is behind it', () => {
    const bill = priceUsage(
      {
        service: 'apigateway',
        apiType: 'rest',
        requests: 5_000_000,
        responseKb: 3,
        behindCloudFront: true,
        freeTier: false,
      },
      'us-east-1',
    );
    expect(bill.totalUsd).toBe(17.5);
    expect(bill.notes.join(' ')).toMatch(/CloudFront/);
  });
});

describe('Fargate', () => {
  // AWS's example (https://aws.amazon.com/fargate/pricing/): 5 ECS tasks on Linux/x86, 1 vCPU and
  // 2 GB each, 10 minutes a day for 30 days: $1.01 vCPU + $0.22 memory.
  it('matches the pricing page example of five short daily tasks: $1.23', () => {
    const bill = priceUsage(
      { service: 'fargate', tasks: 5, vcpu: 1, memoryGb: 2, hoursPerTask: 5 },
      'us-east-1',
    );
    expect(bill.lines.map((line) => line.usd)).toEqual([1.01, 0.22]);
    expect(bill.totalUsd).toBe(1.23);
  });

  it('prices ARM, Windows with its licence, and storage above the free 20 GB', () => {
    // 1 task, 730 h, 1 vCPU, 2 GB, ARM: 2,628,000 s x $0.0000089944 = $23.64; x 2 GB x $0.0000009889 = $5.20
    expect(
      total({ service: 'fargate', architecture: 'arm64', tasks: 1, vcpu: 1, memoryGb: 2, hoursPerTask: 730 }),
    ).toBe(28.84);
    const windows = priceUsage(
      { service: 'fargate', os: 'windows', tasks: 1, vcpu: 1, memoryGb: 2, hoursPerTask: 1 },
      'us-east-1',
    );
    expect(windows.lines.map((line) => line.item)).toContain('Windows OS license');
    const storage = priceUsage(
      { service: 'fargate', tasks: 1, vcpu: 1, memoryGb: 2, hoursPerTask: 1, ephemeralStorageGb: 120 },
      'us-east-1',
    );
    // 100 GB x 3600 s x $0.0000000308 = $0.0111 → $0.01
    expect(storage.lines.at(-1)).toMatchObject({ item: 'Ephemeral storage above 20 GB', usd: 0.01 });
  });
});

describe('X-Ray', () => {
  it('applies the free tier to recorded and to retrieved-or-scanned traces', () => {
    // 2M recorded: 1.9M x $5/M = $9.50; 3M retrieved + 1M scanned - 1M free = 3M x $0.50/M = $1.50.
    const bill = priceUsage(
      { service: 'xray', tracesRecorded: 2_000_000, tracesRetrieved: 3_000_000, tracesScanned: 1_000_000 },
      'us-east-1',
    );
    expect(bill.lines.map((line) => line.usd)).toEqual([9.5, 1.5]);
    expect(total({ service: 'xray', tracesRecorded: 2_000_000, insights: true, freeTier: false })).toBe(12);
  });
});

describe('regions and bad input', () => {
  it('says a price is unknown for a region instead of using another region’s', () => {
    // X-Ray has no eu-west-1 figure: the traces are reported missing, never priced at zero.
    const bill = priceUsage({ service: 'xray', tracesRecorded: 1_000_000, freeTier: false }, 'eu-west-1');
    expect(bill.lines).toEqual([]);
    expect(bill.missing).toEqual([
      {
        missing: true,
        service: 'xray',
        region: 'eu-west-1',
        dimension: 'xray.recorded',
        item: 'Traces recorded',
        quantity: 1_000_000,
      },
    ]);
    expect(bill.notes.join(' ')).toMatch(
      /not priced, the price list has no eu-west-1 figure for xray.recorded/,
    );
    expect(bill.complete).toBe(false);
    expect(bill.unpriced.map((line) => line.reason).join(' ')).toMatch(/no eu-west-1 price/);
    expect(
      total({ service: 'lambda', requests: 3_000_000, durationMs: 1000, memoryMb: 512 }, 'eu-west-1'),
    ).toBe(18.73);
  });

  it.each([
    [{ service: 'lightsail' }, /^service: must be one of/],
    [{ service: 'lambda', durationMs: 1, memoryMb: 128 }, /^requests: /],
    [{ service: 'lambda', requests: -1, durationMs: 1, memoryMb: 128 }, /^requests: /],
    [
      { service: 'lambda', requests: 1, durationMs: 1, memoryMb: 128, colour: 'red' },
      /^colour: unknown field/,
    ],
    [
      {
        service: 'fargate',
        os: 'windows',
        architecture: 'arm64',
        tasks: 1,
        vcpu: 1,
        memoryGb: 1,
        hoursPerTask: 1,
      },
      /^architecture: /,
    ],
    [{ service: 'apigateway', apiType: 'rest', cacheSizeGb: 2 }, /^cacheSizeGb: must be one of/],
  ])('refuses %j naming the field', (usage, message) => {
    expect(() => priceUsage(usage, 'us-east-1')).toThrow(ConfigError);
    expect(() => priceUsage(usage, 'us-east-1')).toThrow(message);
  });
});

describe('the catalog', () => {
  it('names a source and a date for every price, and flags old or undated ones', () => {
    for (const price of priceCatalog()) {
      // A URL, or AWS's Price List Query API where the figure was read from GetProducts.
      expect(price.source, price.key).toMatch(/^(https:\/\/|AWS Price List)/);
      expect(price.usd ?? price.tiers, price.key).toBeDefined();
      // AWS's own figures name the offer they come from.
      if (price.provenance !== 'secondary') expect(price.offerCode, price.key).toMatch(/^(AWS|Amazon|aws)/);
    }
    const lambda = priceCatalog().find(
      (price) => price.key === 'lambda.requests' && price.region === 'eu-west-1',
    );
    // The eu-west-1 offer file of 2026-10-01 (version 20261001184746), SKU and usage type named.
    expect(lambda).toMatchObject({
      provenance: 'aws-price-list',
      offerCode: 'AWSLambda',
      sourceDate: '2026-10-01',
      usageType: 'EU-Request',
      usd: '0.2',
    });
    expect(lambda?.source).toMatch(/\/AWSLambda\/20261001184746\/eu-west-1\//);
    expect(lambda && ageOf(lambda, new Date('2027-11-24'))).toBe('stale');
    expect(lambda && ageOf(lambda, new Date('2026-12-05'))).toBe('current');
  });
});
