import { describe, expect, it } from 'vitest';
import { templateInventories } from '../../../test/support/synth.js';
import { STAGES, type Stage } from '../../contracts/stages.js';
import { evidenceOf, usersEstimate } from '../advise/evidence.js';
import { planStages, type StagePlan } from './plan.js';
import { parseProfile } from './profile.js';

/** Each stage's inventory as growstack plan counts it, from the shared template cache. */
const templated = await templateInventories();

/**
 * The sizing model pinned by hand: one profile (500,000 users, every other field at its default),
 * every stage's billed quantities derived below with the arithmetic in comments. A line's quantity
 * is what is billed, after the free tier. A 10x slip in requests, GB-seconds, read or write units,
 * task-seconds or GB out fails here, where the totals-add-up tests would pass.
 *
 * Traffic (src/cost/plan/profile.ts), U = 500,000:
 *   sessions       = U x 6                         = 3,000,000
 *   API requests   = sessions x 15                 = 45,000,000
 *   reads          = 45M x 0.9                     = 40,500,000;  writes = 4,500,000
 *   cacheable      = reads x 0.7                   = 28,350,000;  cached (hit 0.8) = 22,680,000
 *   web requests   = sessions x 8                  = 24,000,000
 *   web GB         = 3M x 350 KB / 1024²           = 1,001.358 GB
 *   API GB out     = 45M x 6 KB / 1024²            = 257.492 GB
 *   table GB       = U x 30 KB / 1024²             = 14.305 GB
 *   e-mails (jobs) = U x 0.1 sign-ups + U x 0.3 orders = 200,000
 */
const profile = parseProfile({}, 500_000);
const inventories = new Map(templated);
const plan = planStages({ profile, region: 'us-east-1', inventories });
const stageOf = (stage: Stage) => plan.stages.find((candidate) => candidate.stage === stage) as StagePlan;

/**
 * The billed quantity of a service's lines whose item starts with `item` (tiers and regions summed),
 * by kind; without a kind, the regions' shares the price list cannot price count too: the quantity
 * a profile implies does not depend on which prices are known.
 */
function quantity(stage: Stage, service: string, item: string, kind?: 'fixed' | 'usage'): number {
  const cost = stageOf(stage).services.find((candidate) => candidate.service === service);
  const lines =
    cost?.lines.filter((line) => line.item.startsWith(item) && (kind === undefined || line.kind === kind)) ??
    [];
  const missing =
    kind === undefined ? (cost?.missing.filter((entry) => entry.item.startsWith(item)) ?? []) : [];
  const sum = [...lines, ...missing].reduce((total, entry) => total + entry.quantity, 0);
  // Shares of a line split between regions add back up to the whole, give or take float rounding.
  return Math.abs(sum - Math.round(sum)) < 1e-6 ? Math.round(sum) : sum;
}

const WEB_AND_API_GB = (3_000_000 * 350 + 45_000_000 * 6) / 1024 ** 2;
const TABLE_GB = (500_000 * 30) / 1024 ** 2;

describe('the quantities a profile implies, stage by stage, derived by hand', () => {
  it('traffic', () => {
    expect(plan.traffic).toMatchObject({
      sessions: 3_000_000,
      apiRequests: 45_000_000,
      reads: 40_500_000,
      writes: 4_500_000,
      webRequests: 24_000_000,
      emails: 200_000,
    });
    expect(plan.traffic.cacheableReads).toBeCloseTo(28_350_000, 3);
    expect(plan.traffic.webGb).toBeCloseTo(1001.358, 3);
    expect(plan.traffic.apiResponseGb).toBeCloseTo(257.492, 3);
  });

  it.each(STAGES)(
    '%s: CloudFront requests and GB out (every stage fronts the site and the API with it)',
    (stage) => {
      // 24M web + 45M API requests - 10M free = 59,000,000.
      expect(quantity(stage, 'cloudfront', 'HTTPS requests')).toBe(59_000_000);
      // 1,001.358 + 257.492 = 1,258.850 GB - 1,024 GB free = 234.850 GB.
      expect(quantity(stage, 'cloudfront', 'Data transfer out')).toBeCloseTo(WEB_AND_API_GB - 1024, 6);
      expect(quantity(stage, 'ses', 'Outbound e-mail')).toBe(200_000 - 3_000);
    },
  );

  it('startup: every API call through API Gateway, Lambda and the table', () => {
    // 45M REST calls - 1M free.
    expect(quantity('startup', 'apigateway', 'REST API requests')).toBe(44_000_000);
    // 45M invocations - 1M free.
    expect(quantity('startup', 'lambda', 'Requests')).toBe(44_000_000);
    // 45M x 60 ms = 2,700,000 s x 0.5 GB = 1,350,000 GB-s - 400,000 free.
    expect(quantity('startup', 'lambda', 'Duration')).toBe(950_000);
    // 40.5M reads x 2 RRU; 4.5M writes x 4 WRU.
    expect(quantity('startup', 'dynamodb', 'On-demand reads')).toBe(81_000_000);
    expect(quantity('startup', 'dynamodb', 'On-demand writes')).toBe(18_000_000);
    // 14.3 GB, inside the 25 GB free.
    expect(quantity('startup', 'dynamodb', 'Storage')).toBe(0);
  });

  it('growing: the API cache answers 22.68M reads before Lambda and the table; the queue carries the jobs', () => {
    // API Gateway bills every call, cached or not: 45M - 1M free.
    expect(quantity('growing', 'apigateway', 'REST API requests')).toBe(44_000_000);
    // One 0.5 GB cache for 730 h.
    expect(quantity('growing', 'apigateway', 'Cache 0.5 GB', 'fixed')).toBe(730);
    // API 45M - 22.68M = 22.32M, worker 200,000 (same size, priced together): 22.52M - 1M free.
    expect(quantity('growing', 'lambda', 'Requests')).toBe(21_520_000);
    // 22.32M x 60 ms = 1,339,200 s + 200,000 x 250 ms = 50,000 s; x 0.5 GB = 694,600 - 400,000.
    expect(quantity('growing', 'lambda', 'Duration')).toBe(294_600);
    // (40.5M - 22.68M) x 2 = 35,640,000; writes unchanged.
    expect(quantity('growing', 'dynamodb', 'On-demand reads')).toBe(35_640_000);
    expect(quantity('growing', 'dynamodb', 'On-demand writes')).toBe(18_000_000);
    expect(quantity('growing', 'dynamodb', 'Point-in-time recovery')).toBeCloseTo(TABLE_GB, 9);
    // 3 requests a job x 200,000 + the event source's polls, 5 x 2,628,000 s / 20 s = 657,000,
    // = 1,257,000 - 1M free; at zero traffic 657,000 is inside the free tier, so all of it is usage.
    expect(quantity('growing', 'sqs', 'Standard requests', 'usage')).toBe(257_000);
    expect(quantity('growing', 'sqs', 'Standard requests', 'fixed')).toBe(0);
  });

  it('scaling: two regions, the API on Fargate, Redis before the table', () => {
    // Two services (one a region) x 2 tasks x 730 h x 3,600 s x 1 vCPU / 2 GB. The peak,
    // 45M / 2,628,000 s x 3 = 51.4 req/s, 25.7 a region, needs 1 task at 200 req/s a vCPU:
    // the two standing tasks carry it, so nothing is added for the peak.
    expect(quantity('scaling', 'fargate', 'vCPU', 'fixed')).toBe(2 * 2 * 730 * 3600);
    expect(quantity('scaling', 'fargate', 'Memory', 'fixed')).toBe(2 * 2 * 730 * 3600 * 2);
    expect(quantity('scaling', 'fargate', 'vCPU', 'usage')).toBe(0);
    // No REST API: the only function traffic is the worker's 200,000 jobs, inside the free tier.
    expect(quantity('scaling', 'apigateway', 'REST API requests')).toBe(0);
    expect(quantity('scaling', 'lambda', 'Requests')).toBe(0);
    expect(quantity('scaling', 'dynamodb', 'On-demand reads')).toBe(35_640_000);
    expect(quantity('scaling', 'dynamodb', 'On-demand writes')).toBe(18_000_000);
    // The replica copies every write unit once.
    expect(quantity('scaling', 'dynamodb', 'Replicated writes')).toBe(18_000_000);
    // 14.305 GB x 2 replicas = 28.610 GB - 25 free; PITR on all of it.
    expect(quantity('scaling', 'dynamodb', 'Storage')).toBeCloseTo(2 * TABLE_GB - 25, 9);
    expect(quantity('scaling', 'dynamodb', 'Point-in-time recovery')).toBeCloseTo(2 * TABLE_GB, 9);
    // 4.5M writes x 1 KB to one other region = 4.292 GB.
    expect(quantity('scaling', 'datatransfer', 'Between regions')).toBeCloseTo(4_500_000 / 1024 ** 2, 9);
    // Polls in two regions: 1,314,000 - 1M free = 314,000 fixed; the jobs' 600,000 are usage.
    expect(quantity('scaling', 'sqs', 'Standard requests', 'fixed')).toBe(314_000);
    expect(quantity('scaling', 'sqs', 'Standard requests', 'usage')).toBe(600_000);
  });

  it('enterprise: three regions, EKS nodes, an edge function, the table’s stream', () => {
    // The templates' node groups, one a region, of eksMinNodes = 3 m7g.large nodes each, all month
    // (they do not autoscale; pods scale within them): 3 x 3 x 730 h = 6,570 instance-hours, and a
    // 20 GB gp3 root volume a node: 9 x 20 = 180 GB-months. Nothing runs on Fargate.
    expect(quantity('enterprise', 'ec2', 'm7g.large on-demand', 'fixed')).toBe(3 * 3 * 730);
    expect(quantity('enterprise', 'ec2', 'gp3 root volumes', 'fixed')).toBe(3 * 3 * 20);
    expect(quantity('enterprise', 'fargate', 'vCPU')).toBe(0);
    // The product pages' renderer on origin request: 500,000 users x 0.5 crawler requests =
    // 250,000, 80 % missing the cache = 200,000 renders of 40 ms; and the shell's pass-throughs,
    // 13 regional edge caches x 12 an hour x 730 h = 113,880 of 1 ms. 313,880 requests;
    // (8,000,000 + 113,880) ms = 8,113.88 s x 0.25 GB = 2,028.47 GB-s (no free tier).
    expect(quantity('enterprise', 'lambdaedge', 'Lambda@Edge requests')).toBe(313_880);
    expect(quantity('enterprise', 'lambdaedge', 'Lambda@Edge duration')).toBeCloseTo(2_028.47, 6);
    expect(quantity('enterprise', 'dynamodb', 'On-demand reads')).toBe(35_640_000);
    // Two other replicas: 18M x 2.
    expect(quantity('enterprise', 'dynamodb', 'Replicated writes')).toBe(36_000_000);
    expect(quantity('enterprise', 'dynamodb', 'Storage')).toBeCloseTo(3 * TABLE_GB - 25, 9);
    // The indexer reads the stream once per 10 writes: 450,000, inside the 2.5M free.
    expect(quantity('enterprise', 'dynamodb', 'Streams read requests')).toBe(0);
    expect(quantity('enterprise', 'datatransfer', 'Between regions')).toBeCloseTo(9_000_000 / 1024 ** 2, 9);
    // Polls in three regions: 1,971,000 - 1M free; the jobs' 600,000: 1,571,000 in all, a third a
    // region (ap-southeast-1's third is not priced: the price list has no SQS figure there).
    expect(quantity('enterprise', 'sqs', 'Standard requests')).toBe(1_571_000);
    // 200,000 jobs + 450,000 index updates + the log transform (at most one a minute a stream,
    // 3 x 43,800) stay inside the 1M free requests.
    expect(quantity('enterprise', 'lambda', 'Requests')).toBe(0);
  });
});

describe('the advisor’s users from the request rate, by hand', () => {
  it('divides the month’s requests by the profile’s calls per user', () => {
    // 90,000 requests over a day: 90,000 / 86,400 s x 2,628,000 s = 2,737,500 a month; / (6 x 15)
    // = 30,416.7 -> 30,417 users. Spread 1.96 x √90,000 = 588; a day is not under a day, so the
    // band is the week's 25 %: low 89,412 / 1.25 = 71,529.6 x 30.4167 = 2,175,691 / 90 = 24,174;
    // high 90,588 x 1.25 = 113,235 x 30.4167 = 3,444,231 / 90 = 38,269.
    const estimate = usersEstimate(profile, evidenceOf(90_000, 86_400));
    expect(estimate.point).toBe(30_417);
    expect(estimate.low).toBe(24_174);
    expect(estimate.high).toBe(38_269);
  });
});
