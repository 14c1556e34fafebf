import { join } from 'node:path';
import { Aws, CfnOutput, Duration, Fn, Stack } from 'aws-cdk-lib';
import { OriginProtocolPolicy, OriginSslPolicy } from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, RestApiOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { ILogGroup } from 'aws-cdk-lib/aws-logs';
import type { IHostedZone } from 'aws-cdk-lib/aws-route53';
import type { Construct } from 'constructs';
import { ConfigError } from '../contracts/errors.js';
import { Api } from './constructs/api.js';
import { ApiService } from './constructs/api-service.js';
import { AuditTrail } from './constructs/audit-trail.js';
import { Backup } from './constructs/backup.js';
import { Budget } from './constructs/budget.js';
import { CacheCluster } from './constructs/cache-cluster.js';
import { ComplianceRecording } from './constructs/compliance-recording.js';
import { Jobs } from './constructs/jobs.js';
import type { KubernetesApi } from './constructs/kubernetes-api.js';
import { LogQueries } from './constructs/log-queries.js';
import { Network } from './constructs/network.js';
import { NodeFunction } from './constructs/node-function.js';
import {
  type ApiSignals,
  loadBalancerSignals,
  Observability,
  restApiSignals,
} from './constructs/observability.js';
import { CloudFrontOnlyIngress } from './constructs/origin-lockdown.js';
import { OriginVerify } from './constructs/origin-verify.js';
import { RegionalDns } from './constructs/regional-dns.js';
import { protectWithShield } from './constructs/shield.js';
import { Site } from './constructs/site.js';
import { SiteDomain } from './constructs/site-domain.js';
import { StoreTable } from './constructs/store-table.js';
import { StorefrontUserPool } from './constructs/user-pool.js';
import { WebAcl } from './constructs/web-acl.js';
import {
  originVerifySecretNameOf,
  regionalAclNameOf,
  tableNameOf,
  webBucketNameOf,
} from './resource-names.js';
import type { StorefrontStackProps } from './storefront-stack-props.js';
import { hostedZoneOf } from './tiers/hosted-zone.js';
import { kubernetesTier } from './tiers/kubernetes-tier.js';
import { analyticsTier, webReplica } from './tiers/primary-extras.js';
import { productPagesTier } from './tiers/product-pages.js';

export type { StorefrontStackProps } from './storefront-stack-props.js';

const API_TIMEOUT = Duration.seconds(29); // API Gateway's integration limit
const WORKER_TIMEOUT = Duration.seconds(30);

/**
 * One region of the storefront. What exists is read from the stage's row of the stage table:
 * this file composes constructs and decides nothing about stages itself. The primary region's
 * stack also holds what is global: the CloudFront distribution and its WAF, the global table's
 * definition (with every replica), backups and the budget.
 */
export class StorefrontStack extends Stack {
  /** The user pool, in the primary region's stack at the enterprise stage. */
  readonly userPool: StorefrontUserPool | undefined;
  /** The API on Kubernetes (enterprise): its workload is also written to cdk.out/k8s/. */
  kubernetesApi: KubernetesApi | undefined;
  /** The configured zone: an existing one, or the one the primary region's stack creates. */
  readonly hostedZone: IHostedZone | undefined;

  constructor(scope: Construct, id: string, props: StorefrontStackProps) {
    super(scope, id, props);
    const capabilities = props.capabilities;
    const region = props.env?.region ?? props.config.primaryRegion;
    const primary = region === props.regions[0];
    const multiRegion = props.regions.length > 1;
    const runtime = (name: string) => join(props.root, 'src', 'entry', name);
    const tableName = tableNameOf(props.config);
    this.hostedZone = hostedZoneOf(this, props.config, primary, props.hostedZone);
    const zone = this.hostedZone;
    // What CloudFront sends to the API's origins, and what they require: made with the
    // distribution in the primary region, replicated to the others.
    const originVerify = primary
      ? new OriginVerify(this, 'OriginVerify', {
          secretName: originVerifySecretNameOf(props.config),
          replicaRegions: props.regions.slice(1),
        })
      : OriginVerify.fromName(this, 'OriginVerify', originVerifySecretNameOf(props.config));
    const data = primary
      ? new StoreTable(this, 'Data', {
          tableName,
          pointInTimeRecovery: capabilities.data.pointInTimeRecovery,
          replicaRegions: capabilities.data.globalTable
            ? props.regions.slice(1, 1 + (props.maxReplicaRegions ?? props.regions.length))
            : [],
        })
      : StoreTable.replica(this, 'Data', tableName);
    this.userPool =
      capabilities.sessions === 'cognito' && primary
        ? new StorefrontUserPool(this, 'Users', { threatProtection: props.config.cognitoThreatProtection })
        : props.userPool;
    const environment: Record<string, string> = {
      GROWSTACK_STAGE: capabilities.stage,
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
    if (capabilities.jobs === 'sqs') {
      const worker = new NodeFunction(this, 'WorkerFunction', {
        entry: runtime('lambda-worker.ts'),
        environment: lambdaEnvironment,
        timeout: WORKER_TIMEOUT,
        tracing: capabilities.observability.tracing,
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

    let apiSignals: ApiSignals | undefined;
    let apiOrigin: RestApiOrigin | HttpOrigin;
    /** Where the API answers outside the site, when it does (its own name); else through the site. */
    let apiUrl: string | undefined;
    // CloudFront reaches a custom-domain API or the load balancers by name, over TLS 1.2.
    const originByName = (hostName: string) =>
      new HttpOrigin(hostName, {
        protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
        originSslProtocols: [OriginSslPolicy.TLS_V1_2],
        customHeaders: originVerify.headers,
      });
    const logGroups: ILogGroup[] = [];
    if (capabilities.api.compute === 'lambda') {
      const api = new NodeFunction(this, 'ApiFunction', {
        entry: runtime('lambda-api.ts'),
        environment: {
          ...lambdaEnvironment,
          ...(environment.QUEUE_URL ? { QUEUE_URL: environment.QUEUE_URL } : {}),
          // CloudFront and API Gateway each append to X-Forwarded-For: the app believes
          // CloudFront's hop on requests that carry the origin secret.
          TRUSTED_PROXIES: '2',
          // A dynamic reference, resolved at deploy: the value is in the function's configuration
          // as it is in the distribution's, and nowhere in the template.
          ORIGIN_VERIFY_SECRET: originVerify.value,
          // Without a domain the execute-api endpoint stays on (CloudFront reaches the API by it),
          // so the function refuses what does not come through CloudFront.
          ...(zone ? {} : { ORIGIN_VERIFY_REQUIRED: 'true' }),
        },
        timeout: API_TIMEOUT,
        tracing: capabilities.observability.tracing,
        reservedConcurrentExecutions: props.config.apiReservedConcurrency,
      });
      grantApi(api.fn);
      functions.unshift(api.fn);
      logGroups.push(api.logGroup);
      const restApi = new Api(this, 'Api', {
        handler: api.fn,
        cache: capabilities.api.gatewayCache,
        throttle: {
          ratePerSecond: props.config.apiThrottleRatePerSecond,
          burst: props.config.apiThrottleBurst,
        },
        // With a domain, CloudFront reaches the API by it and execute-api is one door too many.
        disableExecuteApiEndpoint: zone !== undefined,
      });
      apiSignals = restApiSignals(restApi.restApi);
      if (zone) {
        // The API also answers at api.<zone> (the site keeps it under /api).
        const dns = new RegionalDns(this, 'Dns', { zone, region });
        dns.aliasRestApi(restApi.restApi);
        apiOrigin = originByName(dns.hostName);
        apiUrl = `https://${dns.hostName}/api`;
      } else {
        apiOrigin = new RestApiOrigin(restApi.restApi, { customHeaders: originVerify.headers });
      }
    } else {
      if (!zone)
        throw new ConfigError('hostedZone is required from the scaling stage on (checked in buildApp)', {
          setting: 'hostedZone',
        });
      const network = new Network(this, 'Network');
      const cache = new CacheCluster(this, 'Cache', {
        vpc: network.vpc,
        nodeType: props.config.cacheNodeType,
      });
      const dns = new RegionalDns(this, 'Dns', { zone, region });
      // Only CloudFront (and Route 53's health checkers) can reach the load balancer.
      const ingress = new CloudFrontOnlyIngress(this, 'ApiIngress', { vpc: network.vpc, region });
      const regionalAcl = capabilities.security.waf
        ? // No rate rule: every request reaches it from CloudFront's edge addresses, not the
          // client's; the CloudFront ACL limits per client, and only CloudFront reaches the origin.
          new WebAcl(this, 'RegionalWaf', {
            scope: 'REGIONAL',
            ...(capabilities.api.compute === 'lambda+eks'
              ? { name: regionalAclNameOf(props.config, region) }
              : {}),
          })
        : undefined;
      if (capabilities.api.compute === 'lambda+fargate') {
        const service = new ApiService(this, 'ApiService', {
          vpc: network.vpc,
          root: props.root,
          environment: { ...environment, REDIS_URL: cache.url },
          redisAuthToken: cache.authToken,
          certificate: dns.certificate,
          ingressSecurityGroups: ingress.securityGroups,
          originVerify,
          minTasks: props.config.apiMinTasks,
          maxTasks: props.config.apiMaxTasks,
          tracing: capabilities.observability.tracing,
        });
        grantApi(service.service.taskDefinition.taskRole);
        cache.allowFrom(service.taskSecurityGroup);
        dns.route(service.loadBalancer);
        logGroups.push(service.logGroup);
        regionalAcl?.associate('LoadBalancer', service.loadBalancer.loadBalancerArn);
        apiSignals = loadBalancerSignals(service.loadBalancer);
        new CfnOutput(this, 'LoadBalancerDns', { value: service.loadBalancer.loadBalancerDnsName });
      } else {
        const kube = kubernetesTier(this, this.userPool, {
          props,
          region,
          network,
          cache,
          environment,
          data,
          hostName: dns.hostName,
          certificate: dns.certificate,
          webAclName: regionalAcl ? regionalAclNameOf(props.config, region) : undefined,
          ingress,
          originVerify,
          functionLogGroups: functions.map((fn) => fn.logGroup),
        });
        this.kubernetesApi = kube;
        grantApi(kube.podRole);
        logGroups.push(kube.apiLogGroup);
        dns.routeToHost(kube.loadBalancerHost);
        new CfnOutput(this, 'LoadBalancerDns', { value: kube.loadBalancerHost });
        new CfnOutput(this, 'LoadBalancerSecurityGroups', {
          value: Fn.join(
            ',',
            ingress.securityGroups.map((group) => group.securityGroupId),
          ),
        });
      }
      // CloudFront reaches the API by its global name: Route 53 answers with the nearest healthy
      // region. The name resolves for anyone, but its load balancers admit only CloudFront's
      // addresses and forward only requests that carry the origin secret.
      apiOrigin = originByName(dns.hostName);
      apiUrl = `https://${dns.hostName}/api`;
    }
    if (apiUrl) new CfnOutput(this, 'ApiUrl', { value: apiUrl });

    if (primary) {
      const cloudFrontAcl = capabilities.security.waf
        ? new WebAcl(this, 'CloudFrontWaf', {
            scope: 'CLOUDFRONT',
            ratePer5Min: props.config.wafRateLimitPer5Min,
          })
        : undefined;
      const siteDomain = zone ? new SiteDomain(this, 'SiteDomain', { zone }) : undefined;
      const site = new Site(this, 'Site', {
        domain: siteDomain,
        apiOrigin,
        webDist: join(props.root, 'web', 'dist'),
        cachePolicies: capabilities.web.cachePolicies,
        ...(multiRegion
          ? {
              replicaBuckets: props.regions
                .slice(1)
                .map((other) => ({ bucketName: webBucketNameOf(props.config, other), region: other })),
            }
          : {}),
        webAclArn: cloudFrontAcl?.acl.attrArn,
      });
      if (capabilities.security.shieldAdvanced)
        protectWithShield(this, 'SiteShield', {
          name: `${props.config.appName}-site`,
          resourceArn: `arn:${Aws.PARTITION}:cloudfront::${Aws.ACCOUNT_ID}:distribution/${site.distribution.distributionId}`,
        });
      if (capabilities.analytics === 'kinesis') analyticsTier(this, props.config);
      if (capabilities.data.backupPlan) new Backup(this, 'Backup', { table: data.table });
      // One multi-region trail records every region's API calls; locked with compliance recording.
      if (capabilities.security.auditTrail)
        new AuditTrail(this, 'AuditTrail', {
          objectLock: capabilities.security.complianceRecording ? {} : undefined,
        });
      if (capabilities.security.budgets) {
        new Budget(this, 'Budget', {
          monthlyUsd: props.config.monthlyBudgetUsd,
          email: props.config.alarmEmail,
        });
      }
      siteDomain?.alias(site.distribution);
      const siteUrl = `https://${siteDomain?.names[0] ?? site.distribution.distributionDomainName}`;
      if (capabilities.web.edgeFunctions)
        productPagesTier(this, site, {
          root: props.root,
          tableName,
          // The replicas that exist after this deploy (fewer in a move's intermediate deploys).
          tableRegions: capabilities.data.globalTable
            ? props.regions.slice(0, 1 + (props.maxReplicaRegions ?? props.regions.length))
            : [region],
          siteOrigin: siteDomain ? siteUrl : undefined,
        });
      new CfnOutput(this, 'SiteUrl', { value: siteUrl });
      // Without a name of its own the API answers only through the site.
      if (!apiUrl) new CfnOutput(this, 'ApiUrl', { value: `${siteUrl}/api` });
    } else {
      webReplica(this, props.config, region, props.root);
    }
    // AWS Config records per region; IAM is global, so only the primary records it.
    if (capabilities.security.complianceRecording)
      new ComplianceRecording(this, 'Compliance', {
        globalResourceTypes: primary,
        backupPlan: primary && capabilities.data.backupPlan,
      });
    if (capabilities.observability.alarms) {
      const observability = new Observability(this, 'Observability', {
        api: apiSignals,
        functions,
        table: data.table,
        deadLetterQueue: jobs?.deadLetterQueue,
        alarmEmail: props.config.alarmEmail,
        pagingUrl: props.config.pagingUrl,
      });
      this.kubernetesApi?.alertTo(observability);
    }
    if (capabilities.observability.tracing) new LogQueries(this, 'LogQueries', { logGroups });
    new CfnOutput(this, 'TableName', { value: tableName });
  }
}
