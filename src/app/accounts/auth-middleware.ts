import { createMiddleware } from 'hono/factory';
import { ForbiddenError, UnauthorizedError } from '../../contracts/errors.js';
import type { AppEnv } from '../app-env.js';
import type { AccountsService } from './accounts-service.js';

/**
 * Reads `Authorization: Bearer <token>`; throws 401 when it is missing or malformed. A token is
 * a session token (base64url) or a user pool's JWT (three base64url parts joined by dots).
 */
export function bearerToken(header: string | undefined): string {
  const match = /^Bearer ([A-Za-z0-9_.-]{20,4096})$/.exec(header ?? '');
  if (!match?.[1]) throw new UnauthorizedError('Send `Authorization: Bearer <token>` from signup or login.');
  return match[1];
}

/** Middleware factories that put the signed-in user on the context, or refuse the request. */
export function authMiddleware(accounts: AccountsService) {
  const requireUser = createMiddleware<AppEnv>(async (c, next) => {
    c.set('user', await accounts.authenticate(bearerToken(c.req.header('authorization'))));
    await next();
  });
  const requireAdmin = createMiddleware<AppEnv>(async (c, next) => {
    const user = await accounts.authenticate(bearerToken(c.req.header('authorization')));
    if (user.role !== 'admin') throw new ForbiddenError('Only an admin may do this.');
    c.set('user', user);
    await next();
  });
  return { requireUser, requireAdmin };
}

export type AuthMiddleware = ReturnType<typeof authMiddleware>;
