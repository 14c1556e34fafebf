import { randomUUID } from 'node:crypto';
import { ulid } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../src/app/accounts/password.js';
import { LocalCognitoIdentity } from '../src/platform/adapters/cognito-identity.js';
import { CognitoTokenVerifier } from '../src/platform/adapters/cognito-tokens.js';
import { createTestStorefront, inParallel, type TestStorefront } from './support/storefront.js';

const POOL = { userPoolId: 'us-east-1_LocalPool1', clientId: 'storefront-api-client' };
const PASSWORD = 'correct-horse-7';

/**
 * The enterprise stage's sign-in, end to end through the HTTP routes: the pool (the local
 * stand-in, whose tokens the real Cognito verifier checks) holds passwords and issues tokens; the
 * table holds the account; Redis holds the tokens logged out before they expire.
 */
describe('sign-up and login through a Cognito user pool', () => {
  let shop: TestStorefront;
  let pool: LocalCognitoIdentity;
  const email = () => `pool-${randomUUID().slice(0, 8)}@example.com`;

  beforeAll(async () => {
    pool = await LocalCognitoIdentity.create(POOL);
    shop = await createTestStorefront({ stage: 'scaling', identity: pool });
  });

  it('signs up: the account in the table keeps its password hash (a move down keeps it), and the token is the pool’s access token', async () => {
    const address = email();
    const signup = await shop.call('POST', '/api/auth/signup', {
      body: { email: address, password: PASSWORD, name: 'Pool User' },
    });
    expect(signup.status).toBe(201);
    const stored = await shop.runtime.ports.table.accounts.findUserByEmail(address);
    expect(stored?.passwordHash).toMatch(/^scrypt\$/);
    const claims = JSON.parse(Buffer.from(signup.json.token.split('.')[1], 'base64url').toString());
    expect(claims).toMatchObject({
      iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_LocalPool1',
      token_use: 'access',
      client_id: POOL.clientId,
      username: signup.json.user.id,
    });
    const me = await shop.call('GET', '/api/me', { token: signup.json.token });
    expect(me.status).toBe(200);
    expect(me.json.user.email).toBe(address);
  });

  it('logs in with the right password only, and a logged-out token stays refused', async () => {
    const address = email();
    await shop.call('POST', '/api/auth/signup', {
      body: { email: address, password: PASSWORD, name: 'Pool' },
    });
    const wrong = await shop.call('POST', '/api/auth/login', {
      body: { email: address, password: 'wrong-horse-77' },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('content-type')).toContain('application/problem+json');
    expect(
      (await shop.call('POST', '/api/auth/login', { body: { email: email(), password: PASSWORD } })).status,
    ).toBe(401);
    const login = await shop.call('POST', '/api/auth/login', {
      body: { email: address, password: PASSWORD },
    });
    expect(login.status).toBe(200);
    const token = login.json.token;
    expect((await shop.call('GET', '/api/me', { token })).status).toBe(200);
    expect((await shop.call('POST', '/api/auth/logout', { token })).status).toBe(204);
    const after = await shop.call('GET', '/api/me', { token });
    expect(after.status).toBe(401);
    expect(after.json.detail).toBe('This session was logged out; log in again.');
    // Logging out one token does not lock the account out.
    const again = await shop.call('POST', '/api/auth/login', {
      body: { email: address, password: PASSWORD },
    });
    expect((await shop.call('GET', '/api/me', { token: again.json.token })).status).toBe(200);
  });

  it('refuses a password shorter than the pool’s policy, on `password`, and leaves no account behind', async () => {
    const address = email();
    const result = await shop.call('POST', '/api/auth/signup', {
      body: { email: address, password: 'short-pw-1', name: 'Short' },
    });
    expect(result.status).toBe(400);
    expect(result.json.errors).toEqual([{ path: 'password', message: 'must be at least 12 characters' }]);
    expect(await shop.runtime.ports.table.accounts.findUserByEmail(address)).toBeNull();
    // The e-mail is still free.
    const retry = await shop.call('POST', '/api/auth/signup', {
      body: { email: address, password: PASSWORD, name: 'Short' },
    });
    expect(retry.status).toBe(201);
  });

  it('lets exactly one of ten parallel sign-ups with one e-mail through, in the pool and in the table', async () => {
    const address = email();
    const statuses = await inParallel(10, () =>
      shop.call('POST', '/api/auth/signup', { body: { email: address, password: PASSWORD, name: 'Race' } }),
    );
    expect(statuses.filter((result) => result.status === 201)).toHaveLength(1);
    expect(statuses.filter((result) => result.status === 409)).toHaveLength(9);
    const login = await shop.call('POST', '/api/auth/login', {
      body: { email: address, password: PASSWORD },
    });
    expect(login.status).toBe(200);
  });

  it('refuses an expired token, and one the pool did not sign', async () => {
    const address = email();
    const signup = await shop.call('POST', '/api/auth/signup', {
      body: { email: address, password: PASSWORD, name: 'Old' },
    });
    const expired = await pool.signIn(signup.json.user.id, PASSWORD, undefined, {
      now: new Date(Date.now() - 3600_000),
    });
    const refused = await shop.call('GET', '/api/me', { token: expired });
    expect(refused.status).toBe(401);
    expect(refused.json.detail).toBe('The token has expired; log in again.');
    const other = await LocalCognitoIdentity.create(POOL);
    await other.register({ id: signup.json.user.id, email: address, role: 'customer' }, PASSWORD);
    const forged = await other.signIn(signup.json.user.id, PASSWORD);
    expect((await shop.call('GET', '/api/me', { token: forged })).status).toBe(401);
  });

  it('puts admins in the pool’s admin group, and the table’s role still decides what they may do', async () => {
    const token = await shop.adminToken();
    const verifier = new CognitoTokenVerifier(POOL, {
      tokenUse: 'access',
      jwks: pool.jwks(),
    });
    expect((await verifier.verify(token)).groups).toEqual(['admin']);
    expect((await shop.call('GET', '/api/ops/stage', { token })).status).toBe(200);
    const customer = await shop.customer();
    expect((await shop.call('GET', '/api/ops/stage', { token: customer.token })).status).toBe(403);
  });
});

/**
 * Accounts made before the move to enterprise: the table holds them with their scrypt hash,
 * the pool does not know them. Their first login there puts them into the pool, as a Cognito
 * user-migration trigger would.
 */
describe('accounts made before the move to the user pool', () => {
  let shop: TestStorefront;
  let pool: LocalCognitoIdentity;
  const email = () => `before-${randomUUID().slice(0, 8)}@example.com`;
  const login = (address: string, password: string, headers: Record<string, string> = {}) =>
    shop.call('POST', '/api/auth/login', { body: { email: address, password }, headers });

  beforeAll(async () => {
    pool = await LocalCognitoIdentity.create(POOL);
    // Startup's inline jobs: the reset mail is there when the request answers.
    shop = await createTestStorefront({ identity: pool });
  });

  const accountBefore = async (
    address: string,
    password: string,
    role: 'customer' | 'admin' = 'customer',
  ) => {
    const user = {
      id: ulid(),
      email: address,
      name: 'Before',
      role,
      passwordHash: await hashPassword(password, 14),
      createdAt: new Date().toISOString(),
    };
    await shop.runtime.ports.table.accounts.createUser(user);
    return user;
  };

  it('sign in with their password, which puts them into the pool; a wrong one stays a 401', async () => {
    const address = email();
    const user = await accountBefore(address, PASSWORD);
    expect(pool.holds(user.id)).toBe(false);
    expect((await login(address, 'wrong-horse-77')).status).toBe(401);
    expect(pool.holds(user.id)).toBe(false);
    const first = await login(address, PASSWORD);
    expect(first.status).toBe(200);
    expect(pool.holds(user.id)).toBe(true);
    expect((await shop.call('GET', '/api/me', { token: first.json.token })).json.user.id).toBe(user.id);
    expect((await login(address, PASSWORD)).status).toBe(200);
  });

  it('with a password shorter than the pool takes, are told to reset it, and can', async () => {
    const address = email();
    const user = await accountBefore(address, 'short-pw-1');
    const refused = await login(address, 'short-pw-1');
    expect(refused.status).toBe(403);
    expect(refused.json.detail).toContain('POST /api/auth/password-reset');
    // A wrong short password is a plain 401: the hint is only for whoever knows the password.
    expect((await login(address, 'short-pw-2')).status).toBe(401);

    expect((await shop.call('POST', '/api/auth/password-reset', { body: { email: address } })).status).toBe(
      202,
    );
    const mail = (await shop.call('GET', `/api/dev/mail?to=${encodeURIComponent(address)}`)).json.items.find(
      (item: { subject: string }) => item.subject.includes('reset'),
    );
    const code = /\b(\d{8})\b/.exec(mail.text)?.[1];
    const confirm = await shop.call('POST', '/api/auth/password-reset/confirm', {
      body: { email: address, code, password: 'long-enough-now-1' },
    });
    expect(confirm.status).toBe(204);
    expect(pool.holds(user.id)).toBe(true);
    expect((await login(address, 'long-enough-now-1')).status).toBe(200);
    const stored = await shop.runtime.ports.table.accounts.getUser(user.id);
    expect(await verifyPassword('long-enough-now-1', stored?.passwordHash ?? '')).toBe(true);
  });

  it('keep the demo admin working: ensureAdmin puts an admin made before the move into the pool', async () => {
    const address = email();
    const admin = await accountBefore(address, 'admin-password-1', 'admin');
    expect(await shop.runtime.services.accounts.ensureAdmin(address, 'admin-password-1')).toBe(false);
    expect(pool.holds(admin.id)).toBe(true);
    const token = (await login(address, 'admin-password-1')).json.token;
    expect((await shop.call('GET', '/api/ops/stage', { token })).status).toBe(200);
  });

  it('send the pool the client’s context, without credentials; unknown e-mails get the same 401 through the pool', async () => {
    const address = email();
    await accountBefore(address, PASSWORD);
    await login(address, PASSWORD, { 'user-agent': 'shopper-browser/1.0', cookie: 'session=secret' });
    expect(pool.lastContext).toMatchObject({
      ipAddress: expect.any(String),
      serverPath: '/api/auth/login',
      headers: expect.arrayContaining([{ name: 'user-agent', value: 'shopper-browser/1.0' }]),
    });
    expect(pool.lastContext?.headers.map((header) => header.name)).not.toContain('cookie');
    pool.lastContext = undefined;
    const unknown = await login(email(), PASSWORD);
    const wrong = await login(address, 'wrong-horse-77');
    expect(unknown.status).toBe(401);
    expect(unknown.json.detail).toBe(wrong.json.detail);
    // The unknown e-mail went to the pool too, as a known one does.
    expect(pool.lastContext).toBeDefined();
  });
});
