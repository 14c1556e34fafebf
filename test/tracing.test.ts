import { randomUUID } from 'node:crypto';
import type { SendMessageCommandInput } from '@aws-sdk/client-sqs';
import { describe, expect, inject, it } from 'vitest';
import { composeRuntime } from '../src/entry/compose.js';
import { connectLocalQueue } from '../src/entry/local-queue.js';
import { createSqsClient, SqsJobQueue } from '../src/platform/adapters/sqs-job-queue.js';
import { loadConfig } from '../src/platform/config.js';
import { requestContext, traceOf } from '../src/platform/request-context.js';
import { capturedLogs, freshTable } from './support/fixtures.js';

const TRACE = 'Root=1-67891233-abcdef012345678912345678;Parent=53995c3f42cd8ad8;Sampled=1';

describe('the trace of a request', () => {
  it('is in every log line written while serving it, with the route pattern', async () => {
    const endpoint = inject('dynamodbEndpoint');
    const tableName = await freshTable('trace');
    const queue = await connectLocalQueue(inject('sqsEndpoint'), {
      region: 'us-east-1',
      name: `trace-${randomUUID()}`,
    });
    const { lines, logger } = capturedLogs();
    const config = loadConfig(
      {},
      {
        stage: 'growing',
        tableName,
        dynamodbEndpoint: endpoint,
        queueUrl: queue.queueUrl,
        sqsEndpoint: queue.endpoint,
        local: true,
        rateLimit: 0,
      },
    );
    const runtime = composeRuntime(config, { logger: logger });
    try {
      const response = await runtime.app.request('/api/auth/signup', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-amzn-trace-id': TRACE },
        body: JSON.stringify({
          email: `trace-${randomUUID()}@example.com`,
          password: 'password-123',
          name: 'Trace',
        }),
      });
      expect(response.status).toBe(201);
      const served = lines.find((line) => line.msg === 'request');
      expect(served).toMatchObject({
        traceId: '1-67891233-abcdef012345678912345678',
        route: '/api/auth/signup',
        status: 201,
        requestId: response.headers.get('x-request-id'),
      });
      // One requestId key per line, not one from the request and one from the context.
      expect(lines.every((line) => line.traceId === '1-67891233-abcdef012345678912345678')).toBe(true);

      expect((await queue.depths()).queue).toBe(1);
    } finally {
      runtime.close();
      await queue.stop();
    }
  });

  it('is sent with the job as the message attribute AWSTraceHeader, so the worker joins the trace', async () => {
    const queue = await connectLocalQueue(inject('sqsEndpoint'), {
      region: 'us-east-1',
      name: `trace-${randomUUID()}`,
    });
    const client = createSqsClient({ region: 'us-east-1', endpoint: queue.endpoint });
    // The local stand-in accepts the attribute but does not keep it: read what the SDK sends.
    const sent: SendMessageCommandInput[] = [];
    client.middlewareStack.add(
      (next) => async (args) => {
        sent.push(args.input as SendMessageCommandInput);
        return next(args);
      },
      { step: 'initialize' },
    );
    const jobs = new SqsJobQueue(client, queue.queueUrl);
    const job = {
      type: 'send-welcome-email',
      userId: 'u1',
      email: 'trace@example.com',
      name: 'Trace',
    } as const;
    try {
      await requestContext.run({ requestId: 'r1', ...traceOf(TRACE) }, () => jobs.enqueue(job));
      await jobs.enqueue(job);
      expect(sent[0]?.MessageSystemAttributes?.AWSTraceHeader).toEqual({
        DataType: 'String',
        StringValue: TRACE,
      });
      // Outside a traced request, no attribute.
      expect(sent[1]?.MessageSystemAttributes).toBeUndefined();
      expect((await queue.depths()).queue).toBe(2);
    } finally {
      client.destroy();
      await queue.stop();
    }
  });
});
