import { demoCatalog } from './catalog/demo-catalog.js';
import type { StorefrontApi } from './http.js';

/** The demo admin a fresh local install prints at start-up. Local only: never deployed. */
export const DEMO_ADMIN = { email: 'admin@growstack.local', password: 'growstack-admin' } as const;

export interface SeedResult {
  readonly productsCreated: number;
  readonly adminCreated: boolean;
}

/** Demo products written at once on a first run. */
const SEED_CONCURRENCY = 8;

/** Seeds the demo catalog into an empty table and makes sure the demo admin exists. */
export async function seedDemoData(
  services: StorefrontApi['services'],
  catalogIsEmpty: boolean,
): Promise<SeedResult> {
  let productsCreated = 0;
  if (catalogIsEmpty) {
    // A few at a time: one by one, the first run of `npm start` spent seconds waiting on
    // DynamoDB Local's round trips (npm run bench, cold start).
    const products = demoCatalog();
    for (let next = 0; next < products.length; next += SEED_CONCURRENCY) {
      const batch = products.slice(next, next + SEED_CONCURRENCY);
      await Promise.all(batch.map((product) => services.catalog.create(product)));
      productsCreated += batch.length;
    }
  }
  const adminCreated = await services.accounts.ensureAdmin(DEMO_ADMIN.email, DEMO_ADMIN.password);
  return { productsCreated, adminCreated };
}
