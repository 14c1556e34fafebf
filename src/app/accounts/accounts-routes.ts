import { createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { SignInContext } from '../../contracts/ports.js';
import { type AppEnv, createRouter } from '../app-env.js';
import { problemResponses } from '../openapi-shared.js';
import {
  AuthResultSchema,
  LoginSchema,
  MeSchema,
  PasswordChangeSchema,
  PasswordResetConfirmSchema,
  PasswordResetRequestSchema,
  SignupSchema,
  VerifyEmailSchema,
} from './accounts-schemas.js';
import { type AccountsService, publicUser } from './accounts-service.js';
import { type AuthMiddleware, bearerToken } from './auth-middleware.js';

const json = <T>(schema: T) => ({ required: true, content: { 'application/json': { schema } } });

const signup = createRoute({
  method: 'post',
  path: '/auth/signup',
  tags: ['accounts'],
  summary: 'Create an account and a session; the address gets a code to verify it',
  request: { body: json(SignupSchema) },
  responses: {
    201: { description: 'Signed up', content: { 'application/json': { schema: AuthResultSchema } } },
    ...problemResponses(400, 409, 413, 415),
  },
});

const login = createRoute({
  method: 'post',
  path: '/auth/login',
  tags: ['accounts'],
  summary: 'Open a session (failed logins slow down per account and per client: 429 with retry-after)',
  request: { body: json(LoginSchema) },
  responses: {
    200: { description: 'Logged in', content: { 'application/json': { schema: AuthResultSchema } } },
    ...problemResponses(400, 401, 403, 415, 429),
  },
});

const logout = createRoute({
  method: 'post',
  path: '/auth/logout',
  tags: ['accounts'],
  summary: 'End the current session',
  security: [{ bearerAuth: [] }],
  responses: { 204: { description: 'Logged out' }, ...problemResponses(401) },
});

const verify = createRoute({
  method: 'post',
  path: '/auth/verify',
  tags: ['accounts'],
  summary: 'Prove the address with the code from the welcome mail; order mail is sent from then on',
  request: { body: json(VerifyEmailSchema) },
  responses: { 204: { description: 'Verified' }, ...problemResponses(400, 415) },
});

const resetRequest = createRoute({
  method: 'post',
  path: '/auth/password-reset',
  tags: ['accounts'],
  summary: 'Mail a code to set a new password (always 202: whether the address has an account is not told)',
  request: { body: json(PasswordResetRequestSchema) },
  responses: {
    202: { description: 'A code is mailed if the address has an account' },
    ...problemResponses(400, 415),
  },
});

const resetConfirm = createRoute({
  method: 'post',
  path: '/auth/password-reset/confirm',
  tags: ['accounts'],
  summary: 'Set a new password with the mailed code',
  request: { body: json(PasswordResetConfirmSchema) },
  responses: { 204: { description: 'Password set' }, ...problemResponses(400, 415) },
});

const passwordChange = createRoute({
  method: 'post',
  path: '/me/password',
  tags: ['accounts'],
  summary: 'Change the password, given the current one',
  security: [{ bearerAuth: [] }],
  request: { body: json(PasswordChangeSchema) },
  responses: { 204: { description: 'Password changed' }, ...problemResponses(400, 401, 415) },
});

const me = createRoute({
  method: 'get',
  path: '/me',
  tags: ['accounts'],
  summary: 'The signed-in user',
  security: [{ bearerAuth: [] }],
  responses: {
    200: { description: 'The user', content: { 'application/json': { schema: MeSchema } } },
    ...problemResponses(401),
  },
});

/** Headers that carry credentials or the origin's shared secret: never sent on to the user pool. */
const PRIVATE_HEADER = /^(authorization|proxy-authorization|cookie|x-amz-security-token)$|secret|token/i;

/** What Cognito's threat protection is told about a login request. */
function signInContext(c: Context, ipAddress: string): SignInContext {
  const url = new URL(c.req.url);
  return {
    ipAddress,
    serverName: c.req.header('host') ?? url.host,
    serverPath: url.pathname,
    headers: Object.entries(c.req.header())
      .filter(([name]) => !PRIVATE_HEADER.test(name))
      .map(([name, value]) => ({ name, value })),
  };
}

/** Sign-up, login, logout, e-mail verification, password reset and change, and the current user. */
export function accountsRoutes(
  accounts: AccountsService,
  auth: AuthMiddleware,
  clientAddress: (c: Context) => string = () => 'unknown',
) {
  const router = createRouter();
  router.openapi(signup, async (c) => c.json(await accounts.signup(c.req.valid('json')), 201));
  router.openapi(login, async (c) => {
    const client = clientAddress(c);
    return c.json(
      await accounts.login(c.req.valid('json'), { client, context: signInContext(c, client) }),
      200,
    );
  });
  router.openapi({ ...logout, middleware: [auth.requireUser] }, async (c) => {
    await accounts.logout(bearerToken(c.req.header('authorization')));
    return c.body(null, 204);
  });
  router.openapi(verify, async (c) => {
    await accounts.verifyEmail(c.req.valid('json'));
    return c.body(null, 204);
  });
  router.openapi(resetRequest, async (c) => {
    await accounts.requestPasswordReset(c.req.valid('json').email);
    return c.body(null, 202);
  });
  router.openapi(resetConfirm, async (c) => {
    await accounts.confirmPasswordReset(c.req.valid('json'));
    return c.body(null, 204);
  });
  router.openapi({ ...passwordChange, middleware: [auth.requireUser] }, async (c) => {
    await accounts.changePassword(c.var.user, c.req.valid('json'));
    return c.body(null, 204);
  });
  router.openapi({ ...me, middleware: [auth.requireUser] }, (c) =>
    c.json({ user: publicUser(c.var.user) }, 200),
  );
  return router;
}

export type { AppEnv };
