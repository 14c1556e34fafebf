import { ApiObject, App, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { addComponentAccount, componentLabels } from './component-account.js';
import { addLogShipper, LOG_SHIPPER_SERVICE_ACCOUNT } from './log-shipper.js';
import { addNetworkPolicies, type WorkloadNetwork } from './network-policies.js';

/** The port the API container serves on (the Dockerfile's PORT). */
const CONTAINER_PORT = 8080;
/** Readiness: every part the stage needs answers (the load balancer and the Service use it). */
const HEALTH_PATH = '/api/health';
/** Liveness: the process answers; restarting it would not bring a lost dependency back. */
const LIVE_PATH = '/api/health/live';
const OTLP_HTTP_PORT = 4318;
/** The API container's name, which its log files on the node carry. */
const API_CONTAINER = 'api';

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

/** What every object of the workload carries, and what its selectors match. */
const LABELS = { 'app.kubernetes.io/name': 'storefront-api', 'app.kubernetes.io/part-of': 'growstack' };

/**
 * The storefront API on Kubernetes (EKS, enterprise stage), written with cdk8s: the same container
 * the scaling stage runs on Fargate, as a Deployment spread over zones on ARM64 nodes, with
 * a readiness probe on /api/health and a liveness probe on /api/health/live, requests and limits, a non-root read-only
 * security context, an autoscaler on CPU, a disruption budget, a ClusterIP Service, and an
 * Ingress the AWS Load Balancer Controller turns into an internet-facing ALB (HTTPS, WAF).
 * Beside it: the ADOT collector (metrics, traces) and Fluent Bit (its logs, to CloudWatch Logs),
 * and network policies that deny the namespace's pods every connection but the ones they need.
 */
export class ApiWorkloadChart extends Chart {
  constructor(scope: Construct, id: string, props: ApiWorkloadProps) {
    super(scope, id, { labels: LABELS });
    const name = API_SERVICE_ACCOUNT;
    // The chart's namespace would land on the Namespace object too: set it object by object.
    const namespace = props.namespace;
    new ApiObject(this, 'namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
    // Its IAM role comes through an EKS Pod Identity association (in the CDK stack): no annotation.
    new ApiObject(this, 'service-account', {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name, namespace },
    });
    new ApiObject(this, 'deployment', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace },
      spec: {
        replicas: props.minReplicas,
        selector: { matchLabels: LABELS },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' } },
        template: {
          metadata: { labels: LABELS },
          spec: {
            serviceAccountName: name,
            automountServiceAccountToken: true,
            nodeSelector: { 'kubernetes.io/arch': 'arm64' },
            topologySpreadConstraints: [
              {
                maxSkew: 1,
                topologyKey: 'topology.kubernetes.io/zone',
                whenUnsatisfiable: 'ScheduleAnyway',
                labelSelector: { matchLabels: LABELS },
              },
            ],
            // Longer than the server's drain (25 s) plus the pre-stop pause.
            terminationGracePeriodSeconds: 40,
            securityContext: {
              runAsNonRoot: true,
              runAsUser: 65532,
              seccompProfile: { type: 'RuntimeDefault' },
            },
            containers: [
              {
                name: API_CONTAINER,
                image: props.image,
                ports: [{ name: 'http', containerPort: CONTAINER_PORT }],
                envFrom: [{ configMapRef: { name: SETTINGS_CONFIG_MAP } }],
                env: [
                  { name: 'HOST', value: '0.0.0.0' },
                  { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: collectorEndpoint(namespace) },
                  { name: 'PORT', value: String(CONTAINER_PORT) },
                  // CloudFront and the load balancer each append to X-Forwarded-For; the app
                  // believes CloudFront's hop only with the origin secret (from the settings).
                  { name: 'TRUSTED_PROXIES', value: '2' },
                ],
                resources: {
                  requests: { cpu: '500m', memory: '512Mi' },
                  limits: { cpu: '1', memory: '1Gi' },
                },
                readinessProbe: {
                  httpGet: { path: HEALTH_PATH, port: 'http' },
                  periodSeconds: 5,
                  failureThreshold: 3,
                },
                livenessProbe: {
                  httpGet: { path: LIVE_PATH, port: 'http' },
                  initialDelaySeconds: 10,
                  periodSeconds: 15,
                  failureThreshold: 4,
                },
                // The load balancer stops sending before the server stops accepting. No shell in
                // the distroless image, so Kubernetes's own sleep action rather than `sleep 10`.
                lifecycle: { preStop: { sleep: { seconds: 10 } } },
                securityContext: {
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  capabilities: { drop: ['ALL'] },
                },
              },
            ],
          },
        },
      },
    });
    new ApiObject(this, 'service', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace },
      spec: {
        type: 'ClusterIP',
        selector: LABELS,
        ports: [{ name: 'http', port: 80, targetPort: 'http' }],
      },
    });
    new ApiObject(this, 'autoscaler', {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name, namespace },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
        minReplicas: props.minReplicas,
        maxReplicas: props.maxReplicas,
        metrics: [
          {
            type: 'Resource',
            resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } },
          },
        ],
        behavior: { scaleDown: { stabilizationWindowSeconds: 300 } },
      },
    });
    new ApiObject(this, 'disruption-budget', {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name, namespace },
      spec: { maxUnavailable: 1, selector: { matchLabels: LABELS } },
    });
    new ApiObject(this, 'ingress', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: {
        name,
        namespace,
        annotations: {
          'alb.ingress.kubernetes.io/scheme': 'internet-facing',
          'alb.ingress.kubernetes.io/target-type': 'ip',
          'alb.ingress.kubernetes.io/listen-ports': '[{"HTTPS":443}]',
          'alb.ingress.kubernetes.io/ssl-policy': 'ELBSecurityPolicy-TLS13-1-2-2021-06',
          'alb.ingress.kubernetes.io/healthcheck-path': HEALTH_PATH,
          'alb.ingress.kubernetes.io/load-balancer-attributes':
            'routing.http.drop_invalid_header_fields.enabled=true,idle_timeout.timeout_seconds=60',
          ...(props.webAclName ? { 'alb.ingress.kubernetes.io/wafv2-acl-name': props.webAclName } : {}),
          // The controller takes no prefix list (inbound-cidrs is CIDRs only), so it gets whole
          // security groups made from them; it then still opens the pods to the load balancer.
          // https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/annotations/#security-groups
          ...(props.loadBalancerSecurityGroups?.length
            ? {
                'alb.ingress.kubernetes.io/security-groups': props.loadBalancerSecurityGroups.join(','),
                'alb.ingress.kubernetes.io/manage-backend-security-group-rules': 'true',
              }
            : {}),
          ...(props.shieldAdvanced ? { 'alb.ingress.kubernetes.io/shield-advanced-protection': 'true' } : {}),
        },
      },
      spec: {
        ingressClassName: 'alb',
        // The controller finds the ACM certificate whose name matches this host. The rule takes
        // any host: Route 53's health checker asks by the load balancer's own name.
        tls: [{ hosts: [props.host] }],
        rules: [
          {
            http: {
              paths: [
                {
                  // Only the API: /metrics stays inside the cluster, for the collector.
                  path: '/api',
                  pathType: 'Prefix',
                  backend: { service: { name, port: { name: 'http' } } },
                },
              ],
            },
          },
        ],
      },
    });
    addCollector(this, props);
    addLogShipper(this, {
      namespace,
      region: props.region,
      logGroupName: props.apiLogGroupName,
      pod: name,
      container: API_CONTAINER,
    });
    addNetworkPolicies(this, {
      namespace,
      network: props.network,
      api: { labels: LABELS, port: CONTAINER_PORT },
      collector: { labels: componentLabels(COLLECTOR_SERVICE_ACCOUNT), otlpPort: OTLP_HTTP_PORT },
      logShipper: { labels: componentLabels(LOG_SHIPPER_SERVICE_ACCOUNT) },
    });
  }
}

const collectorEndpoint = (namespace: string) =>
  `http://${COLLECTOR_SERVICE_ACCOUNT}.${namespace}.svc.cluster.local:${OTLP_HTTP_PORT}`;

/**
 * The AWS Distro for OpenTelemetry collector's configuration: scrape every API pod's /metrics
 * every 30 s (pods found through the Kubernetes API, this namespace only) and remote-write them,
 * SigV4-signed, to Amazon Managed Service for Prometheus; receive the pods' OTLP traces and send
 * them to X-Ray.
 */
export function collectorConfig(namespace: string, region: string): Record<string, unknown> {
  return {
    extensions: { sigv4auth: { region, service: 'aps' }, health_check: { endpoint: '0.0.0.0:13133' } },
    receivers: {
      prometheus: {
        config: {
          scrape_configs: [
            {
              job_name: 'storefront-api',
              scrape_interval: '30s',
              metrics_path: '/metrics',
              kubernetes_sd_configs: [{ role: 'pod', namespaces: { names: [namespace] } }],
              relabel_configs: [
                {
                  source_labels: ['__meta_kubernetes_pod_label_app_kubernetes_io_name'],
                  action: 'keep',
                  regex: API_SERVICE_ACCOUNT,
                },
                {
                  source_labels: ['__meta_kubernetes_pod_container_port_name'],
                  action: 'keep',
                  regex: 'http',
                },
                { source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod' },
              ],
            },
          ],
        },
      },
      otlp: { protocols: { http: { endpoint: `0.0.0.0:${OTLP_HTTP_PORT}` } } },
    },
    processors: { batch: {} },
    exporters: {
      prometheusremotewrite: {
        endpoint: `\${env:${REMOTE_WRITE_SETTING}}`,
        auth: { authenticator: 'sigv4auth' },
        resource_to_telemetry_conversion: { enabled: true },
      },
      awsxray: { region },
    },
    service: {
      extensions: ['sigv4auth', 'health_check'],
      pipelines: {
        metrics: { receivers: ['prometheus'], processors: ['batch'], exporters: ['prometheusremotewrite'] },
        traces: { receivers: ['otlp'], processors: ['batch'], exporters: ['awsxray'] },
      },
    },
  };
}

/**
 * The collector beside the API: one replica (two would scrape every pod twice), allowed to list
 * the namespace's pods and nothing else, its IAM role (remote write, X-Ray) through Pod Identity.
 */
function addCollector(chart: Chart, props: ApiWorkloadProps): void {
  const name = COLLECTOR_SERVICE_ACCOUNT;
  const namespace = props.namespace;
  const { labels, metadata } = addComponentAccount(chart, 'collector', name, namespace);
  new ApiObject(chart, 'collector-role', {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata,
    rules: [
      { apiGroups: [''], resources: ['pods', 'endpoints', 'services'], verbs: ['get', 'list', 'watch'] },
    ],
  });
  new ApiObject(chart, 'collector-role-binding', {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata,
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
    subjects: [{ kind: 'ServiceAccount', name, namespace }],
  });
  new ApiObject(chart, 'collector-config', {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata,
    data: { 'collector.yaml': JSON.stringify(collectorConfig(namespace, props.region), null, 2) },
  });
  new ApiObject(chart, 'collector', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata,
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: name,
          nodeSelector: { 'kubernetes.io/arch': 'arm64' },
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 10001,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [
            {
              name: 'collector',
              image: props.collectorImage,
              args: ['--config=/etc/otel/collector.yaml'],
              ports: [{ name: 'otlp-http', containerPort: OTLP_HTTP_PORT }],
              env: [
                {
                  name: REMOTE_WRITE_SETTING,
                  valueFrom: { configMapKeyRef: { name: SETTINGS_CONFIG_MAP, key: REMOTE_WRITE_SETTING } },
                },
              ],
              resources: { requests: { cpu: '200m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } },
              livenessProbe: { httpGet: { path: '/', port: 13133 }, periodSeconds: 30 },
              volumeMounts: [{ name: 'config', mountPath: '/etc/otel', readOnly: true }],
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ['ALL'] },
              },
            },
          ],
          volumes: [{ name: 'config', configMap: { name } }],
        },
      },
    },
  });
  new ApiObject(chart, 'collector-service', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata,
    spec: {
      type: 'ClusterIP',
      selector: labels,
      ports: [{ name: 'otlp-http', port: OTLP_HTTP_PORT, targetPort: 'otlp-http' }],
    },
  });
}

/** The workload's objects as plain JSON, in order: what `kubectl apply` and the validators read. */
export function apiWorkloadManifests(props: ApiWorkloadProps): Record<string, unknown>[] {
  const app = new App();
  return new ApiWorkloadChart(app, 'storefront', props).toJson();
}

/**
 * Writes the workload as YAML (`<outdir>/<name>.k8s.yaml`), what `growstack synth --stage
 * enterprise` leaves in cdk.out/k8s/ for review or a GitOps tool: the same objects the CDK stack
 * applies to the cluster.
 */
export function writeApiWorkload(outdir: string, props: ApiWorkloadProps, name = 'storefront'): string {
  const app = new App({ outdir });
  new ApiWorkloadChart(app, name, props);
  app.synth();
  return `${name}.k8s.yaml`;
}
