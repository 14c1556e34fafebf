import { KubectlV35Layer } from '@aws-cdk/lambda-layer-kubectl-v35';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { CfnRuleGroupsNamespace, CfnWorkspace } from 'aws-cdk-lib/aws-aps';
import type { ICertificate } from 'aws-cdk-lib/aws-certificatemanager';
import { InstanceType, type ISecurityGroup, type IVpc, SubnetType } from 'aws-cdk-lib/aws-ec2';
import { DockerImageAsset, Platform } from 'aws-cdk-lib/aws-ecr-assets';
import {
  AlbControllerVersion,
  CapacityType,
  CfnAddon,
  CfnPodIdentityAssociation,
  Cluster,
  ClusterLoggingTypes,
  DefaultCapacityType,
  EndpointAccess,
  KubernetesObjectValue,
  KubernetesVersion,
  type Nodegroup,
  NodegroupAmiType,
  type ServiceAccount,
} from 'aws-cdk-lib/aws-eks-v2';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledge, arnToken } from '../acknowledge.js';
import {
  API_SERVICE_ACCOUNT,
  type ApiWorkloadProps,
  apiWorkloadManifests,
  COLLECTOR_SERVICE_ACCOUNT,
  REMOTE_WRITE_SETTING,
  SETTINGS_CONFIG_MAP,
  WORKLOAD_NAMESPACE,
} from '../k8s/api-workload.js';
import { LOG_SHIPPER_SERVICE_ACCOUNT } from '../k8s/log-shipper.js';
import { grantTraceExport, OTEL_COLLECTOR_IMAGE } from './api-service.js';
import { CACHE_PORT } from './cache-cluster.js';
import type { Observability } from './observability.js';

export interface KubernetesApiProps {
  readonly vpc: IVpc;
  /** Repository root: the Dockerfile's build context. */
  readonly root: string;
  /** The app's settings (TABLE_NAME, QUEUE_URL, …), written to the settings ConfigMap at deploy time. */
  readonly settings: Readonly<Record<string, string>>;
  /** The API's public name (`api.<zone>`), whose ACM certificate the load balancer finds by name. */
  readonly host: string;
  /**
   * That certificate: the Ingress is applied once it is issued, or the controller finds none for
   * the host and the load balancer never gets its HTTPS listener.
   */
  readonly certificate: ICertificate;
  /**
   * Who may reach the Kubernetes API from the internet (IPv4 CIDR blocks); empty for a private
   * endpoint, reachable from the VPC only (the deploy's kubectl function runs there).
   */
  readonly publicAccessCidrs: readonly string[];
  /** The regional WAF web ACL's name, which the load balancer controller attaches. */
  readonly webAclName?: string | undefined;
  /** The load balancer's security groups (CloudFront and Route 53's health checkers only). */
  readonly loadBalancerSecurityGroups: readonly ISecurityGroup[];
  readonly shieldAdvanced: boolean;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** Managed node group: Graviton instances, at least one per zone. */
  readonly nodeInstanceType: string;
  readonly minNodes: number;
  readonly maxNodes: number;
}

/**
 * The Prometheus alerting rules the workspace evaluates over what the collector scrapes: the same
 * two API alarms the Lambda and Fargate stages keep in CloudWatch (5xx above 1 %, p99 above 2 s),
 * and one for no API pod answering the scrape at all.
 */
export function apiAlertRules(): string {
  const rule = (alert: string, expr: string, summary: string) =>
    [
      `      - alert: ${alert}`,
      `        expr: ${expr}`,
      '        for: 5m',
      '        labels: { severity: page }',
      `        annotations: { summary: "${summary}" }`,
    ].join('\n');
  return [
    'groups:',
    '  - name: storefront-api',
    '    rules:',
    rule(
      'Api5xxRate',
      'sum(rate(http_requests_total{status=~"5.."}[5m])) / clamp_min(sum(rate(http_requests_total[5m])), 1e-9) > 0.01',
      'More than 1 % of API requests failed with 5xx',
    ),
    rule(
      'ApiLatencyP99',
      'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[5m]))) > 2',
      'API p99 latency above 2 s',
    ),
    rule(
      'ApiDown',
      `sum(up{job="storefront-api"}) == 0 or absent(up{job="storefront-api"})`,
      'No API pod answers the metrics scrape',
    ),
    '',
  ].join('\n');
}

const managedPolicy = (name: string) =>
  `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${name}]`;

/**
 * What cdk-nag finds in the parts of the cluster the AWS construct library builds (the kubectl
 * provider functions, the node role, the load balancer controller's role), each with its reason:
 * they follow AWS's own documented setup, which we take as is rather than re-write.
 */
function acknowledgeClusterMachinery(cluster: Cluster, publicAccessCidrs: readonly string[]): void {
  const eks = 'EKS needs this AWS managed policy on the role, as its documentation prescribes.';
  const kubectl =
    'The kubectl provider functions of the AWS construct library, which apply the manifests at deploy time; AWS maintains their policies and runtime.';
  const handler = cluster.node.findChild('KubectlProvider').node.findChild('Handler');
  if (publicAccessCidrs.length > 0)
    acknowledge(cluster, {
      'AwsSolutions-EKS1': `The API server endpoint is public only to the addresses named in eksPublicAccessCidrs (${publicAccessCidrs.join(', ')}); every call still needs an IAM identity with an access entry.`,
    });
  acknowledge(cluster, {
    [managedPolicy('AmazonEKSClusterPolicy')]: eks,
    [managedPolicy('AmazonEKSWorkerNodePolicy')]: eks,
    [managedPolicy('AmazonEKS_CNI_Policy')]: eks,
    [managedPolicy('AmazonEC2ContainerRegistryReadOnly')]:
      'Nodes and the kubectl provider pull images from ECR, read only.',
    [managedPolicy('service-role/AWSLambdaBasicExecutionRole')]: kubectl,
    [managedPolicy('service-role/AWSLambdaVPCAccessExecutionRole')]: kubectl,
    'AwsSolutions-IAM4[Policy::{"Fn::If":["KubernetesClusterKubectlProviderHandlerHasEcrPublicB617B491",{"Fn::Join":["",["arn:",{"Ref":"AWS::Partition"},":iam::aws:policy/AmazonElasticContainerRegistryPublicReadOnly"]]},{"Ref":"AWS::NoValue"}]}]':
      kubectl,
    [`AwsSolutions-IAM5[Resource::${arnToken(handler)}:*]`]: kubectl,
    'AwsSolutions-L1': kubectl,
  });
  const controller = cluster.albController;
  if (!controller) return;
  const reason =
    'The AWS Load Balancer Controller policy, as its project publishes it: it creates and tags load balancers, target groups and security groups whose names it cannot know before.';
  acknowledge(controller, {
    'AwsSolutions-IAM5[Resource::*]': reason,
    ...Object.fromEntries(
      [
        'ec2:*:*:security-group/*',
        'elasticloadbalancing:*:*:targetgroup/*/*',
        'elasticloadbalancing:*:*:loadbalancer/net/*/*',
        'elasticloadbalancing:*:*:loadbalancer/app/*/*',
        'elasticloadbalancing:*:*:listener/net/*/*/*',
        'elasticloadbalancing:*:*:listener/app/*/*/*',
        'elasticloadbalancing:*:*:listener-rule/net/*/*/*',
        'elasticloadbalancing:*:*:listener-rule/app/*/*/*',
      ].map((arn) => [`AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:${arn}]`, reason]),
    ),
  });
}

/**
 * The enterprise stage's API on Kubernetes, one cluster per region (EKS through aws-eks-v2):
 * a private-subnet managed node group on Graviton (ARM64, AL2023), secrets encrypted with a
 * rotated KMS key, every control-plane log type, an API endpoint private to the VPC (unless
 * opened to named addresses), the AWS Load Balancer Controller, metrics-server for the
 * autoscaler, the VPC CNI enforcing network policies, and the cdk8s workload applied with the
 * settings only CloudFormation knows, once its certificate is issued. The pods' IAM role comes through
 * EKS Pod Identity. An Amazon Managed Service for Prometheus workspace receives what the ADOT
 * collector scrapes and evaluates the API's alerting rules; Fluent Bit on every node ships the API
 * pods' logs to a CloudWatch Logs group.
 */
export class KubernetesApi extends Construct {
  readonly cluster: Cluster;
  readonly nodegroup: Nodegroup;
  /** The API pods' role: grant it the table, queue, stream and pool. */
  readonly podRole: Role;
  readonly prometheus: CfnWorkspace;
  /**
   * The API pods' logs, one pino JSON line per event, named `/growstack/<stack name>/api`. Fluent
   * Bit writes to it and nothing else; subscribe the log store to it.
   */
  readonly apiLogGroup: LogGroup;
  readonly image: DockerImageAsset;
  /** The load balancer's DNS name, read from the Ingress's status once the controller made it. */
  readonly loadBalancerHost: string;
  private readonly workloadProps: Omit<ApiWorkloadProps, 'image'>;
  private readonly podIdentities: CfnPodIdentityAssociation[] = [];

  constructor(scope: Construct, id: string, props: KubernetesApiProps) {
    super(scope, id);
    const region = Stack.of(this).region;
    this.cluster = new Cluster(this, 'Cluster', {
      version: KubernetesVersion.V1_35,
      vpc: props.vpc,
      vpcSubnets: [{ subnetType: SubnetType.PRIVATE_WITH_EGRESS }],
      defaultCapacityType: DefaultCapacityType.NODEGROUP,
      defaultCapacity: 0,
      // Private: the kubectl function of the deploy runs in the VPC's private subnets to reach it
      // (aws-eks-v2 puts it there whenever the endpoint has private access).
      endpointAccess:
        props.publicAccessCidrs.length > 0
          ? EndpointAccess.PUBLIC_AND_PRIVATE.onlyFrom(...props.publicAccessCidrs)
          : EndpointAccess.PRIVATE,
      // Kubernetes secrets: EKS envelope-encrypts all API data with KMS by default (1.28 on).
      clusterLogging: [
        ClusterLoggingTypes.API,
        ClusterLoggingTypes.AUDIT,
        ClusterLoggingTypes.AUTHENTICATOR,
        ClusterLoggingTypes.CONTROLLER_MANAGER,
        ClusterLoggingTypes.SCHEDULER,
      ],
      kubectlProviderOptions: { kubectlLayer: new KubectlV35Layer(this, 'Kubectl') },
      albController: { version: AlbControllerVersion.V2_17_1 },
    });
    acknowledgeClusterMachinery(this.cluster, props.publicAccessCidrs);
    if (props.webAclName) this.allowWebAclLookup();
    this.nodegroup = this.cluster.addNodegroupCapacity('Arm64', {
      instanceTypes: [new InstanceType(props.nodeInstanceType)],
      amiType: NodegroupAmiType.AL2023_ARM_64_STANDARD,
      capacityType: CapacityType.ON_DEMAND,
      minSize: props.minNodes,
      desiredSize: props.minNodes,
      maxSize: props.maxNodes,
      subnets: { subnetType: SubnetType.PRIVATE_WITH_EGRESS },
      enableNodeAutoRepair: true,
    });
    // Touching the getter installs the Pod Identity agent add-on the associations below need.
    void this.cluster.eksPodIdentityAgent;
    // The VPC CNI that EKS installed with the cluster, taken over as an add-on to enforce the
    // workload's NetworkPolicies: https://docs.aws.amazon.com/eks/latest/userguide/cni-network-policy-configure.html
    const networkPolicies = new CfnAddon(this, 'VpcCni', {
      clusterName: this.cluster.clusterName,
      addonName: 'vpc-cni',
      resolveConflicts: 'OVERWRITE',
      configurationValues: JSON.stringify({ enableNetworkPolicy: 'true' }),
    });
    // EKS installs no metrics server, and without one the autoscaler has no CPU to scale on. The
    // community add-on runs two replicas on the nodes, so it waits for them:
    // https://docs.aws.amazon.com/eks/latest/userguide/metrics-server.html
    const metricsServer = new CfnAddon(this, 'MetricsServer', {
      clusterName: this.cluster.clusterName,
      addonName: 'metrics-server',
      resolveConflicts: 'OVERWRITE',
    });
    metricsServer.node.addDependency(this.nodegroup);

    this.podRole = this.podIdentity('Api', API_SERVICE_ACCOUNT);
    const collectorRole = this.podIdentity('Collector', COLLECTOR_SERVICE_ACCOUNT);
    this.prometheus = new CfnWorkspace(this, 'Prometheus', {
      alias: `growstack-${region}`,
    });
    collectorRole.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['aps:RemoteWrite'], resources: [this.prometheus.attrArn] }),
    );
    grantTraceExport(collectorRole);
    new CfnRuleGroupsNamespace(this, 'AlertRules', {
      workspace: this.prometheus.attrArn,
      name: 'storefront-api',
      data: apiAlertRules(),
    });
    // Named from the stack, not a token, so the manifests written for review can name it. Destroyed
    // with the stack like the Fargate stage's API logs: a kept group of that name would make the
    // stack fail to create again, and keeping logs longer is the log store's job.
    const apiLogGroupName = `/growstack/${Stack.of(this).stackName}/api`;
    this.apiLogGroup = new LogGroup(this, 'ApiLogs', {
      logGroupName: apiLogGroupName,
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const shipperRole = this.podIdentity('LogShipper', LOG_SHIPPER_SERVICE_ACCOUNT);
    this.apiLogGroup.grants.write(shipperRole);
    this.apiLogGroup.grants.actions(shipperRole, ['logs:DescribeLogStreams']);

    this.image = new DockerImageAsset(this, 'Image', {
      directory: props.root,
      file: 'Dockerfile',
      platform: Platform.LINUX_ARM64,
    });
    this.workloadProps = {
      namespace: WORKLOAD_NAMESPACE,
      region,
      host: props.host,
      webAclName: props.webAclName,
      loadBalancerSecurityGroups: props.loadBalancerSecurityGroups.map((group) => group.securityGroupId),
      shieldAdvanced: props.shieldAdvanced,
      collectorImage: OTEL_COLLECTOR_IMAGE,
      apiLogGroupName,
      minReplicas: props.minReplicas,
      maxReplicas: props.maxReplicas,
      network: {
        loadBalancerCidrs: props.vpc.publicSubnets.map((subnet) => subnet.ipv4CidrBlock),
        dataCidrs: props.vpc.isolatedSubnets.map((subnet) => subnet.ipv4CidrBlock),
        cachePort: CACHE_PORT,
      },
    };
    const [namespace, ...objects] = apiWorkloadManifests({
      ...this.workloadProps,
      image: this.image.imageUri,
    });
    const settings = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: SETTINGS_CONFIG_MAP, namespace: WORKLOAD_NAMESPACE },
      data: {
        ...props.settings,
        [REMOTE_WRITE_SETTING]: `${this.prometheus.attrPrometheusEndpoint}api/v1/remote_write`,
      },
    };
    // One apply, in order: the namespace, the settings the pods read, then the workload.
    const workload = this.cluster.addManifest('Workload', namespace ?? {}, settings, ...objects);
    // The Ingress is only admitted once the controller's webhook is up.
    if (this.cluster.albController) workload.node.addDependency(this.cluster.albController);
    // EKS sets a pod's credentials up when the pod is made, if its service account has an
    // association by then: https://docs.aws.amazon.com/eks/latest/userguide/pod-id-association.html
    for (const association of this.podIdentities) workload.node.addDependency(association);
    workload.node.addDependency(props.certificate, metricsServer, networkPolicies);
    const host = new KubernetesObjectValue(this, 'LoadBalancerHost', {
      cluster: this.cluster,
      objectType: 'ingress',
      objectName: API_SERVICE_ACCOUNT,
      objectNamespace: WORKLOAD_NAMESPACE,
      jsonPath: '.status.loadBalancer.ingress[0].hostname',
      timeout: Duration.minutes(10),
    });
    host.node.addDependency(workload);
    this.loadBalancerHost = host.value;
  }

  /**
   * The workload as `growstack synth` writes it to cdk.out/k8s/: the image named where the CDK
   * bootstrap's asset repository keeps it (`account` may be a placeholder to fill in).
   */
  writtenWorkload(account: string): ApiWorkloadProps {
    const region = this.workloadProps.region;
    const repository = `${account}.dkr.ecr.${region}.amazonaws.com/cdk-hnb659fds-container-assets-${account}-${region}`;
    return {
      ...this.workloadProps,
      image: `${repository}:${this.image.imageTag}`,
      // Made by the stack: their ids are its LoadBalancerSecurityGroups output.
      loadBalancerSecurityGroups: ['see-stack-output-LoadBalancerSecurityGroups'],
    };
  }

  /**
   * Sends the API's Prometheus alerts to the alarm topic: the workspace's alert manager publishes
   * and reads the topic's attributes, as Managed Prometheus asks, from this workspace only:
   * https://docs.aws.amazon.com/prometheus/latest/userguide/AMP-alertmanager-receiver-AMPpermission.html
   */
  alertTo(alarms: Observability): void {
    const region = Stack.of(this).region;
    const topic = alarms.topic;
    this.prometheus.alertManagerDefinition = [
      'alertmanager_config: |',
      '  route:',
      '    receiver: alarms',
      '  receivers:',
      '    - name: alarms',
      '      sns_configs:',
      `        - topic_arn: ${topic.topicArn}`,
      '          sigv4:',
      `            region: ${region}`,
      '',
    ].join('\n');
    alarms.allowPublishFrom('aps.amazonaws.com', this.prometheus.attrArn, {
      actions: ['sns:Publish', 'sns:GetTopicAttributes'],
      // The workspace names the topic, the topic its key: the key may only name the pattern.
      keySourceArn: Stack.of(this).formatArn({ service: 'aps', resource: 'workspace', resourceName: '*' }),
    });
  }

  /**
   * The Ingress names the regional web ACL (a name is known before deploy, so the manifests written
   * for review are complete; its ARN is not): the controller then lists the region's web ACLs to
   * find it, an action its published policy lacks and that takes no resource-level permission:
   * https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/annotations/#wafv2-acl-name
   */
  private allowWebAclLookup(): void {
    const controller = this.cluster.albController;
    if (!controller) return;
    const account = controller.node.findChild('alb-sa') as ServiceAccount;
    account.addToPrincipalPolicy(new PolicyStatement({ actions: ['wafv2:ListWebACLs'], resources: ['*'] }));
  }

  /** A role the pods of one service account assume through EKS Pod Identity. */
  private podIdentity(id: string, serviceAccount: string): Role {
    const role = new Role(this, `${id}PodRole`, {
      assumedBy: new ServicePrincipal('pods.eks.amazonaws.com').withSessionTags(),
      description: `Pods of ${WORKLOAD_NAMESPACE}/${serviceAccount}`,
    });
    const association = new CfnPodIdentityAssociation(this, `${id}PodIdentity`, {
      clusterName: this.cluster.clusterName,
      namespace: WORKLOAD_NAMESPACE,
      serviceAccount,
      roleArn: role.roleArn,
    });
    this.podIdentities.push(association);
    return role;
  }
}
