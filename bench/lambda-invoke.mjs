// Runs in a fresh Node process: imports a Lambda bundle (the cold start's init), serves its first
// event, then times warm invokes of the same kind. Prints one line: BENCH <json>.
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';

const [bundle, kind, productId, warmCount = '200'] = process.argv.slice(2);
const context = { awsRequestId: 'bench', functionName: kind, getRemainingTimeInMillis: () => 29_000 };

function apiEvent() {
  const path = `/api/products/${productId}`;
  const headers = { host: 'bench.execute-api.us-east-1.amazonaws.com' };
  return {
    resource: '/{proxy+}',
    path,
    httpMethod: 'GET',
    headers,
    multiValueHeaders: { host: [headers.host] },
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: { proxy: path.slice(1) },
    stageVariables: null,
    body: null,
    isBase64Encoded: false,
    requestContext: {
      accountId: '123456789012',
      apiId: 'bench',
      httpMethod: 'GET',
      identity: { sourceIp: '203.0.113.7', userAgent: 'bench' },
      path: `/prod${path}`,
      stage: 'prod',
      requestId: randomUUID(),
      requestTimeEpoch: Date.now(),
      resourceId: 'bench',
      resourcePath: '/{proxy+}',
    },
  };
}

function workerEvent() {
  const job = { type: 'product-changed', productId, change: 'updated', changedAt: new Date().toISOString() };
  const messageId = randomUUID();
  return {
    Records: [
      {
        messageId,
        receiptHandle: messageId,
        body: JSON.stringify(job),
        attributes: {
          ApproximateReceiveCount: '1',
          SentTimestamp: String(Date.now()),
          SenderId: 'bench',
          ApproximateFirstReceiveTimestamp: String(Date.now()),
        },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:bench',
        awsRegion: 'us-east-1',
      },
    ],
  };
}

const event = kind === 'api' ? apiEvent : workerEvent;
const ok = (result) =>
  kind === 'api'
    ? result.statusCode === 200
    : Array.isArray(result?.batchItemFailures) && result.batchItemFailures.length === 0;

const started = performance.now();
const { handler } = await import(pathToFileURL(bundle).href);
const imported = performance.now();
const first = await handler(event(), context);
const served = performance.now();
if (!ok(first)) throw new Error(`first ${kind} event failed: ${JSON.stringify(first).slice(0, 300)}`);
const warm = [];
for (let index = 0; index < Number(warmCount); index++) {
  const before = performance.now();
  const result = await handler(event(), context);
  warm.push(performance.now() - before);
  if (!ok(result)) throw new Error(`warm ${kind} event failed: ${JSON.stringify(result).slice(0, 300)}`);
}
warm.sort((a, b) => a - b);
const round = (value) => Math.round(value * 100) / 100;
console.log(
  `BENCH ${JSON.stringify({
    importMs: round(imported - started),
    firstEventMs: round(served - imported),
    coldInitMs: round(served - started),
    warmP50Ms: round(warm[Math.floor(warm.length / 2)]),
    warmP99Ms: round(warm[Math.floor(warm.length * 0.99)]),
  })}`,
);
