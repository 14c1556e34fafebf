import { readFileSync } from 'node:fs';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { Yaml } from 'cdk8s';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { synthStage } from '../../test/support/synth.js';
import { CRAWLER_HEADER } from '../contracts/crawlers.js';
import { apiAlertRules } from './constructs/kubernetes-api.js';
import { PRODUCT_PAGES_PATH } from './constructs/product-pages-edge.js';
import type { SynthSummary } from './synthesize.js';

const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-1'] as const;
let summary: SynthSummary;
let templates: Record<string, Template>;
let text: Record<string, string>;
/** What aws-cdk-lib printed while synthesizing: its deprecation notices go to console.warn. */
let warnings: string[] = [];

beforeAll(async () => {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  try {
    ({ summary, templates, text } = await synthStage('enterprise', 'enterprise'));
  } finally {
    warnings = warn.mock.calls.map((call) => call.map(String).join(' '));
    warn.mockRestore();
  }
}, 180_000);

const each = (check: (template: Template, region: string) => void) => {
  for (const region of REGIONS) check(templates[region] as Template, region);
};

describe('the enterprise stage', () => {
  it('is built with no deprecated CDK API', () => {
    expect(warnings.filter((line) => line.includes('deprecated'))).toEqual([]);
  });

  it('is one stack per region, three regions, primary first, with no unacknowledged cdk-nag finding', () => {
    expect(summary.stacks.map((stack) => stack.region)).toEqual([...REGIONS]);
    expect(summary.nag.unacknowledged).toEqual([]);
    for (const finding of summary.nag.acknowledged)
      expect(finding.reason?.length, finding.rule).toBeGreaterThan(20);
  });

  it('replicates the table to every region, with a stream of new and old images for the indexers', () => {
    for (const region of REGIONS)
      templates['us-east-1']?.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
        Replicas: Match.arrayWith([Match.objectLike({ Region: region })]),
        StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      });
    // A secondary region finds its replica's stream at deploy time.
    for (const region of REGIONS.slice(1)) expect(text[region]).toContain('Table.LatestStreamArn');
  });

  it('runs an EKS cluster per region on an ARM64 managed node group, with the load balancer controller', () => {
    each((template) => {
      template.hasResourceProperties('AWS::EKS::Cluster', {
        Version: '1.35',
        Logging: { ClusterLogging: { EnabledTypes: Match.arrayWith([{ Type: 'api' }, { Type: 'audit' }]) } },
      });
      template.hasResourceProperties('AWS::EKS::Nodegroup', {
        AmiType: 'AL2023_ARM_64_STANDARD',
        InstanceTypes: ['m7g.large'],
        ScalingConfig: { MinSize: 3, DesiredSize: 3, MaxSize: 12 },
      });
      template.resourceCountIs('Custom::AWSCDK-EKS-HelmChart', 1);
      template.hasResourceProperties('AWS::EKS::Addon', { AddonName: 'eks-pod-identity-agent' });
      for (const serviceAccount of ['storefront-api', 'adot-collector'])
        template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', {
          Namespace: 'storefront',
          ServiceAccount: serviceAccount,
        });
    });
  });

  it('applies the cdk8s workload with a settings ConfigMap holding what only CloudFormation knows', () => {
    each((template) => {
      const manifests = Object.values(template.findResources('Custom::AWSCDK-EKS-KubernetesResource')).map(
        (resource) => JSON.stringify(resource.Properties.Manifest),
      );
      const workload = manifests.find((manifest) => manifest.includes('storefront-settings'));
      expect(workload).toBeDefined();
      for (const setting of [
        'COGNITO_USER_POOL_ID',
        'OPENSEARCH_ENDPOINT',
        'KINESIS_STREAM',
        'AMP_REMOTE_WRITE_URL',
      ])
        expect(workload).toContain(setting);
      expect(workload).toContain('HorizontalPodAutoscaler');
      // Route 53 learns the controller's load balancer from the Ingress status.
      template.hasResourceProperties('Custom::AWSCDK-EKS-KubernetesObjectValue', {
        ObjectType: 'ingress',
        JsonPath: '.status.loadBalancer.ingress[0].hostname',
      });
      template.hasResourceProperties('AWS::Route53::RecordSet', {
        Name: 'api.shop.example.com.',
        Type: 'CNAME',
        Region: Match.anyValue(),
        HealthCheckId: Match.anyValue(),
      });
    });
  });

  it('writes the same workload per region to k8s/, valid against the Kubernetes schemas, image named by account', () => {
    expect(summary.kubernetes?.map((file) => file.split('/').pop())).toEqual(
      REGIONS.map((region) => `storefront-${region}.k8s.yaml`),
    );
    const manifests = Yaml.load(summary.kubernetes?.[1] ?? '') as Record<string, unknown>[];
    const deployment = manifests.find(
      (manifest) =>
        manifest.kind === 'Deployment' && (manifest.metadata as { name: string }).name === 'storefront-api',
    );
    const ingress = manifests.find((manifest) => manifest.kind === 'Ingress');
    new Deployment(deployment as never).validate();
    new Ingress(ingress as never).validate();
    const image = (deployment as { spec: { template: { spec: { containers: { image: string }[] } } } }).spec
      .template.spec.containers[0]?.image;
    expect(image).toMatch(
      /^123456789012\.dkr\.ecr\.eu-west-1\.amazonaws\.com\/cdk-hnb659fds-container-assets-123456789012-eu-west-1:[0-9a-f]{64}$/,
    );
    expect(readFileSync(summary.kubernetes?.[1] ?? '', 'utf8')).not.toContain('${Token');
  });

  it('searches an OpenSearch domain per region: in the VPC, encrypted, fine-grained access, fed by the stream indexer', () => {
    each((template) => {
      template.hasResourceProperties('AWS::OpenSearchService::Domain', {
        VPCOptions: { SubnetIds: Match.anyValue(), SecurityGroupIds: Match.anyValue() },
        EncryptionAtRestOptions: { Enabled: true },
        NodeToNodeEncryptionOptions: { Enabled: true },
        DomainEndpointOptions: Match.objectLike({ EnforceHTTPS: true }),
        AdvancedSecurityOptions: Match.objectLike({ Enabled: true }),
        ClusterConfig: Match.objectLike({ ZoneAwarenessEnabled: true, DedicatedMasterEnabled: true }),
      });
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        BisectBatchOnFunctionError: true,
        StartingPosition: 'TRIM_HORIZON',
        DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
      });
    });
  });

  it('keeps one user pool, one event pipeline and the edge protections in the primary region', () => {
    const primary = templates['us-east-1'] as Template;
    primary.resourceCountIs('AWS::Cognito::UserPool', 1);
    primary.hasResourceProperties('AWS::Kinesis::Stream', {
      Name: 'Growstack-events',
      StreamModeDetails: { StreamMode: 'ON_DEMAND' },
    });
    // The event pipeline's, and the log store's (one in every region).
    primary.resourceCountIs('AWS::KinesisFirehose::DeliveryStream', 2);
    primary.resourceCountIs('AWS::Athena::WorkGroup', 1);
    primary.hasResourceProperties('AWS::Shield::Protection', { Name: 'Growstack-site' });
    // The default behavior's routing, and the product pages' copy that marks crawlers.
    primary.resourceCountIs('AWS::CloudFront::Function', 2);
    for (const region of REGIONS.slice(1)) {
      templates[region]?.resourceCountIs('AWS::Cognito::UserPool', 0);
      templates[region]?.resourceCountIs('AWS::Kinesis::Stream', 0);
      // The pool's ids arrive through CDK's cross-region references.
      templates[region]?.resourceCountIs('Custom::CrossRegionExportReader', 1);
    }
  });

  it("renders crawlers' product pages with Lambda@Edge on the /products/* behavior, keyed on the crawler mark", () => {
    const primary = templates['us-east-1'] as Template;
    // Template JSON: untyped, as aws-cdk-lib hands it out.
    const resources = primary.toJSON().Resources;
    const [distribution] = Object.values(primary.findResources('AWS::CloudFront::Distribution'));
    const config = distribution?.Properties.DistributionConfig;
    const pages = config.CacheBehaviors.find(
      (behavior: { PathPattern: string }) => behavior.PathPattern === PRODUCT_PAGES_PATH,
    );
    expect(pages).toBeDefined();
    // Origin request: the function runs only for what misses the cache.
    expect(pages?.LambdaFunctionAssociations).toHaveLength(1);
    const association = pages?.LambdaFunctionAssociations[0];
    expect(association.EventType).toBe('origin-request');
    const versionId = association.LambdaFunctionARN.Ref as string;
    const version = resources[versionId];
    expect(version?.Type).toBe('AWS::Lambda::Version');
    const fn = resources[version?.Properties.FunctionName.Ref];
    expect(fn?.Type).toBe('AWS::Lambda::Function');
    expect(fn?.Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['x86_64'] });
    expect(fn?.Properties.Environment).toBeUndefined();
    // The crawler mark is in that behavior's cache key.
    const policy = resources[pages?.CachePolicyId.Ref];
    expect(
      policy?.Properties.CachePolicyConfig.ParametersInCacheKeyAndForwardedToOrigin.HeadersConfig,
    ).toEqual({
      HeaderBehavior: 'whitelist',
      Headers: [CRAWLER_HEADER],
    });
    // The behavior's own viewer-request function marks crawlers; the default behavior's does not.
    const marking = resources[pages?.FunctionAssociations[0].FunctionARN['Fn::GetAtt'][0]];
    expect(marking?.Properties.FunctionCode).toContain('var MARK_CRAWLERS = true;');
    const routing =
      resources[config.DefaultCacheBehavior.FunctionAssociations[0].FunctionARN['Fn::GetAtt'][0]];
    expect(routing?.Properties.FunctionCode).toContain('var MARK_CRAWLERS = false;');
    // Same web origin and the same security headers as the UI's default behavior.
    expect(pages?.TargetOriginId).toBe(config.DefaultCacheBehavior.TargetOriginId);
    expect(pages?.ResponseHeadersPolicyId).toEqual(config.DefaultCacheBehavior.ResponseHeadersPolicyId);
    // Reads the table in every region that holds a replica, nothing more.
    const reads = JSON.stringify(primary.findResources('AWS::IAM::Policy')).match(/dynamodb:GetItem"/g);
    expect(reads?.length).toBeGreaterThanOrEqual(1);
    for (const region of REGIONS)
      expect(text['us-east-1']).toContain(`:dynamodb:${region}:123456789012:table/`);
    // Only the primary holds the distribution, and with it the edge function.
    for (const region of REGIONS.slice(1))
      templates[region]?.resourceCountIs('AWS::CloudFront::CachePolicy', 0);
  });

  it('attaches WAF by name and Shield by annotation to the load balancers the controller makes', () => {
    each((template, region) => {
      template.hasResourceProperties('AWS::WAFv2::WebACL', {
        Scope: 'REGIONAL',
        Name: `Growstack-api-${region}`,
      });
      const manifests = JSON.stringify(template.findResources('Custom::AWSCDK-EKS-KubernetesResource'));
      expect(manifests).toMatch(new RegExp(`wafv2-acl-name\\W+Growstack-api-${region}\\W`));
      expect(manifests).toContain('alb.ingress.kubernetes.io/shield-advanced-protection');
    });
  });

  it('gives the controller’s load balancers only CloudFront’s and the health checkers’ security groups, and makes the pods require the origin secret', () => {
    each((template, region) => {
      const groupIds = (name: string) => {
        const [id] = Object.keys(
          template.findResources('AWS::EC2::SecurityGroup', {
            Properties: { GroupDescription: Match.stringLikeRegexp(name) },
          }),
        );
        return id;
      };
      const cloudFront = groupIds('CloudFront origin-facing');
      const checkers = groupIds('Route 53 health checkers');
      expect(cloudFront).toBeDefined();
      expect(checkers).toBeDefined();
      const [workload] = Object.values(
        template.findResources('Custom::AWSCDK-EKS-KubernetesResource'),
      ).filter((resource) =>
        JSON.stringify(resource.Properties.Manifest).includes('alb.ingress.kubernetes.io/scheme'),
      );
      const manifest = JSON.stringify(workload?.Properties.Manifest);
      expect(manifest).toContain('alb.ingress.kubernetes.io/security-groups');
      expect(manifest).toContain(cloudFront);
      expect(manifest).toContain(checkers);
      expect(manifest).toContain('alb.ingress.kubernetes.io/manage-backend-security-group-rules');
      expect(manifest).toContain('ORIGIN_VERIFY_SECRET_ARN');
      expect(manifest).toMatch(/ORIGIN_VERIFY_REQUIRED\W+true/);
      // The secret's value itself never reaches a manifest.
      expect(manifest).not.toContain('resolve:secretsmanager');
      expect(text[region]).toContain(`com.amazonaws.${region}.route53-healthchecks`);
    });
    // The written manifests name the groups by the stack output, never by a token.
    const written = readFileSync(summary.kubernetes?.[0] ?? '', 'utf8');
    expect(written).toContain('see-stack-output-LoadBalancerSecurityGroups');
    templates['us-east-1']?.hasOutput('LoadBalancerSecurityGroups', Match.anyValue());
  });

  it('sends metrics to Managed Prometheus, whose alert rules page through the alarm topic', () => {
    each((template) => {
      template.resourceCountIs('AWS::APS::Workspace', 1);
      const [workspace] = Object.values(template.findResources('AWS::APS::Workspace'));
      expect(JSON.stringify(workspace?.Properties.AlertManagerDefinition)).toContain('sns_configs');
      template.hasResourceProperties('AWS::APS::RuleGroupsNamespace', { Data: apiAlertRules() });
      // The alarm topic's key lets CloudWatch and Prometheus publish (the aws/sns key cannot).
      template.hasResourceProperties('AWS::SNS::Topic', {
        KmsMasterKeyId: Match.objectLike({ 'Fn::GetAtt': Match.anyValue() }),
      });
    });
  });
});
