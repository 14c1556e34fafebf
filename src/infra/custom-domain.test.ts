import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { type StageSynth, synthStage } from '../../test/support/synth.js';
import { ConfigError } from '../contracts/errors.js';
import { parseInfraConfig } from './infra-config.js';
import { assertStageConfig } from './stage-config-check.js';
import { type SynthSummary, synthesize } from './synthesize.js';

const ROOT = join(import.meta.dirname, '..', '..');
const ZONE = { zoneName: 'shop.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ' };
let summary: SynthSummary;
let template: Template;

beforeAll(async () => {
  summary = await synthesize({
    stage: 'startup',
    outdir: join(ROOT, 'test', 'artifacts', 'cdk.out', 'startup-domain'),
    root: ROOT,
    config: parseInfraConfig({ hostedZone: ZONE, apiReservedConcurrency: 50 }),
    bundling: false,
  });
  template = Template.fromJSON(JSON.parse(readFileSync(summary.stacks[0]?.templateFile as string, 'utf8')));
}, 120_000);

describe('a custom domain', () => {
  it('puts the site on the apex and www with a DNS-validated certificate and TLS 1.2 at least', () => {
    template.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: ZONE.zoneName,
      SubjectAlternativeNames: [`www.${ZONE.zoneName}`],
      ValidationMethod: 'DNS',
      DomainValidationOptions: Match.arrayWith([Match.objectLike({ HostedZoneId: ZONE.hostedZoneId })]),
    });
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: [ZONE.zoneName, `www.${ZONE.zoneName}`],
        ViewerCertificate: Match.objectLike({
          MinimumProtocolVersion: 'TLSv1.2_2021',
          SslSupportMethod: 'sni-only',
        }),
      }),
    });
    for (const name of [ZONE.zoneName, `www.${ZONE.zoneName}`]) {
      for (const type of ['A', 'AAAA']) {
        template.hasResourceProperties('AWS::Route53::RecordSet', {
          Name: `${name}.`,
          Type: type,
          HostedZoneId: ZONE.hostedZoneId,
          AliasTarget: Match.objectLike({
            DNSName: { 'Fn::GetAtt': [Match.stringLikeRegexp('SiteDistribution'), 'DomainName'] },
          }),
        });
      }
    }
    // The TLS 1.0 acknowledgement is only for the default certificate.
    expect(summary.nag.acknowledged.some((finding) => finding.rule === 'AwsSolutions-CFR4')).toBe(false);
    expect(summary.nag.unacknowledged).toEqual([]);
  });

  it('serves the API at api.<zone> from a regional custom domain', () => {
    template.hasResourceProperties('AWS::ApiGateway::DomainName', {
      DomainName: `api.${ZONE.zoneName}`,
      EndpointConfiguration: { Types: ['REGIONAL'] },
      SecurityPolicy: 'TLS_1_2',
    });
    template.resourceCountIs('AWS::ApiGateway::BasePathMapping', 1);
    // A latency CNAME already, as at every later stage: a move updates it in place.
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: `api.${ZONE.zoneName}.`,
      Type: 'CNAME',
      SetIdentifier: 'api-us-east-1',
      Region: 'us-east-1',
      ResourceRecords: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('ApiDomain'), 'RegionalDomainName'] }],
    });
  });

  it('turns off the execute-api endpoint: CloudFront reaches the API at api.<zone>, with the origin secret', () => {
    template.hasResourceProperties('AWS::ApiGateway::RestApi', { DisableExecuteApiEndpoint: true });
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Origins: Match.arrayWith([
          Match.objectLike({
            DomainName: `api.${ZONE.zoneName}`,
            CustomOriginConfig: Match.objectLike({ OriginProtocolPolicy: 'https-only' }),
            OriginCustomHeaders: [
              {
                HeaderName: 'x-origin-verify',
                HeaderValue: { 'Fn::Join': ['', Match.arrayWith(['{{resolve:secretsmanager:'])] },
              },
            ],
          }),
        ]),
      }),
    });
    // api.<zone> is the API's public name: the function knows the secret (to believe CloudFront's
    // hop) but does not require it there; the stage throttle still applies.
    const [api] = Object.values(template.findResources('AWS::Lambda::Function')).filter(
      (fn) => fn.Properties.Environment?.Variables?.ORIGIN_VERIFY_SECRET,
    );
    expect(api?.Properties.Environment.Variables.ORIGIN_VERIFY_REQUIRED).toBeUndefined();
    // A configured reservation caps the API function (and only it).
    expect(api?.Properties.ReservedConcurrentExecutions).toBe(50);
    template.hasOutput('ApiUrl', { Value: `https://api.${ZONE.zoneName}/api` });
  });

  it('needs the primary region in us-east-1, where CloudFront takes certificates from', () => {
    const config = parseInfraConfig({ hostedZone: ZONE, primaryRegion: 'eu-west-1' });
    expect(() => assertStageConfig('startup', config)).toThrow(ConfigError);
    expect(() => assertStageConfig('startup', config)).toThrow(
      /primaryRegion: must be us-east-1 when hostedZone is set/,
    );
  });
});

describe('a zone the stack creates', () => {
  const CREATE = { zoneName: 'shop.example.com', create: true } as const;
  let startup: StageSynth;
  let scaling: StageSynth;

  beforeAll(async () => {
    startup = await synthStage('startup', 'startup-created-zone', { hostedZone: CREATE, account: undefined });
    scaling = await synthStage('scaling', 'scaling-created-zone', { hostedZone: CREATE });
  }, 180_000);

  it('is a public zone in the primary region, validating the certificates and printing its name servers', () => {
    const template = startup.templates['us-east-1'] as Template;
    template.resourceCountIs('AWS::Route53::HostedZone', 1);
    template.hasResource('AWS::Route53::HostedZone', { DeletionPolicy: 'Retain' });
    const [zoneId] = Object.keys(
      template.findResources('AWS::Route53::HostedZone', { Properties: { Name: 'shop.example.com.' } }),
    );
    for (const domainName of ['shop.example.com', 'api.shop.example.com'])
      template.hasResourceProperties('AWS::CertificateManager::Certificate', {
        DomainName: domainName,
        DomainValidationOptions: Match.arrayWith([Match.objectLike({ HostedZoneId: { Ref: zoneId } })]),
      });
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: 'www.shop.example.com.',
      HostedZoneId: { Ref: zoneId },
    });
    template.hasOutput('NameServers', {
      Value: { 'Fn::Join': [', ', { 'Fn::GetAtt': [zoneId, 'NameServers'] }] },
    });
    expect(startup.summary.nag.unacknowledged).toEqual([]);
  });

  it('is created once across regions: the secondary region writes its records into the primary’s zone', () => {
    scaling.templates['us-east-1']?.resourceCountIs('AWS::Route53::HostedZone', 1);
    scaling.templates['eu-west-1']?.resourceCountIs('AWS::Route53::HostedZone', 0);
    const records = Object.values(scaling.resources['eu-west-1'] ?? {}).filter(
      (resource) => resource.Type === 'AWS::Route53::RecordSet',
    );
    expect(records.length).toBeGreaterThan(0);
    // Read from the parameter CDK writes into the secondary region, not a literal id.
    for (const record of records)
      expect(JSON.stringify(record.Properties?.HostedZoneId)).toMatch(/ExportsReader/);
    expect(scaling.summary.nag.unacknowledged).toEqual([]);
  });
});
