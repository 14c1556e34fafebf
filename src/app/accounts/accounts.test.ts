import { beforeAll, describe, expect, it } from 'vitest';
import { createTestStorefront, inParallel, type TestStorefront } from '../../../test/support/storefront.js';
import { hashPassword } from './password.js';

let shop: TestStorefront;
let now = new Date('2026-11-01T12:00:00Z');

beforeAll(async () => {
  shop = await createTestStorefront({ clock: { now: () => now } });
});

const signup = (body: unknown) => shop.call('POST', '/api/auth/signup', { body });

describe('signup', () => {
  it('creates an account and a session, and never returns the password hash', async () => {
    const result = await signup({ email: 'Grace@Example.com', password: 'grace-hopper-1906', name: 'Grace' });
    expect(result.status).toBe(201);
    expect(result.json.user).toMatchObject({ email: 'grace@example.com', name: 'Grace', role: 'customer' });
    expect(result.json.user.passwordHash).toBeUndefined();
    expect(JSON.stringify(result.json)).not.toContain('scrypt');
    const me = await shop.call('GET', '/api/me', { token: result.json.token });
    expect(me.status).toBe(200);
    expect(me.json.user.id).toBe(result.json.user.id);
  });

  it('refuses a second account for the same e-mail in any letter case', async () => {
    await signup({ email: 'twice@example.com', password: 'correct-horse-1', name: 'One' });
    const again = await signup({ email: 'TWICE@example.com', password: 'correct-horse-2', name: 'Two' });
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toContain('application/problem+json');
    const login = await shop.call('POST', '/api/auth/login', {
      body: { email: 'twice@example.com', password: 'correct-horse-1' },
    });
    expect(login.json.user.name).toBe('One');
  });

  it('lets exactly one of ten parallel signups with one e-mail through', async () => {
    const results = await inParallel(10, (index) =>
      signup({ email: 'race@example.com', password: `correct-horse-${index}`, name: `Racer ${index}` }),
    );
    const statuses = results.map((result) => result.status).sort();
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(9);
  });

  it.each([
    ['a malformed e-mail', { email: 'not-an-email', password: 'correct-horse-1', name: 'X' }, 'email'],
    ['a short password', { email: 'short@example.com', password: 'short', name: 'X' }, 'password'],
    ['a missing name', { email: 'noname@example.com', password: 'correct-horse-1' }, 'name'],
    [
      'an unknown field',
      { email: 'role@example.com', password: 'correct-horse-1', name: 'X', role: 'admin' },
      '',
    ],
    ['a number for a name', { email: 'num@example.com', password: 'correct-horse-1', name: 42 }, 'name'],
  ])('rejects %s with a 400 naming the field', async (_case, body, path) => {
    const result = await signup(body);
    expect(result.status).toBe(400);
    expect(result.json.errors.length).toBeGreaterThan(0);
    if (path) expect(result.json.errors[0].path).toBe(path);
    else expect(result.json.errors[0].message).toMatch(/role/);
  });
});

describe('login and sessions', () => {
  it('logs in with the right password and refuses a wrong one or an unknown e-mail', async () => {
    await signup({ email: 'ada@example.com', password: 'analytical-engine', name: 'Ada' });
    const ok = await shop.call('POST', '/api/auth/login', {
      body: { email: 'ADA@example.com', password: 'analytical-engine' },
    });
    expect(ok.status).toBe(200);
    expect(ok.json.token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const wrong = await shop.call('POST', '/api/auth/login', {
      body: { email: 'ada@example.com', password: 'engine' },
    });
    expect(wrong.status).toBe(401);
    const unknown = await shop.call('POST', '/api/auth/login', {
      body: { email: 'nobody@example.com', password: 'x' },
    });
    expect(unknown.status).toBe(401);
    expect(unknown.json.detail).toBe(wrong.json.detail);
  });

  it('ends the session on logout', async () => {
    const { token } = (await signup({ email: 'bye@example.com', password: 'correct-horse-1', name: 'Bye' }))
      .json;
    expect((await shop.call('POST', '/api/auth/logout', { token })).status).toBe(204);
    expect((await shop.call('GET', '/api/me', { token })).status).toBe(401);
    expect((await shop.call('POST', '/api/auth/logout', { token })).status).toBe(401);
  });

  it('refuses an expired session', async () => {
    const { token } = (
      await signup({ email: 'later@example.com', password: 'correct-horse-1', name: 'Later' })
    ).json;
    now = new Date(now.getTime() + 8 * 24 * 3_600_000);
    const result = await shop.call('GET', '/api/me', { token });
    expect(result.status).toBe(401);
    expect(result.json.detail).toMatch(/expired/);
  });

  it.each([
    ['no header', undefined],
    ['a wrong scheme', 'Basic abc'],
    ['a made-up token', 'Bearer aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'],
  ])('answers 401 problem+json for %s', async (_case, authorization) => {
    const result = await shop.call('GET', '/api/me', { headers: authorization ? { authorization } : {} });
    expect(result.status).toBe(401);
    expect(result.headers.get('content-type')).toContain('application/problem+json');
  });
});

describe('the password rule at sign-up', () => {
  it.each([
    ['eight digits', '12345678', /at least 12/],
    ['a common password with digits', 'password1234', /common/],
    ['a keyboard row', 'qwertyuiopas', /run/],
  ])('refuses %s with a 400 on password', async (_case, password, reason) => {
    const result = await signup({ email: `weak-${password}@example.com`, password, name: 'Weak' });
    expect(result.status).toBe(400);
    expect(result.json.errors[0]).toMatchObject({ path: 'password', message: expect.stringMatching(reason) });
  });
});

const mailsTo = async (email: string): Promise<{ subject: string; text: string }[]> =>
  (await shop.call('GET', `/api/dev/mail?to=${encodeURIComponent(email)}`)).json.items;
const codeIn = (text: string) => /\b(\d{8})\b/.exec(text)?.[1] as string;
const login = (email: string, password: string) =>
  shop.call('POST', '/api/auth/login', { body: { email, password } });

describe('password reset', () => {
  it('mails a code that sets a new password once; the old password stops working', async () => {
    const email = 'forgetful@example.com';
    await signup({ email, password: 'old-password-77', name: 'Forgetful' });
    const request = await shop.call('POST', '/api/auth/password-reset', { body: { email } });
    expect(request.status).toBe(202);
    const mail = (await mailsTo(email)).find((item) => item.subject.includes('password reset'));
    const code = codeIn(mail?.text ?? '');
    expect(code).toMatch(/^\d{8}$/);
    const confirm = (body: object) => shop.call('POST', '/api/auth/password-reset/confirm', { body });
    const wrong = await confirm({
      email,
      code: code === '00000000' ? '11111111' : '00000000',
      password: 'new-password-88',
    });
    expect(wrong.status).toBe(400);
    expect(wrong.json.errors[0].path).toBe('code');
    expect((await confirm({ email, code, password: 'short' })).json.errors[0].path).toBe('password');
    expect((await confirm({ email, code, password: 'new-password-88' })).status).toBe(204);
    expect((await confirm({ email, code, password: 'other-password-99' })).status).toBe(400);
    expect((await login(email, 'old-password-77')).status).toBe(401);
    expect((await login(email, 'new-password-88')).status).toBe(200);
  });

  it('answers 202 for an unknown address too, and mails nothing', async () => {
    const email = 'nobody-here@example.com';
    const request = await shop.call('POST', '/api/auth/password-reset', { body: { email } });
    expect(request.status).toBe(202);
    expect(await mailsTo(email)).toHaveLength(0);
  });

  it('drops a code after five wrong guesses', async () => {
    const email = 'guessed@example.com';
    await signup({ email, password: 'guessed-password-1', name: 'Guessed' });
    await shop.call('POST', '/api/auth/password-reset', { body: { email } });
    const code = codeIn((await mailsTo(email)).find((item) => item.subject.includes('reset'))?.text ?? '');
    const other = code === '12345670' ? '12345671' : '12345670';
    for (let guess = 0; guess < 5; guess++)
      await shop.call('POST', '/api/auth/password-reset/confirm', {
        body: { email, code: other, password: 'guessed-password-2' },
      });
    const late = await shop.call('POST', '/api/auth/password-reset/confirm', {
      body: { email, code, password: 'guessed-password-2' },
    });
    expect(late.status).toBe(400);
  });
});

describe('changing the password', () => {
  it('needs the current password and applies the rule to the new one', async () => {
    const email = 'changer@example.com';
    const { token } = (await signup({ email, password: 'first-password-1', name: 'Changer' })).json;
    const change = (body: object) => shop.call('POST', '/api/me/password', { token, body });
    expect(
      (await change({ currentPassword: 'not-it-at-all', newPassword: 'second-password-2' })).json.errors[0]
        .path,
    ).toBe('currentPassword');
    expect(
      (await change({ currentPassword: 'first-password-1', newPassword: '123456789012' })).json.errors[0]
        .path,
    ).toBe('newPassword');
    expect(
      (await change({ currentPassword: 'first-password-1', newPassword: 'second-password-2' })).status,
    ).toBe(204);
    expect((await login(email, 'second-password-2')).status).toBe(200);
  });
});

describe('e-mail verification', () => {
  it('sends an unverified address only the code, with nothing the user typed; order mail waits for verification', async () => {
    const email = 'verify-me@example.com';
    const name = 'Win a prize\nhttps://evil.example/claim';
    const { token } = (await signup({ email, password: 'verify-password-1', name })).json;
    const [welcome] = await mailsTo(email);
    expect(welcome?.text).not.toContain('evil.example');
    expect(welcome?.text).not.toContain('Win a prize');
    const code = codeIn(welcome?.text ?? '');
    expect(code).toMatch(/^\d{8}$/);

    const product = await shop.product({ stock: 5 });
    const order = (key: string) =>
      shop.call('POST', '/api/orders', {
        token,
        headers: { 'idempotency-key': key },
        body: { items: [{ productId: product.id, quantity: 1 }] },
      });
    expect((await order('before-verify')).status).toBe(201);
    expect(await mailsTo(email)).toHaveLength(1);

    expect((await shop.call('POST', '/api/auth/verify', { body: { email, code: '00000000' } })).status).toBe(
      400,
    );
    expect((await shop.call('POST', '/api/auth/verify', { body: { email, code } })).status).toBe(204);
    expect((await shop.call('GET', '/api/me', { token })).json.user.emailVerifiedAt).toBeTruthy();
    expect((await order('after-verify')).status).toBe(201);
    const mails = await mailsTo(email);
    expect(mails).toHaveLength(2);
    expect(mails.map((mail) => mail.text).join()).not.toContain('evil.example');
  });
});

describe('login throttling', () => {
  it('slows an account down after five failures with a 429 and retry-after, and lets it in after the wait', async () => {
    const email = 'throttled@example.com';
    await signup({ email, password: 'throttled-password', name: 'Throttled' });
    for (let attempt = 0; attempt < 5; attempt++)
      expect((await login(email, 'wrong-password-x')).status).toBe(401);
    const limited = await login(email, 'throttled-password');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toContain('application/problem+json');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    now = new Date(now.getTime() + 2_000);
    expect((await login(email, 'throttled-password')).status).toBe(200);
    // A success clears the account's count.
    expect((await login(email, 'wrong-password-x')).status).toBe(401);
    expect((await login(email, 'throttled-password')).status).toBe(200);
  });

  it('doubles the wait with each further failure', async () => {
    const email = 'doubling@example.com';
    await signup({ email, password: 'doubling-password', name: 'Doubling' });
    for (let attempt = 0; attempt < 5; attempt++) await login(email, 'wrong-password-x');
    const waits: number[] = [];
    for (let round = 0; round < 3; round++) {
      const limited = await login(email, 'wrong-password-x');
      waits.push(Number(limited.headers.get('retry-after')));
      now = new Date(now.getTime() + waits[round]! * 1000);
      expect((await login(email, 'wrong-password-x')).status).toBe(401);
    }
    expect(waits).toEqual([1, 2, 4]);
  });
});

describe('idle sessions', () => {
  it('end after a day without use, and stay open while used', async () => {
    const { token } = (await signup({ email: 'idle@example.com', password: 'idle-password-1', name: 'Idle' }))
      .json;
    for (let day = 0; day < 3; day++) {
      now = new Date(now.getTime() + 20 * 3_600_000);
      expect((await shop.call('GET', '/api/me', { token })).status).toBe(200);
    }
    now = new Date(now.getTime() + 25 * 3_600_000);
    const idle = await shop.call('GET', '/api/me', { token });
    expect(idle.status).toBe(401);
    expect(idle.json.detail).toMatch(/without use/);
  });
});

describe('password hashes', () => {
  it('are rehashed at the configured cost on the next login', async () => {
    const email = 'old-hash@example.com';
    const { user } = (await signup({ email, password: 'old-hash-password', name: 'Old' })).json;
    await shop.runtime.ports.table.accounts.updatePasswordHash(
      user.id,
      await hashPassword('old-hash-password', 14),
    );
    expect((await login(email, 'old-hash-password')).status).toBe(200);
    const stored = await shop.runtime.ports.table.accounts.getUser(user.id);
    expect(stored?.passwordHash.split('$').slice(0, 4)).toEqual(['scrypt', String(2 ** 15), '8', '1']);
    expect((await login(email, 'old-hash-password')).status).toBe(200);
  });
});
