import { ApiObject, type Chart } from 'cdk8s';
import { addComponentAccount } from './component-account.js';
import {
  API_SERVICE_ACCOUNT,
  type ApiWorkloadProps,
  COLLECTOR_SERVICE_ACCOUNT,
  REMOTE_WRITE_SETTING,
  SETTINGS_CONFIG_MAP,
} from './workload-settings.js';

// The OpenTelemetry collector (ADOT) beside the API: traces to X-Ray, metrics to Managed Prometheus.

export const OTLP_HTTP_PORT = 4318;

export const collectorEndpoint = (namespace: string) =>
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
export function addCollector(chart: Chart, props: ApiWorkloadProps): void {
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
