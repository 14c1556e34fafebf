import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { type StageSynth, synthStage, type TemplateResource } from '../../test/support/synth.js';

/**
 * What the enterprise stage needs to deploy in a fresh account and work once deployed, read from
 * the templates: the order CloudFormation creates things in, and the permissions each AWS service
 * documents.
 */
const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-1'] as const;
const PRIMARY = 'us-east-1';
let synth: StageSynth;

beforeAll(async () => {
  synth = await synthStage('enterprise', 'enterprise-deploy');
}, 180_000);

const template = (region: string) => synth.templates[region] as Template;
const resources = (region: string) => synth.resources[region] ?? {};
const ofType = (region: string, type: string) =>
  Object.entries(resources(region)).filter(([, resource]) => resource.Type === type);
const dependsOn = (resource: TemplateResource | undefined) => resource?.DependsOn ?? [];

/** The manifest resource that applies the workload (the one carrying the settings ConfigMap). */
function workload(region: string): [string, TemplateResource] {
  const found = ofType(region, 'Custom::AWSCDK-EKS-KubernetesResource').find(([, resource]) =>
    JSON.stringify(resource.Properties?.Manifest).includes('storefront-settings'),
  );
  if (!found) throw new Error(`no workload manifest in ${region}`);
  return found;
}

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource?: unknown;
  Principal?: { Service?: string };
  Condition?: Record<string, Record<string, unknown>>;
}
const statementsOf = (entries: [string, TemplateResource][]) =>
  entries.flatMap(([, resource]) => {
    const document = (resource.Properties?.PolicyDocument ?? resource.Properties?.KeyPolicy) as {
      Statement: Statement[];
    };
    return document.Statement;
  });
const actionsOf = (statements: Statement[]) => statements.flatMap((statement) => [statement.Action].flat());

/**
 * What the AWS Load Balancer Controller calls for each way of naming the WAF web ACL: by name it
 * lists the region's web ACLs to find its ARN, which its published policy does not allow
 * (https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/annotations/#wafv2-acl-name).
 */
const WAF_ACTIONS: Record<string, string[]> = {
  'alb.ingress.kubernetes.io/wafv2-acl-arn': [
    'wafv2:AssociateWebACL',
    'wafv2:DisassociateWebACL',
    'wafv2:GetWebACL',
    'wafv2:GetWebACLForResource',
  ],
  'alb.ingress.kubernetes.io/wafv2-acl-name': [
    'wafv2:AssociateWebACL',
    'wafv2:DisassociateWebACL',
    'wafv2:GetWebACL',
    'wafv2:GetWebACLForResource',
    'wafv2:ListWebACLs',
  ],
};

describe('the enterprise stage deploys', () => {
  it('with no unacknowledged cdk-nag finding', () => {
    expect(synth.summary.nag.unacknowledged).toEqual([]);
  });

  it("lets the load balancer controller make exactly the WAF calls the Ingress's annotation needs", () => {
    for (const region of REGIONS) {
      const manifest = JSON.stringify(workload(region)[1].Properties?.Manifest);
      const inUse = Object.keys(WAF_ACTIONS).filter((annotation) => manifest.includes(annotation));
      expect(inUse, region).toHaveLength(1);
      const controllerPolicies = ofType(region, 'AWS::IAM::Policy').filter(([id]) => id.includes('albsa'));
      expect(controllerPolicies.length, region).toBeGreaterThan(0);
      const granted = new Set(
        actionsOf(statementsOf(controllerPolicies)).filter((action) => action.startsWith('wafv2:')),
      );
      expect([...granted].sort(), region).toEqual(WAF_ACTIONS[inUse[0] as string]);
    }
  });

  it("creates OpenSearch's service-linked role in the primary region first, accepting one that exists", () => {
    const roles = ofType(PRIMARY, 'Custom::AWS').filter(([, resource]) =>
      JSON.stringify(resource.Properties?.Create).includes('createServiceLinkedRole'),
    );
    expect(roles).toHaveLength(1);
    const [roleId, role] = roles[0] as [string, TemplateResource];
    const create = JSON.stringify(role.Properties?.Create);
    expect(create).toContain('opensearchservice.amazonaws.com');
    // IAM answers InvalidInput when the account already has the role: that is success here.
    expect(create).toMatch(/ignoreErrorCodesMatching\W+InvalidInput/);
    // Never deleted with the stack: other domains of the account may rely on it.
    expect(JSON.stringify(role.Properties?.Delete ?? '')).not.toContain('deleteServiceLinkedRole');
    const [, domain] = ofType(PRIMARY, 'AWS::OpenSearchService::Domain')[0] ?? [];
    expect(dependsOn(domain)).toContain(roleId);
    // The custom resource may create this one role, and nothing else.
    const grants = statementsOf(ofType(PRIMARY, 'AWS::IAM::Policy')).filter(
      (statement) =>
        actionsOf([statement]).includes('iam:CreateServiceLinkedRole') &&
        JSON.stringify(statement).includes('opensearch'),
    );
    expect(grants).toHaveLength(1);
    expect(grants[0]?.Condition).toEqual({
      StringEquals: { 'iam:AWSServiceName': 'opensearchservice.amazonaws.com' },
    });
    expect(JSON.stringify(grants[0]?.Resource)).toContain(
      ':role/aws-service-role/opensearchservice.amazonaws.com/AWSServiceRoleForAmazonOpenSearchService',
    );
    // The other regions' domains come after the primary stack, which made the role.
    const manifest = JSON.parse(readFileSync(join(synth.summary.outdir, 'manifest.json'), 'utf8')) as {
      artifacts: Record<string, { dependencies?: string[] }>;
    };
    for (const region of REGIONS.slice(1)) {
      expect(manifest.artifacts[`Growstack-${region}`]?.dependencies).toContain(`Growstack-${PRIMARY}`);
      expect(
        ofType(region, 'Custom::AWS').map(([, r]) => JSON.stringify(r.Properties?.Create)),
      ).not.toContainEqual(expect.stringContaining('createServiceLinkedRole'));
    }
  });

  it('gives the search domain gp3 volumes at their baseline throughput and IOPS', () => {
    for (const region of REGIONS)
      template(region).hasResourceProperties('AWS::OpenSearchService::Domain', {
        EBSOptions: { EBSEnabled: true, VolumeType: 'gp3', VolumeSize: 50, Throughput: 125, Iops: 3000 },
      });
  });

  it('installs metrics-server, which the autoscaler reads CPU from, on the nodes before the workload', () => {
    for (const region of REGIONS) {
      const addons = ofType(region, 'AWS::EKS::Addon').filter(
        ([, resource]) => resource.Properties?.AddonName === 'metrics-server',
      );
      expect(addons, region).toHaveLength(1);
      const [addonId, addon] = addons[0] as [string, TemplateResource];
      const [nodegroupId] = ofType(region, 'AWS::EKS::Nodegroup')[0] ?? [];
      expect(dependsOn(addon), region).toContain(nodegroupId);
      expect(dependsOn(workload(region)[1]), region).toContain(addonId);
    }
  });

  it("turns on the VPC CNI's network policy support before the workload's policies are applied", () => {
    for (const region of REGIONS) {
      const addons = ofType(region, 'AWS::EKS::Addon').filter(
        ([, resource]) => resource.Properties?.AddonName === 'vpc-cni',
      );
      expect(addons, region).toHaveLength(1);
      const [addonId, addon] = addons[0] as [string, TemplateResource];
      expect(JSON.parse(String(addon.Properties?.ConfigurationValues))).toMatchObject({
        enableNetworkPolicy: 'true',
      });
      // EKS installed the CNI itself when it made the cluster: the add-on takes it over.
      expect(addon.Properties?.ResolveConflicts).toBe('OVERWRITE');
      const [, manifest] = workload(region);
      expect(dependsOn(manifest), region).toContain(addonId);
      expect(JSON.stringify(manifest.Properties?.Manifest)).toContain('NetworkPolicy');
    }
  });

  it('applies the Ingress only once the certificate the controller looks up by host name is issued', () => {
    for (const region of REGIONS) {
      const certificates = ofType(region, 'AWS::CertificateManager::Certificate')
        .filter(([, resource]) => resource.Properties?.DomainName === 'api.shop.example.com')
        .map(([id]) => id);
      expect(certificates, region).toHaveLength(1);
      expect(dependsOn(workload(region)[1]), region).toContain(certificates[0]);
    }
  });

  it('keeps the control-plane endpoint private, the kubectl handler inside the VPC to reach it', () => {
    for (const region of REGIONS) {
      template(region).hasResourceProperties('AWS::EKS::Cluster', {
        ResourcesVpcConfig: Match.objectLike({ EndpointPublicAccess: false, EndpointPrivateAccess: true }),
      });
      const handlers = ofType(region, 'AWS::Lambda::Function').filter(([, resource]) =>
        String(resource.Properties?.Description).includes('kubectl resource provider'),
      );
      expect(handlers.length, region).toBeGreaterThan(0);
      for (const [, handler] of handlers) expect(handler.Properties?.VpcConfig, region).toBeDefined();
    }
  });

  it("lets this region's Prometheus workspace alert through the alarm topic, and CloudWatch alarms too", () => {
    for (const region of REGIONS) {
      const topicStatements = statementsOf(ofType(region, 'AWS::SNS::TopicPolicy'));
      const aps = topicStatements.find((statement) => statement.Principal?.Service === 'aps.amazonaws.com');
      expect(aps?.Condition?.ArnLike?.['aws:SourceArn']).toEqual({
        'Fn::GetAtt': [ofType(region, 'AWS::APS::Workspace')[0]?.[0], 'Arn'],
      });
      expect(
        topicStatements.some((statement) => statement.Principal?.Service === 'cloudwatch.amazonaws.com'),
      ).toBe(true);
    }
  });
});

describe('the enterprise stage with the endpoint opened to named addresses', () => {
  it('is public only to eksPublicAccessCidrs, and private within the VPC', async () => {
    const open = await synthStage('enterprise', 'enterprise-deploy-public', {
      eksPublicAccessCidrs: ['203.0.113.0/24'],
    });
    (open.templates[PRIMARY] as Template).hasResourceProperties('AWS::EKS::Cluster', {
      ResourcesVpcConfig: Match.objectLike({
        EndpointPublicAccess: true,
        EndpointPrivateAccess: true,
        PublicAccessCidrs: ['203.0.113.0/24'],
      }),
    });
    expect(open.summary.nag.unacknowledged).toEqual([]);
  }, 180_000);
});
