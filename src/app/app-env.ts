import { OpenAPIHono } from '@hono/zod-openapi';
import { ValidationError } from '../platform/errors.js';
import type { Ports, UserRecord } from '../platform/ports.js';

/** What every route handler can read from the request context. */
export interface AppEnv {
  Variables: {
    /** Set by the auth middleware on routes that require a signed-in user. */
    user: UserRecord;
  };
}

/** What the storefront is built from: its ports and the few facts about where it runs. */
export interface AppDeps {
  readonly ports: Ports;
  readonly stage: string;
  /** True on one machine with the embedded stand-ins: enables the /api/dev routes. */
  readonly local: boolean;
}

/**
 * A router whose request validation failures become ValidationErrors listing each wrong field,
 * so the HTTP edge renders them as problem+json like every other error.
 */
export function createRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (result.success) return;
      const errors = result.error.issues.map((issue) => ({
        path: issue.path.length > 0 ? issue.path.join('.') : result.target,
        message: issue.message,
      }));
      throw new ValidationError(`The request ${result.target} is not valid.`, errors);
    },
  });
}
