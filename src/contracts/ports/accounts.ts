/** Accounts, their sessions and one-time codes, as the table stores them. */

import { z } from '../zod.js';
import { IsoDateTimeSchema } from './common.js';

export const RoleSchema = z.enum(['customer', 'admin']);
export type Role = z.infer<typeof RoleSchema>;

export const UserRecordSchema = z.object({
  id: z.string(),
  email: z.email().max(254),
  name: z.string().min(1).max(100),
  role: RoleSchema,
  /**
   * `scrypt$N$r$p$salt$hash`, base64url parts, at every stage (the user pool checks passwords at
   * enterprise, but the table keeps the hash so a move down keeps every account). Never leaves
   * the server.
   */
  passwordHash: z.string(),
  createdAt: IsoDateTimeSchema,
  /** When the owner proved the address (a code by mail); absent until then. Mail beyond the code waits for it. */
  emailVerifiedAt: IsoDateTimeSchema.optional(),
});
export type UserRecord = z.infer<typeof UserRecordSchema>;

export interface SessionRecord {
  /** SHA-256 of the bearer token: a leaked table does not leak usable tokens. */
  readonly tokenHash: string;
  readonly userId: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  /** The last request the session served (sliding idle timeout); createdAt until then. */
  readonly lastSeenAt?: string | undefined;
}

/** What a one-time code mailed to an address is for. */
export type AccountCodePurpose = 'password-reset' | 'verify-email';

/** A one-time code mailed to an account's address: only its hash is kept. */
export interface AccountCodeRecord {
  readonly purpose: AccountCodePurpose;
  readonly email: string;
  readonly userId: string;
  /** SHA-256 of the code with the e-mail. */
  readonly codeHash: string;
  /** Wrong guesses so far; the code is dropped after a few. */
  readonly attempts: number;
  readonly expiresAt: string;
}
export interface AccountRepository {
  /** Throws ConflictError when the e-mail is taken; writes nothing then. */
  createUser(user: UserRecord): Promise<void>;
  getUser(id: string): Promise<UserRecord | null>;
  findUserByEmail(email: string): Promise<UserRecord | null>;
  /** Replaces the password hash; NotFoundError when the user does not exist. */
  updatePasswordHash(userId: string, passwordHash: string): Promise<void>;
  /** Records that the owner proved the address. */
  markEmailVerified(userId: string, at: string): Promise<void>;
  createSession(session: SessionRecord): Promise<void>;
  getSession(tokenHash: string): Promise<SessionRecord | null>;
  /** Moves the session's last-seen time forward (the idle timeout slides). */
  touchSession(tokenHash: string, lastSeenAt: string): Promise<void>;
  deleteSession(tokenHash: string): Promise<void>;
  /** Stores a code, replacing an earlier one for the same purpose and address. */
  putCode(code: AccountCodeRecord): Promise<void>;
  getCode(purpose: AccountCodePurpose, email: string): Promise<AccountCodeRecord | null>;
  /** Counts one wrong guess, atomically; the count after it. */
  countCodeAttempt(purpose: AccountCodePurpose, email: string): Promise<number>;
  deleteCode(purpose: AccountCodePurpose, email: string): Promise<void>;
}
