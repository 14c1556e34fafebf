import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError } from '../contracts/errors.js';
import { BillBuilder } from './bill.js';
import { defineCalculator, usageFields } from './calculator.js';
import { CALCULATORS } from './price.js';

const ExampleSchema = z.strictObject({
  service: z.literal('example'),
  requests: z.number().nonnegative(),
  hours: z.number().default(730),
  storageGb: z.number().default(0),
  tier: z.enum(['lite', 'plus', 'pro']).default('plus'),
  freeTier: z.boolean().default(true).describe('first 12 months'),
  sizeKb: z.number().optional().describe('the payload when omitted'),
  burst: z.strictObject({ units: z.number(), hours: z.number().default(1) }).optional(),
});

describe('usageFields', () => {
  it('marks required fields, states non-zero defaults, puts the default choice first and adds descriptions', () => {
    expect(usageFields(ExampleSchema)).toEqual([
      'requests*',
      'hours (730)',
      'storageGb',
      'tier (plus|lite|pro)',
      'freeTier (true; first 12 months)',
      'sizeKb (the payload when omitted)',
      'burst {units*, hours (1)}',
    ]);
  });

  it('lists the fields of every calculator', () => {
    for (const calculator of Object.values(CALCULATORS)) {
      expect(usageFields(calculator.schema)).toHaveLength(Object.keys(calculator.schema.shape).length - 1);
    }
  });
});

describe('defineCalculator', () => {
  const example = defineCalculator(ExampleSchema, (usage, region) => {
    const bill = new BillBuilder('example', region);
    bill.note(`${usage.tier} ${usage.hours} ${usage.requests}`);
    return bill.build();
  });

  it('hands the pricing function the parsed usage, defaults filled in', () => {
    expect(example.priceDocument({ service: 'example', requests: 3 }, 'us-east-1').notes).toEqual([
      'plus 730 3',
    ]);
  });

  it('refuses a wrong field with a ConfigError naming it', () => {
    expect(() => example.priceDocument({ service: 'example', requests: -1 }, 'us-east-1')).toThrow(
      expect.objectContaining({ name: 'ConfigError', setting: 'requests' }),
    );
    expect(() => example.priceDocument({ service: 'example', requests: 1, bogus: 1 }, 'us-east-1')).toThrow(
      new ConfigError('bogus: unknown field', { setting: 'bogus' }),
    );
  });
});

describe('docs/cost-model.md', () => {
  const docs = readFileSync('docs/cost-model.md', 'utf8');

  it.each(Object.entries(CALCULATORS))(
    'names every usage field of %s in its table row',
    (service, calculator) => {
      const row = docs.split('\n').find((line) => line.split('|')[1]?.includes(`\`${service}\``));
      expect(row, `a table row for ${service}`).toBeDefined();
      const missing = Object.keys(calculator.schema.shape).filter(
        (field) => field !== 'service' && !row?.includes(`\`${field}\``),
      );
      expect(missing).toEqual([]);
    },
  );
});
