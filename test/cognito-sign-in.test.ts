import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { POOL_PASSWORD } from '../src/app/accounts/accounts-service.js';
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

  it('signs up: the account in the table keeps no password, and the token is the pool’s access token', async () => {
    const address = email();
    const signup = await shop.call('POST', '/api/auth/signup', {
      body: { email: address, password: PASSWORD, name: 'Pool User' },
    });
    expect(signup.status).toBe(201);
    const stored = await shop.runtime.ports.table.accounts.findUserByEmail(address);
    expect(stored?.passwordHash).toBe(POOL_PASSWORD);
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

  it('refuses a password the pool’s policy refuses, on `password`, and leaves no account behind', async () => {
    const address = email();
    // Long enough for the API (8), too short for the pool (12).
    const result = await shop.call('POST', '/api/auth/signup', {
      body: { email: address, password: 'short-pw-1', name: 'Short' },
    });
    expect(result.status).toBe(400);
    expect(result.json.errors).toEqual([
      { path: 'password', message: 'must be at least 12 characters for the user pool' },
    ]);
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
    const expired = await pool.signIn(signup.json.user.id, PASSWORD, {
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
