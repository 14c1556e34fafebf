import { ConflictError, NotFoundError } from '../../contracts/errors.js';
import type {
  AccountCodePurpose,
  AccountCodeRecord,
  AccountRepository,
  SessionRecord,
  UserRecord,
} from '../../contracts/ports.js';
import type { StorefrontService } from './dynamodb-entities.js';
import { retryOnConflict } from './dynamodb-errors.js';
import { isConditionalFailure } from './dynamodb-products.js';

const epochSeconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

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
    if (!data) return null;
    const { emailVerifiedAt, ...user } = data;
    return emailVerifiedAt ? { ...user, emailVerifiedAt } : user;
  }

  async updatePasswordHash(userId: string, passwordHash: string): Promise<void> {
    await this.patchUser(userId, { passwordHash });
  }

  async markEmailVerified(userId: string, at: string): Promise<void> {
    await this.patchUser(userId, { emailVerifiedAt: at });
  }

  private async patchUser(id: string, changes: { passwordHash?: string; emailVerifiedAt?: string }) {
    try {
      await this.service.entities.user.patch({ id }).set(changes).go();
    } catch (error) {
      if (isConditionalFailure(error)) throw new NotFoundError(`No user with id ${id}.`);
      throw error;
    }
  }

  async findUserByEmail(email: string): Promise<UserRecord | null> {
    const { data: claim } = await this.service.entities.emailClaim.get({ email }).go();
    return claim ? this.getUser(claim.userId) : null;
  }

  async createSession(session: SessionRecord): Promise<void> {
    await this.service.entities.session
      .create({ ...session, expiresAtEpoch: epochSeconds(session.expiresAt) })
      .go();
  }

  async touchSession(tokenHash: string, lastSeenAt: string): Promise<void> {
    try {
      await this.service.entities.session.patch({ tokenHash }).set({ lastSeenAt }).go();
    } catch (error) {
      // Logged out meanwhile: nothing to move forward.
      if (!isConditionalFailure(error)) throw error;
    }
  }

  async getSession(tokenHash: string): Promise<SessionRecord | null> {
    const { data } = await this.service.entities.session.get({ tokenHash }).go();
    if (!data) return null;
    const { expiresAtEpoch: _epoch, lastSeenAt, ...session } = data;
    return lastSeenAt ? { ...session, lastSeenAt } : session;
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.service.entities.session.delete({ tokenHash }).go();
  }

  async putCode(code: AccountCodeRecord): Promise<void> {
    await this.service.entities.accountCode
      .put({ ...code, expiresAtEpoch: epochSeconds(code.expiresAt) })
      .go();
  }

  async getCode(purpose: AccountCodePurpose, email: string): Promise<AccountCodeRecord | null> {
    const { data } = await this.service.entities.accountCode.get({ purpose, email }).go();
    if (!data) return null;
    const { expiresAtEpoch: _epoch, ...code } = data;
    return code;
  }

  async countCodeAttempt(purpose: AccountCodePurpose, email: string): Promise<number> {
    try {
      const { data } = await this.service.entities.accountCode
        .patch({ purpose, email })
        .add({ attempts: 1 })
        .go({ response: 'all_new' });
      return data.attempts;
    } catch (error) {
      // Used up or replaced meanwhile: as good as too many attempts.
      if (isConditionalFailure(error)) return Number.POSITIVE_INFINITY;
      throw error;
    }
  }

  async deleteCode(purpose: AccountCodePurpose, email: string): Promise<void> {
    await this.service.entities.accountCode.delete({ purpose, email }).go();
  }
}
