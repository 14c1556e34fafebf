import { handle } from 'hono/aws-lambda';
import { loadConfig } from '../platform/config.js';
import { composeRuntime } from './compose.js';

// Built once per execution environment (cold start) and reused by every warm invocation.
const runtime = composeRuntime(loadConfig(), { syncAccessLog: true });

/** API Gateway REST (v1) proxy handler serving the storefront's Hono app. */
export const handler = handle(runtime.app);
