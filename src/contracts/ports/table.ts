/** The single table, as the storefront sees it: one repository per record family. */
import type { AccountRepository } from './accounts.js';
import type { EventCounters } from './analytics.js';
import type { OrderRepository } from './orders.js';
import type { ProductRepository } from './products.js';

/** The single table, as the storefront sees it. */
export interface Table {
  readonly products: ProductRepository;
  readonly accounts: AccountRepository;
  readonly orders: OrderRepository;
  readonly counters: EventCounters;
}
