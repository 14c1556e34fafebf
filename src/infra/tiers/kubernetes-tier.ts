import { join } from 'node:path';
import type { Stack } from 'aws-cdk-lib';
import type { ICertificate } from 'aws-cdk-lib/aws-certificatemanager';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { ILogGroup } from 'aws-cdk-lib/aws-logs';
import type { CacheCluster } from '../constructs/cache-cluster.js';
import { KubernetesApi } from '../constructs/kubernetes-api.js';
import { LogStore } from '../constructs/log-store.js';
import type { Network } from '../constructs/network.js';
import type { CloudFrontOnlyIngress } from '../constructs/origin-lockdown.js';
import type { IOriginVerify } from '../constructs/origin-verify.js';
import { SEARCH_SERVICE_LINKED_ROLE, SearchDomain } from '../constructs/search-domain.js';
import { ServiceLinkedRole } from '../constructs/service-linked-role.js';
import type { StoreTable } from '../constructs/store-table.js';
import type { StorefrontUserPool } from '../constructs/user-pool.js';
import { SynthesisError } from '../errors.js';
import { eventStreamNameOf } from '../resource-names.js';
import type { StorefrontStackProps } from '../storefront-stack-props.js';

// Added to the stack itself (not a child construct), so every logical id stays what it was when
// this lived in the stack's constructor.
/**
 * The API on Kubernetes (enterprise), with what only that stage has in every region: the
 * OpenSearch domain and its indexer, and the pods' access to the user pool and the event stream.
 */
export interface KubernetesTierArgs {
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
}

export function kubernetesTier(
  stack: Stack,
  userPool: StorefrontUserPool | undefined,
  args: KubernetesTierArgs,
): KubernetesApi {
  const { props, region, network, cache, data } = args;
  const capabilities = props.capabilities;
  const pool = userPool;
  if (!pool) throw new SynthesisError('the enterprise stage signs in through the primary region user pool');
  const streamArn = stack.formatArn({
    region: props.regions[0],
    service: 'kinesis',
    resource: 'stream',
    resourceName: eventStreamNameOf(props.config),
  });
  const search =
    capabilities.search === 'opensearch'
      ? new SearchDomain(stack, 'Search', {
          vpc: network.vpc,
          tableStreamArn: data.streamArn(),
          indexerEntry: join(props.root, 'src', 'entry', 'lambda-search-indexer.ts'),
          tracing: capabilities.observability.tracing,
          volumeGb: props.config.searchVolumeGb,
        })
      : undefined;
  // The role is the account's, not a region's: the primary makes it, and the other regions'
  // stacks deploy after the primary's.
  if (search && region === props.regions[0])
    search.domain.node.addDependency(new ServiceLinkedRole(stack, 'SearchRole', SEARCH_SERVICE_LINKED_ROLE));
  const kube = new KubernetesApi(stack, 'Kubernetes', {
    vpc: network.vpc,
    root: props.root,
    host: args.hostName,
    certificate: args.certificate,
    publicAccessCidrs: props.config.eksPublicAccessCidrs,
    webAclName: args.webAclName,
    loadBalancerSecurityGroups: args.ingress.securityGroups,
    shieldAdvanced: capabilities.security.shieldAdvanced,
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
  if (capabilities.observability.logStore) {
    if (!search) throw new SynthesisError('the log store keeps its indices in the OpenSearch domain');
    new LogStore(stack, 'LogStore', {
      vpc: network.vpc,
      search,
      logGroups: [kube.apiLogGroup, ...args.functionLogGroups, search.indexer.logGroup],
      transformEntry: join(props.root, 'src', 'entry', 'lambda-log-transform.ts'),
      retentionDays: props.config.logRetentionDays,
      tracing: capabilities.observability.tracing,
    });
  }
  return kube;
}
