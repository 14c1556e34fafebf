import { ApiObject, type Chart } from 'cdk8s';
import { addComponentAccount } from './component-account.js';

/** The log shipper's service account, which the CDK stack binds its IAM role to (EKS Pod Identity). */
export const LOG_SHIPPER_SERVICE_ACCOUNT = 'fluent-bit';

/**
 * AWS for Fluent Bit, pinned: 3.x is Fluent Bit 4 on Amazon Linux 2023, whose `cloudwatch_logs`
 * output takes EKS Pod Identity credentials (2.x's only from 2.32.5 on). Bump deliberately, after
 * reading its release notes: https://github.com/aws/aws-for-fluent-bit/releases
 */
export const FLUENT_BIT_IMAGE = 'public.ecr.aws/aws-observability/aws-for-fluent-bit:3.2.1';

const HTTP_PORT = 2020;
const CONFIG_DIR = '/fluent-bit/etc/growstack';
/** Kept on the node, so a restarted shipper resumes each file where it stopped. */
const STATE_DIR = '/var/fluent-bit/state';

export interface LogShipperProps {
  readonly namespace: string;
  /** Where the log group is. */
  readonly region: string;
  /** The CloudWatch Logs group, which the CDK stack creates (the shipper may not create groups). */
  readonly logGroupName: string;
  /** Whose logs to ship: the pods' name prefix and the container's name, in that namespace. */
  readonly pod: string;
  readonly container: string;
}

/**
 * The files of one container of one workload, as the kubelet links them on every node:
 * `/var/log/containers/<pod>_<namespace>_<container>-<container id>.log`.
 */
const containerLogPath = (props: Pick<LogShipperProps, 'namespace' | 'pod' | 'container'>) =>
  `/var/log/containers/${props.pod}-*_${props.namespace}_${props.container}-*.log`;

type Section = readonly [name: string, settings: Readonly<Record<string, string | number>>];

function classic(sections: readonly Section[]): string {
  const blocks = sections.map(([name, settings]) => {
    const lines = Object.entries(settings).map(([key, value]) => `    ${key.padEnd(18)} ${value}`);
    return [`[${name}]`, ...lines].join('\n');
  });
  return `${blocks.join('\n\n')}\n`;
}

/**
 * Fluent Bit's configuration (classic format): tail the API container's files, joined back into
 * whole lines by the CRI parser (containerd splits lines over 16 KiB), and send each line's own
 * text (`log_key log`: the app's JSON, not Fluent Bit's wrapper record) to the log group.
 */
export function logShipperConfig(props: LogShipperProps): string {
  return classic([
    [
      'SERVICE',
      {
        Flush: 5,
        Grace: 20,
        Log_Level: 'info',
        HTTP_Server: 'On',
        HTTP_Listen: '0.0.0.0',
        HTTP_Port: HTTP_PORT,
        Health_Check: 'On',
      },
    ],
    [
      'INPUT',
      {
        Name: 'tail',
        Tag: 'api.*',
        Path: containerLogPath(props),
        'multiline.parser': 'cri',
        DB: `${STATE_DIR}/${props.pod}.db`,
        // With the offsets above, reading a file from its start only ever happens once.
        Read_from_Head: 'On',
        Buffer_Max_Size: '256k',
        Skip_Long_Lines: 'On',
        Mem_Buf_Limit: '50MB',
        Refresh_Interval: 10,
        Rotate_Wait: 30,
      },
    ],
    [
      'OUTPUT',
      {
        Name: 'cloudwatch_logs',
        Match: 'api.*',
        region: props.region,
        log_group_name: props.logGroupName,
        // Fluent Bit reads ${NODE_NAME} from its environment: a stream per node and file.
        log_stream_prefix: `\${NODE_NAME}-`,
        log_key: 'log',
        auto_create_group: 'false',
        // Fluent Bit drops a chunk after one failed retry unless told otherwise:
        // https://docs.fluentbit.io/manual/administration/scheduling-and-retries
        Retry_Limit: 10,
      },
    ],
  ]);
}

/**
 * Fluent Bit on every node, shipping the API's container logs to CloudWatch Logs, its IAM role
 * (write to the one log group) through Pod Identity. It needs no Kubernetes API access: the file
 * names say which pod and container a line came from.
 */
export function addLogShipper(chart: Chart, props: LogShipperProps): void {
  const name = LOG_SHIPPER_SERVICE_ACCOUNT;
  const { labels, metadata } = addComponentAccount(chart, 'log-shipper', name, props.namespace);
  new ApiObject(chart, 'log-shipper-config', {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata,
    data: { 'fluent-bit.conf': logShipperConfig(props) },
  });
  new ApiObject(chart, 'log-shipper', {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata,
    spec: {
      selector: { matchLabels: labels },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: name,
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          // Every node, tainted or not, and through a drain: its last lines still leave.
          tolerations: [{ operator: 'Exists' }],
          terminationGracePeriodSeconds: 30,
          // Root, because the container log files are root's and not world-readable (0640);
          // otherwise nothing: no capabilities, no escalation, a read-only root and read-only logs.
          securityContext: {
            runAsNonRoot: false,
            runAsUser: 0,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [
            {
              name: 'fluent-bit',
              image: FLUENT_BIT_IMAGE,
              // The binary itself: the image's entrypoint script would read the default config.
              command: ['/fluent-bit/bin/fluent-bit', `--config=${CONFIG_DIR}/fluent-bit.conf`],
              ports: [{ name: 'http', containerPort: HTTP_PORT }],
              env: [{ name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
              resources: {
                requests: { cpu: '100m', memory: '128Mi' },
                limits: { cpu: '500m', memory: '256Mi' },
              },
              livenessProbe: { httpGet: { path: '/api/v1/health', port: 'http' }, periodSeconds: 30 },
              volumeMounts: [
                { name: 'config', mountPath: CONFIG_DIR, readOnly: true },
                { name: 'var-log', mountPath: '/var/log', readOnly: true },
                { name: 'state', mountPath: STATE_DIR },
              ],
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ['ALL'] },
              },
            },
          ],
          volumes: [
            { name: 'config', configMap: { name } },
            // /var/log/containers holds links into /var/log/pods: both under one read-only mount.
            { name: 'var-log', hostPath: { path: '/var/log', type: 'Directory' } },
            { name: 'state', hostPath: { path: STATE_DIR, type: 'DirectoryOrCreate' } },
          ],
        },
      },
    },
  });
}
