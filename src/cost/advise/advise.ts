import { ConfigError } from '../../contracts/errors.js';
import {
  aboveBand,
  bandLabel,
  capabilitiesOf,
  isStage,
  STAGES,
  type Stage,
  stageForUsers,
  type UserBand,
} from '../../contracts/stages.js';
import { parsePrometheus, quantile, readScrape } from '../../platform/prometheus-scrape.js';
import type { Inventory } from '../plan/inventory.js';
import { money } from '../plan/money.js';
import { type Plan, planStages } from '../plan/plan.js';
import type { UsageProfile } from '../plan/profile.js';
import {
  type Estimate,
  type Evidence,
  evidenceOf,
  MIN_EVIDENCE_REQUESTS,
  usersEstimate,
} from './evidence.js';

/** What one scrape of the running app says, as averages since it started. */
export interface Measured {
  readonly stage: Stage;
  readonly uptimeSeconds: number;
  readonly requests: number;
  readonly requestsPerSecond: number;
  readonly p99Seconds: number | null;
  readonly errorRate5xx: number | null;
  readonly cacheHitRatio: number | null;
  readonly queueDepth: number | null;
  readonly dlqDepth: number | null;
  /** Share of requests refused with 429 by the per-client limiter. */
  readonly rateLimitedShare: number | null;
  readonly enqueueFailures: number;
  /** p95 of product search alone, when enough searches were seen to say. */
  readonly searchP95Seconds: number | null;
  readonly searches: number;
  /** Analytics events accepted per second. */
  readonly eventsPerSecond: number;
}

export interface Finding {
  /** The rule's stable name. */
  readonly rule: string;
  /** up: the next stage; down: the stage is more than the traffic needs; fix: not a stage matter. */
  readonly direction: 'up' | 'down' | 'fix' | 'ok';
  readonly measured: number;
  readonly threshold: number;
  readonly message: string;
}

export interface Advice {
  readonly stage: Stage;
  readonly measured: Measured;
  readonly users: number;
  /** `profile` when too little traffic was seen to estimate: the costs are the profile's users'. */
  readonly usersFrom: 'flag' | 'request rate' | 'profile';
  /** The range the request rate puts the users in; null when --users gave them or evidence is thin. */
  readonly usersRange: Estimate | null;
  /** What the scrape is worth: below its minimum, no rate is extrapolated and no verdict given. */
  readonly evidence: Evidence;
  readonly verdict: 'stay' | 'move-up' | 'move-down' | 'not-enough-data';
  readonly recommendedStage: Stage;
  readonly findings: Finding[];
  readonly cost: {
    readonly currentUsd: number;
    readonly recommendedUsd: number;
    readonly deltaUsd: number;
    /** Each stage's monthly cost at the low and the high end of the users range. */
    readonly currentRangeUsd: readonly [number, number] | null;
    readonly recommendedRangeUsd: readonly [number, number] | null;
  };
  readonly summary: string;
  /** Every stage priced at the users the advice is for. */
  readonly plan: Plan;
}

/** p99 latency above which a stage's architecture, not the code, is the likely limit. */
export const P99_LIMIT_SECONDS = 1;
export const ERROR_RATE_LIMIT = 0.01;
export const CACHE_HIT_FLOOR = 0.5;
/** Above this share of 429s, the limiter is turning customers away, or an abuser needs blocking at WAF. */
export const RATE_LIMITED_LIMIT = 0.02;

/** Search slower than this at p95 has outgrown the table or the in-process index. */
export const SEARCH_P95_LIMIT_SECONDS = 0.5;
/** Fewer searches than this say nothing about search latency. */
export const SEARCH_SAMPLE_FLOOR = 100;
/**
 * Events per second past which per-product counters in the table are the wrong tool: a popular
 * product's counter is one item, and one partition takes at most 1,000 writes a second.
 */
export const EVENTS_PER_SECOND_LIMIT = 200;

/** What the next stage brings that the rules point at. */
const NEXT_STAGE_BRINGS: Record<Stage, string> = {
  startup: 'a cache in front of the table and a queue for slow work',
  growing: 'Redis shared by every API task, the API in containers, and a second region',
  scaling: 'OpenSearch for search, Kubernetes for the services and a third region',
  enterprise: 'nothing further: scale the enterprise stage out',
};
export const QUEUE_BACKLOG_LIMIT = 1000;
/** A stage is more than the traffic needs below half its band's lower bound (no flapping at the edge). */
export const STEP_DOWN_SHARE = 0.5;

/** Whether a range of users runs past either end of a band (or past the step-down floor). */
function straddles(band: UserBand, range: Estimate): boolean {
  const floor = band.min * STEP_DOWN_SHARE;
  return (
    aboveBand(band, range.high) !== aboveBand(band, range.low) || (range.low < floor && range.high >= floor)
  );
}

/** Reads a scrape of GET /metrics. A text without the app's metrics is refused. */
export function measure(metricsText: string): Measured {
  const samples = parsePrometheus(metricsText);
  const scrape = readScrape(samples, 0);
  if (!scrape.stage || !isStage(scrape.stage))
    throw new ConfigError('metrics: no growstack_stage_info sample: is this a Growstack /metrics scrape?');
  const uptime = samples.find((sample) => sample.name === 'growstack_uptime_seconds')?.value;
  if (uptime === undefined || uptime <= 0)
    throw new ConfigError('metrics: no growstack_uptime_seconds sample, so no rate can be measured');
  const cacheReads = scrape.cache ? scrape.cache.hits + scrape.cache.misses : 0;
  return {
    stage: scrape.stage,
    uptimeSeconds: uptime,
    requests: scrape.requests,
    requestsPerSecond: scrape.requests / uptime,
    p99Seconds: quantile(0.99, new Map(), scrape.buckets),
    errorRate5xx: scrape.requests > 0 ? scrape.errors5xx / scrape.requests : null,
    cacheHitRatio: scrape.cache && cacheReads > 0 ? scrape.cache.hits / cacheReads : null,
    queueDepth: scrape.queue?.depth ?? null,
    dlqDepth: scrape.queue?.deadLetters ?? null,
    rateLimitedShare: scrape.requests > 0 ? scrape.rateLimited / scrape.requests : null,
    enqueueFailures: scrape.enqueueFailures,
    searches: scrape.searchBuckets.get(Number.POSITIVE_INFINITY) ?? 0,
    searchP95Seconds:
      (scrape.searchBuckets.get(Number.POSITIVE_INFINITY) ?? 0) >= SEARCH_SAMPLE_FLOOR
        ? quantile(0.95, new Map(), scrape.searchBuckets)
        : null,
    eventsPerSecond: scrape.eventsRecorded / uptime,
  };
}

const percent = (ratio: number) => `${(ratio * 100).toFixed(1)} %`;
const count = (value: number) => Math.round(value).toLocaleString('en-US');
const nextOf = (stage: Stage): Stage => STAGES[Math.min(STAGES.indexOf(stage) + 1, STAGES.length - 1)]!;

/** The rules, each with the value it measured and the threshold it compares against. */
function findingsFor(
  measured: Measured,
  users: number,
  evidence: Evidence,
  range: Estimate | null,
  thin: boolean,
): Finding[] {
  const stage = measured.stage;
  const caps = capabilitiesOf(stage);
  const band = caps.users;
  const findings: Finding[] = [];
  const spread =
    range === null
      ? ''
      : ` (range ${count(range.low)}-${count(range.high)}${straddles(band, range) ? `, which reaches across ${stage}'s ${bandLabel(band)} band: the verdict rests on the middle of the range` : ''})`;
  if (thin) {
    findings.push({
      rule: 'evidence-window',
      direction: 'ok',
      measured: evidence.requests,
      threshold: evidence.minRequests,
      message: `not enough data yet (${evidence.window}; need ${evidence.need}): no users are estimated and no stage is advised from it`,
    });
  } else if (band.max !== null && aboveBand(band, users)) {
    findings.push({
      rule: 'users-above-stage',
      direction: 'up',
      measured: users,
      threshold: band.max,
      message: `${count(users)} monthly users${spread} is past what ${stage} is sized for (${count(band.max)}): move to ${stageForUsers(users)}`,
    });
  } else if (users < band.min * STEP_DOWN_SHARE) {
    findings.push({
      rule: 'users-below-stage',
      direction: 'down',
      measured: users,
      threshold: band.min * STEP_DOWN_SHARE,
      message: `${count(users)} monthly users${spread} is under half of what ${stage} is built for (${count(band.min)} and up): ${stageForUsers(users)} would serve them for less`,
    });
  } else {
    findings.push({
      rule: 'users-in-band',
      direction: 'ok',
      measured: users,
      threshold: band.max ?? band.min,
      message: `${count(users)} monthly users${spread} is within ${stage}'s ${bandLabel(band)} band`,
    });
  }
  // A latency quantile or a share of a handful of requests says little: these wait for the minimum.
  const sampled = evidence.requests >= MIN_EVIDENCE_REQUESTS;
  if (
    sampled &&
    measured.p99Seconds !== null &&
    measured.p99Seconds > P99_LIMIT_SECONDS &&
    stage !== 'enterprise'
  ) {
    findings.push({
      rule: 'p99-latency',
      direction: 'up',
      measured: measured.p99Seconds,
      threshold: P99_LIMIT_SECONDS,
      message: `p99 latency ${measured.p99Seconds.toFixed(2)} s is above ${P99_LIMIT_SECONDS} s: ${nextOf(stage)} adds ${NEXT_STAGE_BRINGS[stage]}`,
    });
  }
  // The enterprise stage's own triggers: what OpenSearch and the event stream are for.
  if (
    caps.search !== 'opensearch' &&
    measured.searchP95Seconds !== null &&
    measured.searchP95Seconds > SEARCH_P95_LIMIT_SECONDS
  ) {
    findings.push({
      rule: 'search-latency',
      direction: 'up',
      measured: measured.searchP95Seconds,
      threshold: SEARCH_P95_LIMIT_SECONDS,
      message: `search p95 ${measured.searchP95Seconds.toFixed(2)} s over ${count(measured.searches)} searches is above ${SEARCH_P95_LIMIT_SECONDS} s: ${caps.search === 'table' ? 'the table scans the catalog for every search' : 'the in-process index matches text in memory on every instance'}; enterprise moves search to OpenSearch (ranked, typo-tolerant, kept current from the table's stream)`,
    });
  }
  if (caps.analytics !== 'kinesis' && measured.eventsPerSecond > EVENTS_PER_SECOND_LIMIT) {
    findings.push({
      rule: 'event-volume',
      direction: 'up',
      measured: measured.eventsPerSecond,
      threshold: EVENTS_PER_SECOND_LIMIT,
      message: `${measured.eventsPerSecond.toFixed(0)} analytics events a second go to per-product counters in the table, where a popular product is one hot item (1,000 writes a second at most): enterprise streams events to Kinesis and answers reports with Athena`,
    });
  }
  if (sampled && measured.errorRate5xx !== null && measured.errorRate5xx > ERROR_RATE_LIMIT) {
    findings.push({
      rule: 'error-rate',
      direction: 'fix',
      measured: measured.errorRate5xx,
      threshold: ERROR_RATE_LIMIT,
      message: `${percent(measured.errorRate5xx)} of requests failed with 5xx (limit ${percent(ERROR_RATE_LIMIT)}): find the failing route before changing stage`,
    });
  }
  if (sampled && measured.cacheHitRatio !== null && measured.cacheHitRatio < CACHE_HIT_FLOOR) {
    findings.push({
      rule: 'cache-hit-ratio',
      direction: 'fix',
      measured: measured.cacheHitRatio,
      threshold: CACHE_HIT_FLOOR,
      message: `cache hit ratio ${percent(measured.cacheHitRatio)} is below ${percent(CACHE_HIT_FLOOR)}: the cache costs memory without saving reads (check TTLs and invalidation)`,
    });
  }
  if (sampled && measured.rateLimitedShare !== null && measured.rateLimitedShare > RATE_LIMITED_LIMIT) {
    // Before scaling each API instance counts alone, so a client spread over instances gets more.
    const counters =
      caps.cache === 'redis' ? 'counted across every task in Redis' : 'counted per API instance';
    findings.push({
      rule: 'rate-limited',
      direction: 'fix',
      measured: measured.rateLimitedShare,
      threshold: RATE_LIMITED_LIMIT,
      message: `${percent(measured.rateLimitedShare)} of requests were refused with 429 (limits ${counters}): raise RATE_LIMIT if these are customers behind shared addresses, or block the abusing address in WAF`,
    });
  }
  if (measured.enqueueFailures > 0) {
    findings.push({
      rule: 'jobs-lost',
      direction: 'fix',
      measured: measured.enqueueFailures,
      threshold: 0,
      message: `${count(measured.enqueueFailures)} jobs were not enqueued because the queue was unreachable (their e-mails were never sent; each is logged in full)`,
    });
  }
  if (measured.dlqDepth !== null && measured.dlqDepth > 0) {
    findings.push({
      rule: 'dead-letters',
      direction: 'fix',
      measured: measured.dlqDepth,
      threshold: 0,
      message: `${count(measured.dlqDepth)} jobs are in the dead-letter queue: their e-mails were not sent`,
    });
  }
  if (measured.queueDepth !== null && measured.queueDepth > QUEUE_BACKLOG_LIMIT) {
    findings.push({
      rule: 'queue-backlog',
      direction: 'fix',
      measured: measured.queueDepth,
      threshold: QUEUE_BACKLOG_LIMIT,
      message: `${count(measured.queueDepth)} jobs are waiting: give the worker more concurrency or larger batches`,
    });
  }
  return findings;
}

/**
 * Whether the running stage still fits: the rules that fired, the stage they point to, and what
 * that stage costs per month next to the current one under the same profile.
 */
export function advise(options: {
  metricsText: string;
  profile: UsageProfile;
  usersFlag?: number;
  region: string;
  inventories: ReadonlyMap<Stage, Inventory>;
}): Advice {
  const measured = measure(options.metricsText);
  const evidence = evidenceOf(measured.requests, measured.uptimeSeconds);
  const thin = options.usersFlag === undefined && !evidence.enough;
  const range = options.usersFlag === undefined && !thin ? usersEstimate(options.profile, evidence) : null;
  // Too little traffic to estimate from: costs are shown for the profile's users, and say so.
  const users = options.usersFlag ?? range?.point ?? options.profile.users;
  const findings = findingsFor(measured, users, evidence, range, thin);
  const up = findings.filter((finding) => finding.direction === 'up');
  const down = findings.filter((finding) => finding.direction === 'down');
  let recommendedStage: Stage = measured.stage;
  if (thin) recommendedStage = measured.stage;
  else if (up.length > 0) {
    const byUsers = stageForUsers(users);
    const next = nextOf(measured.stage);
    recommendedStage = STAGES.indexOf(byUsers) > STAGES.indexOf(next) ? byUsers : next;
  } else if (down.length > 0) recommendedStage = stageForUsers(users);
  const verdict = thin
    ? 'not-enough-data'
    : up.length > 0
      ? 'move-up'
      : down.length > 0
        ? 'move-down'
        : 'stay';
  const planAt = (count: number) =>
    planStages({
      profile: { ...options.profile, users: count },
      region: options.region,
      inventories: options.inventories,
    });
  const plan = planAt(users);
  const totalOf = (of: Plan, stage: Stage) => of.stages.find((candidate) => candidate.stage === stage);
  const currentUsd = totalOf(plan, measured.stage)?.totalUsd ?? 0;
  const recommendedUsd = totalOf(plan, recommendedStage)?.totalUsd ?? 0;
  const deltaUsd = Number((recommendedUsd - currentUsd).toFixed(2));
  const ends = range ? [planAt(range.low), planAt(range.high)] : null;
  const rangeOf = (stage: Stage) =>
    ends
      ? ([totalOf(ends[0]!, stage)?.totalUsd ?? 0, totalOf(ends[1]!, stage)?.totalUsd ?? 0] as const)
      : null;
  const incomplete = [measured.stage, recommendedStage].some(
    (stage) => totalOf(plan, stage)?.complete === false,
  );
  const atLeast = incomplete ? ' (at least: some lines are not priced)' : '';
  const over = (stage: Stage) => {
    const span = rangeOf(stage);
    return span ? ` (${money(span[0])}-${money(span[1])} over the users range)` : '';
  };
  const summary =
    verdict === 'not-enough-data'
      ? `not enough data yet (${evidence.window}; need ${evidence.need}): run longer, or pass --users N`
      : verdict === 'stay'
        ? `${measured.stage} still fits: ${money(currentUsd)} a month${over(measured.stage)} at ${count(users)} users${atLeast}`
        : `move ${verdict === 'move-up' ? 'up' : 'down'} from ${measured.stage} to ${recommendedStage}: ${money(recommendedUsd)} a month${over(recommendedStage)} instead of ${money(currentUsd)} (${deltaUsd >= 0 ? '+' : '-'}${money(Math.abs(deltaUsd))})${atLeast}`;
  return {
    stage: measured.stage,
    measured,
    users,
    usersFrom: options.usersFlag !== undefined ? 'flag' : thin ? 'profile' : 'request rate',
    usersRange: range,
    evidence,
    verdict,
    recommendedStage,
    findings,
    cost: {
      currentUsd,
      recommendedUsd,
      deltaUsd,
      currentRangeUsd: rangeOf(measured.stage),
      recommendedRangeUsd: rangeOf(recommendedStage),
    },
    summary,
    plan,
  };
}
