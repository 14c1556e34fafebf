import { ApiObject, App, Chart } from 'cdk8s';
import type { Construct } from 'constructs';

/** The port the API container serves on (the Dockerfile's PORT). */
const CONTAINER_PORT = 8080;
const HEALTH_PATH = '/api/health';

export interface ApiWorkloadProps {
  readonly namespace: string;
  /** The API image (the Dockerfile's), by digest or tag. */
  readonly image: string;
  /** The IAM role the pods assume through the service account (IRSA): DynamoDB, SQS, Kinesis. */
  readonly roleArn: string;
  /** ACM certificate for the load balancer's HTTPS listener. */
  readonly certificateArn: string;
  /** The regional WAF web ACL the load balancer controller attaches. */
  readonly webAclArn?: string | undefined;
  /** Settings of the app (TABLE_NAME, QUEUE_URL, KINESIS_STREAM, …): non-secret only. */
  readonly environment: Readonly<Record<string, string>>;
  readonly minReplicas: number;
  readonly maxReplicas: number;
}

/** What every object of the workload carries, and what its selectors match. */
const LABELS = { 'app.kubernetes.io/name': 'storefront-api', 'app.kubernetes.io/part-of': 'growstack' };

/**
 * The storefront API on Kubernetes (EKS, enterprise stage), written with cdk8s: the same container
 * the scaling stage runs on Fargate, as a Deployment spread over zones on ARM64 nodes, with
 * readiness and liveness probes on /api/health, requests and limits, a non-root read-only
 * security context, an autoscaler on CPU, a disruption budget, a ClusterIP Service, and an
 * Ingress the AWS Load Balancer Controller turns into an internet-facing ALB (HTTPS, WAF).
 */
export class ApiWorkloadChart extends Chart {
  constructor(scope: Construct, id: string, props: ApiWorkloadProps) {
    super(scope, id, { labels: LABELS });
    const name = 'storefront-api';
    // The chart's namespace would land on the Namespace object too: set it object by object.
    const namespace = props.namespace;
    new ApiObject(this, 'namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
    new ApiObject(this, 'service-account', {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name, namespace, annotations: { 'eks.amazonaws.com/role-arn': props.roleArn } },
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
                name: 'api',
                image: props.image,
                ports: [{ name: 'http', containerPort: CONTAINER_PORT }],
                env: Object.entries({ ...props.environment, PORT: String(CONTAINER_PORT), HOST: '0.0.0.0' })
                  .sort(([a], [b]) => a.localeCompare(b))
                  .map(([key, value]) => ({ name: key, value })),
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
                  httpGet: { path: HEALTH_PATH, port: 'http' },
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
          'alb.ingress.kubernetes.io/certificate-arn': props.certificateArn,
          'alb.ingress.kubernetes.io/ssl-policy': 'ELBSecurityPolicy-TLS13-1-2-2021-06',
          'alb.ingress.kubernetes.io/healthcheck-path': HEALTH_PATH,
          'alb.ingress.kubernetes.io/load-balancer-attributes':
            'routing.http.drop_invalid_header_fields.enabled=true,idle_timeout.timeout_seconds=60',
          ...(props.webAclArn ? { 'alb.ingress.kubernetes.io/wafv2-acl-arn': props.webAclArn } : {}),
        },
      },
      spec: {
        ingressClassName: 'alb',
        rules: [
          {
            http: {
              paths: [
                {
                  path: '/',
                  pathType: 'Prefix',
                  backend: { service: { name, port: { name: 'http' } } },
                },
              ],
            },
          },
        ],
      },
    });
  }
}

/** The workload's objects as plain JSON, in order: what `kubectl apply` and the validators read. */
export function apiWorkloadManifests(props: ApiWorkloadProps): Record<string, unknown>[] {
  const app = new App();
  return new ApiWorkloadChart(app, 'storefront', props).toJson();
}

/** Writes the workload as YAML (`<outdir>/storefront.k8s.yaml`): `growstack synth --stage enterprise`. */
export function writeApiWorkload(outdir: string, props: ApiWorkloadProps): string[] {
  const app = new App({ outdir });
  new ApiWorkloadChart(app, 'storefront', props);
  app.synth();
  return ['storefront.k8s.yaml'];
}
