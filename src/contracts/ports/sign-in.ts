/** Signing in: the user pool at enterprise, where sessions live, and failed-login counts. */
import type { Role, SessionRecord } from './accounts.js';

/** What a sign-in request looked like: Cognito's threat protection scores it (`ContextData`). */
export interface SignInContext {
  /** The client's address, derived as the rate limiter derives it. */
  readonly ipAddress: string;
  /** The host the client asked for. */
  readonly serverName: string;
  readonly serverPath: string;
  /** The request's headers, without credentials (Authorization, Cookie). */
  readonly headers: readonly { readonly name: string; readonly value: string }[];
}

/**
 * Sign-in at the enterprise stage: passwords and tokens live in a Cognito user pool, whose
 * username for an account is the account's id. Before that stage, the accounts service keeps
 * password hashes and sessions itself.
 */
export interface IdentityProvider {
  /** Which adapter serves (cognito, local-cognito). */
  readonly mode: string;
  /**
   * Creates the pool user of a new account with its password. ConflictError when the e-mail is
   * taken there; ValidationError (on `password`) when the pool's password policy refuses it.
   */
  register(user: { id: string; email: string; role: Role }, password: string): Promise<void>;
  /** Removes a pool user whose account could not be created after all. */
  unregister(userId: string): Promise<void>;
  /**
   * Puts an account that the pool does not hold (made before the move to enterprise) or holds
   * with another password (changed at a lower stage) into the pool with this password, as a
   * user-migration trigger would. Call only once the password matched the account's own hash.
   */
  importUser(user: { id: string; email: string; role: Role }, password: string): Promise<void>;
  /** Sets a pool user's password (after a reset); ValidationError when the policy refuses it. */
  setPassword(userId: string, password: string): Promise<void>;
  /**
   * Checks the password with the pool: an access token, or UnauthorizedError. A challenge the
   * API cannot answer (MFA, a new password) is a ForbiddenError that names it.
   */
  signIn(userId: string, password: string, context?: SignInContext): Promise<string>;
  /** Whose token this is (its `jti` and expiry too); UnauthorizedError when it is not valid. */
  verify(token: string): Promise<{ userId: string; tokenId: string; expiresAt: Date }>;
  /** Ends the user's sessions at the pool. */
  signOut(token: string): Promise<void>;
}

/** Where sessions live: the table at first, Redis from scaling on. */
export interface SessionStore {
  /** Which adapter serves (dynamodb, redis). */
  readonly mode: string;
  create(session: SessionRecord): Promise<void>;
  get(tokenHash: string): Promise<SessionRecord | null>;
  /** Moves the session's last-seen time forward (the idle timeout slides). */
  touch(session: SessionRecord, lastSeenAt: string): Promise<void>;
  delete(tokenHash: string): Promise<void>;
}

/** Failed attempts counted against one key (an account, a client) in a window. */
export interface AttemptCount {
  readonly failures: number;
  /** Epoch milliseconds of the last failure. */
  readonly lastFailureAt: number;
}

/**
 * Counts failed logins per account and per client, shared by every process: the table up to
 * growing, Redis from scaling on. Counts end `windowSeconds` after the last failure.
 */
export interface LoginThrottle {
  /** Which adapter serves (dynamodb, redis). */
  readonly mode: string;
  get(key: string, now: Date): Promise<AttemptCount | null>;
  /** Adds one failure atomically; the count after it. */
  recordFailure(key: string, now: Date, windowSeconds: number): Promise<AttemptCount>;
  reset(key: string): Promise<void>;
}
