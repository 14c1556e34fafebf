import { createHash, randomBytes } from 'node:crypto';
import { ulid } from 'ulid';
import { ConflictError, ForbiddenError, UnauthorizedError, ValidationError } from '../../contracts/errors.js';
import type { IdentityProvider, Ports, Role, SignInContext, UserRecord } from '../../contracts/ports.js';
import { AccountCodes, CODE_MINUTES } from './account-codes.js';
import type { User } from './accounts-schemas.js';
import { ACCOUNT_BACKOFF, CLIENT_BACKOFF, LoginBackoff, type ThrottleKeys } from './login-backoff.js';
import { dummyPasswordHash, hashPassword, isPasswordHash, needsRehash, verifyPassword } from './password.js';
import { MIN_PASSWORD_LENGTH, passwordProblem } from './password-policy.js';

export interface AuthResult {
  readonly user: User;
  readonly token: string;
}

/** Where a login came from: the client address it is throttled by, and what the user pool scores. */
export interface LoginOrigin {
  readonly client: string;
  readonly context?: SignInContext | undefined;
}

export interface AccountsOptions {
  readonly sessionTtlHours: number;
  /** A session ends after this long without a request. */
  readonly sessionIdleMinutes: number;
  /** scrypt cost (log2 N) of new password hashes. */
  readonly passwordHashCost: number;
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

/** A pool username no account has (a ULID is never all zeros): unknown e-mails ask the pool about it. */
const NOBODY = '00000000000000000000000000';
const WRONG_PASSWORD = 'E-mail or password is wrong.';
/** A session's last-seen time is written at most this often. */
const TOUCH_EVERY_MS = 60_000;

function assertNewPassword(password: string, path = 'password'): void {
  const problem = passwordProblem(password);
  if (problem) throw new ValidationError(`The password ${problem}.`, [{ path, message: problem }]);
}

/**
 * Sign-up, login, logout, password reset, e-mail verification and bearer-token checks. Every
 * account keeps a scrypt hash of its password in the table, at every stage. Up to scaling the
 * service checks it and keeps sessions in the session store (the table, or Redis); at
 * enterprise the Cognito user pool (`ports.identity`) checks passwords and issues the bearer
 * tokens, and accounts made before the move enter the pool at their first login.
 */
export class AccountsService {
  private readonly codes: AccountCodes;
  private readonly backoff: LoginBackoff;

  constructor(
    private readonly ports: Ports,
    private readonly options: AccountsOptions,
  ) {
    this.codes = new AccountCodes(ports.table.accounts, ports.clock);
    this.backoff = new LoginBackoff(ports.loginThrottle, ports.clock);
  }

  async signup(
    input: { email: string; password: string; name: string },
    role: Role = 'customer',
  ): Promise<AuthResult> {
    assertNewPassword(input.password);
    const now = this.ports.clock.now().toISOString();
    const identity = this.ports.identity;
    const user: UserRecord = {
      id: ulid(),
      email: input.email.toLowerCase(),
      name: input.name,
      role,
      passwordHash: await this.hash(input.password),
      createdAt: now,
      // Admins are made by the operator, not by a stranger typing an address.
      ...(role === 'admin' ? { emailVerifiedAt: now } : {}),
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
      ...(user.emailVerifiedAt ? {} : { code: await this.codes.issue('verify-email', user) }),
    });
    return { user: publicUser(user), token: await this.openSession(user, input.password) };
  }

  async login(
    input: { email: string; password: string },
    origin: LoginOrigin = { client: 'unknown' },
  ): Promise<AuthResult> {
    const email = input.email.toLowerCase();
    const accountKey = `account:${email}`;
    const keys: ThrottleKeys = [
      [accountKey, ACCOUNT_BACKOFF],
      [`client:${origin.client}`, CLIENT_BACKOFF],
    ];
    await this.backoff.check(keys);
    const user = await this.ports.table.accounts.findUserByEmail(email);
    const identity = this.ports.identity;
    let token: string;
    try {
      token = identity
        ? await this.signInWithPool(identity, user, input.password, origin.context)
        : await this.signInWithHash(user, input.password);
    } catch (error) {
      if (error instanceof UnauthorizedError) await this.backoff.failed(keys);
      throw error;
    }
    if (!user) throw new UnauthorizedError(WRONG_PASSWORD);
    await this.backoff.succeeded(accountKey);
    this.ports.metrics.count('logins');
    return { user: publicUser(user), token };
  }

  private async signInWithHash(user: UserRecord | null, password: string): Promise<string> {
    const valid = await verifyPassword(password, await this.storedHashOrDummy(user));
    if (!user || !valid) throw new UnauthorizedError(WRONG_PASSWORD);
    await this.rehashIfOld(user, password);
    return this.openSession(user, password);
  }

  /**
   * Unknown e-mails ask the pool too (for a user that does not exist) and check a dummy hash, as
   * a wrong password does: the answer and its timing do not tell which e-mails have accounts.
   * A pool refusal whose password matches the account's own hash is an account the pool does
   * not hold yet (made before the move to enterprise) or holds with an older password (changed
   * at a lower stage): it is put into the pool, as a user-migration trigger would, and signed in.
   */
  private async signInWithPool(
    identity: IdentityProvider,
    user: UserRecord | null,
    password: string,
    context: SignInContext | undefined,
  ): Promise<string> {
    try {
      const token = await identity.signIn(user?.id ?? NOBODY, password, context);
      if (user) await this.rehashIfOld(user, password);
      return token;
    } catch (error) {
      if (!(error instanceof UnauthorizedError)) throw error;
      const valid = await verifyPassword(password, await this.storedHashOrDummy(user));
      if (!user || !valid) throw error;
    }
    if (password.length < MIN_PASSWORD_LENGTH)
      throw new ForbiddenError(
        `This account's password is shorter than the ${MIN_PASSWORD_LENGTH} characters sign-in now needs: reset it with POST /api/auth/password-reset (a code comes by mail), then log in with the new one.`,
      );
    await identity.importUser(user, password);
    await this.rehashIfOld(user, password);
    return identity.signIn(user.id, password, context);
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

  /** Mails a reset code when the e-mail has an account; says nothing either way. */
  async requestPasswordReset(email: string): Promise<void> {
    const user = await this.ports.table.accounts.findUserByEmail(email.toLowerCase());
    if (!user) return;
    // One address gets a few codes a window, so nobody floods a stranger's inbox.
    const now = this.ports.clock.now();
    const sent = await this.ports.loginThrottle.recordFailure(`reset:${user.email}`, now, 3600);
    if (sent.failures > 5) return;
    const code = await this.codes.issue('password-reset', user);
    await this.ports.jobs.enqueue({
      type: 'send-password-reset',
      email: user.email,
      code,
      validMinutes: CODE_MINUTES['password-reset'],
    });
  }

  /** Sets a new password with a mailed code: in the table, and in the pool at enterprise. */
  async confirmPasswordReset(input: { email: string; code: string; password: string }): Promise<void> {
    assertNewPassword(input.password);
    const userId = await this.codes.redeem('password-reset', input.email.toLowerCase(), input.code);
    const user = await this.ports.table.accounts.getUser(userId);
    if (!user) throw new UnauthorizedError('The account no longer exists.');
    await this.setPassword(user, input.password);
    // The code came by mail: the address is proven too.
    if (!user.emailVerifiedAt)
      await this.ports.table.accounts.markEmailVerified(user.id, this.ports.clock.now().toISOString());
    await this.backoff.succeeded(`account:${user.email}`);
  }

  /** Changes the signed-in user's password, given the current one. */
  async changePassword(
    user: UserRecord,
    input: { currentPassword: string; newPassword: string },
  ): Promise<void> {
    assertNewPassword(input.newPassword, 'newPassword');
    const current = isPasswordHash(user.passwordHash)
      ? await verifyPassword(input.currentPassword, user.passwordHash)
      : await this.ports.identity?.signIn(user.id, input.currentPassword).then(
          () => true,
          () => false,
        );
    if (!current)
      throw new ValidationError('The current password is wrong.', [
        { path: 'currentPassword', message: 'wrong password' },
      ]);
    await this.setPassword(user, input.newPassword);
  }

  /** Proves the address with the code from the welcome mail. */
  async verifyEmail(input: { email: string; code: string }): Promise<void> {
    const userId = await this.codes.redeem('verify-email', input.email.toLowerCase(), input.code);
    await this.ports.table.accounts.markEmailVerified(userId, this.ports.clock.now().toISOString());
  }

  /** The user behind a bearer token; 401 when the token is unknown or its session expired. */
  async authenticate(token: string): Promise<UserRecord> {
    if (this.ports.identity) return this.authenticateWithPool(this.ports.identity, token);
    const session = await this.ports.sessions.get(tokenHash(token));
    if (!session) throw new UnauthorizedError('The token is not valid; log in again.');
    const now = this.ports.clock.now();
    if (Date.parse(session.expiresAt) <= now.getTime()) {
      throw new UnauthorizedError('The session has expired; log in again.');
    }
    const idleMs = now.getTime() - Date.parse(session.lastSeenAt ?? session.createdAt);
    if (idleMs > this.options.sessionIdleMinutes * 60_000) {
      await this.ports.sessions.delete(session.tokenHash);
      throw new UnauthorizedError(
        `The session has expired after ${this.options.sessionIdleMinutes} minutes without use; log in again.`,
      );
    }
    const user = await this.ports.table.accounts.getUser(session.userId);
    if (!user) throw new UnauthorizedError('The account behind this token no longer exists.');
    if (idleMs > TOUCH_EVERY_MS) await this.ports.sessions.touch(session, now.toISOString());
    return user;
  }

  /**
   * Creates the demo admin unless that e-mail exists; returns whether it was created. At
   * enterprise an admin made before the move is put into the user pool, so its login works.
   */
  async ensureAdmin(email: string, password: string): Promise<boolean> {
    // Looked up first: signing up hashes the password (deliberately slow, about a second at the
    // default cost), which every start but the first would do only to be told the e-mail is taken.
    let admin = await this.ports.table.accounts.findUserByEmail(email);
    if (!admin) {
      try {
        await this.signup({ email, password, name: 'Demo Admin' }, 'admin');
        return true;
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
      }
      admin = await this.ports.table.accounts.findUserByEmail(email);
    }
    const identity = this.ports.identity;
    if (identity && admin && (await verifyPassword(password, admin.passwordHash))) {
      const inPool = await identity.signIn(admin.id, password).then(
        () => true,
        () => false,
      );
      if (!inPool) await identity.importUser(admin, password);
    }
    return false;
  }

  private async setPassword(user: UserRecord, password: string): Promise<void> {
    const hash = await this.hash(password);
    if (this.ports.identity) await this.ports.identity.importUser(user, password);
    await this.ports.table.accounts.updatePasswordHash(user.id, hash);
  }

  private hash(password: string): Promise<string> {
    return hashPassword(password, this.options.passwordHashCost);
  }

  /**
   * Accounts made at enterprise by earlier versions kept the marker `cognito` instead of a hash:
   * they are checked against the dummy, get a hash at their next pool login, and reset their
   * password at a lower stage.
   */
  private async storedHashOrDummy(user: UserRecord | null): Promise<string> {
    return user && isPasswordHash(user.passwordHash)
      ? user.passwordHash
      : dummyPasswordHash(this.options.passwordHashCost);
  }

  /** A hash made at a lower cost than today's is replaced while the password is at hand. */
  private async rehashIfOld(user: UserRecord, password: string): Promise<void> {
    if (!needsRehash(user.passwordHash, this.options.passwordHashCost) && isPasswordHash(user.passwordHash))
      return;
    await this.ports.table.accounts.updatePasswordHash(user.id, await this.hash(password));
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
      expiresAt: new Date(now.getTime() + this.options.sessionTtlHours * 3_600_000).toISOString(),
    });
    return token;
  }
}
