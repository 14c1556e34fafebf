import { ApiObject, App, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { addCollector, collectorEndpoint, OTLP_HTTP_PORT } from './adot-collector.js';
import { componentLabels } from './component-account.js';
import { addLogShipper, LOG_SHIPPER_SERVICE_ACCOUNT } from './log-shipper.js';
import { addNetworkPolicies } from './network-policies.js';
import {
  API_SERVICE_ACCOUNT,
  type ApiWorkloadProps,
  COLLECTOR_SERVICE_ACCOUNT,
  SETTINGS_CONFIG_MAP,
} from './workload-settings.js';

export {
  API_SERVICE_ACCOUNT,
  type ApiWorkloadProps,
  COLLECTOR_SERVICE_ACCOUNT,
  REMOTE_WRITE_SETTING,
  SETTINGS_CONFIG_MAP,
  WORKLOAD_NAMESPACE,
} from './workload-settings.js';

/** The port the API container serves on (the Dockerfile's PORT). */
const CONTAINER_PORT = 8080;
/** Readiness: every part the stage needs answers (the load balancer and the Service use it). */
const HEALTH_PATH = '/api/health';
/** Liveness: the process answers; restarting it would not bring a lost dependency back. */
const LIVE_PATH = '/api/health/live';
/** The API container's name, which its log files on the node carry. */
const API_CONTAINER = 'api';

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
