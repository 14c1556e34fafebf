import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Yaml } from 'cdk8s';
import { DaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { describe, expect, it } from 'vitest';
import {
  type ApiWorkloadProps,
  apiWorkloadManifests,
  REMOTE_WRITE_SETTING,
  SETTINGS_CONFIG_MAP,
  writeApiWorkload,
} from './api-workload.js';
import { FLUENT_BIT_IMAGE } from './log-shipper.js';

const PROPS: ApiWorkloadProps = {
  namespace: 'storefront',
  image: `123456789012.dkr.ecr.us-east-1.amazonaws.com/storefront-api@sha256:${'a'.repeat(64)}`,
  region: 'eu-west-1',
  host: 'api.shop.example.com',
  webAclName: 'Growstack-api-eu-west-1',
  shieldAdvanced: true,
  collectorImage: 'public.ecr.aws/aws-observability/aws-otel-collector:v0.43.3',
  apiLogGroupName: '/growstack/Growstack-eu-west-1/api',
  minReplicas: 3,
  maxReplicas: 30,
  network: {
    loadBalancerCidrs: ['10.40.0.0/24', '10.40.1.0/24'],
    dataCidrs: ['10.40.48.0/24', '10.40.49.0/24'],
    cachePort: 6380,
  },
};

// The Kubernetes API's own OpenAPI schemas, one model class per kind (kubernetes-models).
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'v1/Namespace': Namespace,
  'v1/ConfigMap': ConfigMap,
  'rbac.authorization.k8s.io/v1/Role': Role,
  'rbac.authorization.k8s.io/v1/RoleBinding': RoleBinding,
  'v1/ServiceAccount': ServiceAccount,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'apps/v1/DaemonSet': DaemonSet,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/Ingress': Ingress,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
};

function validate(manifest: Record<string, unknown>): void {
  const Model = MODELS[`${manifest.apiVersion}/${manifest.kind}`];
  if (!Model) throw new Error(`no schema for ${manifest.apiVersion} ${manifest.kind}`);
  new Model(manifest as never).validate();
}

const byKind = (manifests: Record<string, unknown>[], kind: string, name = 'storefront-api') =>
  manifests.find(
    (manifest) => manifest.kind === kind && (manifest.metadata as { name: string }).name === name,
    // biome-ignore lint/suspicious/noExplicitAny: the tests walk manifests the schemas already checked
  ) as Record<string, any>;

describe('the API workload on Kubernetes (cdk8s)', () => {
  const manifests = apiWorkloadManifests(PROPS);

  it('passes the Kubernetes schemas, every object', () => {
    expect(manifests.map((manifest) => manifest.kind).sort()).toEqual([
      'ConfigMap',
      'ConfigMap',
      'DaemonSet',
      'Deployment',
      'Deployment',
      'HorizontalPodAutoscaler',
      'Ingress',
      'Namespace',
      ...Array<string>(5).fill('NetworkPolicy'),
      'PodDisruptionBudget',
      'Role',
      'RoleBinding',
      'Service',
      'Service',
      'ServiceAccount',
      'ServiceAccount',
      'ServiceAccount',
    ]);
    for (const manifest of manifests) validate(manifest);
  });

  it('the validator refuses what Kubernetes would refuse', () => {
    const deployment = structuredClone(byKind(manifests, 'Deployment'));
    deployment.spec.template.spec.containers[0].ports[0].containerPort = 'eighty';
    expect(() => validate(deployment)).toThrow(/containerPort must be integer/);
    const autoscaler = structuredClone(byKind(manifests, 'HorizontalPodAutoscaler'));
    delete autoscaler.spec.maxReplicas;
    expect(() => validate(autoscaler)).toThrow(/maxReplicas/);
  });

  it('probes readiness at /api/health and liveness at /api/health/live, sets requests and limits, runs as non-root on a read-only root, spread over zones on ARM64', () => {
    const pod = byKind(manifests, 'Deployment').spec.template.spec;
    const [api] = pod.containers;
    expect(api.readinessProbe.httpGet).toEqual({ path: '/api/health', port: 'http' });
    // A dependency that is down takes the pod out of the Service; only a process that stopped
    // answering gets restarted.
    expect(api.livenessProbe.httpGet).toEqual({ path: '/api/health/live', port: 'http' });
    expect(api.resources).toEqual({
      requests: { cpu: '500m', memory: '512Mi' },
      limits: { cpu: '1', memory: '1Gi' },
    });
    expect(api.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
    });
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(pod.nodeSelector).toEqual({ 'kubernetes.io/arch': 'arm64' });
    expect(pod.topologySpreadConstraints[0].topologyKey).toBe('topology.kubernetes.io/zone');
    expect(pod.serviceAccountName).toBe('storefront-api');
    // Settings only CloudFormation knows come from the ConfigMap the stack writes at deploy time.
    expect(api.envFrom).toEqual([{ configMapRef: { name: SETTINGS_CONFIG_MAP } }]);
    expect(api.env).toContainEqual({
      name: 'OTEL_EXPORTER_OTLP_ENDPOINT',
      value: 'http://adot-collector.storefront.svc.cluster.local:4318',
    });
    expect(api.image).toBe(PROPS.image);
  });

  it('scales 3-30 on CPU, keeps all but one pod through disruptions, and takes API traffic through an HTTPS ALB with WAF and Shield', () => {
    expect(byKind(manifests, 'HorizontalPodAutoscaler').spec).toMatchObject({
      minReplicas: 3,
      maxReplicas: 30,
    });
    expect(byKind(manifests, 'PodDisruptionBudget').spec.maxUnavailable).toBe(1);
    const ingress = byKind(manifests, 'Ingress');
    expect(ingress.spec.ingressClassName).toBe('alb');
    expect(ingress.metadata.annotations).toMatchObject({
      'alb.ingress.kubernetes.io/target-type': 'ip',
      'alb.ingress.kubernetes.io/healthcheck-path': '/api/health',
      'alb.ingress.kubernetes.io/wafv2-acl-name': PROPS.webAclName,
      'alb.ingress.kubernetes.io/shield-advanced-protection': 'true',
    });
    // The certificate is found by host name; only /api is routed, so /metrics stays inside.
    expect(ingress.spec.tls).toEqual([{ hosts: ['api.shop.example.com'] }]);
    expect(ingress.spec.rules[0].host).toBeUndefined();
    expect(ingress.spec.rules[0].http.paths.map((path: { path: string }) => path.path)).toEqual(['/api']);
    // Roles come through EKS Pod Identity associations, not IRSA annotations.
    expect(byKind(manifests, 'ServiceAccount').metadata.annotations).toBeUndefined();
    // Everything in the storefront namespace but the namespace itself, which is cluster-wide.
    for (const manifest of manifests)
      expect((manifest.metadata as { namespace?: string }).namespace).toBe(
        manifest.kind === 'Namespace' ? undefined : 'storefront',
      );
  });

  it('runs one ADOT collector that scrapes the API pods into Prometheus and sends traces to X-Ray', () => {
    const collector = byKind(manifests, 'Deployment', 'adot-collector');
    expect(collector.spec.replicas).toBe(1);
    const [container] = collector.spec.template.spec.containers;
    expect(container.image).toBe(PROPS.collectorImage);
    expect(container.env[0].valueFrom.configMapKeyRef).toEqual({
      name: SETTINGS_CONFIG_MAP,
      key: REMOTE_WRITE_SETTING,
    });
    const config = JSON.parse(byKind(manifests, 'ConfigMap', 'adot-collector').data['collector.yaml']);
    const [scrape] = config.receivers.prometheus.config.scrape_configs;
    expect(scrape.kubernetes_sd_configs).toEqual([{ role: 'pod', namespaces: { names: ['storefront'] } }]);
    expect(config.exporters.prometheusremotewrite.endpoint).toBe(`\${env:${REMOTE_WRITE_SETTING}}`);
    expect(config.extensions.sigv4auth).toEqual({ region: 'eu-west-1', service: 'aps' });
    expect(config.service.pipelines.traces.exporters).toEqual(['awsxray']);
    // It may read pods of its own namespace, nothing cluster-wide.
    expect(byKind(manifests, 'Role', 'adot-collector').rules[0].verbs).toEqual(['get', 'list', 'watch']);
  });

  it('ships only the API container logs from every node to the named log group, as the lines themselves', () => {
    const shipper = byKind(manifests, 'DaemonSet', 'fluent-bit');
    const pod = shipper.spec.template.spec;
    const [container] = pod.containers;
    expect(container.image).toBe(FLUENT_BIT_IMAGE);
    expect(FLUENT_BIT_IMAGE).toMatch(
      /^public\.ecr\.aws\/aws-observability\/aws-for-fluent-bit:\d+\.\d+\.\d+$/,
    );
    expect(pod.serviceAccountName).toBe('fluent-bit');
    expect(pod.tolerations).toEqual([{ operator: 'Exists' }]);
    // Root only to read the node's log files; nothing else a root container could have.
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(container.resources.requests).toBeDefined();
    expect(container.resources.limits).toBeDefined();
    const hostPaths = Object.fromEntries(
      pod.volumes
        .filter((volume: { hostPath?: unknown }) => volume.hostPath)
        .map((volume: { name: string; hostPath: { path: string } }) => [volume.name, volume.hostPath.path]),
    );
    const logMount = container.volumeMounts.find(
      (mount: { name: string }) => hostPaths[mount.name] === '/var/log',
    );
    expect(logMount).toEqual({ name: logMount?.name, mountPath: '/var/log', readOnly: true });
    // Only the offsets directory is writable on the host.
    for (const mount of container.volumeMounts)
      if (hostPaths[mount.name] && hostPaths[mount.name] !== '/var/log')
        expect(hostPaths[mount.name]).toBe('/var/fluent-bit/state');

    const config = fluentBitSections(byKind(manifests, 'ConfigMap', 'fluent-bit').data['fluent-bit.conf']);
    const [input] = config.INPUT ?? [];
    // The Deployment's pods are storefront-api-<hash>-<hash>, their one container is `api`.
    expect(input).toMatchObject({
      Name: 'tail',
      Path: '/var/log/containers/storefront-api-*_storefront_api-*.log',
      'multiline.parser': 'cri',
    });
    expect(byKind(manifests, 'Deployment').spec.template.spec.containers[0].name).toBe('api');
    expect(config.OUTPUT).toEqual([
      expect.objectContaining({
        Name: 'cloudwatch_logs',
        Match: input?.Tag,
        region: 'eu-west-1',
        log_group_name: '/growstack/Growstack-eu-west-1/api',
        log_stream_prefix: expect.any(String),
        log_key: 'log',
        auto_create_group: 'false',
      }),
    ]);
    expect(container.env).toContainEqual({
      name: 'NODE_NAME',
      valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } },
    });
  });

  describe('network policies (enforced by the VPC CNI)', () => {
    const policies = manifests.filter((manifest) => manifest.kind === 'NetworkPolicy') as unknown as Policy[];
    const ours = (name: string) =>
      pod({ 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': 'growstack' });
    const api = ours('storefront-api');
    const collector = ours('adot-collector');
    const shipper = ours('fluent-bit');
    const stranger = ours('something-else');
    const dns = pod({ 'k8s-app': 'kube-dns' }, 'kube-system');
    const can = (from: Peer, to: Peer, port: number, protocol = 'TCP') =>
      allowed(policies, from, to, port, protocol);

    it('deny every pod of the namespace all traffic unless a policy allows it', () => {
      expect(can(stranger, ip('10.40.48.10'), 6380)).toBe(false);
      expect(can(stranger, ip('52.94.0.1'), 443)).toBe(false);
      expect(can(ip('10.40.0.10'), stranger, 8080)).toBe(false);
      expect(can(stranger, api, 8080)).toBe(false);
      for (const component of [api, collector, shipper, stranger]) {
        expect(can(component, dns, 53, 'UDP')).toBe(true);
        expect(can(component, dns, 53, 'TCP')).toBe(true);
        expect(can(component, pod({ 'k8s-app': 'kube-dns' }, 'storefront'), 53, 'UDP')).toBe(false);
      }
    });

    it('let the load balancer and the collector reach the API pods, and nobody else', () => {
      expect(can(ip('10.40.0.10'), api, 8080)).toBe(true);
      expect(can(ip('10.40.1.200'), api, 8080)).toBe(true);
      expect(can(ip('10.40.16.7'), api, 8080)).toBe(false);
      expect(can(collector, api, 8080)).toBe(true);
      expect(can(shipper, api, 8080)).toBe(false);
      expect(can(ip('10.40.0.10'), api, 9229)).toBe(false);
    });

    it('let the API reach the cache, AWS over HTTPS, the collector and its Pod Identity credentials', () => {
      expect(can(api, ip('10.40.48.10'), 6380)).toBe(true);
      expect(can(api, ip('10.40.48.10'), 443)).toBe(true);
      expect(can(api, ip('52.94.0.1'), 443)).toBe(true);
      expect(can(api, collector, 4318)).toBe(true);
      expect(can(api, ip('169.254.170.23'), 80)).toBe(true);
      expect(can(api, ip('52.94.0.1'), 80)).toBe(false);
      expect(can(api, ip('10.40.16.7'), 6380)).toBe(false);
    });

    it('keep the cache from every other pod, and the collector and log shipper to their own traffic', () => {
      for (const other of [collector, shipper, stranger])
        expect(can(other, ip('10.40.48.10'), 6380)).toBe(false);
      expect(can(collector, ip('52.94.0.1'), 443)).toBe(true);
      expect(can(collector, ip('169.254.170.23'), 80)).toBe(true);
      expect(can(shipper, ip('52.94.0.1'), 443)).toBe(true);
      expect(can(shipper, ip('169.254.170.23'), 80)).toBe(true);
      expect(can(shipper, collector, 4318)).toBe(false);
      expect(can(stranger, collector, 4318)).toBe(false);
      expect(can(ip('10.40.0.10'), collector, 4318)).toBe(false);
    });
  });

  it('is written as YAML that reads back to the same objects', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'growstack-k8s-'));
    try {
      const file = writeApiWorkload(outdir, PROPS);
      const text = readFileSync(join(outdir, file), 'utf8');
      expect(Yaml.load(join(outdir, file))).toEqual(manifests);
      expect(text).toContain('kind: HorizontalPodAutoscaler');
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});

/** Fluent Bit's classic configuration, section by section: `[NAME]` then indented `key value` lines. */
function fluentBitSections(text: string): Record<string, Record<string, string>[]> {
  const sections: Record<string, Record<string, string>[]> = {};
  let current: Record<string, string> | undefined;
  for (const line of text.split('\n')) {
    const header = /^\[(\w+)\]$/.exec(line);
    if (header?.[1]) {
      current = {};
      sections[header[1]] = [...(sections[header[1]] ?? []), current];
      continue;
    }
    const setting = /^\s+(\S+)\s+(.+)$/.exec(line);
    if (setting?.[1] && setting[2] !== undefined && current) current[setting[1]] = setting[2];
  }
  return sections;
}

/** A party to a connection: a pod (its labels and namespace) or an address outside the pod network. */
type Peer = { labels: Record<string, string>; namespace: string } | { ip: string };
const pod = (labels: Record<string, string>, namespace = 'storefront'): Peer => ({ labels, namespace });
const ip = (address: string): Peer => ({ ip: address });

interface PolicyPeer {
  podSelector?: { matchLabels?: Record<string, string> };
  namespaceSelector?: { matchLabels?: Record<string, string> };
  ipBlock?: { cidr: string; except?: string[] };
}
interface PolicyRule {
  ports?: { port?: number; protocol?: string }[];
  to?: PolicyPeer[];
  from?: PolicyPeer[];
}
interface Policy {
  metadata: { namespace: string };
  spec: {
    podSelector: { matchLabels?: Record<string, string> };
    policyTypes: string[];
    ingress?: PolicyRule[];
    egress?: PolicyRule[];
  };
}

const matches = (
  selector: { matchLabels?: Record<string, string> } | undefined,
  labels: Record<string, string>,
) => Object.entries(selector?.matchLabels ?? {}).every(([key, value]) => labels[key] === value);

function inCidr(address: string, cidr: string): boolean {
  const toNumber = (dotted: string) => dotted.split('.').reduce((sum, part) => sum * 256 + Number(part), 0);
  const [base = '', bits = '32'] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  return Math.floor(toNumber(address) / size) === Math.floor(toNumber(base) / size);
}

/** Whether a policy peer admits a party, seen from a policy in `namespace`. */
function admits(peer: PolicyPeer, party: Peer, namespace: string): boolean {
  if ('ip' in party)
    return Boolean(
      peer.ipBlock &&
        inCidr(party.ip, peer.ipBlock.cidr) &&
        !(peer.ipBlock.except ?? []).some((cidr) => inCidr(party.ip, cidr)),
    );
  if (peer.ipBlock) return false;
  const namespaceLabels = { 'kubernetes.io/metadata.name': party.namespace };
  const inNamespace = peer.namespaceSelector
    ? matches(peer.namespaceSelector, namespaceLabels)
    : party.namespace === namespace;
  return inNamespace && matches(peer.podSelector, party.labels);
}

/** One direction of NetworkPolicy semantics: isolated pods accept only what some rule allows. */
function side(
  policies: Policy[],
  self: Peer,
  other: Peer,
  port: number,
  protocol: string,
  type: 'Ingress' | 'Egress',
): boolean {
  if ('ip' in self) return true;
  const selecting = policies.filter(
    (policy) =>
      policy.metadata.namespace === self.namespace &&
      policy.spec.policyTypes.includes(type) &&
      matches(policy.spec.podSelector, self.labels),
  );
  if (selecting.length === 0) return true;
  return selecting.some((policy) =>
    (type === 'Ingress' ? policy.spec.ingress : policy.spec.egress)?.some((rule) => {
      const peers = type === 'Ingress' ? rule.from : rule.to;
      const portOk =
        !rule.ports ||
        rule.ports.some(
          (p) => (p.protocol ?? 'TCP') === protocol && (p.port === undefined || p.port === port),
        );
      return portOk && (!peers || peers.some((peer) => admits(peer, other, policy.metadata.namespace)));
    }),
  );
}

function allowed(policies: Policy[], from: Peer, to: Peer, port: number, protocol: string): boolean {
  return (
    side(policies, from, to, port, protocol, 'Egress') && side(policies, to, from, port, protocol, 'Ingress')
  );
}
