import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Vpc } from 'aws-cdk-lib/aws-ec2';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLOUDFRONT_ORIGIN_FACING, CloudFrontOnlyIngress, route53HealthCheckers } from './origin-lockdown.js';

interface Group {
  GroupDescription: string;
  SecurityGroupIngress?: Record<string, unknown>[];
  SecurityGroupEgress?: Record<string, unknown>[];
}

function ingress(port?: number) {
  const stack = new Stack(undefined, 'Lockdown', { env: { account: '123456789012', region: 'eu-west-1' } });
  const vpc = new Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
  const lockdown = new CloudFrontOnlyIngress(stack, 'Ingress', {
    vpc,
    region: 'eu-west-1',
    ...(port === undefined ? {} : { port }),
  });
  const resources = Template.fromStack(stack).toJSON().Resources;
  const id = (group: { node: { defaultChild?: unknown } }) =>
    stack.getLogicalId(group.node.defaultChild as never);
  const lookups = Object.entries(resources).filter(
    ([, resource]) => (resource as { Type: string }).Type === 'Custom::AWS',
  );
  // A group's ingress rules, inline or as rules of their own (as a deploy-time peer makes them).
  const group = (groupId: string): Group => {
    const rules = Object.values(
      resources as Record<string, { Type: string; Properties: Record<string, unknown> }>,
    )
      .filter(
        (resource) =>
          resource.Type === 'AWS::EC2::SecurityGroupIngress' &&
          JSON.stringify(resource.Properties.GroupId) ===
            JSON.stringify({ 'Fn::GetAtt': [groupId, 'GroupId'] }),
      )
      .map(({ Properties: { GroupId: _, ...rule } }) => rule);
    const own = resources[groupId].Properties as Group;
    return { ...own, SecurityGroupIngress: [...(own.SecurityGroupIngress ?? []), ...rules] };
  };
  return {
    cloudFront: group(id(lockdown.cloudFront)),
    healthCheckers: group(id(lockdown.healthCheckers)),
    lookups: Object.fromEntries(
      lookups.map(([logicalId, resource]) => [
        logicalId,
        JSON.parse((resource as { Properties: { Update: string } }).Properties.Update),
      ]),
    ),
  };
}

let standard: ReturnType<typeof ingress>;
let custom: ReturnType<typeof ingress>;
// The first synth of a file loads most of aws-cdk-lib: once, outside the tests' own time limit.
beforeAll(() => {
  standard = ingress();
  custom = ingress(8443);
}, 120_000);

const lookupOf = (name: string) =>
  Object.entries(standard.lookups).find(([, call]) =>
    JSON.stringify(call.parameters).includes(`"Values":["${name}"]`),
  );

describe('the CloudFront-only ingress', () => {
  it("admits HTTPS from CloudFront's origin-facing prefix list, found by name at deploy time", () => {
    const [lookupId, call] = lookupOf(CLOUDFRONT_ORIGIN_FACING) ?? [];
    expect(call).toMatchObject({
      service: 'EC2',
      action: 'describeManagedPrefixLists',
      outputPaths: ['PrefixLists.0.PrefixListId'],
    });
    expect(standard.cloudFront.SecurityGroupIngress).toEqual([
      {
        IpProtocol: 'tcp',
        FromPort: 443,
        ToPort: 443,
        SourcePrefixListId: { 'Fn::GetAtt': [lookupId, 'PrefixLists.0.PrefixListId'] },
        Description: 'HTTPS from CloudFront',
      },
    ]);
  });

  it("admits HTTPS from the region's Route 53 health checkers in a group of its own", () => {
    expect(route53HealthCheckers('eu-west-1')).toBe('com.amazonaws.eu-west-1.route53-healthchecks');
    const [lookupId] = lookupOf('com.amazonaws.eu-west-1.route53-healthchecks') ?? [];
    expect(lookupId).toBeDefined();
    expect(standard.healthCheckers.SecurityGroupIngress).toEqual([
      {
        IpProtocol: 'tcp',
        FromPort: 443,
        ToPort: 443,
        SourcePrefixListId: { 'Fn::GetAtt': [lookupId, 'PrefixLists.0.PrefixListId'] },
        Description: 'HTTPS from Route 53 health checkers',
      },
    ]);
  });

  it('lets nothing out of either group', () => {
    // CDK's placeholder for "no egress": one rule to an address that matches nothing.
    for (const group of [standard.cloudFront, standard.healthCheckers])
      expect(group.SecurityGroupEgress).toEqual([
        expect.objectContaining({ CidrIp: '255.255.255.255/32', IpProtocol: 'icmp' }),
      ]);
  });

  it('opens another port when told', () => {
    for (const group of [custom.cloudFront, custom.healthCheckers])
      expect(group.SecurityGroupIngress).toEqual([expect.objectContaining({ FromPort: 8443, ToPort: 8443 })]);
  });
});
