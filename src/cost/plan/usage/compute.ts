import { HOURS_PER_MONTH, type StageMonth, type UsagePart } from './context.js';
import { LOG_TRANSFORM_MS } from './log-store.js';

/** Requests per second one vCPU of the containerised API serves (see `npm run bench`). */
const REQUESTS_PER_VCPU_SECOND = 200;

/** Lambda: the free tier is per account, so functions of one size are priced together. */
export function lambdaParts({
  inventory,
  traffic,
  profile,
  cachedReads,
  jobs,
  indexUpdates,
  logStore,
}: StageMonth): UsagePart[] {
  const parts: UsagePart[] = [];
  const invocations = {
    api:
      inventory.restApis > 0 ? traffic.apiRequests - (inventory.apiCaches.length > 0 ? cachedReads : 0) : 0,
    worker: jobs,
    indexer: indexUpdates,
    'log-transform': logStore.transformInvocations,
    'deploy-time': 0,
  };
  const durations = {
    api: profile.lambdaDurationMs,
    worker: 250,
    indexer: 200,
    'log-transform': LOG_TRANSFORM_MS,
    'deploy-time': 0,
  };
  const groups = new Map<
    string,
    { memoryMb: number; architecture: string; requests: number; ms: number; coldStarts: number }
  >();
  for (const fn of inventory.functions) {
    const key = `${fn.architecture}/${fn.memoryMb}`;
    const group = groups.get(key) ?? {
      memoryMb: fn.memoryMb,
      architecture: fn.architecture,
      requests: 0,
      ms: 0,
      coldStarts: 0,
    };
    // Traffic is shared by a role's functions across regions.
    const sameRole = inventory.functions.filter((other) => other.role === fn.role).length;
    const requests = invocations[fn.role] / sameRole;
    group.requests += requests;
    group.ms += requests * durations[fn.role];
    group.coldStarts += requests * profile.lambdaColdStartShare;
    groups.set(key, group);
  }
  let firstGroup = true;
  for (const group of groups.values()) {
    if (group.requests === 0) continue;
    parts.push({
      service: 'lambda',
      usage: {
        requests: Math.round(group.requests),
        durationMs: group.ms / group.requests,
        memoryMb: group.memoryMb,
        architecture: group.architecture,
        freeTier: firstGroup,
        coldStarts: Math.round(group.coldStarts),
        initMs: profile.lambdaInitMs,
      },
    });
    firstGroup = false;
  }
  return parts;
}

/** Container tasks: the standing ones, and those autoscaling adds for the peak. */
export function containerParts({ inventory, traffic }: StageMonth): UsagePart[] {
  const parts: UsagePart[] = [];
  for (const service of inventory.containerServices) {
    if (service.platform === 'eks' && service.instanceType) {
      // The node group does not autoscale: its nodes run all month; pods scale within them.
      parts.push({
        service: 'ec2',
        usage: {
          instanceType: service.instanceType,
          instances: service.tasks,
          hoursPerInstance: HOURS_PER_MONTH,
          volumeGbPerInstance: service.diskGb ?? 20,
        },
        fixedOnly: true,
      });
      continue;
    }
    const perService = traffic.peakRps / inventory.containerServices.length;
    const needed = Math.ceil(perService / (REQUESTS_PER_VCPU_SECOND * service.vcpu));
    const usage = {
      platform: service.platform,
      architecture: service.architecture,
      vcpu: service.vcpu,
      memoryGb: service.memoryGb,
      hoursPerTask: HOURS_PER_MONTH,
    };
    parts.push({ service: 'fargate', usage: { ...usage, tasks: service.tasks }, fixedOnly: true });
    // Autoscaling adds tasks for the peak; on average they run a third of the month.
    if (needed > service.tasks)
      parts.push({
        service: 'fargate',
        usage: { ...usage, tasks: needed - service.tasks, hoursPerTask: HOURS_PER_MONTH / 3 },
      });
  }
  return parts;
}

export function clusterParts({ inventory }: StageMonth): UsagePart[] {
  return inventory.eksClusters > 0
    ? [{ service: 'eks', usage: { clusters: inventory.eksClusters }, fixedOnly: true }]
    : [];
}
