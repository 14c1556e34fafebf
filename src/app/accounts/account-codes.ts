import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { ValidationError } from '../../contracts/errors.js';
import type { AccountCodePurpose, AccountRepository, Clock, UserRecord } from '../../contracts/ports.js';

/** How long a mailed code works, per purpose. */
export const CODE_MINUTES: Readonly<Record<AccountCodePurpose, number>> = {
  'password-reset': 15,
  'verify-email': 24 * 60,
};
/** Wrong guesses a code survives: 5 of 10^8 codes leaves a guesser no real chance. */
const MAX_ATTEMPTS = 5;

const digest = (purpose: AccountCodePurpose, email: string, code: string) =>
  createHash('sha256').update(`${purpose}:${email}:${code}`).digest();

const wrongCode = () =>
  new ValidationError('The code is wrong or has expired; ask for a new one.', [
    { path: 'code', message: 'wrong or expired' },
  ]);

/** Eight-digit codes mailed to an address, kept only as hashes, used once. */
export class AccountCodes {
  constructor(
    private readonly accounts: AccountRepository,
    private readonly clock: Clock,
  ) {}

  /** A new code for the user's address, replacing any earlier one of that purpose. */
  async issue(purpose: AccountCodePurpose, user: UserRecord): Promise<string> {
    const code = String(randomInt(0, 100_000_000)).padStart(8, '0');
    await this.accounts.putCode({
      purpose,
      email: user.email,
      userId: user.id,
      codeHash: digest(purpose, user.email, code).toString('base64url'),
      attempts: 0,
      expiresAt: new Date(this.clock.now().getTime() + CODE_MINUTES[purpose] * 60_000).toISOString(),
    });
    return code;
  }

  /** The user id the code was issued for, once; a ValidationError on `code` otherwise. */
  async redeem(purpose: AccountCodePurpose, email: string, code: string): Promise<string> {
    const stored = await this.accounts.getCode(purpose, email);
    if (
      !stored ||
      Date.parse(stored.expiresAt) <= this.clock.now().getTime() ||
      stored.attempts >= MAX_ATTEMPTS
    )
      throw wrongCode();
    const expected = Buffer.from(stored.codeHash, 'base64url');
    const actual = digest(purpose, email, code);
    if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
      if ((await this.accounts.countCodeAttempt(purpose, email)) >= MAX_ATTEMPTS)
        await this.accounts.deleteCode(purpose, email);
      throw wrongCode();
    }
    await this.accounts.deleteCode(purpose, email);
    return stored.userId;
  }
}
