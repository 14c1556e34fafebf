import { createHash, randomBytes } from 'node:crypto';
import { ulid } from 'ulid';
import { ConflictError, UnauthorizedError } from '../../platform/errors.js';
import type { Ports, Role, UserRecord } from '../../platform/ports.js';
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

/** Sign-up, login, logout and bearer-token checks, with sessions in the session store (the table, or Redis from scaling on). */
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
    const user: UserRecord = {
      id: ulid(),
      email: input.email.toLowerCase(),
      name: input.name,
      role,
      passwordHash: await hashPassword(input.password),
      createdAt: now,
    };
    await this.ports.table.accounts.createUser(user);
    this.ports.metrics.count('signups');
    await this.ports.jobs.enqueue({
      type: 'send-welcome-email',
      userId: user.id,
      email: user.email,
      name: user.name,
    });
    return { user: publicUser(user), token: await this.openSession(user) };
  }

  async login(input: { email: string; password: string }): Promise<AuthResult> {
    const user = await this.ports.table.accounts.findUserByEmail(input.email.toLowerCase());
    const valid = await verifyPassword(input.password, user?.passwordHash ?? (await dummyPasswordHash()));
    if (!user || !valid) throw new UnauthorizedError('E-mail or password is wrong.');
    this.ports.metrics.count('logins');
    return { user: publicUser(user), token: await this.openSession(user) };
  }

  async logout(token: string): Promise<void> {
    await this.ports.sessions.delete(tokenHash(token));
  }

  /** The user behind a bearer token; 401 when the token is unknown or its session expired. */
  async authenticate(token: string): Promise<UserRecord> {
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

  private async openSession(user: UserRecord): Promise<string> {
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
