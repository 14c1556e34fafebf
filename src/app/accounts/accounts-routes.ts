import { createRoute } from '@hono/zod-openapi';
import { type AppEnv, createRouter } from '../app-env.js';
import { problemResponses } from '../openapi-shared.js';
import { AuthResultSchema, LoginSchema, MeSchema, SignupSchema } from './accounts-schemas.js';
import { type AccountsService, publicUser } from './accounts-service.js';
import { type AuthMiddleware, bearerToken } from './auth-middleware.js';

const signup = createRoute({
  method: 'post',
  path: '/auth/signup',
  tags: ['accounts'],
  summary: 'Create an account and a session',
  request: { body: { required: true, content: { 'application/json': { schema: SignupSchema } } } },
  responses: {
    201: { description: 'Signed up', content: { 'application/json': { schema: AuthResultSchema } } },
    ...problemResponses(400, 409, 413, 415),
  },
});

const login = createRoute({
  method: 'post',
  path: '/auth/login',
  tags: ['accounts'],
  summary: 'Open a session',
  request: { body: { required: true, content: { 'application/json': { schema: LoginSchema } } } },
  responses: {
    200: { description: 'Logged in', content: { 'application/json': { schema: AuthResultSchema } } },
    ...problemResponses(400, 401, 415),
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

/** Sign-up, login, logout and the current user. */
export function accountsRoutes(accounts: AccountsService, auth: AuthMiddleware) {
  const router = createRouter();
  router.openapi(signup, async (c) => c.json(await accounts.signup(c.req.valid('json')), 201));
  router.openapi(login, async (c) => c.json(await accounts.login(c.req.valid('json')), 200));
  router.openapi({ ...logout, middleware: [auth.requireUser] }, async (c) => {
    await accounts.logout(bearerToken(c.req.header('authorization')));
    return c.body(null, 204);
  });
  router.openapi({ ...me, middleware: [auth.requireUser] }, (c) =>
    c.json({ user: publicUser(c.var.user) }, 200),
  );
  return router;
}

export type { AppEnv };
