/** The Table port on DynamoDB: the repositories, counters and stores the storefront reads and writes. */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type {
  AccountRepository,
  SearchIndex,
  SessionRecord,
  SessionStore,
  Table,
} from '../../contracts/ports.js';
import { DynamoDbAccountRepository } from './dynamodb-accounts.js';
import { createDocumentClient } from './dynamodb-client.js';
import { DynamoDbEventCounters } from './dynamodb-counters.js';
import { createStorefrontService } from './dynamodb-entities.js';
import { DynamoDbLoginThrottle } from './dynamodb-login-throttle.js';
import { DynamoDbOrderRepository } from './dynamodb-orders.js';
import { DynamoDbProductRepository } from './dynamodb-products.js';

export interface DynamoDbTable extends Table {
  readonly products: DynamoDbProductRepository;
  /** Failed-login counts in the table, for the stages without Redis. */
  readonly loginThrottle: DynamoDbLoginThrottle;
}

/** The Table port on one DynamoDB table (DynamoDB Local or AWS). */
export function createDynamoDbTable(
  client: DynamoDBClient,
  tableName: string,
  now: () => Date,
): DynamoDbTable {
  const service = createStorefrontService(createDocumentClient(client), tableName);
  return {
    products: new DynamoDbProductRepository(service),
    accounts: new DynamoDbAccountRepository(service),
    orders: new DynamoDbOrderRepository(service),
    counters: new DynamoDbEventCounters(service, now),
    loginThrottle: new DynamoDbLoginThrottle(service),
  };
}

/** Startup-stage search: a filtered query on the table itself, no extra infrastructure. */
export function createTableSearchIndex(table: DynamoDbTable): SearchIndex {
  return {
    engine: 'dynamodb-query',
    search: (query, limit, filters) => table.products.findByText(query, limit, filters),
  };
}

/** Startup and growing stages' sessions: items in the table, expired by their TTL attribute. */
export class TableSessionStore implements SessionStore {
  readonly mode = 'dynamodb';

  constructor(private readonly accounts: AccountRepository) {}

  create(session: SessionRecord): Promise<void> {
    return this.accounts.createSession(session);
  }

  get(tokenHash: string): Promise<SessionRecord | null> {
    return this.accounts.getSession(tokenHash);
  }

  touch(session: SessionRecord, lastSeenAt: string): Promise<void> {
    return this.accounts.touchSession(session.tokenHash, lastSeenAt);
  }

  delete(tokenHash: string): Promise<void> {
    return this.accounts.deleteSession(tokenHash);
  }
}
