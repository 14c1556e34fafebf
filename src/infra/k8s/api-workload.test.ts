import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Yaml } from 'cdk8s';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { describe, expect, it } from 'vitest';
import { type ApiWorkloadProps, apiWorkloadManifests, writeApiWorkload } from './api-workload.js';

const PROPS: ApiWorkloadProps = {
  namespace: 'storefront',
  image: `123456789012.dkr.ecr.us-east-1.amazonaws.com/storefront-api@sha256:${'a'.repeat(64)}`,
  roleArn: 'arn:aws:iam::123456789012:role/storefront-api',
  certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0b3c1a2e-1111-2222-3333-444455556666',
  webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:regional/webacl/storefront/abc',
  environment: {
    GROWSTACK_STAGE: 'enterprise',
    TABLE_NAME: 'Growstack-storefront',
    KINESIS_STREAM: 'events',
  },
  minReplicas: 3,
  maxReplicas: 30,
};

// The Kubernetes API's own OpenAPI schemas, one model class per kind (kubernetes-models).
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'v1/Namespace': Namespace,
  'v1/ServiceAccount': ServiceAccount,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/Ingress': Ingress,
};

function validate(manifest: Record<string, unknown>): void {
  const Model = MODELS[`${manifest.apiVersion}/${manifest.kind}`];
  if (!Model) throw new Error(`no schema for ${manifest.apiVersion} ${manifest.kind}`);
  new Model(manifest as never).validate();
}

const byKind = (manifests: Record<string, unknown>[], kind: string) =>
  // biome-ignore lint/suspicious/noExplicitAny: the tests walk manifests the schemas already checked
  manifests.find((manifest) => manifest.kind === kind) as Record<string, any>;

describe('the API workload on Kubernetes (cdk8s)', () => {
  const manifests = apiWorkloadManifests(PROPS);

  it('passes the Kubernetes schemas, every object', () => {
    expect(manifests.map((manifest) => manifest.kind).sort()).toEqual([
      'Deployment',
      'HorizontalPodAutoscaler',
      'Ingress',
      'Namespace',
      'PodDisruptionBudget',
      'Service',
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

  it('probes /api/health, sets requests and limits, runs as non-root on a read-only root, spread over zones on ARM64', () => {
    const pod = byKind(manifests, 'Deployment').spec.template.spec;
    const [api] = pod.containers;
    expect(api.readinessProbe.httpGet).toEqual({ path: '/api/health', port: 'http' });
    expect(api.livenessProbe.httpGet).toEqual({ path: '/api/health', port: 'http' });
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
    expect(api.env).toContainEqual({ name: 'GROWSTACK_STAGE', value: 'enterprise' });
    expect(api.image).toBe(PROPS.image);
  });

  it('scales 3-30 on CPU, keeps all but one pod through disruptions, and takes traffic through an HTTPS ALB with WAF', () => {
    expect(byKind(manifests, 'HorizontalPodAutoscaler').spec).toMatchObject({
      minReplicas: 3,
      maxReplicas: 30,
    });
    expect(byKind(manifests, 'PodDisruptionBudget').spec.maxUnavailable).toBe(1);
    const ingress = byKind(manifests, 'Ingress');
    expect(ingress.spec.ingressClassName).toBe('alb');
    expect(ingress.metadata.annotations).toMatchObject({
      'alb.ingress.kubernetes.io/target-type': 'ip',
      'alb.ingress.kubernetes.io/certificate-arn': PROPS.certificateArn,
      'alb.ingress.kubernetes.io/wafv2-acl-arn': PROPS.webAclArn,
    });
    expect(byKind(manifests, 'ServiceAccount').metadata.annotations).toEqual({
      'eks.amazonaws.com/role-arn': PROPS.roleArn,
    });
    // Everything in the storefront namespace but the namespace itself, which is cluster-wide.
    for (const manifest of manifests)
      expect((manifest.metadata as { namespace?: string }).namespace).toBe(
        manifest.kind === 'Namespace' ? undefined : 'storefront',
      );
  });

  it('is written as YAML that reads back to the same objects', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'growstack-k8s-'));
    try {
      const [file] = writeApiWorkload(outdir, PROPS);
      const text = readFileSync(join(outdir, file ?? ''), 'utf8');
      expect(Yaml.load(join(outdir, file ?? ''))).toEqual(manifests);
      expect(text).toContain('kind: HorizontalPodAutoscaler');
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
