import { ApiObject, type Chart } from 'cdk8s';

/**
 * A component of the workload that acts on its own (the collector, the log shipper): its labels,
 * and its service account, the name the CDK stack binds the component's IAM role to through
 * EKS Pod Identity. Returns the metadata its other objects share.
 */
export function addComponentAccount(chart: Chart, id: string, name: string, namespace: string) {
  const labels = componentLabels(name);
  const metadata = { name, namespace, labels };
  new ApiObject(chart, `${id}-service-account`, { apiVersion: 'v1', kind: 'ServiceAccount', metadata });
  return { labels, metadata };
}

/** The labels of a component's pods, which its selectors and the network policies match. */
export const componentLabels = (name: string) => ({
  'app.kubernetes.io/name': name,
  'app.kubernetes.io/part-of': 'growstack',
});
