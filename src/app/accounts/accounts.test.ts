import { beforeAll, describe, expect, it } from 'vitest';
import { createTestStorefront, inParallel, type TestStorefront } from '../../../test/support/storefront.js';

let shop: TestStorefront;
let now = new Date('2026-11-01T12:00:00Z');

beforeAll(async () => {
  shop = await createTestStorefront({ clock: { now: () => now } });
});

const signup = (body: unknown) => shop.call('POST', '/api/auth/signup', { body });

describe('signup', () => {
  it('creates an account and a session, and never returns the password hash', async () => {
    const result = await signup({ email: 'Grace@Example.com', password: 'hopper-1906', name: 'Grace' });
    expect(result.status).toBe(201);
    expect(result.json.user).toMatchObject({ email: 'grace@example.com', name: 'Grace', role: 'customer' });
    expect(result.json.user.passwordHash).toBeUndefined();
    expect(JSON.stringify(result.json)).not.toContain('scrypt');
    const me = await shop.call('GET', '/api/me', { token: result.json.token });
    expect(me.status).toBe(200);
    expect(me.json.user.id).toBe(result.json.user.id);
  });

  it('refuses a second account for the same e-mail in any letter case', async () => {
    await signup({ email: 'twice@example.com', password: 'password-1', name: 'One' });
    const again = await signup({ email: 'TWICE@example.com', password: 'password-2', name: 'Two' });
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toContain('application/problem+json');
    const login = await shop.call('POST', '/api/auth/login', {
      body: { email: 'twice@example.com', password: 'password-1' },
    });
    expect(login.json.user.name).toBe('One');
  });

  it('lets exactly one of ten parallel signups with one e-mail through', async () => {
    const results = await inParallel(10, (index) =>
      signup({ email: 'race@example.com', password: `password-${index}`, name: `Racer ${index}` }),
    );
    const statuses = results.map((result) => result.status).sort();
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(9);
  });

  it.each([
    ['a malformed e-mail', { email: 'not-an-email', password: 'password-1', name: 'X' }, 'email'],
    ['a short password', { email: 'short@example.com', password: 'short', name: 'X' }, 'password'],
    ['a missing name', { email: 'noname@example.com', password: 'password-1' }, 'name'],
    ['an unknown field', { email: 'role@example.com', password: 'password-1', name: 'X', role: 'admin' }, ''],
    ['a number for a name', { email: 'num@example.com', password: 'password-1', name: 42 }, 'name'],
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
    await signup({ email: 'ada@example.com', password: 'analytical', name: 'Ada' });
    const ok = await shop.call('POST', '/api/auth/login', {
      body: { email: 'ADA@example.com', password: 'analytical' },
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
    const { token } = (await signup({ email: 'bye@example.com', password: 'password-1', name: 'Bye' })).json;
    expect((await shop.call('POST', '/api/auth/logout', { token })).status).toBe(204);
    expect((await shop.call('GET', '/api/me', { token })).status).toBe(401);
    expect((await shop.call('POST', '/api/auth/logout', { token })).status).toBe(401);
  });

  it('refuses an expired session', async () => {
    const { token } = (await signup({ email: 'later@example.com', password: 'password-1', name: 'Later' }))
      .json;
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
