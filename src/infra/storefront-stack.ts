import { join } from 'node:path';
import { Aws, CfnOutput, Duration, Fn, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type { ICertificate } from 'aws-cdk-lib/aws-certificatemanager';
import { OriginProtocolPolicy, OriginSslPolicy } from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, RestApiOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { type IGrantable, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { ILogGroup } from 'aws-cdk-lib/aws-logs';
import { HostedZone, type IHostedZone, PublicHostedZone } from 'aws-cdk-lib/aws-route53';
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment } from 'aws-cdk-lib/aws-s3-deployment';
import type { Construct } from 'constructs';
import type { StageCapabilities } from '../contracts/stages.js';
import { acknowledge } from './acknowledge.js';
import { AnalyticsPipeline } from './constructs/analytics-pipeline.js';
import { Api } from './constructs/api.js';
import { ApiService } from './constructs/api-service.js';
import { AuditTrail } from './constructs/audit-trail.js';
import { Backup } from './constructs/backup.js';
import { Budget } from './constructs/budget.js';
import { CacheCluster } from './constructs/cache-cluster.js';
import { ComplianceRecording } from './constructs/compliance-recording.js';
import { Jobs } from './constructs/jobs.js';
import { KubernetesApi } from './constructs/kubernetes-api.js';
import { LogQueries } from './constructs/log-queries.js';
import { LogStore } from './constructs/log-store.js';
import { Network } from './constructs/network.js';
import { NodeFunction } from './constructs/node-function.js';
import {
  type ApiSignals,
  loadBalancerSignals,
  Observability,
  restApiSignals,
} from './constructs/observability.js';
import { CloudFrontOnlyIngress } from './constructs/origin-lockdown.js';
import { type IOriginVerify, OriginVerify } from './constructs/origin-verify.js';
import { RegionalDns } from './constructs/regional-dns.js';
import { SEARCH_SERVICE_LINKED_ROLE, SearchDomain } from './constructs/search-domain.js';
import { ServiceLinkedRole } from './constructs/service-linked-role.js';
import { protectWithShield } from './constructs/shield.js';
import { acknowledgeBucketDeployment, Site, uiSource } from './constructs/site.js';
import { SiteDomain } from './constructs/site-domain.js';
import { StoreTable } from './constructs/store-table.js';
import { StorefrontUserPool } from './constructs/user-pool.js';
import { WebAcl } from './constructs/web-acl.js';
import type { InfraConfig } from './infra-config.js';

export interface StorefrontStackProps extends StackProps {
  readonly capabilities: StageCapabilities;
  readonly config: InfraConfig;
  /** Repository root: where the function entries, the Dockerfile and web/dist are found. */
  readonly root: string;
  /** Every region of the stage, the primary first; this stack serves `env.region`. */
  readonly regions: readonly string[];
  /** The primary region's user pool (enterprise), which every region's API signs users in through. */
  readonly userPool?: StorefrontUserPool | undefined;
  /** The zone the primary region's stack created (`hostedZone.create`), for the other regions. */
  readonly hostedZone?: IHostedZone | undefined;
  /**
   * At most this many regions besides the primary get a replica of the table. CloudFormation
   * adds or removes one replica per update of a global table, so a move that adds two deploys
   * the primary once with one more replica first (`growstack migrate` prints the steps).
   * @default every region of the stage
   */
  readonly maxReplicaRegions?: number | undefined;
}

const API_TIMEOUT = Duration.seconds(29); // API Gateway's integration limit
const WORKER_TIMEOUT = Duration.seconds(30);

/** The analytics stream's fixed name: the secondary regions put to the primary's by ARN. */
export const eventStreamNameOf = (config: InfraConfig) => `${config.appName}-events`;

/** The regional WAF web ACL's fixed name: the Kubernetes load balancer controller attaches it by name. */
export const regionalAclNameOf = (config: InfraConfig, region: string) => `${config.appName}-api-${region}`;

/** The origin secret's fixed name: every region's stack finds its replica by it. */
export const originVerifySecretNameOf = (config: InfraConfig) => `${config.appName}/origin-verify`;

/** The table's fixed name: every region's stack finds its replica by it. */
export const tableNameOf = (config: InfraConfig) => `${config.appName}-storefront`;

/**
 * The web UI bucket of a secondary region, named so the primary region's CloudFront can fail over
 * to it. The primary's bucket keeps its generated name at every stage: BucketName is create-only,
 * so naming it when a second region arrives would replace it.
 */
export const webBucketNameOf = (config: InfraConfig, region: string) =>
  `${config.appName.toLowerCase()}-web-${Aws.ACCOUNT_ID}-${region}`;

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
    const caps = props.capabilities;
    const region = props.env?.region ?? props.config.primaryRegion;
    const primary = region === props.regions[0];
    const multiRegion = props.regions.length > 1;
    const runtime = (name: string) => join(props.root, 'src', 'entry', name);
    const tableName = tableNameOf(props.config);
    this.hostedZone = this.zone(props.config, primary, props.hostedZone);
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
          pointInTimeRecovery: caps.data.pointInTimeRecovery,
          replicaRegions: caps.data.globalTable
            ? props.regions.slice(1, 1 + (props.maxReplicaRegions ?? props.regions.length))
            : [],
        })
      : StoreTable.replica(this, 'Data', tableName);
    this.userPool =
      caps.sessions === 'cognito' && primary
        ? new StorefrontUserPool(this, 'Users', { threatProtection: props.config.cognitoThreatProtection })
        : props.userPool;
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
    if (caps.api.compute === 'lambda') {
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
        tracing: caps.observability.tracing,
        reservedConcurrentExecutions: props.config.apiReservedConcurrency,
      });
      grantApi(api.fn);
      functions.unshift(api.fn);
      logGroups.push(api.logGroup);
      const restApi = new Api(this, 'Api', {
        handler: api.fn,
        cache: caps.api.gatewayCache,
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
      if (!zone) throw new Error('hostedZone is required from the scaling stage on (checked in buildApp)');
      const network = new Network(this, 'Network');
      const cache = new CacheCluster(this, 'Cache', {
        vpc: network.vpc,
        nodeType: props.config.cacheNodeType,
      });
      const dns = new RegionalDns(this, 'Dns', { zone, region });
      // Only CloudFront (and Route 53's health checkers) can reach the load balancer.
      const ingress = new CloudFrontOnlyIngress(this, 'ApiIngress', { vpc: network.vpc, region });
      const regionalAcl = caps.security.waf
        ? // No rate rule: every request reaches it from CloudFront's edge addresses, not the
          // client's; the CloudFront ACL limits per client, and only CloudFront reaches the origin.
          new WebAcl(this, 'RegionalWaf', {
            scope: 'REGIONAL',
            ...(caps.api.compute === 'lambda+eks' ? { name: regionalAclNameOf(props.config, region) } : {}),
          })
        : undefined;
      if (caps.api.compute === 'lambda+fargate') {
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
          tracing: caps.observability.tracing,
        });
        grantApi(service.service.taskDefinition.taskRole);
        cache.allowFrom(service.taskSecurityGroup);
        dns.route(service.loadBalancer);
        logGroups.push(service.logGroup);
        regionalAcl?.associate('LoadBalancer', service.loadBalancer.loadBalancerArn);
        apiSignals = loadBalancerSignals(service.loadBalancer);
        new CfnOutput(this, 'LoadBalancerDns', { value: service.loadBalancer.loadBalancerDnsName });
      } else {
        const kube = this.onKubernetes({
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
      const cloudFrontAcl = caps.security.waf
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
        cachePolicies: caps.web.cachePolicies,
        ...(multiRegion
          ? {
              replicaBuckets: props.regions
                .slice(1)
                .map((other) => ({ bucketName: webBucketNameOf(props.config, other), region: other })),
            }
          : {}),
        webAclArn: cloudFrontAcl?.acl.attrArn,
      });
      if (caps.security.shieldAdvanced)
        protectWithShield(this, 'SiteShield', {
          name: `${props.config.appName}-site`,
          resourceArn: `arn:${Aws.PARTITION}:cloudfront::${Aws.ACCOUNT_ID}:distribution/${site.distribution.distributionId}`,
        });
      if (caps.analytics === 'kinesis') this.analytics(props.config);
      if (caps.data.backupPlan) new Backup(this, 'Backup', { table: data.table });
      // One multi-region trail records every region's API calls; locked with compliance recording.
      if (caps.security.auditTrail)
        new AuditTrail(this, 'AuditTrail', {
          objectLock: caps.security.complianceRecording ? {} : undefined,
        });
      if (caps.security.budgets) {
        new Budget(this, 'Budget', {
          monthlyUsd: props.config.monthlyBudgetUsd,
          email: props.config.alarmEmail,
        });
      }
      siteDomain?.alias(site.distribution);
      const siteUrl = `https://${siteDomain?.names[0] ?? site.distribution.distributionDomainName}`;
      new CfnOutput(this, 'SiteUrl', { value: siteUrl });
      // Without a name of its own the API answers only through the site.
      if (!apiUrl) new CfnOutput(this, 'ApiUrl', { value: `${siteUrl}/api` });
    } else {
      this.webReplica(props.config, region, props.root);
    }
    // AWS Config records per region; IAM is global, so only the primary records it.
    if (caps.security.complianceRecording)
      new ComplianceRecording(this, 'Compliance', {
        globalResourceTypes: primary,
        backupPlan: primary && caps.data.backupPlan,
      });
    if (caps.observability.alarms) {
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
    if (caps.observability.tracing) new LogQueries(this, 'LogQueries', { logGroups });
    new CfnOutput(this, 'TableName', { value: tableName });
  }

  /**
   * The configured zone, looked up by its id (nothing is created), or created by the primary
   * region's stack, which prints the name servers the domain's registrar must list; the other
   * regions use the primary's through a cross-region reference.
   */
  private zone(
    config: InfraConfig,
    primary: boolean,
    primaryZone: IHostedZone | undefined,
  ): IHostedZone | undefined {
    const wanted = config.hostedZone;
    if (!wanted) return undefined;
    if (wanted.hostedZoneId)
      return HostedZone.fromHostedZoneAttributes(this, 'Zone', {
        zoneName: wanted.zoneName,
        hostedZoneId: wanted.hostedZoneId,
      });
    if (!primary) {
      if (!primaryZone) throw new Error('a secondary region uses the zone the primary region creates');
      return primaryZone;
    }
    const created = new PublicHostedZone(this, 'Zone', {
      zoneName: wanted.zoneName,
      comment: `${config.appName} storefront`,
    });
    // The registrar keeps pointing at this zone's name servers: deleting the stack must not
    // take the domain's DNS with it.
    created.applyRemovalPolicy(RemovalPolicy.RETAIN);
    // Nothing under the zone resolves until the registrar delegates to it, the certificates'
    // DNS validation included: the first deploy waits on them until then.
    new CfnOutput(this, 'NameServers', {
      description: `List these at the registrar of ${wanted.zoneName}`,
      value: Fn.join(', ', created.hostedZoneNameServers ?? []),
    });
    return created;
  }

  /**
   * The API on Kubernetes (enterprise), with what only that stage has in every region: the
   * OpenSearch domain and its indexer, and the pods' access to the user pool and the event stream.
   */
  private onKubernetes(args: {
    props: StorefrontStackProps;
    region: string;
    network: Network;
    cache: CacheCluster;
    environment: Record<string, string>;
    data: StoreTable;
    hostName: string;
    certificate: ICertificate;
    webAclName: string | undefined;
    ingress: CloudFrontOnlyIngress;
    originVerify: IOriginVerify;
    /** The functions' log groups, which the log store ships. */
    functionLogGroups: ILogGroup[];
  }): KubernetesApi {
    const { props, region, network, cache, data } = args;
    const caps = props.capabilities;
    const pool = this.userPool;
    if (!pool) throw new Error('the enterprise stage signs in through the primary region user pool');
    const streamArn = this.formatArn({
      region: props.regions[0],
      service: 'kinesis',
      resource: 'stream',
      resourceName: eventStreamNameOf(props.config),
    });
    const search =
      caps.search === 'opensearch'
        ? new SearchDomain(this, 'Search', {
            vpc: network.vpc,
            tableStreamArn: data.streamArn(),
            indexerEntry: join(props.root, 'src', 'entry', 'lambda-search-indexer.ts'),
            tracing: caps.observability.tracing,
            volumeGb: props.config.searchVolumeGb,
          })
        : undefined;
    // The role is the account's, not a region's: the primary makes it, and the other regions'
    // stacks deploy after the primary's.
    if (search && region === props.regions[0])
      search.domain.node.addDependency(new ServiceLinkedRole(this, 'SearchRole', SEARCH_SERVICE_LINKED_ROLE));
    const kube = new KubernetesApi(this, 'Kubernetes', {
      vpc: network.vpc,
      root: props.root,
      host: args.hostName,
      certificate: args.certificate,
      publicAccessCidrs: props.config.eksPublicAccessCidrs,
      webAclName: args.webAclName,
      loadBalancerSecurityGroups: args.ingress.securityGroups,
      shieldAdvanced: caps.security.shieldAdvanced,
      minReplicas: props.config.apiMinTasks,
      maxReplicas: props.config.apiMaxTasks,
      nodeInstanceType: props.config.eksNodeInstanceType,
      minNodes: props.config.eksMinNodes,
      maxNodes: props.config.eksMaxNodes,
      settings: {
        ...args.environment,
        AWS_REGION: region,
        REDIS_URL: cache.url,
        REDIS_AUTH_SECRET_ARN: cache.authToken.secretArn,
        KINESIS_STREAM: streamArn,
        COGNITO_USER_POOL_ID: pool.pool.userPoolId,
        COGNITO_CLIENT_ID: pool.client.userPoolClientId,
        ...(search ? { OPENSEARCH_ENDPOINT: search.endpoint } : {}),
        // The load balancer controller cannot check a secret header without writing its value
        // into the Ingress (and the template holding it): the pods check it, read at start.
        ORIGIN_VERIFY_SECRET_ARN: args.originVerify.secret.secretArn,
        ORIGIN_VERIFY_REQUIRED: 'true',
      },
    });
    args.originVerify.grantRead(kube.podRole);
    this.kubernetesApi = kube;
    const nodes = kube.cluster.clusterSecurityGroup;
    cache.allowFrom(nodes);
    cache.authToken.grantRead(kube.podRole);
    kube.podRole.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['kinesis:PutRecord', 'kinesis:PutRecords'], resources: [streamArn] }),
    );
    pool.pool.grant(
      kube.podRole,
      'cognito-idp:AdminCreateUser',
      'cognito-idp:AdminSetUserPassword',
      'cognito-idp:AdminAddUserToGroup',
      'cognito-idp:AdminDeleteUser',
      'cognito-idp:AdminInitiateAuth',
      'cognito-idp:AdminUserGlobalSignOut',
    );
    search?.allowReader(kube.podRole);
    search?.allowFrom(nodes);
    if (caps.observability.logStore) {
      if (!search) throw new Error('the log store keeps its indices in the OpenSearch domain');
      new LogStore(this, 'LogStore', {
        vpc: network.vpc,
        search,
        logGroups: [kube.apiLogGroup, ...args.functionLogGroups, search.indexer.logGroup],
        transformEntry: join(props.root, 'src', 'entry', 'lambda-log-transform.ts'),
        retentionDays: props.config.logRetentionDays,
        tracing: caps.observability.tracing,
      });
    }
    return kube;
  }

  /** Events from every region's API, into the primary region's stream, files and queries. */
  private analytics(config: InfraConfig): void {
    const accessLogs = new Bucket(this, 'AnalyticsAccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      lifecycleRules: [{ expiration: Duration.days(90) }],
    });
    acknowledge(accessLogs, {
      'AwsSolutions-S1': "This is the analytics buckets' access-log bucket itself.",
    });
    new AnalyticsPipeline(this, 'Analytics', {
      accessLogs,
      databaseName: `${config.appName.toLowerCase().replace(/-/g, '_')}_analytics`,
      streamName: eventStreamNameOf(config),
    });
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
