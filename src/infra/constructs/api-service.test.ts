import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import { SecurityGroup, SubnetType, Vpc } from 'aws-cdk-lib/aws-ec2';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORIGIN_VERIFY_HEADER } from '../../contracts/origin-verify-header.js';
import { API_CONTAINER_PORT, API_HEALTH_PATH, ApiService, OTEL_COLLECTOR_IMAGE } from './api-service.js';
import { OriginVerify } from './origin-verify.js';

/** A build context of one Dockerfile: staging the repository itself would take most of the test. */
const ROOT = mkdtempSync(join(tmpdir(), 'api-service-'));
writeFileSync(join(ROOT, 'Dockerfile'), 'FROM scratch\n');

interface Container {
  Name: string;
  Essential?: boolean;
  Environment?: { Name: string; Value: unknown }[];
  Secrets?: { Name: string; ValueFrom: unknown }[];
  ReadonlyRootFilesystem?: boolean;
  HealthCheck?: Record<string, unknown>;
  DependsOn?: unknown[];
  Image: unknown;
}

function service(tracing: boolean) {
  const stack = new Stack(undefined, 'Containers', { env: { account: '123456789012', region: 'eu-west-1' } });
  const vpc = new Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 1,
    subnetConfiguration: [
      { name: 'public', subnetType: SubnetType.PUBLIC },
      { name: 'app', subnetType: SubnetType.PRIVATE_WITH_EGRESS },
    ],
  });
  const cloudFront = new SecurityGroup(stack, 'CloudFront', { vpc });
  const originVerify = new OriginVerify(stack, 'OriginVerify', { secretName: 'origin', replicaRegions: [] });
  const api = new ApiService(stack, 'Api', {
    vpc,
    root: ROOT,
    environment: { STAGE: 'scaling' },
    redisAuthToken: new Secret(stack, 'CacheToken'),
    certificate: Certificate.fromCertificateArn(
      stack,
      'Cert',
      'arn:aws:acm:eu-west-1:123456789012:certificate/abc',
    ),
    ingressSecurityGroups: [cloudFront],
    originVerify,
    minTasks: 2,
    maxTasks: 6,
    tracing,
  });
  const template = Template.fromStack(stack);
  const [task] = Object.values(template.findResources('AWS::ECS::TaskDefinition'));
  const id = (construct: { node: { defaultChild?: unknown } }) =>
    stack.getLogicalId(construct.node.defaultChild as never);
  return {
    template,
    containers: task?.Properties.ContainerDefinitions as Container[],
    task: task?.Properties,
    ids: {
      originSecret: id(originVerify.secret),
      cloudFront: id(cloudFront),
      tasks: id(api.taskSecurityGroup),
      loadBalancer: id(api.loadBalancer),
    },
  };
}

let plain: ReturnType<typeof service>;
let traced: ReturnType<typeof service>;
// The first synth of a file loads most of aws-cdk-lib: once, outside the tests' own time limit.
beforeAll(() => {
  plain = service(false);
  traced = service(true);
}, 120_000);
afterAll(() => rmSync(ROOT, { recursive: true, force: true }));

const env = (container: Container | undefined) =>
  Object.fromEntries((container?.Environment ?? []).map(({ Name, Value }) => [Name, Value]));

describe('the API service', () => {
  it('runs 1 vCPU / 2 GB ARM64 tasks, at least two, rolling back a failed deploy', () => {
    expect(plain.task).toMatchObject({
      Cpu: '1024',
      Memory: '2048',
      RuntimePlatform: { CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' },
    });
    plain.template.hasResourceProperties('AWS::ECS::Service', {
      DesiredCount: 2,
      LaunchType: 'FARGATE',
      DeploymentConfiguration: Match.objectLike({
        MinimumHealthyPercent: 100,
        MaximumPercent: 200,
        DeploymentCircuitBreaker: { Enable: true, Rollback: true },
      }),
    });
  });

  it('scales between the bounds on 60 % CPU and 1000 requests per task', () => {
    plain.template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      MinCapacity: 2,
      MaxCapacity: 6,
    });
    plain.template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({
        PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
        TargetValue: 60,
      }),
    });
    plain.template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({
        PredefinedMetricSpecification: Match.objectLike({ PredefinedMetricType: 'ALBRequestCountPerTarget' }),
        TargetValue: 1000,
      }),
    });
  });

  it('runs the API read-only, liveness-checked, with the cache token from Secrets Manager and the origin secret required', () => {
    const [api, ...others] = plain.containers;
    expect(others).toEqual([]);
    expect(api?.ReadonlyRootFilesystem).toBe(true);
    expect(api?.HealthCheck).toMatchObject({ Interval: 15, Timeout: 5, Retries: 3, StartPeriod: 10 });
    expect(env(api)).toMatchObject({
      STAGE: 'scaling',
      PORT: String(API_CONTAINER_PORT),
      TRUSTED_PROXIES: '2',
      ORIGIN_VERIFY_REQUIRED: 'true',
      ORIGIN_VERIFY_SECRET_ARN: { Ref: plain.ids.originSecret },
    });
    expect(env(api).OTEL_EXPORTER_OTLP_ENDPOINT).toBeUndefined();
    expect(api?.Secrets?.map((secret) => secret.Name)).toEqual(['REDIS_AUTH_TOKEN']);
  });

  it('adds a non-essential ADOT collector the API starts after, and X-Ray rights, when tracing', () => {
    const collector = traced.containers.find((container) => container.Name === 'otel-collector');
    expect(collector).toMatchObject({
      Image: OTEL_COLLECTOR_IMAGE,
      Essential: false,
      ReadonlyRootFilesystem: true,
    });
    const api = traced.containers.find((container) => container.Name === 'api');
    expect(api?.DependsOn).toEqual([{ ContainerName: 'otel-collector', Condition: 'START' }]);
    expect(env(api).OTEL_EXPORTER_OTLP_ENDPOINT).toBe('http://127.0.0.1:4318');
    traced.template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Action: [
              'xray:PutTraceSegments',
              'xray:PutTelemetryRecords',
              'xray:GetSamplingRules',
              'xray:GetSamplingTargets',
            ],
            Effect: 'Allow',
            Resource: '*',
          },
        ]),
      },
    });
    expect(JSON.stringify(plain.template.toJSON())).not.toContain('xray:PutTraceSegments');
  });

  it('listens on HTTPS only, with a recommended TLS policy, answering 403 to what no rule forwards', () => {
    plain.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443,
      Protocol: 'HTTPS',
      SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      DefaultActions: [
        Match.objectLike({
          Type: 'fixed-response',
          FixedResponseConfig: Match.objectLike({ StatusCode: '403' }),
        }),
      ],
    });
    plain.template.resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 1);
    plain.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Scheme: 'internet-facing',
      LoadBalancerAttributes: Match.arrayWith([
        { Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' },
        { Key: 'access_logs.s3.enabled', Value: 'true' },
      ]),
    });
  });

  it('forwards GET and HEAD of the health path to anyone, and /api/* only with the origin secret', () => {
    const rules = Object.values(
      plain.template.findResources('AWS::ElasticLoadBalancingV2::ListenerRule'),
    ).map((rule) => rule.Properties);
    const health = rules.find((rule) => rule.Priority === 10);
    expect(health?.Conditions).toEqual(
      expect.arrayContaining([
        { Field: 'path-pattern', PathPatternConfig: { Values: [API_HEALTH_PATH] } },
        { Field: 'http-request-method', HttpRequestMethodConfig: { Values: ['GET', 'HEAD'] } },
      ]),
    );
    const api = rules.find((rule) => rule.Priority === 20);
    expect(api?.Conditions).toEqual(
      expect.arrayContaining([
        { Field: 'path-pattern', PathPatternConfig: { Values: ['/api/*'] } },
        {
          Field: 'http-header',
          HttpHeaderConfig: {
            HttpHeaderName: ORIGIN_VERIFY_HEADER,
            Values: [
              {
                'Fn::Join': [
                  '',
                  ['{{resolve:secretsmanager:', { Ref: plain.ids.originSecret }, ':SecretString:value::}}'],
                ],
              },
            ],
          },
        },
      ]),
    );
    expect(rules).toHaveLength(2);
  });

  it('lets the load balancer reach the tasks on the container port only, and the ingress groups reach the load balancer', () => {
    plain.template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: { 'Fn::GetAtt': [plain.ids.tasks, 'GroupId'] },
      IpProtocol: 'tcp',
      FromPort: API_CONTAINER_PORT,
      ToPort: API_CONTAINER_PORT,
    });
    const [balancer] = Object.values(
      plain.template.findResources('AWS::ElasticLoadBalancingV2::LoadBalancer'),
    );
    expect(balancer?.Properties.SecurityGroups).toContainEqual({
      'Fn::GetAtt': [plain.ids.cloudFront, 'GroupId'],
    });
  });

  it("keeps the load balancer's access logs 90 days in a private, encrypted, TLS-only bucket", () => {
    plain.template.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 90 })] },
        PublicAccessBlockConfiguration: Match.objectLike({
          BlockPublicAcls: true,
          RestrictPublicBuckets: true,
        }),
      }),
    });
  });
});
