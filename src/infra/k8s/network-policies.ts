import { ApiObject, type Chart } from 'cdk8s';

/** The addresses the workload's policies name: they come from the VPC the CDK stack builds. */
export interface WorkloadNetwork {
  /** The public subnets, where the load balancer's nodes reach the pods from (target type ip). */
  readonly loadBalancerCidrs: readonly string[];
  /** The isolated subnets, where the cache (and the search domain) live. */
  readonly dataCidrs: readonly string[];
  readonly cachePort: number;
}

export interface NetworkPoliciesProps {
  readonly namespace: string;
  readonly network: WorkloadNetwork;
  /** Each component's pod labels and the ports it serves on. */
  readonly api: { readonly labels: Record<string, string>; readonly port: number };
  readonly collector: { readonly labels: Record<string, string>; readonly otlpPort: number };
  readonly logShipper: { readonly labels: Record<string, string> };
}

/**
 * The EKS Pod Identity agent, where the pods' AWS SDKs fetch their credentials: a link-local
 * address on every node (https://docs.aws.amazon.com/eks/latest/userguide/pod-id-how-it-works.html).
 */
const POD_IDENTITY_AGENT = '169.254.170.23/32';
const ANYWHERE = '0.0.0.0/0';

const tcp = (port: number) => ({ protocol: 'TCP', port });
const cidrs = (blocks: readonly string[]) => blocks.map((cidr) => ({ ipBlock: { cidr } }));

/**
 * Default-deny for every pod of the namespace, then what each component needs and no more. The
 * VPC CNI enforces them (`enableNetworkPolicy`), and lets each node's kubelet reach its pods for
 * their probes. HTTPS to anywhere stays open where a component calls AWS: those APIs answer on
 * public addresses (through the NAT gateways and the gateway endpoints), the Kubernetes API and
 * the search domain on addresses in the VPC, all on 443, and a NetworkPolicy cannot name a DNS
 * name. What the policies close is everything else: the cache and the pods' ports to any pod
 * but the ones that use them, and every port but 443 (and DNS) on the way out.
 */
export function addNetworkPolicies(chart: Chart, props: NetworkPoliciesProps): void {
  const { namespace, network, api, collector, logShipper } = props;
  const policy = (name: string, spec: Record<string, unknown>) =>
    new ApiObject(chart, `network-policy-${name}`, {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name, namespace },
      spec,
    });
  const everyPod = {};
  const awsOverHttps = { to: cidrs([ANYWHERE]), ports: [tcp(443)] };
  policy('default-deny', { podSelector: everyPod, policyTypes: ['Ingress', 'Egress'] });
  policy('cluster-services', {
    podSelector: everyPod,
    policyTypes: ['Egress'],
    egress: [
      {
        to: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
            podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
          },
        ],
        ports: [
          { protocol: 'UDP', port: 53 },
          { protocol: 'TCP', port: 53 },
        ],
      },
      { to: cidrs([POD_IDENTITY_AGENT]), ports: [tcp(80)] },
    ],
  });
  policy('storefront-api', {
    podSelector: { matchLabels: api.labels },
    policyTypes: ['Ingress', 'Egress'],
    ingress: [
      { from: cidrs(network.loadBalancerCidrs), ports: [tcp(api.port)] },
      { from: [{ podSelector: { matchLabels: collector.labels } }], ports: [tcp(api.port)] },
    ],
    egress: [
      { to: cidrs(network.dataCidrs), ports: [tcp(network.cachePort)] },
      { to: [{ podSelector: { matchLabels: collector.labels } }], ports: [tcp(collector.otlpPort)] },
      awsOverHttps,
    ],
  });
  policy('adot-collector', {
    podSelector: { matchLabels: collector.labels },
    policyTypes: ['Ingress', 'Egress'],
    ingress: [{ from: [{ podSelector: { matchLabels: api.labels } }], ports: [tcp(collector.otlpPort)] }],
    egress: [{ to: [{ podSelector: { matchLabels: api.labels } }], ports: [tcp(api.port)] }, awsOverHttps],
  });
  policy('fluent-bit', {
    podSelector: { matchLabels: logShipper.labels },
    policyTypes: ['Ingress', 'Egress'],
    egress: [awsOverHttps],
  });
}
