/**
 * The ports: everything `src/app` may ask of the outside world, one module per capability under
 * `./ports/`. Adapters in `src/platform/adapters` implement them for one technology each; the
 * stage table decides which adapter serves. Records are zod schemas so one shape is the
 * validation, the type and the OpenAPI document.
 */
export * from './ports/accounts.js';
export * from './ports/analytics.js';
export * from './ports/cache.js';
export * from './ports/common.js';
export * from './ports/jobs.js';
export * from './ports/mail.js';
export * from './ports/ops.js';
export * from './ports/orders.js';
export * from './ports/products.js';
export * from './ports/search.js';
export * from './ports/sign-in.js';
export * from './ports/storefront-ports.js';
export * from './ports/table.js';
export * from './ports/telemetry.js';
