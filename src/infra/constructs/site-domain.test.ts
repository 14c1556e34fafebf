import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Distribution } from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { HostedZone } from 'aws-cdk-lib/aws-route53';
import { beforeAll, describe, expect, it } from 'vitest';
import { SiteDomain } from './site-domain.js';

const ZONE = { zoneName: 'shop.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ' };
let bare: Template;
let aliased: Template;
let distributionId: string;

function site(alias: boolean): Template {
  const stack = new Stack(undefined, 'Site', { env: { account: '123456789012', region: 'us-east-1' } });
  const domain = new SiteDomain(stack, 'Domain', {
    zone: HostedZone.fromHostedZoneAttributes(stack, 'Zone', ZONE),
  });
  if (alias) {
    const distribution = new Distribution(stack, 'Distribution', {
      defaultBehavior: { origin: new HttpOrigin('origin.example.com') },
      domainNames: domain.names,
      certificate: domain.certificate,
    });
    domain.alias(distribution);
    distributionId = stack.getLogicalId(distribution.node.defaultChild as never);
  }
  return Template.fromStack(stack);
}

// The first synth of a file loads most of aws-cdk-lib: once, outside the tests' own time limit.
beforeAll(() => {
  bare = site(false);
  aliased = site(true);
}, 120_000);

describe('the site domain', () => {
  it("certifies the zone's apex and www, validated by DNS in the zone", () => {
    bare.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'shop.example.com',
      SubjectAlternativeNames: ['www.shop.example.com'],
      ValidationMethod: 'DNS',
      DomainValidationOptions: Match.arrayWith([
        { DomainName: 'shop.example.com', HostedZoneId: ZONE.hostedZoneId },
      ]),
    });
    bare.resourceCountIs('AWS::Route53::RecordSet', 0);
  });

  it('aliases both names to the distribution over IPv4 and IPv6', () => {
    const records = Object.values(aliased.findResources('AWS::Route53::RecordSet')).map(
      (record) => record.Properties,
    );
    expect(records.map((record) => `${record.Type} ${record.Name}`).sort()).toEqual([
      'A shop.example.com.',
      'A www.shop.example.com.',
      'AAAA shop.example.com.',
      'AAAA www.shop.example.com.',
    ]);
    for (const record of records) {
      expect(record.HostedZoneId).toBe(ZONE.hostedZoneId);
      expect(record.AliasTarget.DNSName).toEqual({ 'Fn::GetAtt': [distributionId, 'DomainName'] });
    }
  });
});
