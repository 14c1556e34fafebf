// The baseline a Lambda API's cold init is held against: a handler importing only the DynamoDB
// client and answering one API Gateway event with one GetItem. Bundled like ours (bench/lambda.ts).
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';

const client = new DynamoDBClient({
  region: process.env.AWS_REGION,
  ...(process.env.DYNAMODB_ENDPOINT ? { endpoint: process.env.DYNAMODB_ENDPOINT } : {}),
});

export async function handler(event: { path: string }) {
  const id = event.path.split('/').pop() ?? '';
  const item = await client.send(
    new GetItemCommand({
      TableName: process.env.TABLE_NAME,
      Key: { pk: { S: `bare#${id}` }, sk: { S: 'bare' } },
    }),
  );
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ id, found: item.Item !== undefined }),
  };
}
