import type { UsageProfile } from '../plan/profile.js';
import { SECONDS_PER_MONTH, usersFromRequests } from '../plan/profile.js';

/**
 * The least a scrape must hold before the advisor extrapolates its request rate to a month, or
 * reads a latency or error share from it: an hour (a few minutes of clicking is one person, not
 * a month of customers) and 500 requests (a p99 of fewer is little more than the slowest one).
 */
export const MIN_EVIDENCE_SECONDS = 3600;
export const MIN_EVIDENCE_REQUESTS = 500;

/** z for a two-sided 95 % interval. */
const Z95 = 1.96;
const DAY = 86_400;
const WEEK = 7 * DAY;
/** Weekdays and weekends differ: a window of one to seven days is taken as up to 25 % off the week's mean. */
const WEEK_FACTOR = 1.25;

/** What a scrape is worth as evidence, and whether it is enough to answer from. */
export interface Evidence {
  readonly requests: number;
  readonly seconds: number;
  readonly minRequests: number;
  readonly minSeconds: number;
  readonly enough: boolean;
  /** "1,000 requests over 60 minutes". */
  readonly window: string;
  /** "at least 500 requests over at least 60 minutes". */
  readonly need: string;
}

const minutes = (seconds: number) =>
  seconds < 120
    ? `${Math.round(seconds)} second${Math.round(seconds) === 1 ? '' : 's'}`
    : `${Math.round(seconds / 60).toLocaleString('en-US')} minutes`;

export function evidenceOf(requests: number, seconds: number): Evidence {
  return {
    requests,
    seconds,
    minRequests: MIN_EVIDENCE_REQUESTS,
    minSeconds: MIN_EVIDENCE_SECONDS,
    enough: requests >= MIN_EVIDENCE_REQUESTS && seconds >= MIN_EVIDENCE_SECONDS,
    window: `${Math.round(requests).toLocaleString('en-US')} requests over ${minutes(seconds)}`,
    need: `at least ${MIN_EVIDENCE_REQUESTS.toLocaleString('en-US')} requests over at least ${minutes(MIN_EVIDENCE_SECONDS)}`,
  };
}

/** A number extrapolated from a sample, with the range it may really lie in and why. */
export interface Estimate {
  readonly point: number;
  readonly low: number;
  readonly high: number;
  readonly basis: string;
}

/**
 * Monthly users from the request rate, as a range: the 95 % interval of the request count (a
 * Poisson count of N has a standard deviation of √N), widened by how far the window's rate may
 * sit from the month's mean. Under a day, the window may fall in the busiest or the quietest hours:
 * the profile's peak-to-average says how far apart those are, taken as a factor either way. From a
 * day to a week, weekdays and weekends: 25 % either way. A week or more: the count alone.
 */
export function usersEstimate(profile: UsageProfile, evidence: Evidence): Estimate {
  const { requests, seconds } = evidence;
  const spread = Z95 * Math.sqrt(requests);
  const factor = seconds < DAY ? profile.peakToAverage : seconds < WEEK ? WEEK_FACTOR : 1;
  const toUsers = (count: number) =>
    Math.max(1, usersFromRequests(profile, (count / seconds) * SECONDS_PER_MONTH));
  const why =
    factor === 1
      ? 'the window is a week or more'
      : seconds < DAY
        ? `widened ×${factor} either way because the window is under a day (the profile's peak-to-average)`
        : `widened ×${factor} either way because the window is under a week (weekdays and weekends differ)`;
  return {
    point: toUsers(requests),
    low: toUsers(Math.max(0, requests - spread) / factor),
    high: toUsers((requests + spread) * factor),
    basis: `95 % interval of the request count (±${Math.round(spread).toLocaleString('en-US')}), ${why}`,
  };
}
