import { randomUUID } from 'node:crypto';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SesMailer } from '../adapters/ses-mailer.js';
import { createWorkerHandler } from './lambda-worker.js';
import { type SesLocal, startSesLocal } from './ses-local.js';

let ses: SesLocal;
let sesUrl: string;

beforeAll(async () => {
  ses = await startSesLocal();
  sesUrl = ses.endpoint;
});

afterAll(() => ses.stop());

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
    const good = [sqsRecord(welcome('one@example.com')), sqsRecord(welcome('two@example.com'))];
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
    const sent = store.emails.map((mail) => mail.destination.to[0]);
    expect(sent).toEqual(expect.arrayContaining(['one@example.com', 'two@example.com']));
    expect(store.emails.every((mail) => mail.subject === 'Welcome to Growstack')).toBe(true);
  });
});
