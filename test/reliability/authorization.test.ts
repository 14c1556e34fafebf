import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CallResult, createTestStorefront, type TestStorefront } from '../support/storefront.js';

type Principal = 'anonymous' | 'customerA' | 'customerB' | 'admin';
const PRINCIPALS: readonly Principal[] = ['anonymous', 'customerA', 'customerB', 'admin'];

interface Fixture {
  readonly shop: TestStorefront;
  readonly tokens: Record<Exclude<Principal, 'anonymous'>, string>;
  readonly ids: Record<Exclude<Principal, 'anonymous'>, string>;
  readonly emails: Record<Exclude<Principal, 'anonymous'>, string>;
  /** An order of customer A's. */
  readonly orderOfA: string;
  readonly productId: string;
}

interface Row {
  /** The request; `token` is the principal's, or a fresh session of it where the call spends one. */
  readonly call: (fixture: Fixture, principal: Principal, token: string | undefined) => Promise<CallResult>;
  readonly expected: Record<Principal, number>;
  /** Extra checks on what came back, beyond the status. */
  readonly check?: (fixture: Fixture, principal: Principal, result: CallResult) => void;
}

const everyone = (status: number): Record<Principal, number> => ({
  anonymous: status,
  customerA: status,
  customerB: status,
  admin: status,
});
const signedIn = (status: number): Record<Principal, number> => ({ ...everyone(status), anonymous: 401 });
const adminOnly = (status: number): Record<Principal, number> => ({
  anonymous: 401,
  customerA: 403,
  customerB: 403,
  admin: status,
});

const fresh = () => `matrix-${randomUUID().slice(0, 8)}@example.com`;

// Every route of the OpenAPI document × every kind of caller. A route added without a row here
// fails the coverage test below.
const MATRIX: Record<string, Row> = {
  'GET /health': {
    call: ({ shop }, _p, token) => shop.call('GET', '/api/health', { token }),
    expected: everyone(200),
  },
  'GET /health/live': {
    call: ({ shop }, _p, token) => shop.call('GET', '/api/health/live', { token }),
    expected: everyone(200),
  },
  'POST /auth/signup': {
    call: ({ shop }, _p, token) =>
      shop.call('POST', '/api/auth/signup', {
        token,
        body: { email: fresh(), password: 'password-123', name: 'M' },
      }),
    expected: everyone(201),
    check: (_f, _p, result) => expect(result.json.user.role).toBe('customer'),
  },
  'POST /auth/login': {
    call: ({ shop, emails }, _p, token) =>
      shop.call('POST', '/api/auth/login', {
        token,
        body: { email: emails.customerB, password: 'password-123' },
      }),
    expected: everyone(200),
  },
  'POST /auth/logout': {
    call: ({ shop }, _p, token) => shop.call('POST', '/api/auth/logout', { token }),
    expected: signedIn(204),
  },
  'GET /me': {
    call: ({ shop }, _p, token) => shop.call('GET', '/api/me', { token }),
    expected: signedIn(200),
    check: ({ ids }, principal, result) => {
      if (principal !== 'anonymous') expect(result.json.user.id).toBe(ids[principal]);
      expect(JSON.stringify(result.json)).not.toMatch(/password/i);
    },
  },
  'POST /auth/verify': {
    // Public: the code, not a session, proves the address; a wrong one is a 400 for everyone.
    call: ({ shop, emails }, _p, token) =>
      shop.call('POST', '/api/auth/verify', { token, body: { email: emails.customerB, code: '00000000' } }),
    expected: everyone(400),
  },
  'POST /auth/password-reset': {
    call: ({ shop }, _p, token) =>
      shop.call('POST', '/api/auth/password-reset', { token, body: { email: fresh() } }),
    expected: everyone(202),
  },
  'POST /auth/password-reset/confirm': {
    call: ({ shop, emails }, _p, token) =>
      shop.call('POST', '/api/auth/password-reset/confirm', {
        token,
        body: { email: emails.customerB, code: '00000000', password: 'matrix-new-password' },
      }),
    expected: everyone(400),
  },
  'POST /me/password': {
    // The current password is wrong on purpose: the fixture's principals keep theirs.
    call: ({ shop }, _p, token) =>
      shop.call('POST', '/api/me/password', {
        token,
        body: { currentPassword: 'not-the-password', newPassword: 'matrix-new-password' },
      }),
    expected: signedIn(400),
  },
  'GET /products': {
    call: ({ shop }, _p, token) => shop.call('GET', '/api/products', { token }),
    expected: everyone(200),
  },
  'POST /products': {
    call: ({ shop }, _p, token) =>
      shop.call('POST', '/api/products', {
        token,
        body: { name: 'Matrix lamp', category: 'lighting', priceCents: 100 },
      }),
    expected: adminOnly(201),
  },
  'GET /products/{id}': {
    call: ({ shop, productId }, _p, token) => shop.call('GET', `/api/products/${productId}`, { token }),
    expected: everyone(200),
  },
  'PATCH /products/{id}': {
    call: ({ shop, productId }, _p, token) =>
      shop.call('PATCH', `/api/products/${productId}`, { token, body: { priceCents: 999 } }),
    expected: adminOnly(200),
  },
  'DELETE /products/{id}': {
    call: async ({ shop }, _p, token) => {
      const doomed = await shop.product();
      return shop.call('DELETE', `/api/products/${doomed.id}`, { token });
    },
    expected: adminOnly(204),
  },
  'GET /search': {
    call: ({ shop }, _p, token) => shop.call('GET', '/api/search?q=lamp', { token }),
    expected: everyone(200),
  },
  'POST /orders': {
    call: ({ shop, productId }, _p, token) =>
      shop.call('POST', '/api/orders', {
        token,
        headers: { 'idempotency-key': randomUUID() },
        body: { items: [{ productId, quantity: 1 }] },
      }),
    expected: signedIn(201),
  },
  'GET /orders': {
    call: ({ shop }, _p, token) => shop.call('GET', '/api/orders?limit=100', { token }),
    expected: signedIn(200),
    check: ({ orderOfA }, principal, result) => {
      const ids = (result.json.items ?? []).map((order: { id: string }) => order.id);
      if (principal === 'customerA') expect(ids).toContain(orderOfA);
      else expect(ids).not.toContain(orderOfA);
    },
  },
  'GET /orders/{id}': {
    call: ({ shop, orderOfA }, _p, token) => shop.call('GET', `/api/orders/${orderOfA}`, { token }),
    // Another user's order is "not found", even for an admin: the API has no cross-user order view.
    expected: { anonymous: 401, customerA: 200, customerB: 404, admin: 404 },
    check: ({ orderOfA }, principal, result) => {
      if (principal !== 'customerA') expect(JSON.stringify(result.json)).not.toContain('"items"');
      else expect(result.json.id).toBe(orderOfA);
    },
  },
  'POST /events': {
    call: ({ shop, productId }, _p, token) =>
      shop.call('POST', '/api/events', { token, body: { type: 'view', productId } }),
    expected: everyone(202),
  },
  'GET /ops/stage': {
    call: ({ shop }, _p, token) => shop.call('GET', '/api/ops/stage', { token }),
    expected: adminOnly(200),
  },
  'GET /ops/plan': {
    call: ({ shop }, _p, token) => shop.call('GET', '/api/ops/plan', { token }),
    expected: adminOnly(200),
  },
  // The maps read the synthesized-templates cache, which this storefront is not given: 404 to the admin.
  'GET /ops/stage-map': {
    call: ({ shop }, _p, token) => shop.call('GET', '/api/ops/stage-map', { token }),
    expected: adminOnly(404),
  },
  // The report reads the event stream, which only the enterprise stage has: 404 to the admin here.
  'GET /ops/analytics/top-products': {
    call: ({ shop }, _p, token) => shop.call('GET', '/api/ops/analytics/top-products?window=day', { token }),
    expected: adminOnly(404),
  },
};

let fixture: Fixture;

beforeAll(async () => {
  const shop = await createTestStorefront();
  const a = await shop.customer('Customer A');
  const b = await shop.customer('Customer B');
  const adminEmail = `admin-${randomUUID().slice(0, 8)}@example.com`;
  const admin = await shop.runtime.services.accounts.signup(
    { email: adminEmail, password: 'password-123', name: 'Admin' },
    'admin',
  );
  const product = await shop.product({ stock: 1000 });
  const order = await shop.call('POST', '/api/orders', {
    token: a.token,
    headers: { 'idempotency-key': 'a-first' },
    body: { items: [{ productId: product.id, quantity: 1 }] },
  });
  fixture = {
    shop,
    tokens: { customerA: a.token, customerB: b.token, admin: admin.token },
    ids: { customerA: a.id, customerB: b.id, admin: admin.user.id },
    emails: { customerA: a.email, customerB: b.email, admin: adminEmail },
    orderOfA: order.json.id,
    productId: product.id,
  };
});

/** A second session of the principal, for calls that end the session they use. */
async function sessionOf(principal: Principal): Promise<string | undefined> {
  if (principal === 'anonymous') return undefined;
  const login = await fixture.shop.call('POST', '/api/auth/login', {
    body: { email: fixture.emails[principal], password: 'password-123' },
  });
  return login.json.token;
}

describe('the authorization matrix', () => {
  it('has a row for every route the OpenAPI document lists', async () => {
    const { json: doc } = await fixture.shop.call('GET', '/api/openapi.json');
    const routes = Object.entries(doc.paths as Record<string, object>).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(Object.keys(MATRIX).sort()).toEqual(routes.sort());
  });

  for (const [route, row] of Object.entries(MATRIX)) {
    it(`${route}: ${PRINCIPALS.map((principal) => `${principal} ${row.expected[principal]}`).join(', ')}`, async () => {
      for (const principal of PRINCIPALS) {
        const token =
          route === 'POST /auth/logout'
            ? await sessionOf(principal)
            : principal === 'anonymous'
              ? undefined
              : fixture.tokens[principal];
        const result = await row.call(fixture, principal, token);
        expect(result.status, `${route} as ${principal}: ${JSON.stringify(result.json)}`).toBe(
          row.expected[principal],
        );
        if (result.status >= 400) expect(result.headers.get('content-type')).toBe('application/problem+json');
        row.check?.(fixture, principal, result);
      }
    });
  }

  it('refuses a forged, truncated, oversized or non-bearer token with 401', async () => {
    for (const token of ['not-a-token', `${fixture.tokens.customerA}x`, 'a'.repeat(4096), '']) {
      const result = await fixture.shop.call('GET', '/api/me', {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(result.status, token.slice(0, 20)).toBe(401);
    }
    const basic = await fixture.shop.call('GET', '/api/me', {
      headers: { authorization: 'Basic YWRtaW46YWRtaW4=' },
    });
    expect(basic.status).toBe(401);
  });
});
