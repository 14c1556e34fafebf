// The API workload's names and props, shared by its chart, its collector and the CDK stack.
import type { WorkloadNetwork } from './network-policies.js';

/** Where the workload lives, and the names the CDK stack binds IAM roles and settings to. */
export const WORKLOAD_NAMESPACE = 'storefront';
export const API_SERVICE_ACCOUNT = 'storefront-api';
export const COLLECTOR_SERVICE_ACCOUNT = 'adot-collector';
/**
 * The ConfigMap of the app's settings (TABLE_NAME, QUEUE_URL, COGNITO_USER_POOL_ID, …): values
 * only CloudFormation knows, so the CDK stack writes it at deploy time and the pods read it whole.
 */
export const SETTINGS_CONFIG_MAP = 'storefront-settings';
/** The settings key of the Prometheus workspace's remote-write URL, read by the collector. */
export const REMOTE_WRITE_SETTING = 'AMP_REMOTE_WRITE_URL';

export interface ApiWorkloadProps {
  readonly namespace: string;
  /** The API image (the Dockerfile's), by digest or tag. */
  readonly image: string;
  /** The region the cluster runs in: where the collector sends metrics and traces. */
  readonly region: string;
  /**
   * The API's public name (`api.<zone>`): the Ingress answers for it, and the load balancer
   * controller finds the ACM certificate for it by name.
   */
  readonly host: string;
  /** The regional WAF web ACL, by name, the load balancer controller attaches. */
  readonly webAclName?: string | undefined;
  /**
   * Security groups for the load balancer in place of the controller's own (which admits
   * 0.0.0.0/0): the ones that let in only CloudFront and Route 53's health checkers.
   */
  readonly loadBalancerSecurityGroups?: readonly string[] | undefined;
  /** Shield Advanced protection of the load balancer (needs the account's subscription). */
  readonly shieldAdvanced: boolean;
  /** The ADOT collector image: scrapes the pods' /metrics into Prometheus, takes their traces to X-Ray. */
  readonly collectorImage: string;
  /**
   * The CloudWatch Logs group the API's container logs are shipped to (Fluent Bit on every node),
   * by name: the CDK stack creates it, and the manifests written for review must name it too.
   */
  readonly apiLogGroupName: string;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** The VPC's address ranges the network policies allow (load balancer, cache). */
  readonly network: WorkloadNetwork;
}
