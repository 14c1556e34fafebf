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
  let productsCreated = 0;
  if (catalogIsEmpty) {
    for (const product of demoCatalog()) {
      await services.catalog.create(product);
      productsCreated++;
    }
  }
  const adminCreated = await services.accounts.ensureAdmin(DEMO_ADMIN.email, DEMO_ADMIN.password);
  return { productsCreated, adminCreated };
}
