/**
 * The one zod every module builds schemas with: @hono/zod-openapi's `z`, the same instance as
 * plain `zod` with `.openapi()` added. zod 4 gives a schema its methods when it is built, so a
 * schema built before that extension ran would lack `.openapi()`; importing `z` from here makes
 * the extension run first in every module, whatever order they load in.
 */
export { z } from '@hono/zod-openapi';
