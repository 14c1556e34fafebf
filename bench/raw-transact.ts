// The emulator's own rate for an order's write, in its own process: CONNECTIONS loops of raw
// TransactWriteItems on DynamoDB Local for SECONDS, each the shape an order writes (the order,
// the idempotency claim, one guarded stock decrement). What POST /api/orders reaches against
// this is our path's share; the rest is the emulator. Prints `BENCH <json>`.
// usage: tsx bench/raw-transact.ts <endpoint> <table> <seconds> <connections>
import { randomUUID } from 'node:crypto';
import { DynamoDBClient, PutItemCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';

const [endpoint, table, seconds = '10', connections = '50'] = process.argv.slice(2);
const client = new DynamoDBClient({
  region: 'us-east-1',
  endpoint,
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});
const STOCK_ITEMS = 20;
for (let index = 0; index < STOCK_ITEMS; index++) {
  await client.send(
    new PutItemCommand({
      TableName: table,
      Item: { pk: { S: `bench-raw#${index}` }, sk: { S: 'stock' }, stock: { N: '1000000' } },
    }),
  );
}

const latencies: number[] = [];
let failures = 0;
const deadline = performance.now() + Number(seconds) * 1000;
async function loop(): Promise<void> {
  while (performance.now() < deadline) {
    const id = randomUUID();
    const started = performance.now();
    try {
      await client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            {
              Put: {
                TableName: table,
                Item: { pk: { S: `bench-raw-order#${id}` }, sk: { S: 'order' }, total: { N: '100' } },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Put: {
                TableName: table,
                Item: { pk: { S: `bench-raw-key#${id}` }, sk: { S: 'idempotency' }, orderId: { S: id } },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Update: {
                TableName: table,
                Key: {
                  pk: { S: `bench-raw#${Math.floor(Math.random() * STOCK_ITEMS)}` },
                  sk: { S: 'stock' },
                },
                UpdateExpression: 'SET stock = stock - :one',
                ConditionExpression: 'stock >= :one',
                ExpressionAttributeValues: { ':one': { N: '1' } },
              },
            },
          ],
        }),
      );
      latencies.push(performance.now() - started);
    } catch {
      failures++;
    }
  }
}
const started = performance.now();
await Promise.all(Array.from({ length: Number(connections) }, loop));
const elapsed = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const at = (q: number) =>
  Math.round(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))] ?? 0);
client.destroy();
console.log(
  `BENCH ${JSON.stringify({
    name: 'raw TransactWriteItems (DynamoDB Local)',
    requestsPerSecond: Math.round(latencies.length / elapsed),
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    failures,
  })}`,
);
