import { EVENT_KB, gb, HOURS_PER_MONTH, inPrimary, type StageMonth, type UsagePart } from './context.js';

/** Share of static-file requests CloudFront answers from its edge caches. */
const EDGE_HIT_RATIO = 0.9;

export function apiGatewayParts({ inventory, traffic }: StageMonth): UsagePart[] {
  if (inventory.restApis === 0) return [];
  return [
    {
      service: 'apigateway',
      // Behind CloudFront: data transfer out is CloudFront's (origin fetches from AWS are free).
      usage: { apiType: 'rest', requests: Math.round(traffic.apiRequests) },
    },
    ...inventory.apiCaches.map((size) => ({
      service: 'apigateway',
      usage: { apiType: 'rest', cacheSizeGb: Number(size), freeTier: false },
      fixedOnly: true,
    })),
  ];
}

/** CloudFront and the bucket behind it (which also holds the delivered analytics events). */
export function deliveryParts({ inventory, traffic }: StageMonth): UsagePart[] {
  if (inventory.distributions === 0) return [];
  return [
    {
      service: 'cloudfront',
      usage: {
        requests: Math.round(traffic.webRequests + traffic.apiRequests),
        dataTransferOutGb: traffic.webGb + traffic.apiResponseGb,
        // Lambda@Edge is priced on its own, from the requests that reach it (usage/edge.ts).
      },
    },
    {
      service: 's3',
      usage: {
        storageGb: 0.05 + (inventory.deliveryStreams > 0 ? gb(traffic.analyticsEvents * EVENT_KB) : 0),
        getRequests: Math.round(traffic.webRequests * (1 - EDGE_HIT_RATIO)),
        putRequests: 200 + (inventory.deliveryStreams > 0 ? 730 * 12 : 0),
      },
      atZeroTraffic: { getRequests: 0 },
    },
  ];
}

export function natGatewayParts({ inventory, traffic }: StageMonth): UsagePart[] {
  if (inventory.natGateways === 0) return [];
  return [
    {
      service: 'natgateway',
      // DynamoDB and S3 go through gateway endpoints; SQS, SES and the rest leave through NAT.
      usage: { gateways: inventory.natGateways, dataProcessedGb: traffic.apiResponseGb * 0.05 },
      atZeroTraffic: { dataProcessedGb: 0 },
    },
  ];
}

export function loadBalancerParts({ inventory, traffic }: StageMonth): UsagePart[] {
  if (inventory.loadBalancers === 0) return [];
  // LCUs: the largest of new connections (25/s), processed bytes (1 GB/h) and rule evaluations.
  const perBalancerRps = traffic.averageRps / inventory.loadBalancers;
  const processedGbPerHour = traffic.apiResponseGb / HOURS_PER_MONTH / inventory.loadBalancers;
  return [
    {
      service: 'alb',
      usage: {
        loadBalancers: inventory.loadBalancers,
        lcus: Math.max(perBalancerRps / 25, processedGbPerHour, perBalancerRps / 1000),
      },
      atZeroTraffic: { lcus: 0 },
    },
  ];
}

/** The web ACLs in front of CloudFront and the API, and Shield Advanced. */
export function protectionParts({ inventory, traffic }: StageMonth): UsagePart[] {
  const parts: UsagePart[] = [];
  if (inventory.webAcls.length > 0) {
    parts.push({
      service: 'waf',
      usage: {
        webAcls: inventory.webAcls.length,
        rules: inventory.webAcls.reduce((sum, rules) => sum + rules, 0),
        // The edge ACL sees every request; a regional ACL sees the API requests that reach it.
        requests: Math.round(traffic.webRequests + traffic.apiRequests * 2),
      },
      atZeroTraffic: { requests: 0 },
    });
  }
  if (inventory.shieldAdvanced) {
    parts.push({
      service: 'shield',
      usage: { subscription: true, cloudfrontDataOutGb: traffic.webGb + traffic.apiResponseGb },
      atZeroTraffic: { cloudfrontDataOutGb: 0 },
    });
  }
  return parts;
}

export function dnsParts({ inventory, traffic }: StageMonth): UsagePart[] {
  if (inventory.hostedZones === 0 && inventory.healthChecks === 0) return [];
  return [
    {
      service: 'route53',
      // Resolvers cache answers: about two latency-routed lookups per session.
      usage: {
        hostedZones: inventory.hostedZones,
        healthChecks: inventory.healthChecks,
        latencyQueries: Math.round(traffic.sessions * 2),
      },
      atZeroTraffic: { latencyQueries: 0 },
    },
  ];
}

export function userPoolParts({ inventory, profile }: StageMonth): UsagePart[] {
  return inventory.userPools > 0
    ? [{ service: 'cognito', usage: { mau: profile.users }, ...inPrimary(inventory) }]
    : [];
}
