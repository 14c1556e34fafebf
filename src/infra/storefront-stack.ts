import { join } from 'node:path';
import { Aws, CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { OriginProtocolPolicy, OriginSslPolicy } from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, RestApiOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { type IGrantable, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { ILogGroup } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment } from 'aws-cdk-lib/aws-s3-deployment';
import type { Construct } from 'constructs';
import type { StageCapabilities } from '../platform/stages.js';
import { acknowledge } from './acknowledge.js';
import { Api } from './constructs/api.js';
import { ApiService } from './constructs/api-service.js';
import { AuditTrail } from './constructs/audit-trail.js';
import { Backup } from './constructs/backup.js';
import { Budget } from './constructs/budget.js';
import { CacheCluster } from './constructs/cache-cluster.js';
import { Data } from './constructs/data.js';
import { Jobs } from './constructs/jobs.js';
import { LogQueries } from './constructs/log-queries.js';
import { Network } from './constructs/network.js';
import { NodeFunction } from './constructs/node-function.js';
import {
  type ApiSignals,
  loadBalancerSignals,
  Observability,
  restApiSignals,
} from './constructs/observability.js';
import { RegionalDns } from './constructs/regional-dns.js';
import { acknowledgeBucketDeployment, Site, uiSource } from './constructs/site.js';
import { SiteDomain } from './constructs/site-domain.js';
import { WebAcl } from './constructs/web-acl.js';
import type { InfraConfig } from './infra-config.js';

export interface StorefrontStackProps extends StackProps {
  readonly capabilities: StageCapabilities;
  readonly config: InfraConfig;
  /** Repository root: where the function entries, the Dockerfile and web/dist are found. */
  readonly root: string;
  /** Every region of the stage, the primary first; this stack serves `env.region`. */
  readonly regions: readonly string[];
}

const API_TIMEOUT = Duration.seconds(29); // API Gateway's integration limit
const WORKER_TIMEOUT = Duration.seconds(30);

/** The table's fixed name: every region's stack finds its replica by it. */
export const tableNameOf = (config: InfraConfig) => `${config.appName}-storefront`;

/** The web UI bucket of a region, named so the primary region's CloudFront can fail over to it. */
export const webBucketNameOf = (config: InfraConfig, region: string) =>
  `${config.appName.toLowerCase()}-web-${Aws.ACCOUNT_ID}-${region}`;

/**
 * One region of the storefront. What exists is read from the stage's row of the stage table:
 * this file composes constructs and decides nothing about stages itself. The primary region's
 * stack also holds what is global: the CloudFront distribution and its WAF, the global table's
 * definition (with every replica), backups and the budget.
 */
export class StorefrontStack extends Stack {
  constructor(scope: Construct, id: string, props: StorefrontStackProps) {
    super(scope, id, props);
    const caps = props.capabilities;
    const region = props.env?.region ?? props.config.primaryRegion;
    const primary = region === props.regions[0];
    const multiRegion = props.regions.length > 1;
    const runtime = (name: string) => join(props.root, 'src', 'platform', 'runtime', name);
    const tableName = tableNameOf(props.config);
    const data = primary
      ? new Data(this, 'Data', {
          tableName,
          pointInTimeRecovery: caps.data.pointInTimeRecovery,
          replicaRegions: caps.data.globalTable ? props.regions.slice(1) : [],
        })
      : Data.replica(this, 'Data', tableName);
    const environment: Record<string, string> = {
      GROWSTACK_STAGE: caps.stage,
      TABLE_NAME: tableName,
      LOG_LEVEL: 'info',
      MAIL_FROM: props.config.mailFrom,
    };
    // The welcome e-mail is sent from one verified identity; no other identity may be used.
    const sendMail = new PolicyStatement({
      actions: ['ses:SendEmail'],
      resources: [
        this.formatArn({ service: 'ses', resource: 'identity', resourceName: props.config.mailFrom }),
      ],
    });
    const lambdaEnvironment = { ...environment, GROWSTACK_TELEMETRY: 'emf' };

    const functions = [];
    let jobs: Jobs | undefined;
    if (caps.jobs === 'sqs') {
      const worker = new NodeFunction(this, 'WorkerFunction', {
        entry: runtime('lambda-worker.ts'),
        environment: lambdaEnvironment,
        timeout: WORKER_TIMEOUT,
        tracing: caps.observability.tracing,
      });
      data.grantReadWrite(worker.fn);
      worker.fn.addToRolePolicy(sendMail);
      jobs = new Jobs(this, 'Jobs', { worker: worker.fn, workerTimeout: WORKER_TIMEOUT });
      environment.QUEUE_URL = jobs.queue.queueUrl;
      functions.push(worker.fn);
    }
    const grantApi = (grantee: IGrantable) => {
      data.grantReadWrite(grantee);
      grantee.grantPrincipal.addToPrincipalPolicy(sendMail);
      jobs?.grantEnqueue(grantee);
    };

    let apiSignals: ApiSignals;
    let apiOrigin: RestApiOrigin | HttpOrigin;
    const logGroups: ILogGroup[] = [];
    if (caps.api.compute === 'lambda') {
      const api = new NodeFunction(this, 'ApiFunction', {
        entry: runtime('lambda-api.ts'),
        environment: {
          ...lambdaEnvironment,
          ...(environment.QUEUE_URL ? { QUEUE_URL: environment.QUEUE_URL } : {}),
        },
        timeout: API_TIMEOUT,
        tracing: caps.observability.tracing,
      });
      grantApi(api.fn);
      functions.unshift(api.fn);
      logGroups.push(api.logGroup);
      const restApi = new Api(this, 'Api', { handler: api.fn, cache: caps.api.gatewayCache });
      // With a domain, the API also answers at api.<zone> (the site keeps it under /api).
      const zone = props.config.hostedZone;
      if (zone) new RegionalDns(this, 'Dns', { ...zone, region }).aliasRestApi(restApi.restApi);
      apiSignals = restApiSignals(restApi.restApi);
      apiOrigin = new RestApiOrigin(restApi.restApi);
      new CfnOutput(this, 'ApiUrl', { value: restApi.restApi.url });
    } else {
      const zone = props.config.hostedZone;
      if (!zone) throw new Error('hostedZone is required from the scaling stage on (checked in buildApp)');
      const network = new Network(this, 'Network');
      const cache = new CacheCluster(this, 'Cache', {
        vpc: network.vpc,
        nodeType: props.config.cacheNodeType,
      });
      const dns = new RegionalDns(this, 'Dns', { ...zone, region });
      const service = new ApiService(this, 'ApiService', {
        vpc: network.vpc,
        root: props.root,
        environment: {
          ...environment,
          REDIS_URL: cache.url,
          // CloudFront and the ALB each append to X-Forwarded-For.
          TRUSTED_PROXIES: '2',
        },
        redisAuthToken: cache.authToken,
        certificate: dns.certificate,
        minTasks: props.config.apiMinTasks,
        maxTasks: props.config.apiMaxTasks,
        tracing: caps.observability.tracing,
      });
      grantApi(service.service.taskDefinition.taskRole);
      cache.allowFrom(service.taskSecurityGroup);
      dns.route(service.loadBalancer);
      logGroups.push(service.logGroup);
      if (caps.security.waf) {
        const regionalAcl = new WebAcl(this, 'RegionalWaf', {
          scope: 'REGIONAL',
          ratePer5Min: props.config.wafRateLimitPer5Min,
        });
        regionalAcl.associate('LoadBalancer', service.loadBalancer.loadBalancerArn);
      }
      apiSignals = loadBalancerSignals(service.loadBalancer);
      // CloudFront reaches the API by its global name: Route 53 answers with the nearest healthy region.
      apiOrigin = new HttpOrigin(dns.hostName, {
        protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
        originSslProtocols: [OriginSslPolicy.TLS_V1_2],
      });
      new CfnOutput(this, 'ApiUrl', { value: `https://${dns.hostName}/api` });
      new CfnOutput(this, 'LoadBalancerDns', { value: service.loadBalancer.loadBalancerDnsName });
    }

    if (primary) {
      const cloudFrontAcl = caps.security.waf
        ? new WebAcl(this, 'CloudFrontWaf', {
            scope: 'CLOUDFRONT',
            ratePer5Min: props.config.wafRateLimitPer5Min,
          })
        : undefined;
      const siteDomain = props.config.hostedZone
        ? new SiteDomain(this, 'SiteDomain', props.config.hostedZone)
        : undefined;
      const site = new Site(this, 'Site', {
        domain: siteDomain,
        apiOrigin,
        webDist: join(props.root, 'web', 'dist'),
        cachePolicies: caps.web.cachePolicies,
        securityHeaders: caps.web.edgeFunctions,
        ...(multiRegion
          ? {
              bucketName: webBucketNameOf(props.config, region),
              replicaBuckets: props.regions
                .slice(1)
                .map((other) => ({ bucketName: webBucketNameOf(props.config, other), region: other })),
            }
          : {}),
        webAclArn: cloudFrontAcl?.acl.attrArn,
      });
      if (caps.data.backupPlan) new Backup(this, 'Backup', { table: data.table });
      // One multi-region trail records every region's API calls.
      if (caps.security.auditTrail) new AuditTrail(this, 'AuditTrail');
      if (caps.security.budgets) {
        new Budget(this, 'Budget', {
          monthlyUsd: props.config.monthlyBudgetUsd,
          email: props.config.alarmEmail,
        });
      }
      siteDomain?.alias(site.distribution);
      new CfnOutput(this, 'SiteUrl', {
        value: `https://${siteDomain?.names[0] ?? site.distribution.distributionDomainName}`,
      });
    } else {
      this.webReplica(props.config, region, props.root);
    }
    if (caps.observability.alarms) {
      new Observability(this, 'Observability', {
        api: apiSignals,
        functions,
        table: data.table,
        deadLetterQueue: jobs?.deadLetterQueue,
        alarmEmail: props.config.alarmEmail,
        pagingUrl: props.config.pagingUrl,
      });
    }
    if (caps.observability.tracing) new LogQueries(this, 'LogQueries', { logGroups });
    new CfnOutput(this, 'TableName', { value: tableName });
  }

  /**
   * A secondary region's copy of the web UI, which the primary region's CloudFront reads through
   * Origin Access Control when the primary bucket fails: only CloudFront distributions of this
   * account may read it.
   */
  private webReplica(config: InfraConfig, region: string, root: string): void {
    const webDist = join(root, 'web', 'dist');
    const bucket = new Bucket(this, 'WebReplica', {
      bucketName: webBucketNameOf(config, region),
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
    });
    acknowledge(bucket, {
      'AwsSolutions-S1':
        'A standby copy of the UI read only by CloudFront, whose standard logs record every request.',
    });
    bucket.addToResourcePolicy(
      new PolicyStatement({
        actions: ['s3:GetObject'],
        resources: [bucket.arnForObjects('*')],
        principals: [new ServicePrincipal('cloudfront.amazonaws.com')],
        conditions: {
          ArnLike: { 'AWS:SourceArn': `arn:${Aws.PARTITION}:cloudfront::${Aws.ACCOUNT_ID}:distribution/*` },
        },
      }),
    );
    new BucketDeployment(this, 'WebReplicaDeploy', {
      sources: [uiSource(webDist)],
      destinationBucket: bucket,
      memoryLimit: 256,
    });
    acknowledgeBucketDeployment(this, bucket);
  }
}
