import { randomUUID } from 'node:crypto';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { describe, expect, inject, it } from 'vitest';
import { SesMailer } from '../platform/adapters/ses-mailer.js';
import { createWorkerHandler } from './lambda-worker.js';

const sesUrl = inject('sesEndpoint');

/** An SQS record shaped as the Lambda event source mapping delivers it. */
function sqsRecord(body: string): SQSRecord {
  return {
    messageId: randomUUID(),
    receiptHandle: randomUUID(),
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: String(Date.now()),
      SenderId: 'AIDAEXAMPLE',
      ApproximateFirstReceiveTimestamp: String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:growstack-jobs',
    awsRegion: 'us-east-1',
  };
}

const welcome = (email: string) =>
  JSON.stringify({ type: 'send-welcome-email', userId: 'u1', email, name: 'Ada' });

describe('the worker Lambda handler', () => {
  it('sends the mail of good messages and reports only the malformed one as failed', async () => {
    const handler = createWorkerHandler({
      mailer: new SesMailer('shop@growstack.local', { region: 'us-east-1', endpoint: sesUrl }),
    });
    // The SES stand-in is shared by the whole run: unique addresses pick out this test's mail.
    const addresses = [`one-${randomUUID()}@example.com`, `two-${randomUUID()}@example.com`];
    const good = addresses.map((address) => sqsRecord(welcome(address)));
    const malformed = sqsRecord('{"type":"send-welcome-email"');
    const unknown = sqsRecord(JSON.stringify({ type: 'launch-rocket' }));
    const event: SQSEvent = { Records: [good[0] as SQSRecord, malformed, good[1] as SQSRecord, unknown] };
    const result = await handler(event, { awsRequestId: 'r1' } as Context);
    expect(result.batchItemFailures.map((failure) => failure.itemIdentifier).sort()).toEqual(
      [malformed.messageId, unknown.messageId].sort(),
    );
    const store = (await (await fetch(`${sesUrl}/store`)).json()) as {
      emails: { destination: { to: string[] }; subject: string }[];
    };
    const mine = store.emails.filter((mail) => addresses.includes(mail.destination.to[0] ?? ''));
    expect(mine.map((mail) => mail.destination.to[0]).sort()).toEqual([...addresses].sort());
    expect(mine.every((mail) => mail.subject === 'Welcome to Growstack')).toBe(true);
  });
});
