import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { freshTable } from '../../test/support/fixtures.js';

type Handler = (
  event: APIGatewayProxyEvent,
  context: Context,
) => Promise<{
  statusCode: number;
  body: string;
  headers?: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
}>;
let handler: Handler;

/** An API Gateway REST (v1) proxy event shaped as API Gateway sends it. */
function restEvent(
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string>; query?: Record<string, string> } = {},
): APIGatewayProxyEvent {
  const headers = {
    host: 'abc123.execute-api.us-east-1.amazonaws.com',
    'user-agent': 'test',
    ...options.headers,
  };
  return {
    resource: '/{proxy+}',
    path,
    httpMethod: method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([key, value]) => [key, [value]])),
    queryStringParameters: options.query ?? null,
    multiValueQueryStringParameters: options.query
      ? Object.fromEntries(Object.entries(options.query).map(([key, value]) => [key, [value]]))
      : null,
    pathParameters: { proxy: path.replace(/^\//, '') },
    stageVariables: null,
    body: options.body === undefined ? null : JSON.stringify(options.body),
    isBase64Encoded: false,
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      authorizer: null,
      protocol: 'HTTP/1.1',
      httpMethod: method,
      identity: {
        sourceIp: '203.0.113.7',
        userAgent: 'test',
      } as APIGatewayProxyEvent['requestContext']['identity'],
      path: `/prod${path}`,
      stage: 'prod',
      requestId: randomUUID(),
      requestTimeEpoch: Date.now(),
      resourceId: 'res1',
      resourcePath: '/{proxy+}',
    },
  };
}

const context = {
  awsRequestId: 'req-1',
  functionName: 'api',
  getRemainingTimeInMillis: () => 29_000,
} as unknown as Context;

beforeAll(async () => {
  const endpoint = inject('dynamodbEndpoint');
  const tableName = await freshTable('lambda');
  vi.stubEnv('TABLE_NAME', tableName);
  vi.stubEnv('DYNAMODB_ENDPOINT', endpoint);
  vi.stubEnv('SES_ENDPOINT', inject('sesEndpoint'));
  vi.stubEnv('GROWSTACK_STAGE', 'startup');
  ({ handler } = (await import('./lambda-api.js')) as unknown as { handler: Handler });
});

describe('the API Lambda handler', () => {
  it('answers health for a REST v1 event, having asked the table', async () => {
    const result = await handler(restEvent('GET', '/api/health'), context);
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toMatchObject({
      status: 'ok',
      stage: 'startup',
      checks: { table: { status: 'ok', mode: 'dynamodb' } },
    });
  });

  it('signs up, reads the query string and returns problem+json errors', async () => {
    const signup = await handler(
      restEvent('POST', '/api/auth/signup', {
        body: { email: 'lambda@example.com', password: 'correct-horse-1', name: 'Lambda' },
        headers: { 'content-type': 'application/json' },
      }),
      context,
    );
    expect(signup.statusCode).toBe(201);
    const { token } = JSON.parse(signup.body);
    const me = await handler(
      restEvent('GET', '/api/me', { headers: { authorization: `Bearer ${token}` } }),
      context,
    );
    expect(JSON.parse(me.body).user.email).toBe('lambda@example.com');
    const bad = await handler(restEvent('GET', '/api/products', { query: { limit: '0' } }), context);
    expect(bad.statusCode).toBe(400);
    const contentType = bad.headers?.['content-type'] ?? bad.multiValueHeaders?.['content-type']?.[0];
    expect(contentType).toContain('application/problem+json');
    expect(JSON.parse(bad.body).errors[0].path).toBe('limit');
  });

  it('has no local-only routes on AWS', async () => {
    expect((await handler(restEvent('GET', '/api/dev/mail'), context)).statusCode).toBe(404);
  });
});
