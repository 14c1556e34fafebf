import { describe, expect, it } from 'vitest';
import { fakePorts } from '../../../test/support/fakes.js';
import {
  ConflictError,
  TooManyRequestsError,
  UnauthorizedError,
  ValidationError,
} from '../../contracts/errors.js';
import { AccountsService } from './accounts-service.js';
import { ACCOUNT_BACKOFF } from './login-backoff.js';

const PASSWORD = 'correct horse battery';
// A cheap scrypt cost: these tests are about the service's rules, not the hash's strength.
const OPTIONS = { sessionTtlHours: 24, sessionIdleMinutes: 30, passwordHashCost: 10 };

function setUp() {
  const ports = fakePorts();
  return { ports, accounts: new AccountsService(ports, OPTIONS) };
}

const reason = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

describe('sign-up', () => {
  it.each([
    ['short-pass1', /at least 12 characters/],
    ['password1234', /commonly used/],
    ['abababababab', /repeats one character or chunk/],
    ['qwertyuiopas', /run along the alphabet/],
  ])('refuses the password %j and writes nothing', async (password, problem) => {
    const { ports, accounts } = setUp();
    const error = await reason(accounts.signup({ email: 'a@example.com', password, name: 'A' }));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).message).toMatch(problem);
    expect(ports.table.accounts.users.size).toBe(0);
    expect(ports.jobs.jobs).toEqual([]);
  });

  it('keeps the e-mail in lower case, mails a verification code, and opens a session', async () => {
    const { ports, accounts } = setUp();
    const { user, token } = await accounts.signup({
      email: 'Robin@Example.com',
      password: PASSWORD,
      name: 'Robin',
    });
    expect(user).toEqual({
      id: user.id,
      email: 'robin@example.com',
      name: 'Robin',
      role: 'customer',
      createdAt: '2026-01-01T00:00:00.000Z',
    });
    expect(user).not.toHaveProperty('passwordHash');
    expect(ports.jobs.jobs).toEqual([
      { type: 'send-welcome-email', userId: user.id, email: 'robin@example.com', code: expect.any(String) },
    ]);
    expect((await accounts.authenticate(token)).id).toBe(user.id);
    expect(ports.metrics.counts.signups).toBe(1);

    const code = ports.jobs.jobs[0]?.code as string;
    await accounts.verifyEmail({ email: 'ROBIN@example.com', code });
    expect((await ports.table.accounts.getUser(user.id))?.emailVerifiedAt).toBe('2026-01-01T00:00:00.000Z');
  });

  it('refuses an e-mail that already has an account', async () => {
    const { accounts } = setUp();
    await accounts.signup({ email: 'sam@example.com', password: PASSWORD, name: 'Sam' });
    await expect(
      accounts.signup({ email: 'SAM@example.com', password: PASSWORD, name: 'Sam' }),
    ).rejects.toThrow(ConflictError);
  });
});

describe('login backoff', () => {
  it('allows a few free failures, then waits a doubling delay measured from the last failure', async () => {
    const { ports, accounts } = setUp();
    await accounts.signup({ email: 'kim@example.com', password: PASSWORD, name: 'Kim' });
    const wrong = { email: 'kim@example.com', password: 'wrong password here' };
    for (let attempt = 0; attempt < ACCOUNT_BACKOFF.free; attempt++)
      await expect(accounts.login(wrong)).rejects.toThrow(UnauthorizedError);

    // Past the free tries even the right password waits: 1 s after the fifth failure.
    const waiting = await reason(accounts.login({ email: 'kim@example.com', password: PASSWORD }));
    expect(waiting).toBeInstanceOf(TooManyRequestsError);
    expect((waiting as TooManyRequestsError).retryAfterSeconds).toBe(1);
    ports.clock.advance(999);
    await expect(accounts.login(wrong)).rejects.toThrow(TooManyRequestsError);

    // The wait over, a sixth failure doubles it.
    ports.clock.advance(1);
    await expect(accounts.login(wrong)).rejects.toThrow(UnauthorizedError);
    const doubled = await reason(accounts.login({ email: 'kim@example.com', password: PASSWORD }));
    expect((doubled as TooManyRequestsError).retryAfterSeconds).toBe(2);

    // A success after the wait clears the account's count: the next failure is free again.
    ports.clock.advance(2_000);
    await accounts.login({ email: 'kim@example.com', password: PASSWORD });
    await expect(accounts.login(wrong)).rejects.toThrow(UnauthorizedError);
    await expect(accounts.login(wrong)).rejects.toThrow(UnauthorizedError);
  });

  it('forgets failures a window after the last one', async () => {
    const { ports, accounts } = setUp();
    await accounts.signup({ email: 'lee@example.com', password: PASSWORD, name: 'Lee' });
    const wrong = { email: 'lee@example.com', password: 'wrong password here' };
    // Ten seconds apart: each failure comes after the wait the one before it set (8 s at most).
    for (let attempt = 0; attempt < ACCOUNT_BACKOFF.free + 4; attempt++) {
      await accounts.login(wrong).catch(() => undefined);
      ports.clock.advance(10_000);
    }
    await expect(accounts.login(wrong)).rejects.toThrow(TooManyRequestsError);
    ports.clock.advance(ACCOUNT_BACKOFF.windowSeconds * 1000);
    await expect(accounts.login({ email: 'lee@example.com', password: PASSWORD })).resolves.toMatchObject({
      user: { email: 'lee@example.com' },
    });
  });

  it('answers an unknown e-mail as a wrong password, and counts it against the client', async () => {
    const { accounts, ports } = setUp();
    const origin = { client: '203.0.113.9' };
    const error = await reason(accounts.login({ email: 'nobody@example.com', password: PASSWORD }, origin));
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect((error as UnauthorizedError).message).toBe('E-mail or password is wrong.');
    expect(await ports.loginThrottle.get('client:203.0.113.9', ports.clock.now())).toMatchObject({
      failures: 1,
    });
  });
});

describe('sessions', () => {
  it('ends a session after the idle time without a request, and slides it with each request', async () => {
    const { ports, accounts } = setUp();
    const { token } = await accounts.signup({ email: 'max@example.com', password: PASSWORD, name: 'Max' });
    ports.clock.advance(OPTIONS.sessionIdleMinutes * 60_000);
    // Exactly the idle time: still open, and the request moves its last-seen time forward.
    await accounts.authenticate(token);
    ports.clock.advance(OPTIONS.sessionIdleMinutes * 60_000);
    await accounts.authenticate(token);
    ports.clock.advance(OPTIONS.sessionIdleMinutes * 60_000 + 1);
    await expect(accounts.authenticate(token)).rejects.toThrow(/without use/);
    await expect(accounts.authenticate(token)).rejects.toThrow(/not valid/);
  });

  it('ends a session at its lifetime even when used', async () => {
    const { ports, accounts } = setUp();
    const { token } = await accounts.signup({ email: 'ada@example.com', password: PASSWORD, name: 'Ada' });
    for (let minutes = 0; minutes < OPTIONS.sessionTtlHours * 60; minutes += 20) {
      await accounts.authenticate(token);
      ports.clock.advance(20 * 60_000);
    }
    await expect(accounts.authenticate(token)).rejects.toThrow(/has expired; log in again/);
  });

  it('refuses a token after logout', async () => {
    const { accounts } = setUp();
    const { token } = await accounts.signup({ email: 'eve@example.com', password: PASSWORD, name: 'Eve' });
    await accounts.logout(token);
    await expect(accounts.authenticate(token)).rejects.toThrow(UnauthorizedError);
  });
});
