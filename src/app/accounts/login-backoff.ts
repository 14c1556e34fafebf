import { TooManyRequestsError } from '../../contracts/errors.js';
import type { AttemptCount, Clock, LoginThrottle } from '../../contracts/ports.js';

/** How failed logins slow down: a few free tries, then a wait that doubles with each failure. */
export interface BackoffPolicy {
  /** Failures that cost nothing. */
  readonly free: number;
  /** The longest wait. */
  readonly maxDelaySeconds: number;
  /** Failures are forgotten this long after the last one. */
  readonly windowSeconds: number;
}

/** Per account: 5 free tries, then 1 s, 2 s, 4 s … up to 15 minutes. */
export const ACCOUNT_BACKOFF: BackoffPolicy = { free: 5, maxDelaySeconds: 900, windowSeconds: 900 };
/** Per client: more room (several shoppers may share one address behind a NAT). */
export const CLIENT_BACKOFF: BackoffPolicy = { free: 20, maxDelaySeconds: 900, windowSeconds: 900 };

/** Seconds until the next try is allowed, or 0. */
export function waitSeconds(count: AttemptCount | null, policy: BackoffPolicy, now: Date): number {
  if (!count || count.failures < policy.free) return 0;
  const elapsed = now.getTime() - count.lastFailureAt;
  if (elapsed > policy.windowSeconds * 1000) return 0;
  const delay = Math.min(policy.maxDelaySeconds, 2 ** (count.failures - policy.free)) * 1000;
  return Math.max(0, Math.ceil((delay - elapsed) / 1000));
}

/** The keys one login is counted under, and what each may spend. */
export type ThrottleKeys = readonly (readonly [key: string, policy: BackoffPolicy])[];

/**
 * Login throttling over the LoginThrottle port: refuses (429, `retry-after`) while any key
 * waits, counts a failure against every key, and clears the account's count on success.
 */
export class LoginBackoff {
  constructor(
    private readonly throttle: LoginThrottle,
    private readonly clock: Clock,
  ) {}

  async check(keys: ThrottleKeys): Promise<void> {
    const now = this.clock.now();
    const counts = await Promise.all(keys.map(([key]) => this.throttle.get(key, now)));
    const wait = Math.max(
      0,
      ...counts.map((count, index) => waitSeconds(count, keys[index]?.[1] ?? ACCOUNT_BACKOFF, now)),
    );
    if (wait > 0)
      throw new TooManyRequestsError(
        `Too many failed logins; try again in ${wait} s (or reset the password with POST /api/auth/password-reset).`,
        wait,
      );
  }

  async failed(keys: ThrottleKeys): Promise<void> {
    const now = this.clock.now();
    await Promise.all(
      keys.map(([key, policy]) => this.throttle.recordFailure(key, now, policy.windowSeconds)),
    );
  }

  async succeeded(key: string): Promise<void> {
    await this.throttle.reset(key);
  }
}
