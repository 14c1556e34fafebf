import type { Redis } from 'ioredis';
import { UnavailableError } from '../../contracts/errors.js';
import type { Clock, SessionRecord, SessionStore } from '../../contracts/ports.js';

/**
 * Scaling-stage sessions in Redis (ElastiCache): one key per token hash, expiring with the
 * session, so a login is one SET and each authenticated request one GET instead of a table read.
 * Redis being away is a 503: nobody is let in, or told their token is wrong, on a guess.
 */
export class RedisSessionStore implements SessionStore {
  readonly mode = 'redis';

  constructor(
    private readonly client: Redis,
    private readonly namespace: string,
    private readonly clock: Clock,
  ) {}

  private key(tokenHash: string): string {
    return `${this.namespace}:session:${tokenHash}`;
  }

  async create(session: SessionRecord): Promise<void> {
    const ttlMs = Date.parse(session.expiresAt) - this.clock.now().getTime();
    if (ttlMs <= 0) return;
    await this.guard(() =>
      this.client.set(this.key(session.tokenHash), JSON.stringify(session), 'PX', ttlMs),
    );
  }

  async get(tokenHash: string): Promise<SessionRecord | null> {
    const text = await this.guard(() => this.client.get(this.key(tokenHash)));
    return text === null ? null : (JSON.parse(text) as SessionRecord);
  }

  async touch(session: SessionRecord, lastSeenAt: string): Promise<void> {
    // XX: a session logged out meanwhile is not brought back.
    const ttlMs = Date.parse(session.expiresAt) - this.clock.now().getTime();
    if (ttlMs <= 0) return;
    await this.guard(() =>
      this.client.set(
        this.key(session.tokenHash),
        JSON.stringify({ ...session, lastSeenAt }),
        'PX',
        ttlMs,
        'XX',
      ),
    );
  }

  async delete(tokenHash: string): Promise<void> {
    await this.guard(() => this.client.del(this.key(tokenHash)));
  }

  private async guard<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw new UnavailableError('The session store is unreachable; try again shortly.', { cause: error });
    }
  }
}
