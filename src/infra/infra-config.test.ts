import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../contracts/errors.js';
import { loadInfraConfig, parseInfraConfig } from './infra-config.js';

describe('deployment settings', () => {
  it('fills the defaults, and flags win over the file', () => {
    expect(parseInfraConfig({})).toMatchObject({ primaryRegion: 'us-east-1', monthlyBudgetUsd: 200 });
    // The enterprise clusters' API endpoint is private unless addresses are named.
    expect(parseInfraConfig({}).eksPublicAccessCidrs).toEqual([]);
    // Athena answers the enterprise stage's analytics unless Redshift Serverless is chosen.
    expect(parseInfraConfig({}).analyticsEngine).toBe('athena');
    expect(parseInfraConfig({ analyticsEngine: 'redshift' }).analyticsEngine).toBe('redshift');
    const config = parseInfraConfig(
      { primaryRegion: 'eu-west-1', alarmEmail: 'file@shop.test' },
      { alarmEmail: 'flag@shop.test', account: undefined },
    );
    expect(config).toMatchObject({ primaryRegion: 'eu-west-1', alarmEmail: 'flag@shop.test' });
    expect(config.account).toBeUndefined();
  });

  it.each([
    [{ primaryRegion: 'mars' }, {}, /^growstack.config.ts: primaryRegion: must look like us-east-1$/],
    [{}, { primaryRegion: 'mars' }, /^--region primaryRegion: must look like us-east-1$/],
    [{ account: '12' }, {}, /account: must be a 12-digit AWS account id/],
    [{ monthlyBudgetUsd: -5 }, {}, /monthlyBudgetUsd: .*>0/],
    [{ alarmEmail: 'nobody' }, {}, /alarmEmail: Invalid email/],
    [
      { pagingUrl: 'http://events.pagerduty.com/x' },
      {},
      /^growstack.config.ts: pagingUrl: must be an https:\/\/ URL \(SNS posts alarms to it\)$/,
    ],
    [{ cognitoThreatProtection: 'maybe' }, {}, /cognitoThreatProtection: .*"enforced"/],
    [{ searchVolumeGb: 2048 }, {}, /^growstack.config.ts: searchVolumeGb: .*1024/],
    [{ analyticsEngine: 'bigquery' }, {}, /^growstack.config.ts: analyticsEngine: .*"athena"\|"redshift"/],
    [
      { eksPublicAccessCidrs: ['0.0.0.0/0'] },
      {},
      /^growstack.config.ts: eksPublicAccessCidrs: must not be \/0/,
    ],
    [
      { eksPublicAccessCidrs: ['office'] },
      {},
      /^growstack.config.ts: eksPublicAccessCidrs: must be IPv4 CIDR/,
    ],
    [
      { hostedZone: { zoneName: 'shop.example.com' } },
      {},
      /^growstack.config.ts: hostedZone: give hostedZoneId \(an existing zone\) or create: true/,
    ],
    [
      { hostedZone: { zoneName: 'shop.example.com', hostedZoneId: 'Z0123', create: true } },
      {},
      /^growstack.config.ts: hostedZone: .*not both$/,
    ],
    [{ logRetentionDays: 0 }, {}, /^growstack.config.ts: logRetentionDays: .*1/],
    [{ budget: 5 }, {}, /budget: unknown setting \(accepted: account, primaryRegion, alarmEmail, /],
  ])('names the wrong field of %j %j in one line', (file, flags, message) => {
    const attempt = () => parseInfraConfig(file, flags);
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(message);
  });

  it('refuses a config that is not an object', () => {
    expect(() => parseInfraConfig(42)).toThrow(/config: must be an object/);
  });
});

describe('growstack.config.ts', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'growstack-config-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));
  const write = (text: string) => writeFileSync(join(root, 'growstack.config.ts'), text);

  it('is optional', async () => {
    await expect(loadInfraConfig(root)).resolves.toMatchObject({ primaryRegion: 'us-east-1' });
  });

  it('is read from its config export', async () => {
    write("export const config = { primaryRegion: 'ap-southeast-2', monthlyBudgetUsd: 50 };\n");
    await expect(loadInfraConfig(root)).resolves.toMatchObject({
      primaryRegion: 'ap-southeast-2',
      monthlyBudgetUsd: 50,
    });
  });

  it.each([
    ['export const config = {{;\n', /^growstack.config.ts: cannot be loaded: /],
    ['export const settings = {};\n', /^growstack.config.ts: config: missing/],
    ["export const config = { primaryRegion: 'moon-1' };\n", /primaryRegion: must look like us-east-1/],
  ])('turns a malformed file into a ConfigError: %s', async (text, message) => {
    write(text);
    await expect(loadInfraConfig(root)).rejects.toThrow(ConfigError);
    await expect(loadInfraConfig(root)).rejects.toThrow(message);
  });

  it('also reads the repository’s own file', async () => {
    await expect(loadInfraConfig(join(import.meta.dirname, '..', '..'))).resolves.toHaveProperty(
      'alarmEmail',
    );
  });
});
