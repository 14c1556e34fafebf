import { ConflictError } from '../errors.js';
import type { AccountRepository, SessionRecord, UserRecord } from '../ports.js';
import type { StorefrontService } from './dynamodb-entities.js';
import { retryOnConflict } from './dynamodb-errors.js';

export class DynamoDbAccountRepository implements AccountRepository {
  constructor(private readonly service: StorefrontService) {}

  async createUser(user: UserRecord): Promise<void> {
    await retryOnConflict(async () => {
      // The user and its e-mail claim are written together; `create` adds attribute_not_exists,
      // so a taken e-mail cancels the whole transaction and nothing is left behind.
      const result = await this.service.transaction
        .write(({ user: users, emailClaim }) => [
          users.create(user).commit(),
          emailClaim.create({ email: user.email, userId: user.id }).commit(),
        ])
        .go();
      if (!result.canceled) return { done: undefined };
      const [userReason, claimReason] = result.data;
      if (claimReason?.code === 'ConditionalCheckFailed') {
        throw new ConflictError('An account with this e-mail already exists.');
      }
      if (userReason?.code === 'ConditionalCheckFailed') throw new ConflictError('This user id is taken.');
      return { retry: true };
    });
  }

  async getUser(id: string): Promise<UserRecord | null> {
    const { data } = await this.service.entities.user.get({ id }).go();
    return data ?? null;
  }

  async findUserByEmail(email: string): Promise<UserRecord | null> {
    const { data: claim } = await this.service.entities.emailClaim.get({ email }).go();
    return claim ? this.getUser(claim.userId) : null;
  }

  async createSession(session: SessionRecord): Promise<void> {
    await this.service.entities.session
      .create({ ...session, expiresAtEpoch: Math.floor(Date.parse(session.expiresAt) / 1000) })
      .go();
  }

  async getSession(tokenHash: string): Promise<SessionRecord | null> {
    const { data } = await this.service.entities.session.get({ tokenHash }).go();
    if (!data) return null;
    const { expiresAtEpoch: _epoch, ...session } = data;
    return session;
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.service.entities.session.delete({ tokenHash }).go();
  }
}
