import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Entity, Service } from 'electrodb';
import { CurrencySchema, RoleSchema } from '../../contracts/ports.js';
import { TABLE_SCHEMA } from '../../contracts/table-schema.js';

/**
 * The storefront's single-table model in ElectroDB. Key layouts and access patterns are listed in
 * docs/data-model.md; ElectroDB builds the keys, so no code here concatenates `PK#...` strings.
 */

const SERVICE = 'growstack';
const [gsi1, gsi2] = TABLE_SCHEMA.globalIndexes;
const primary = { pk: { field: TABLE_SCHEMA.partitionKey }, sk: { field: TABLE_SCHEMA.sortKey } } as const;

function productEntity() {
  return new Entity({
    model: { entity: 'product', version: '1', service: SERVICE },
    attributes: {
      id: { type: 'string', required: true, readOnly: true },
      name: { type: 'string', required: true },
      description: { type: 'string', required: true },
      category: { type: 'string', required: true },
      priceCents: { type: 'number', required: true },
      currency: { type: CurrencySchema.options, required: true },
      stock: { type: 'number', required: true },
      imageUrl: { type: 'string', required: true },
      /** Lower-cased name, description and category: what the table search matches against. */
      searchText: { type: 'string', required: true },
      createdAt: { type: 'string', required: true, readOnly: true },
      updatedAt: { type: 'string', required: true },
    },
    indexes: {
      byId: {
        pk: { ...primary.pk, composite: ['id'] },
        sk: { ...primary.sk, composite: [] },
      },
      // One partition lists the whole catalog in id (= creation) order. Fine for a catalog of
      // thousands; a hot-partition risk only for catalogs far beyond what the startup stage serves.
      catalog: {
        index: gsi1.name,
        pk: { field: gsi1.partitionKey, composite: [] },
        sk: { field: gsi1.sortKey, composite: ['id'] },
      },
      byCategory: {
        index: gsi2.name,
        pk: { field: gsi2.partitionKey, composite: ['category'] },
        sk: { field: gsi2.sortKey, composite: ['id'] },
      },
    },
  });
}

/**
 * One item per word of a product's text, for the startup stage's search: the partition is the
 * word's first two characters, the sort key the word and the product (docs/data-model.md).
 */
function searchWordEntity() {
  return new Entity({
    model: { entity: 'searchWord', version: '1', service: SERVICE },
    attributes: {
      bucket: { type: 'string', required: true, readOnly: true },
      word: { type: 'string', required: true, readOnly: true },
      productId: { type: 'string', required: true, readOnly: true },
    },
    indexes: {
      byWord: {
        pk: { ...primary.pk, composite: ['bucket'] },
        sk: { ...primary.sk, composite: ['word', 'productId'] },
      },
    },
  });
}

/** Which version of the search words the table holds: written once the catalog is indexed. */
function searchIndexStateEntity() {
  return new Entity({
    model: { entity: 'searchIndexState', version: '1', service: SERVICE },
    attributes: {
      name: { type: 'string', required: true, readOnly: true },
      version: { type: 'number', required: true },
      indexedAt: { type: 'string', required: true },
    },
    indexes: {
      byName: { pk: { ...primary.pk, composite: ['name'] }, sk: { ...primary.sk, composite: [] } },
    },
  });
}

function userEntity() {
  return new Entity({
    model: { entity: 'user', version: '1', service: SERVICE },
    attributes: {
      id: { type: 'string', required: true, readOnly: true },
      email: { type: 'string', required: true },
      name: { type: 'string', required: true },
      role: { type: RoleSchema.options, required: true },
      passwordHash: { type: 'string', required: true },
      createdAt: { type: 'string', required: true, readOnly: true },
      emailVerifiedAt: { type: 'string' },
    },
    indexes: {
      byId: { pk: { ...primary.pk, composite: ['id'] }, sk: { ...primary.sk, composite: [] } },
    },
  });
}

/** One item per e-mail address, written in the same transaction as the user: unique e-mails. */
function emailClaimEntity() {
  return new Entity({
    model: { entity: 'emailClaim', version: '1', service: SERVICE },
    attributes: {
      email: { type: 'string', required: true, readOnly: true },
      userId: { type: 'string', required: true, readOnly: true },
    },
    indexes: {
      byEmail: { pk: { ...primary.pk, composite: ['email'] }, sk: { ...primary.sk, composite: [] } },
    },
  });
}

function sessionEntity() {
  return new Entity({
    model: { entity: 'session', version: '1', service: SERVICE },
    attributes: {
      tokenHash: { type: 'string', required: true, readOnly: true },
      userId: { type: 'string', required: true, readOnly: true },
      createdAt: { type: 'string', required: true, readOnly: true },
      expiresAt: { type: 'string', required: true, readOnly: true },
      lastSeenAt: { type: 'string' },
      expiresAtEpoch: { type: 'number', required: true, field: TABLE_SCHEMA.timeToLiveAttribute },
    },
    indexes: {
      byToken: { pk: { ...primary.pk, composite: ['tokenHash'] }, sk: { ...primary.sk, composite: [] } },
    },
  });
}

/** A one-time code mailed to an address (password reset, e-mail verification); expires by TTL. */
function accountCodeEntity() {
  return new Entity({
    model: { entity: 'accountCode', version: '1', service: SERVICE },
    attributes: {
      purpose: { type: ['password-reset', 'verify-email'] as const, required: true, readOnly: true },
      email: { type: 'string', required: true, readOnly: true },
      userId: { type: 'string', required: true },
      codeHash: { type: 'string', required: true },
      attempts: { type: 'number', required: true },
      expiresAt: { type: 'string', required: true },
      expiresAtEpoch: { type: 'number', required: true, field: TABLE_SCHEMA.timeToLiveAttribute },
    },
    indexes: {
      byEmail: {
        pk: { ...primary.pk, composite: ['purpose', 'email'] },
        sk: { ...primary.sk, composite: [] },
      },
    },
  });
}

/** Failed logins counted against one key (an account, a client); expires by TTL. */
function loginAttemptsEntity() {
  return new Entity({
    model: { entity: 'loginAttempts', version: '1', service: SERVICE },
    attributes: {
      key: { type: 'string', required: true, readOnly: true },
      failures: { type: 'number' },
      lastFailureAt: { type: 'number' },
      expiresAtEpoch: { type: 'number', field: TABLE_SCHEMA.timeToLiveAttribute },
    },
    indexes: {
      byKey: { pk: { ...primary.pk, composite: ['key'] }, sk: { ...primary.sk, composite: [] } },
    },
  });
}

function orderEntity() {
  return new Entity({
    model: { entity: 'order', version: '1', service: SERVICE },
    attributes: {
      id: { type: 'string', required: true, readOnly: true },
      userId: { type: 'string', required: true, readOnly: true },
      status: { type: ['placed'] as const, required: true },
      items: {
        type: 'list',
        required: true,
        items: {
          type: 'map',
          properties: {
            productId: { type: 'string', required: true },
            name: { type: 'string', required: true },
            quantity: { type: 'number', required: true },
            unitPriceCents: { type: 'number', required: true },
            lineTotalCents: { type: 'number', required: true },
          },
        },
      },
      totalCents: { type: 'number', required: true },
      currency: { type: CurrencySchema.options, required: true },
      idempotencyKey: { type: 'string', required: true, readOnly: true },
      createdAt: { type: 'string', required: true, readOnly: true },
    },
    indexes: {
      // A user's orders share a partition: "my orders" is one query, and another user's order is
      // simply not found under your key.
      byUser: {
        pk: { ...primary.pk, composite: ['userId'] },
        sk: { ...primary.sk, composite: ['id'] },
      },
    },
  });
}

/** Claims an idempotency key for one user; written in the order's transaction. */
function idempotencyEntity() {
  return new Entity({
    model: { entity: 'idempotencyKey', version: '1', service: SERVICE },
    attributes: {
      userId: { type: 'string', required: true, readOnly: true },
      key: { type: 'string', required: true, readOnly: true },
      orderId: { type: 'string', required: true, readOnly: true },
      /** The request the key placed; absent on claims written before it was kept. */
      fingerprint: { type: 'string', readOnly: true },
      createdAt: { type: 'string', required: true, readOnly: true },
    },
    indexes: {
      byKey: {
        pk: { ...primary.pk, composite: ['userId', 'key'] },
        sk: { ...primary.sk, composite: [] },
      },
    },
  });
}

/**
 * Units of one product one account bought in one window (its start, ISO-8601): the per-account
 * cap's count, added to in the order's transaction; TTL removes it after the window.
 */
function purchaseTallyEntity() {
  return new Entity({
    model: { entity: 'purchaseTally', version: '1', service: SERVICE },
    attributes: {
      userId: { type: 'string', required: true, readOnly: true },
      productId: { type: 'string', required: true, readOnly: true },
      window: { type: 'string', required: true, readOnly: true },
      quantity: { type: 'number' },
      expiresAtEpoch: { type: 'number', field: TABLE_SCHEMA.timeToLiveAttribute },
    },
    indexes: {
      byAccountAndProduct: {
        pk: { ...primary.pk, composite: ['userId', 'productId'] },
        sk: { ...primary.sk, composite: ['window'] },
      },
    },
  });
}

function counterEntity() {
  return new Entity({
    model: { entity: 'counter', version: '1', service: SERVICE },
    attributes: {
      productId: { type: 'string', required: true, readOnly: true },
      type: { type: 'string', required: true, readOnly: true },
      count: { type: 'number' },
      updatedAt: { type: 'string' },
    },
    indexes: {
      byProduct: {
        pk: { ...primary.pk, composite: ['productId'] },
        sk: { ...primary.sk, composite: ['type'] },
      },
    },
  });
}

/** Binds every entity to one table and client, as one ElectroDB service (for transactions). */
export function createStorefrontService(client: DynamoDBDocumentClient, table: string) {
  return new Service(
    {
      product: productEntity(),
      searchWord: searchWordEntity(),
      searchIndexState: searchIndexStateEntity(),
      user: userEntity(),
      emailClaim: emailClaimEntity(),
      session: sessionEntity(),
      accountCode: accountCodeEntity(),
      loginAttempts: loginAttemptsEntity(),
      order: orderEntity(),
      idempotency: idempotencyEntity(),
      purchaseTally: purchaseTallyEntity(),
      counter: counterEntity(),
    },
    { client, table },
  );
}

export type StorefrontService = ReturnType<typeof createStorefrontService>;
