import { readFileSync } from 'node:fs';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { Yaml } from 'cdk8s';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthStage } from '../../test/support/synth.js';
import type { SynthSummary } from './synthesize.js';

const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-1'] as const;
let summary: SynthSummary;
let templates: Record<string, Template>;

beforeAll(async () => {
  ({ summary, templates } = await synthStage('enterprise', 'api-logs'));
}, 180_000);

const groupName = (region: string) => `/growstack/Growstack-${region}/api`;
const SHIPPER_CONFIG = 'fluent-bit.conf';

/** The logical id of the one resource of a type whose properties match. */
function logicalId(template: Template, type: string, properties: Record<string, unknown>): string {
  const found = Object.keys(template.findResources(type, { Properties: Match.objectLike(properties) }));
  expect(found, `${type} ${JSON.stringify(properties)}`).toHaveLength(1);
  return found[0] as string;
}

describe('the API pods’ logs on EKS', () => {
  it('go to a log group per region, named for the stack, kept a month', () => {
    for (const region of REGIONS)
      templates[region]?.hasResourceProperties('AWS::Logs::LogGroup', {
        LogGroupName: groupName(region),
        RetentionInDays: 30,
      });
  });

  it('are shipped by a service account whose Pod Identity role may only write to that group', () => {
    for (const region of REGIONS) {
      const template = templates[region] as Template;
      const group = logicalId(template, 'AWS::Logs::LogGroup', { LogGroupName: groupName(region) });
      const association = template.findResources('AWS::EKS::PodIdentityAssociation', {
        Properties: { Namespace: 'storefront', ServiceAccount: 'fluent-bit' },
      });
      const [shipper] = Object.values(association);
      expect(shipper, region).toBeDefined();
      const role = shipper?.Properties.RoleArn['Fn::GetAtt'][0] as string;
      const policies = Object.values(
        template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: role }] } }),
      );
      expect(policies, region).toHaveLength(1);
      const statements = policies[0]?.Properties.PolicyDocument.Statement as {
        Effect: string;
        Action: string | string[];
        Resource: unknown;
      }[];
      expect(statements.flatMap((statement) => statement.Action).sort()).toEqual([
        'logs:CreateLogStream',
        'logs:DescribeLogStreams',
        'logs:PutLogEvents',
      ]);
      for (const statement of statements) {
        expect(statement.Effect).toBe('Allow');
        // Every resource is the group (or its streams), by reference: no other group, no `*`.
        for (const resource of [statement.Resource].flat()) expect(JSON.stringify(resource)).toContain(group);
      }
    }
  });

  it('are tailed by the applied workload and the written one alike, naming the group in the clear', () => {
    for (const region of REGIONS) {
      const manifests = JSON.stringify(
        templates[region]?.findResources('Custom::AWSCDK-EKS-KubernetesResource'),
      );
      expect(manifests).toContain('DaemonSet');
      expect(manifests).toContain(`log_group_name     ${groupName(region)}`);
    }
    for (const [index, file] of (summary.kubernetes ?? []).entries()) {
      const region = REGIONS[index] as string;
      const manifests = Yaml.load(file) as { kind: string; data?: Record<string, string> }[];
      expect(manifests.map((manifest) => manifest.kind)).toContain('DaemonSet');
      const config = manifests.find((manifest) => manifest.data?.[SHIPPER_CONFIG])?.data?.[SHIPPER_CONFIG];
      expect(config).toContain(`region             ${region}`);
      expect(config).toContain(`log_group_name     ${groupName(region)}`);
      expect(readFileSync(file, 'utf8')).not.toContain('${Token');
    }
  });

  it('leave no unacknowledged cdk-nag finding', () => {
    expect(summary.nag.unacknowledged).toEqual([]);
  });
});
