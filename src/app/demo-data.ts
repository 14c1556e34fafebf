import { demoCatalog } from './catalog/demo-catalog.js';
import type { StorefrontApi } from './http.js';

/** The demo admin a fresh local install prints at start-up. Local only: never deployed. */
export const DEMO_ADMIN = { email: 'admin@growstack.local', password: 'growstack-admin' } as const;

export interface SeedResult {
  readonly productsCreated: number;
  readonly adminCreated: boolean;
}

/** Seeds the demo catalog into an empty table and makes sure the demo admin exists. */
export async function seedDemoData(
  services: StorefrontApi['services'],
  catalogIsEmpty: boolean,
): Promise<SeedResult> {
  // In bulk (BatchWriteItem): one product at a time, the first run of `npm start` spent over two
  // seconds on DynamoDB Local's round trips (npm run bench, cold start). The admin's password
  // is hashed meanwhile.
  const [products, adminCreated] = await Promise.all([
    catalogIsEmpty ? services.catalog.createMany(demoCatalog(), { intoEmptyTable: true }) : [],
    services.accounts.ensureAdmin(DEMO_ADMIN.email, DEMO_ADMIN.password),
  ]);
  return { productsCreated: products.length, adminCreated };
}
