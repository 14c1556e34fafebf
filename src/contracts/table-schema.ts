/**
 * The single table's key schema, shared by the local table creation and the CDK data construct so
 * the two can never drift. Access patterns are documented in docs/data-model.md.
 */
export const TABLE_SCHEMA = {
  partitionKey: 'pk',
  sortKey: 'sk',
  globalIndexes: [
    { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
  ],
  /** Epoch seconds; DynamoDB deletes expired sessions within a few days, so reads check expiry too. */
  timeToLiveAttribute: 'expiresAtEpoch',
} as const;
