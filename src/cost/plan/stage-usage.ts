import type { Inventory } from './inventory.js';
import type { Traffic, UsageProfile } from './profile.js';
import { eventStreamParts, reportParts } from './usage/analytics.js';
import { clusterParts, containerParts, lambdaParts } from './usage/compute.js';
import type { StageMonth, UsagePart } from './usage/context.js';
import { cacheNodeParts, searchDomainParts, tableParts } from './usage/data.js';
import { edgeParts } from './usage/edge.js';
import { logStoreOf, logStoreParts } from './usage/log-store.js';
import { messagingParts } from './usage/messaging.js';
import { complianceParts, monitoringParts } from './usage/monitoring.js';
import {
  apiGatewayParts,
  deliveryParts,
  dnsParts,
  loadBalancerParts,
  natGatewayParts,
  protectionParts,
  userPoolParts,
} from './usage/network.js';

/**
 * Every service a stage pays for, as usage documents: fixed quantities from the inventory,
 * traffic from the profile routed through what the stage has (a cache in front of the table,
 * containers instead of Lambda for the API, replicas in other regions...). Each service family
 * writes its own parts, in the order the plan lists them.
 */
export function usageParts(inventory: Inventory, traffic: Traffic, profile: UsageProfile): UsagePart[] {
  const hasCache = inventory.apiCaches.length > 0 || inventory.cacheNodes.length > 0;
  const jobs = inventory.queues > 0 ? traffic.emails : 0;
  const indexUpdates = inventory.searchDomains.length > 0 ? traffic.writes / 10 : 0;
  const month: StageMonth = {
    inventory,
    traffic,
    profile,
    regions: inventory.regions.length,
    cachedReads: hasCache ? traffic.cacheableReads * profile.cacheHitRatio : 0,
    jobs,
    indexUpdates,
    logStore: logStoreOf(inventory, profile, {
      api: traffic.apiRequests,
      worker: jobs,
      indexer: indexUpdates,
    }),
  };
  return [
    lambdaParts,
    apiGatewayParts,
    deliveryParts,
    edgeParts,
    tableParts,
    messagingParts,
    monitoringParts,
    natGatewayParts,
    loadBalancerParts,
    containerParts,
    cacheNodeParts,
    protectionParts,
    dnsParts,
    clusterParts,
    userPoolParts,
    searchDomainParts,
    eventStreamParts,
    logStoreParts,
    complianceParts,
    reportParts,
  ].flatMap((family) => family(month));
}
