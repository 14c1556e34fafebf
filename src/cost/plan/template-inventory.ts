import { configRecordersOf } from './compliance-inventory.js';
import { byRole, type Inventory, type Template } from './inventory.js';
import { emptyTally, RESOURCE_HANDLERS } from './resource-handlers.js';

/** Counts what the templates of one stage deploy; one template per region. */
export function inventoryFromTemplates(templates: readonly Template[]): Inventory {
  const tally = emptyTally();
  const count: Record<string, number> = {};
  for (const template of templates) {
    for (const [id, resource] of Object.entries(template.Resources ?? {})) {
      count[resource.Type] = (count[resource.Type] ?? 0) + 1;
      RESOURCE_HANDLERS.get(resource.Type)?.(tally, { id, props: resource.Properties ?? {}, template });
    }
  }
  const n = (type: string) => count[type] ?? 0;
  return {
    source: 'synthesized template',
    regions: templates.map((template) => template.region),
    functions: byRole(tally.functions),
    restApis: n('AWS::ApiGateway::RestApi'),
    apiCaches: tally.apiCaches,
    distributions: n('AWS::CloudFront::Distribution'),
    edgeFunctions: tally.edgeFunctions,
    tableReplicas: tally.tableReplicas,
    pointInTimeRecovery: tally.pointInTimeRecovery,
    backupRetentionDays: tally.backupRetentionDays,
    queues: n('AWS::SQS::Queue'),
    alarmMetrics: tally.alarmMetrics,
    dashboards: n('AWS::CloudWatch::Dashboard'),
    topics: n('AWS::SNS::Topic'),
    budgets: n('AWS::Budgets::Budget'),
    natGateways: n('AWS::EC2::NatGateway'),
    // On EKS the load balancer controller makes one ALB per cluster for the API's Ingress.
    loadBalancers: n('AWS::ElasticLoadBalancingV2::LoadBalancer') + n('AWS::EKS::Cluster'),
    cacheNodes: tally.cacheNodes,
    containerServices: tally.containerServices,
    webAcls: tally.webAcls.sort((a, b) => b - a),
    shieldAdvanced: n('AWS::Shield::Protection') + n('AWS::Shield::ProtectionGroup') > 0,
    // Zones the stacks create, and zones they only write records into (the user's own): both are billed.
    hostedZones: n('AWS::Route53::HostedZone') + tally.referencedZones.size,
    healthChecks: n('AWS::Route53::HealthCheck'),
    eksClusters: n('AWS::EKS::Cluster'),
    prometheusWorkspaces: n('AWS::APS::Workspace'),
    userPools: n('AWS::Cognito::UserPool'),
    searchDomains: tally.searchDomains,
    streams: n('AWS::Kinesis::Stream'),
    deliveryStreams: n('AWS::KinesisFirehose::DeliveryStream') - tally.logDeliveryStreams.length,
    logDeliveryStreams: tally.logDeliveryStreams,
    subscriptionFilters: tally.subscriptionFilters,
    configRecorders: configRecordersOf(templates),
    warehouses: tally.warehouses,
    queryWorkgroups: n('AWS::Athena::WorkGroup'),
    tracing: tally.tracing,
  };
}
