import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { SecurityGroup, SubnetType, Vpc } from 'aws-cdk-lib/aws-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { apiAlertRules, KubernetesApi } from './kubernetes-api.js';
import { Observability } from './observability.js';

interface Rule {
  alert: string;
  expr: string;
  for: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

describe("the API's Prometheus alert rules", () => {
  const document = parse(apiAlertRules()) as { groups: { name: string; rules: Rule[] }[] };
  const [group, ...others] = document.groups;
  const rules = Object.fromEntries((group?.rules ?? []).map((rule) => [rule.alert, rule]));

  it('are one group of three rules, each paging after 5 minutes', () => {
    expect(others).toEqual([]);
    expect(group?.name).toBe('storefront-api');
    expect(Object.keys(rules)).toEqual(['Api5xxRate', 'ApiLatencyP99', 'ApiDown']);
    for (const rule of Object.values(rules)) {
      expect(rule.for, rule.alert).toBe('5m');
      expect(rule.labels, rule.alert).toEqual({ severity: 'page' });
      expect(rule.annotations.summary, rule.alert).toMatch(/\S/);
    }
  });

  it('page when more than 1 % of requests over 5 minutes answered 5xx', () => {
    expect(rules.Api5xxRate?.expr).toBe(
      'sum(rate(http_requests_total{status=~"5.."}[5m])) / clamp_min(sum(rate(http_requests_total[5m])), 1e-9) > 0.01',
    );
  });

  it('page when the p99 request duration over 5 minutes is above 2 s', () => {
    expect(rules.ApiLatencyP99?.expr).toBe(
      'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[5m]))) > 2',
    );
  });

  it('page when no API pod answers the scrape, or none is scraped at all', () => {
    expect(rules.ApiDown?.expr).toBe(
      'sum(up{job="storefront-api"}) == 0 or absent(up{job="storefront-api"})',
    );
  });
});

/** A build context of one Dockerfile: staging the repository itself would take most of the test. */
const ROOT = mkdtempSync(join(tmpdir(), 'kubernetes-api-'));
writeFileSync(join(ROOT, 'Dockerfile'), 'FROM scratch\n');

let template: Template;
let ids: { workspace: string; topic: string };
// The cluster is the largest construct of all: synthesized once, outside the tests' time limit.
beforeAll(() => {
  const stack = new Stack(new App(), 'Kubernetes', { env: { account: '123456789012', region: 'eu-west-1' } });
  const vpc = new Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 1,
    subnetConfiguration: [
      { name: 'public', subnetType: SubnetType.PUBLIC },
      { name: 'app', subnetType: SubnetType.PRIVATE_WITH_EGRESS },
      { name: 'data', subnetType: SubnetType.PRIVATE_ISOLATED },
    ],
  });
  const api = new KubernetesApi(stack, 'KubernetesApi', {
    vpc,
    root: ROOT,
    settings: { TABLE_NAME: 'storefront' },
    host: 'api.shop.example.com',
    certificate: new Certificate(stack, 'Certificate', { domainName: 'api.shop.example.com' }),
    publicAccessCidrs: [],
    loadBalancerSecurityGroups: [new SecurityGroup(stack, 'CloudFront', { vpc })],
    shieldAdvanced: false,
    minReplicas: 2,
    maxReplicas: 6,
    nodeInstanceType: 'm7g.large',
    minNodes: 2,
    maxNodes: 4,
  });
  const alarms = new Observability(stack, 'Observability', {
    functions: [],
    table: TableV2.fromTableName(stack, 'Table', 'storefront'),
    alarmEmail: 'ops@example.com',
  });
  api.alertTo(alarms);
  ids = {
    workspace: stack.getLogicalId(api.prometheus),
    topic: stack.getLogicalId(alarms.topic.node.defaultChild as never),
  };
  template = Template.fromStack(stack);
}, 300_000);
afterAll(() => rmSync(ROOT, { recursive: true, force: true }));

describe('the Kubernetes API', () => {
  it('loads the alert rules into a namespace of the workspace', () => {
    template.hasResourceProperties('AWS::APS::RuleGroupsNamespace', {
      Workspace: { 'Fn::GetAtt': [ids.workspace, 'Arn'] },
      Name: 'storefront-api',
      Data: apiAlertRules(),
    });
  });

  it("routes every alert to the alarm topic in the stack's region", () => {
    const [workspace] = Object.values(template.findResources('AWS::APS::Workspace'));
    const definition = JSON.stringify(workspace?.Properties.AlertManagerDefinition);
    expect(definition).toContain('receiver: alarms');
    expect(definition).toContain(`{"Ref":"${ids.topic}"}`);
    expect(definition).toContain('region: eu-west-1');
  });

  it('keeps the endpoint private when no address may reach it, and logs every control-plane type', () => {
    template.hasResourceProperties('AWS::EKS::Cluster', {
      ResourcesVpcConfig: Match.objectLike({ EndpointPublicAccess: false, EndpointPrivateAccess: true }),
      Logging: {
        ClusterLogging: {
          EnabledTypes: Match.arrayEquals(
            ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'].map((type) => ({
              Type: type,
            })),
          ),
        },
      },
    });
  });

  it('runs on-demand Graviton nodes within the bounds, repaired automatically', () => {
    template.hasResourceProperties('AWS::EKS::Nodegroup', {
      AmiType: 'AL2023_ARM_64_STANDARD',
      CapacityType: 'ON_DEMAND',
      InstanceTypes: ['m7g.large'],
      ScalingConfig: { MinSize: 2, DesiredSize: 2, MaxSize: 4 },
      NodeRepairConfig: { Enabled: true },
    });
  });

  it('enforces network policies through the VPC CNI and installs metrics-server', () => {
    template.hasResourceProperties('AWS::EKS::Addon', {
      AddonName: 'vpc-cni',
      ConfigurationValues: '{"enableNetworkPolicy":"true"}',
    });
    template.hasResourceProperties('AWS::EKS::Addon', { AddonName: 'metrics-server' });
  });

  it('lets the collector remote-write to this workspace only, and the log shipper write its group', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          { Action: 'aps:RemoteWrite', Effect: 'Allow', Resource: { 'Fn::GetAtt': [ids.workspace, 'Arn'] } },
        ]),
      },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/growstack/Kubernetes/api',
      RetentionInDays: 30,
    });
  });
});
