import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthStage, type TemplateResource, TEST_ZONE as ZONE } from '../../test/support/synth.js';
import { OTEL_COLLECTOR_IMAGE } from './constructs/api-service.js';
import { MANAGED_RULE_GROUPS } from './constructs/web-acl.js';
import type { SynthSummary } from './synthesize.js';

const PAGING = 'https://events.pagerduty.com/integration/0123456789abcdef0123456789abcdef/enqueue';
let summary: SynthSummary;
let templates: Record<string, Template>;
let resources: Record<string, Record<string, TemplateResource>>;
const REGIONS = ['us-east-1', 'eu-west-1'] as const;

beforeAll(async () => {
  ({ summary, templates, resources } = await synthStage('scaling', 'scaling', {
    account: undefined,
    wafRateLimitPer5Min: 1500,
    pagingUrl: PAGING,
  }));
}, 120_000);

/** The logical id a `{ Ref }` names. */
const refOf = (value: unknown) => (value as { Ref?: string } | undefined)?.Ref ?? '';

const resourcesOf = (region: string, type: string) =>
  Object.entries(resources[region] ?? {}).filter(([, resource]) => resource.Type === type);

describe('the scaling stage', () => {
  it('is one stack per region, primary first, with no unacknowledged cdk-nag finding', () => {
    expect(summary.stacks.map((stack) => [stack.name, stack.region])).toEqual([
      ['Growstack-us-east-1', 'us-east-1'],
      ['Growstack-eu-west-1', 'eu-west-1'],
    ]);
    expect(summary.nag.unacknowledged).toEqual([]);
    // One multi-region trail, in the primary, records both regions.
    templates['us-east-1']?.resourceCountIs('AWS::CloudTrail::Trail', 1);
    templates['eu-west-1']?.resourceCountIs('AWS::CloudTrail::Trail', 0);
    for (const finding of summary.nag.acknowledged)
      expect(finding.reason?.length, finding.rule).toBeGreaterThan(20);
  });

  it('makes the table a global table with a replica in each region, defined once in the primary', () => {
    for (const region of REGIONS) {
      templates['us-east-1']?.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
        TableName: 'Growstack-storefront',
        Replicas: Match.arrayWith([
          Match.objectLike({
            Region: region,
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          }),
        ]),
      });
    }
    templates['eu-west-1']?.resourceCountIs('AWS::DynamoDB::GlobalTable', 0);
  });

  it.each(REGIONS)(
    'in %s, health-checks /api/health and routes api.<zone> by latency to that region',
    (region) => {
      const template = templates[region] as Template;
      template.hasResourceProperties('AWS::Route53::HealthCheck', {
        HealthCheckConfig: Match.objectLike({ Type: 'HTTPS', ResourcePath: '/api/health', Port: 443 }),
      });
      template.hasResourceProperties('AWS::Route53::RecordSet', {
        Name: `api.${ZONE.zoneName}.`,
        // A CNAME, as at every stage: Route 53 refuses an A alias becoming a CNAME beside the
        // other region's A when the move to enterprise deploys.
        Type: 'CNAME',
        Region: region,
        SetIdentifier: `api-${region}`,
        HostedZoneId: ZONE.hostedZoneId,
        HealthCheckId: { Ref: Match.stringLikeRegexp('HealthCheck') },
        ResourceRecords: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('LoadBalancer'), 'DNSName'] }],
      });
      template.hasResourceProperties('AWS::CertificateManager::Certificate', {
        DomainName: `api.${ZONE.zoneName}`,
        ValidationMethod: 'DNS',
      });
    },
  );

  it.each(REGIONS)(
    'in %s, runs the API on Fargate: ARM64, at least two tasks in private subnets, autoscaled on CPU and requests',
    (region) => {
      const template = templates[region] as Template;
      template.hasResourceProperties('AWS::ECS::TaskDefinition', {
        RuntimePlatform: { CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' },
        RequiresCompatibilities: ['FARGATE'],
        ContainerDefinitions: Match.arrayWith([
          Match.objectLike({
            Secrets: [Match.objectLike({ Name: 'REDIS_AUTH_TOKEN' })],
            Environment: Match.arrayWith([
              { Name: 'GROWSTACK_STAGE', Value: 'scaling' },
              Match.objectLike({ Name: 'REDIS_URL' }),
              { Name: 'TRUSTED_PROXIES', Value: '2' },
            ]),
          }),
        ]),
      });
      template.hasResourceProperties('AWS::ECS::Service', {
        LaunchType: 'FARGATE',
        DesiredCount: 2,
        NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ AssignPublicIp: 'DISABLED' }) },
      });
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
        MinCapacity: 2,
        MaxCapacity: 10,
      });
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        TargetTrackingScalingPolicyConfiguration: Match.objectLike({
          PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
        }),
      });
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        TargetTrackingScalingPolicyConfiguration: Match.objectLike({
          PredefinedMetricSpecification: Match.objectLike({
            PredefinedMetricType: 'ALBRequestCountPerTarget',
          }),
        }),
      });
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
        Port: 443,
        Protocol: 'HTTPS',
      });
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
        HealthCheckPath: '/api/health',
      });
      // Workers stay on Lambda; the API has no Lambda or REST API at this stage.
      template.resourceCountIs('AWS::ApiGateway::RestApi', 0);
      expect(
        resourcesOf(region, 'AWS::Lambda::Function').some(([id]) => id.startsWith('WorkerFunction')),
      ).toBe(true);
      expect(resourcesOf(region, 'AWS::Lambda::Function').some(([id]) => id.startsWith('ApiFunction'))).toBe(
        false,
      );
    },
  );

  it.each(REGIONS)(
    'in %s, keeps the cache encrypted, authenticated and out of any subnet that routes to the internet',
    (region) => {
      const template = templates[region] as Template;
      template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
        Engine: 'valkey',
        TransitEncryptionEnabled: true,
        AtRestEncryptionEnabled: true,
        MultiAZEnabled: true,
        AutomaticFailoverEnabled: true,
        NumCacheClusters: 2,
        AuthToken: Match.objectLike({
          'Fn::Join': Match.arrayWith([Match.arrayWith([Match.stringLikeRegexp('resolve:secretsmanager')])]),
        }),
      });
      const [, subnetGroup] = resourcesOf(region, 'AWS::ElastiCache::SubnetGroup')[0] ?? [];
      const subnetIds = ((subnetGroup?.Properties?.SubnetIds ?? []) as { Ref: string }[]).map(
        (ref) => ref.Ref,
      );
      expect(subnetIds).toHaveLength(2);
      const regionResources = resources[region] ?? {};
      for (const subnetId of subnetIds) {
        expect(regionResources[subnetId]?.Properties?.MapPublicIpOnLaunch).toBe(false);
        // No route of the subnet's table leads to an internet or NAT gateway.
        const tables = Object.values(regionResources)
          .filter((resource) => resource.Type === 'AWS::EC2::SubnetRouteTableAssociation')
          .filter((resource) => refOf(resource.Properties?.SubnetId) === subnetId)
          .map((resource) => refOf(resource.Properties?.RouteTableId));
        const routes = Object.values(regionResources).filter(
          (resource) =>
            resource.Type === 'AWS::EC2::Route' && tables.includes(refOf(resource.Properties?.RouteTableId)),
        );
        expect(routes).toEqual([]);
      }
      template.resourceCountIs('AWS::EC2::NatGateway', 2);
      template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
        ServiceName: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith(['.dynamodb'])]) }),
        VpcEndpointType: 'Gateway',
      });
    },
  );

  it('puts a WAF web ACL on CloudFront (with the per-client rate rule) and on each load balancer (without), logged', () => {
    const managed = MANAGED_RULE_GROUPS.map((name) =>
      Match.objectLike({
        Statement: { ManagedRuleGroupStatement: Match.objectLike({ VendorName: 'AWS', Name: name }) },
      }),
    );
    const scopedBodySize = Match.objectLike({ Name: 'LargeBodyOutsideApi' });
    templates['us-east-1']?.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'CLOUDFRONT',
      Rules: [
        Match.objectLike({
          Name: 'RatePerIp',
          Action: { Block: {} },
          Statement: { RateBasedStatement: { Limit: 1500, AggregateKeyType: 'IP' } },
        }),
        ...managed,
        scopedBodySize,
      ],
    });
    for (const region of REGIONS) {
      const template = templates[region] as Template;
      // Every request reaches the load balancer from CloudFront: a rate rule there would count edges.
      template.hasResourceProperties('AWS::WAFv2::WebACL', {
        Scope: 'REGIONAL',
        Rules: [...managed, scopedBodySize],
      });
      template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
        ResourceArn: { Ref: Match.stringLikeRegexp('ApiServiceLoadBalancer') },
      });
      template.hasResourceProperties('AWS::Logs::LogGroup', {
        LogGroupName: Match.stringLikeRegexp('^aws-waf-logs-'),
      });
      template.resourceCountIs('AWS::WAFv2::LoggingConfiguration', region === 'us-east-1' ? 2 : 1);
    }
    templates['us-east-1']?.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        WebACLId: { 'Fn::GetAtt': [Match.stringLikeRegexp('CloudFrontWaf'), 'Arn'] },
      }),
    });
  });

  it.each(REGIONS)(
    'in %s, lets only CloudFront and Route 53 health checkers reach the load balancer, by their managed prefix lists',
    (region) => {
      const template = templates[region] as Template;
      // Nothing on the load balancer admits the whole internet.
      for (const [, group] of resourcesOf(region, 'AWS::EC2::SecurityGroup'))
        expect(JSON.stringify(group.Properties?.SecurityGroupIngress ?? [])).not.toContain('0.0.0.0/0');
      for (const [, rule] of resourcesOf(region, 'AWS::EC2::SecurityGroupIngress'))
        expect(rule.Properties?.CidrIp).toBeUndefined();
      const lookups = Object.fromEntries(
        resourcesOf(region, 'Custom::AWS')
          .filter(([, lookup]) => String(lookup.Properties?.Create).includes('describeManagedPrefixLists'))
          .map(([id, lookup]) => [id, String(lookup.Properties?.Create)]),
      );
      const lookupOf = (name: string) =>
        Object.entries(lookups).find(([, call]) => call.includes(`"${name}"`))?.[0];
      const cloudFront = lookupOf('com.amazonaws.global.cloudfront.origin-facing');
      const checkers = lookupOf(`com.amazonaws.${region}.route53-healthchecks`);
      expect(cloudFront).toBeDefined();
      expect(checkers).toBeDefined();
      for (const lookup of [cloudFront, checkers])
        template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
          IpProtocol: 'tcp',
          FromPort: 443,
          ToPort: 443,
          SourcePrefixListId: { 'Fn::GetAtt': [lookup, 'PrefixLists.0.PrefixListId'] },
        });
      // Both groups are the load balancer's (beside the one that only lets it reach the tasks).
      const [, balancer] = resourcesOf(region, 'AWS::ElasticLoadBalancingV2::LoadBalancer')[0] ?? [];
      expect(balancer?.Properties?.SecurityGroups).toEqual(
        expect.arrayContaining(
          ['ApiIngressCloudFront', 'ApiIngressHealthCheckers'].map((name) => ({
            'Fn::GetAtt': [expect.stringMatching(new RegExp(`^${name}[0-9A-F]{8}$`)), 'GroupId'],
          })),
        ),
      );
    },
  );

  it.each(REGIONS)(
    'in %s, forwards /api/* only with the origin secret, health without it, and nothing else (not /metrics)',
    (region) => {
      const template = templates[region] as Template;
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
        DefaultActions: [
          Match.objectLike({
            Type: 'fixed-response',
            FixedResponseConfig: Match.objectLike({ StatusCode: '403' }),
          }),
        ],
      });
      const rules = resourcesOf(region, 'AWS::ElasticLoadBalancingV2::ListenerRule').map(
        ([, rule]) => rule.Properties as { Conditions: Record<string, unknown>[]; Priority: number },
      );
      expect(rules).toHaveLength(2);
      const secret =
        region === 'us-east-1'
          ? Match.objectLike({
              'Fn::Join': [
                '',
                [
                  '{{resolve:secretsmanager:',
                  { Ref: Match.stringLikeRegexp('OriginVerifySecret') },
                  ':SecretString:value::}}',
                ],
              ],
            })
          : '{{resolve:secretsmanager:Growstack/origin-verify:SecretString:value::}}';
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
        Conditions: [
          { Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'x-origin-verify', Values: [secret] } },
          { Field: 'path-pattern', PathPatternConfig: { Values: ['/api/*'] } },
        ],
      });
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
        Conditions: [
          { Field: 'path-pattern', PathPatternConfig: { Values: ['/api/health'] } },
          { Field: 'http-request-method', HttpRequestMethodConfig: { Values: ['GET', 'HEAD'] } },
        ],
      });
      // The containers require the same secret (read at start) and believe CloudFront's hop with it.
      template.hasResourceProperties('AWS::ECS::TaskDefinition', {
        ContainerDefinitions: Match.arrayWith([
          Match.objectLike({
            Name: 'api',
            Environment: Match.arrayWith([
              Match.objectLike({ Name: 'ORIGIN_VERIFY_SECRET_ARN' }),
              { Name: 'ORIGIN_VERIFY_REQUIRED', Value: 'true' },
            ]),
          }),
        ]),
      });
    },
  );

  it('keeps the origin secret in Secrets Manager, replicated to the other region, and sends it from CloudFront', () => {
    templates['us-east-1']?.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: 'Growstack/origin-verify',
      ReplicaRegions: [{ Region: 'eu-west-1' }],
      GenerateSecretString: Match.objectLike({ GenerateStringKey: 'value', ExcludePunctuation: true }),
    });
    templates['eu-west-1']?.resourceCountIs('AWS::SecretsManager::Secret', 1); // the cache's token only
    templates['us-east-1']?.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Origins: Match.arrayWith([
          Match.objectLike({
            DomainName: `api.${ZONE.zoneName}`,
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
  });

  it('serves the UI through an origin group that fails over to the other region, and the API by its latency-routed name', () => {
    const template = templates['us-east-1'] as Template;
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        OriginGroups: Match.objectLike({
          Quantity: 1,
          Items: [
            Match.objectLike({
              FailoverCriteria: { StatusCodes: { Items: [500, 502, 503, 504], Quantity: 4 } },
              Members: Match.objectLike({ Quantity: 2 }),
            }),
          ],
        }),
        Origins: Match.arrayWith([
          Match.objectLike({
            DomainName: `api.${ZONE.zoneName}`,
            CustomOriginConfig: Match.objectLike({
              OriginProtocolPolicy: 'https-only',
              OriginSSLProtocols: ['TLSv1.2'],
            }),
          }),
        ]),
      }),
    });
    // The standby copy of the UI in the other region, readable only by this account's distributions.
    templates['eu-west-1']?.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Condition: { ArnLike: { 'AWS:SourceArn': Match.anyValue() } },
          }),
        ]),
      },
    });
    templates['eu-west-1']?.resourceCountIs('AWS::CloudFront::Distribution', 0);
  });

  it.each(REGIONS)(
    'in %s, traces the API containers and the workers, saves Logs Insights queries, and sends alarms to SNS',
    (region) => {
      const template = templates[region] as Template;
      template.hasResourceProperties('AWS::Lambda::Function', { TracingConfig: { Mode: 'Active' } });
      // The API sends OTLP to the ADOT collector in its task, which exports to X-Ray.
      template.hasResourceProperties('AWS::ECS::TaskDefinition', {
        ContainerDefinitions: Match.arrayWith([
          Match.objectLike({
            Name: 'api',
            Environment: Match.arrayWith([
              { Name: 'OTEL_EXPORTER_OTLP_ENDPOINT', Value: 'http://127.0.0.1:4318' },
            ]),
            DependsOn: [{ ContainerName: 'otel-collector', Condition: 'START' }],
          }),
          Match.objectLike({
            Name: 'otel-collector',
            Image: OTEL_COLLECTOR_IMAGE,
            Command: ['--config=/etc/ecs/ecs-xray.yaml'],
            Essential: false,
          }),
        ]),
      });
      template.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Action: Match.arrayWith(['xray:PutTraceSegments']), Resource: '*' }),
          ]),
        },
      });
      for (const name of ['growstack/slowest-routes', 'growstack/top-errors'])
        template.hasResourceProperties('AWS::Logs::QueryDefinition', { Name: name });
      template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
      const alarms = resourcesOf(region, 'AWS::CloudWatch::Alarm');
      expect(alarms.length).toBeGreaterThanOrEqual(5);
      for (const [, alarm] of alarms)
        expect(alarm.Properties?.AlarmActions).toEqual([{ Ref: expect.stringMatching(/Topic|Alarms/) }]);
      // The configured paging service gets every alarm too, over HTTPS.
      template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'https', Endpoint: PAGING });
    },
  );
});

describe('the scaling stage health checks', () => {
  it.each(REGIONS)(
    'in %s, restarts a task on liveness (/api/health/live) and routes to it on readiness (/api/health)',
    (region) => {
      const template = templates[region] as Template;
      template.hasResourceProperties('AWS::ECS::TaskDefinition', {
        ContainerDefinitions: Match.arrayWith([
          Match.objectLike({
            Name: 'api',
            HealthCheck: Match.objectLike({
              Command: ['CMD', '/nodejs/bin/node', '-e', Match.stringLikeRegexp('/api/health/live')],
              Retries: 3,
            }),
          }),
        ]),
      });
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
        HealthCheckPath: '/api/health',
        Matcher: { HttpCode: '200' },
      });
    },
  );
});
