import { createHash, randomBytes } from 'node:crypto';
import { ulid } from 'ulid';
import { ConflictError, UnauthorizedError } from '../../platform/errors.js';
import type { IdentityProvider, Ports, Role, UserRecord } from '../../platform/ports.js';
import type { User } from './accounts-schemas.js';
import { dummyPasswordHash, hashPassword, verifyPassword } from './password.js';

export interface AuthResult {
  readonly user: User;
  readonly token: string;
}

/** What the API shows of a user: never the password hash. */
export function publicUser(user: UserRecord): User {
  const { passwordHash: _hash, ...rest } = user;
  return rest;
}

function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** The session-store key that marks a pool token (by its `jti`) as logged out. */
const revokedKey = (tokenId: string) => `revoked:${tokenId}`;

/** The password hash of an account whose password lives in the Cognito user pool: matches nothing. */
export const POOL_PASSWORD = 'cognito';

/**
 * Sign-up, login, logout and bearer-token checks. Up to scaling, with scrypt password hashes in
 * the account and sessions in the session store (the table, or Redis); at enterprise, through
 * the Cognito user pool (`ports.identity`), whose access tokens are the bearer tokens.
 */
export class AccountsService {
  constructor(
    private readonly ports: Ports,
    private readonly sessionTtlHours: number,
  ) {}

  async signup(
    input: { email: string; password: string; name: string },
    role: Role = 'customer',
  ): Promise<AuthResult> {
    const now = this.ports.clock.now().toISOString();
    const identity = this.ports.identity;
    const user: UserRecord = {
      id: ulid(),
      email: input.email.toLowerCase(),
      name: input.name,
      role,
      passwordHash: identity ? POOL_PASSWORD : await hashPassword(input.password),
      createdAt: now,
    };
    // The pool user first: a password the pool refuses must not leave an account behind. If the
    // account then cannot be written (the e-mail was taken), the pool user goes again.
    if (identity) await identity.register(user, input.password);
    try {
      await this.ports.table.accounts.createUser(user);
    } catch (error) {
      if (identity) await identity.unregister(user.id);
      throw error;
    }
    this.ports.metrics.count('signups');
    await this.ports.jobs.enqueue({
      type: 'send-welcome-email',
      userId: user.id,
      email: user.email,
      name: user.name,
    });
    return { user: publicUser(user), token: await this.openSession(user, input.password) };
  }

  async login(input: { email: string; password: string }): Promise<AuthResult> {
    const user = await this.ports.table.accounts.findUserByEmail(input.email.toLowerCase());
    const identity = this.ports.identity;
    if (identity) {
      if (!user) throw new UnauthorizedError('E-mail or password is wrong.');
      const token = await identity.signIn(user.id, input.password);
      this.ports.metrics.count('logins');
      return { user: publicUser(user), token };
    }
    const valid = await verifyPassword(input.password, user?.passwordHash ?? (await dummyPasswordHash()));
    if (!user || !valid) throw new UnauthorizedError('E-mail or password is wrong.');
    this.ports.metrics.count('logins');
    return { user: publicUser(user), token: await this.openSession(user, input.password) };
  }

  async logout(token: string): Promise<void> {
    const identity = this.ports.identity;
    if (!identity) {
      await this.ports.sessions.delete(tokenHash(token));
      return;
    }
    const { userId, tokenId, expiresAt } = await identity.verify(token);
    await identity.signOut(token);
    // The pool ends the session, but a token checked offline stays valid until it expires: keep
    // its id in the session store until then, and refuse it.
    await this.ports.sessions.create({
      tokenHash: revokedKey(tokenId),
      userId,
      createdAt: this.ports.clock.now().toISOString(),
      expiresAt: expiresAt.toISOString(),
    });
  }

  /** The user behind a bearer token; 401 when the token is unknown or its session expired. */
  async authenticate(token: string): Promise<UserRecord> {
    if (this.ports.identity) return this.authenticateWithPool(this.ports.identity, token);
    const session = await this.ports.sessions.get(tokenHash(token));
    if (!session) throw new UnauthorizedError('The token is not valid; log in again.');
    if (Date.parse(session.expiresAt) <= this.ports.clock.now().getTime()) {
      throw new UnauthorizedError('The session has expired; log in again.');
    }
    const user = await this.ports.table.accounts.getUser(session.userId);
    if (!user) throw new UnauthorizedError('The account behind this token no longer exists.');
    return user;
  }

  /** Creates the demo admin unless that e-mail exists; returns whether it was created. */
  async ensureAdmin(email: string, password: string): Promise<boolean> {
    try {
      await this.signup({ email, password, name: 'Demo Admin' }, 'admin');
      return true;
    } catch (error) {
      if (error instanceof ConflictError) return false;
      throw error;
    }
  }

  private async authenticateWithPool(identity: IdentityProvider, token: string): Promise<UserRecord> {
    const { userId, tokenId } = await identity.verify(token);
    if (await this.ports.sessions.get(revokedKey(tokenId)))
      throw new UnauthorizedError('This session was logged out; log in again.');
    const user = await this.ports.table.accounts.getUser(userId);
    if (!user) throw new UnauthorizedError('The account behind this token no longer exists.');
    return user;
  }

  private async openSession(user: UserRecord, password: string): Promise<string> {
    if (this.ports.identity) return this.ports.identity.signIn(user.id, password);
    const token = randomBytes(32).toString('base64url');
    const now = this.ports.clock.now();
    await this.ports.sessions.create({
      tokenHash: tokenHash(token),
      userId: user.id,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + this.sessionTtlHours * 3_600_000).toISOString(),
    });
    return token;
  }
}
