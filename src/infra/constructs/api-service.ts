import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { ICertificate } from 'aws-cdk-lib/aws-certificatemanager';
import { type ISecurityGroup, type IVpc, Port, SecurityGroup, SubnetType } from 'aws-cdk-lib/aws-ec2';
import { Platform } from 'aws-cdk-lib/aws-ecr-assets';
import {
  Cluster,
  ContainerDependencyCondition,
  ContainerImage,
  ContainerInsights,
  CpuArchitecture,
  Secret as EcsSecret,
  FargateService,
  FargateTaskDefinition,
  LogDrivers,
  OperatingSystemFamily,
} from 'aws-cdk-lib/aws-ecs';
import {
  ApplicationLoadBalancer,
  ApplicationProtocol,
  ListenerAction,
  ListenerCondition,
  SslPolicy,
} from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { type IRole, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { ORIGIN_VERIFY_HEADER } from '../../contracts/origin-verify-header.js';
import { acknowledge } from '../acknowledge.js';
import { livenessCheckCommand } from './container-health.js';
import type { IOriginVerify } from './origin-verify.js';

export interface ApiServiceProps {
  readonly vpc: IVpc;
  /** Repository root: the Dockerfile's build context. */
  readonly root: string;
  readonly environment: Record<string, string>;
  /** The cache's AUTH token secret (JSON field `token`), injected as REDIS_AUTH_TOKEN. */
  readonly redisAuthToken: ISecret;
  readonly certificate: ICertificate;
  /**
   * Who may reach the load balancer: the groups that let in CloudFront and the health checkers
   * (see CloudFrontOnlyIngress); nothing else reaches it.
   */
  readonly ingressSecurityGroups: readonly ISecurityGroup[];
  /**
   * The secret CloudFront adds to every API request: the listener forwards /api/* only when the
   * header carries it, and the app gets it too (read from Secrets Manager at start).
   */
  readonly originVerify: IOriginVerify;
  readonly minTasks: number;
  readonly maxTasks: number;
  /**
   * Traces to X-Ray: the app sends OpenTelemetry spans to an AWS Distro for OpenTelemetry
   * collector beside it in the task, which exports them to X-Ray.
   */
  readonly tracing: boolean;
}

/**
 * The ADOT collector image, pinned: its ecs-xray.yaml receives OTLP on 4317/4318 and exports
 * traces (no metrics) to X-Ray. Bump deliberately, after reading its release notes.
 */
export const OTEL_COLLECTOR_IMAGE = 'public.ecr.aws/aws-observability/aws-otel-collector:v0.43.3';
const OTLP_HTTP_PORT = 4318;

/**
 * Lets an ADOT collector's role send traces to X-Ray and read its sampling rules (the Fargate
 * task's sidecar, the EKS collector): calls that take no resource-level permissions.
 */
export function grantTraceExport(role: IRole): void {
  role.addToPrincipalPolicy(
    new PolicyStatement({
      actions: [
        'xray:PutTraceSegments',
        'xray:PutTelemetryRecords',
        'xray:GetSamplingRules',
        'xray:GetSamplingTargets',
      ],
      resources: ['*'],
    }),
  );
  acknowledge(role, {
    'AwsSolutions-IAM5[Resource::*]':
      'The X-Ray collector needs xray:PutTraceSegments and the sampling calls, which take no resource-level permissions.',
  });
}

/** The readiness check the load balancer and Route 53 poll. */
export const API_HEALTH_PATH = '/api/health';

/** The port the container serves on (Dockerfile: PORT=8080). */
export const API_CONTAINER_PORT = 8080;

/**
 * The storefront API in containers: the same Hono app as the Lambda, on ECS Fargate (ARM64,
 * about 20 % cheaper than x86), at least two tasks spread over two zones, scaled on CPU and on
 * requests per task, behind an internet-facing ALB that only speaks TLS 1.2+ and that only
 * CloudFront (and Route 53's health checkers) can reach: its security groups admit their managed
 * prefix lists, and its listener forwards /api/* only with CloudFront's origin secret.
 */
export class ApiService extends Construct {
  readonly service: FargateService;
  readonly loadBalancer: ApplicationLoadBalancer;
  readonly taskSecurityGroup: SecurityGroup;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: ApiServiceProps) {
    super(scope, id);
    const cluster = new Cluster(this, 'Cluster', {
      vpc: props.vpc,
      containerInsightsV2: ContainerInsights.ENABLED,
    });
    const task = new FargateTaskDefinition(this, 'Task', {
      cpu: 1024,
      memoryLimitMiB: 2048,
      runtimePlatform: {
        cpuArchitecture: CpuArchitecture.ARM64,
        operatingSystemFamily: OperatingSystemFamily.LINUX,
      },
    });
    const logs = new LogGroup(this, 'Logs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.logGroup = logs;
    const api = task.addContainer('api', {
      image: ContainerImage.fromAsset(props.root, { file: 'Dockerfile', platform: Platform.LINUX_ARM64 }),
      portMappings: [{ containerPort: API_CONTAINER_PORT }],
      environment: {
        ...props.environment,
        // CloudFront and the ALB each append to X-Forwarded-For; the app believes CloudFront's
        // hop only on requests that carry the origin secret, which it reads at start.
        TRUSTED_PROXIES: '2',
        ORIGIN_VERIFY_SECRET_ARN: props.originVerify.secret.secretArn,
        ORIGIN_VERIFY_REQUIRED: 'true',
        PORT: String(API_CONTAINER_PORT),
        HOST: '0.0.0.0',
        ...(props.tracing ? { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${OTLP_HTTP_PORT}` } : {}),
      },
      secrets: { REDIS_AUTH_TOKEN: EcsSecret.fromSecretsManager(props.redisAuthToken, 'token') },
      logging: LogDrivers.awsLogs({ logGroup: logs, streamPrefix: 'api' }),
      readonlyRootFilesystem: true,
      // Below the 30 s ECS waits after SIGTERM: the server drains in-flight requests first.
      stopTimeout: Duration.seconds(30),
      // ECS replaces a task whose process stopped answering; the target group's check below
      // (readiness, /api/health) only takes it out of rotation.
      healthCheck: {
        command: livenessCheckCommand(API_CONTAINER_PORT),
        interval: Duration.seconds(15),
        timeout: Duration.seconds(5),
        retries: 3,
        startPeriod: Duration.seconds(10),
      },
    });
    if (props.tracing) {
      const collector = task.addContainer('otel-collector', {
        image: ContainerImage.fromRegistry(OTEL_COLLECTOR_IMAGE),
        command: ['--config=/etc/ecs/ecs-xray.yaml'],
        // Traces are worth losing before requests are: the API stays up if the collector stops.
        essential: false,
        cpu: 128,
        memoryReservationMiB: 128,
        logging: LogDrivers.awsLogs({ logGroup: logs, streamPrefix: 'otel' }),
        readonlyRootFilesystem: true,
      });
      api.addContainerDependencies({ container: collector, condition: ContainerDependencyCondition.START });
      grantTraceExport(task.taskRole);
    }
    props.originVerify.grantRead(task.taskRole);
    acknowledge(task.obtainExecutionRole(), {
      'AwsSolutions-IAM5[Resource::*]':
        'Pulling the image needs ecr:GetAuthorizationToken, which takes no resource-level permissions.',
    });
    acknowledge(task, {
      'AwsSolutions-ECS2':
        'Only non-secret settings (stage, table, queue URL, cache endpoint) are environment variables; the cache AUTH token comes from Secrets Manager.',
    });

    this.taskSecurityGroup = new SecurityGroup(this, 'TaskSecurityGroup', {
      vpc: props.vpc,
      description: 'API tasks: reached only by the load balancer',
    });
    // Only the load balancer's way out to the tasks; who may reach it comes from the ingress groups.
    const lbSecurityGroup = new SecurityGroup(this, 'LoadBalancerSecurityGroup', {
      vpc: props.vpc,
      description: 'API load balancer: to the API tasks',
      allowAllOutbound: false,
    });
    lbSecurityGroup.addEgressRule(this.taskSecurityGroup, Port.tcp(API_CONTAINER_PORT), 'to the API tasks');
    this.taskSecurityGroup.addIngressRule(
      lbSecurityGroup,
      Port.tcp(API_CONTAINER_PORT),
      'from the load balancer',
    );

    this.service = new FargateService(this, 'Service', {
      cluster,
      taskDefinition: task,
      desiredCount: props.minTasks,
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      securityGroups: [this.taskSecurityGroup],
      vpcSubnets: { subnetType: SubnetType.PRIVATE_WITH_EGRESS },
      circuitBreaker: { rollback: true },
    });

    const accessLogs = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(accessLogs, { 'AwsSolutions-S1': 'This is the load balancer access-log bucket itself.' });
    this.loadBalancer = new ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc: props.vpc,
      internetFacing: true,
      securityGroup: lbSecurityGroup,
      vpcSubnets: { subnetType: SubnetType.PUBLIC },
      dropInvalidHeaderFields: true,
    });
    for (const group of props.ingressSecurityGroups) this.loadBalancer.addSecurityGroup(group);
    this.loadBalancer.logAccessLogs(accessLogs, 'alb');
    // Nothing is forwarded unless a rule says so: /metrics and every other path stay inside.
    const listener = this.loadBalancer.addListener('Https', {
      port: 443,
      protocol: ApplicationProtocol.HTTPS,
      certificates: [props.certificate],
      sslPolicy: SslPolicy.RECOMMENDED_TLS,
      open: false,
      defaultAction: ListenerAction.fixedResponse(403, {
        contentType: 'application/problem+json',
        messageBody: JSON.stringify({
          type: 'about:blank',
          title: 'Forbidden',
          status: 403,
          detail: 'The API answers requests that come through the storefront’s own site.',
        }),
      }),
    });
    // Route 53's health checkers poll the load balancer itself, without the header: they get the
    // readiness check and nothing else (GET and HEAD, the one path).
    const targets = listener.addTargets('Api', {
      priority: 10,
      conditions: [
        ListenerCondition.pathPatterns([API_HEALTH_PATH]),
        ListenerCondition.httpRequestMethods(['GET', 'HEAD']),
      ],
      port: API_CONTAINER_PORT,
      protocol: ApplicationProtocol.HTTP,
      targets: [this.service],
      healthCheck: { path: API_HEALTH_PATH, healthyHttpCodes: '200', interval: Duration.seconds(15) },
      deregistrationDelay: Duration.seconds(20),
    });
    // The API, to requests that carry CloudFront's secret (a dynamic reference, resolved at deploy).
    listener.addTargetGroups('FromCloudFront', {
      priority: 20,
      conditions: [
        ListenerCondition.httpHeader(ORIGIN_VERIFY_HEADER, [props.originVerify.value]),
        ListenerCondition.pathPatterns(['/api/*']),
      ],
      targetGroups: [targets],
    });

    const scaling = this.service.autoScaleTaskCount({
      minCapacity: props.minTasks,
      maxCapacity: props.maxTasks,
    });
    scaling.scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: 60 });
    scaling.scaleOnRequestCount('Requests', { requestsPerTarget: 1000, targetGroup: targets });
  }
}
