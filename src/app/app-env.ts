import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { ValidationError } from '../contracts/errors.js';
import type { Ports, UserRecord } from '../contracts/ports.js';
import type { Replayable } from '../contracts/replayable.js';
import type { StageCapabilities } from '../contracts/stages.js';
import type { TraceStore } from '../contracts/traces.js';

/** What every route handler can read from the request context. */
export interface AppEnv {
  Variables: {
    /** Set by the auth middleware on routes that require a signed-in user. */
    user: UserRecord;
    /** Set by routes whose answer the HTTP edge may replay (catalog reads at the growing stage). */
    replayable: Replayable;
  };
}

/** What the storefront is built from: its ports and the few facts about where it runs. */
export interface AppDeps {
  readonly ports: Ports;
  readonly stage: string;
  /** The stage table's row for this stage, shown to operators by GET /api/ops/stage. */
  readonly capabilities: StageCapabilities;
  /** True on one machine with the embedded stand-ins: enables the /api/dev routes. */
  readonly local: boolean;
  /** The caller's address, as the HTTP edge derives it for rate limits (proxies considered). */
  readonly clientAddress?: ((c: Context) => string) | undefined;
  /** The traces this process keeps (local runs): served at /api/ops/traces when present. */
  readonly traces?: TraceStore | undefined;
}

const TARGET_NAMES: Record<string, string> = { json: 'body', param: 'path', header: 'headers' };

/**
 * A router whose request validation failures become ValidationErrors listing each wrong field,
 * so the HTTP edge renders them as problem+json like every other error.
 */
export function createRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (result.success) return;
      const part = TARGET_NAMES[result.target] ?? result.target;
      const errors = result.error.issues.map((issue) => ({
        path: issue.path.length > 0 ? issue.path.join('.') : part,
        message: issue.message,
      }));
      const first = errors[0];
      throw new ValidationError(
        `The request ${part} is not valid${first ? `: ${first.path} ${first.message}` : ''}.`,
        errors,
      );
    },
  });
}
