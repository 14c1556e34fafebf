import { gzipSync } from 'node:zlib';
import type { PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import type { CloudWatchLogsDecodedData, FirehoseTransformationEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../test/support/storefront.js';
import { MAX_MESSAGE_CHARS } from '../platform/runtime/log-documents.js';
import {
  batchesOf,
  type FirehoseBatchClient,
  MAX_BATCH_RECORDS,
  REINGESTED_MARKER,
  transformRecords,
} from './lambda-log-transform.js';

const STREAM_ARN = 'arn:aws:firehose:eu-west-1:123456789012:deliverystream/Growstack-logs';
const LOG_GROUP = '/aws/lambda/Growstack-eu-west-1-WorkerFunction';
const LOG_STREAM = '2026/05/04/[$LATEST]0123456789abcdef';
const AT = Date.parse('2026-05-04T10:00:00.000Z');

/** A subscription record as CloudWatch Logs sends it: the JSON payload, gzip'd, base64-encoded. */
function subscriptionRecord(recordId: string, messages: string[], messageType = 'DATA_MESSAGE') {
  const payload: CloudWatchLogsDecodedData & { messageType: string } = {
    messageType,
    owner: '123456789012',
    logGroup: LOG_GROUP,
    logStream: LOG_STREAM,
    subscriptionFilters: ['ShipToLogStore'],
    logEvents: messages.map((message, position) => ({
      id: `3700000000000000000000000000000000000000000000000${position}`,
      timestamp: AT + position,
      message,
    })),
  };
  return {
    recordId,
    approximateArrivalTimestamp: AT,
    data: gzipSync(JSON.stringify(payload)).toString('base64'),
  };
}

function event(records: FirehoseTransformationEvent['records']): FirehoseTransformationEvent {
  return { invocationId: 'inv-1', deliveryStreamArn: STREAM_ARN, region: 'eu-west-1', records };
}

/** A Firehose stand-in that keeps what was put back and refuses what a test says. */
function firehose(refuse: (document: Record<string, unknown>, call: number) => boolean = () => false) {
  const calls: { stream: string | undefined; documents: Record<string, unknown>[] }[] = [];
  const client: FirehoseBatchClient = {
    send: async (command: PutRecordBatchCommand) => {
      const documents = (command.input.Records ?? []).map(
        (record) =>
          JSON.parse(Buffer.from(record.Data ?? new Uint8Array()).toString('utf8')) as Record<
            string,
            unknown
          >,
      );
      calls.push({ stream: command.input.DeliveryStreamName, documents });
      const call = calls.length;
      return {
        RequestResponses: documents.map((document) =>
          refuse(document, call)
            ? { ErrorCode: 'ServiceUnavailableException', ErrorMessage: 'Slow down.' }
            : { RecordId: `put-${call}` },
        ),
      };
    },
  };
  return { client, calls };
}

const options = (client: FirehoseBatchClient) => ({
  firehose: client,
  region: 'eu-west-1',
  logger: silentLogger,
  pause: async () => {},
});

const decode = (data: string | undefined) => JSON.parse(Buffer.from(data ?? '', 'base64').toString('utf8'));

const requestLine = (fields: Record<string, unknown>) =>
  JSON.stringify({
    level: 30,
    time: '2026-05-04T10:00:00.000Z',
    service: 'growstack',
    requestId: 'req-1',
    traceId: '1-6a0b1c2d-0123456789abcdef01234567',
    method: 'GET',
    path: '/api/products/p1',
    route: '/api/products/:id',
    status: 200,
    ms: 12,
    msg: 'request',
    ...fields,
  });

describe('the log store transform (CloudWatch Logs → Firehose → OpenSearch)', () => {
  it('drops the control message CloudWatch Logs sends to check the stream', async () => {
    const { client, calls } = firehose();
    const response = await transformRecords(
      event([
        subscriptionRecord(
          'r1',
          ['CWL CONTROL MESSAGE: Checking health of destination Firehose.'],
          'CONTROL_MESSAGE',
        ),
      ]),
      options(client),
    );
    expect(response.records).toEqual([{ recordId: 'r1', result: 'Dropped', data: '' }]);
    expect(calls).toEqual([]);
  });

  it('turns a record of one pino request line into one document with its fields', async () => {
    const { client, calls } = firehose();
    const response = await transformRecords(
      event([subscriptionRecord('r1', [requestLine({})])]),
      options(client),
    );
    expect(response.records.map((record) => [record.recordId, record.result])).toEqual([['r1', 'Ok']]);
    expect(decode(response.records[0]?.data)).toEqual({
      '@timestamp': '2026-05-04T10:00:00.000Z',
      region: 'eu-west-1',
      logGroup: LOG_GROUP,
      logStream: LOG_STREAM,
      eventId: '37000000000000000000000000000000000000000000000000',
      message: requestLine({}),
      level: 'info',
      msg: 'request',
      route: '/api/products/:id',
      method: 'GET',
      status: 200,
      durationMs: 12,
      requestId: 'req-1',
      traceId: '1-6a0b1c2d-0123456789abcdef01234567',
      error: false,
    });
    expect(calls).toEqual([]);
  });

  it('answers with the first event and puts every other one back into the stream as its own document', async () => {
    const { client, calls } = firehose();
    const lines = Array.from({ length: 5 }, (_, n) => requestLine({ requestId: `req-${n}` }));
    const response = await transformRecords(
      event([
        subscriptionRecord('r1', lines),
        subscriptionRecord('r2', [requestLine({ requestId: 'other' })]),
      ]),
      options(client),
    );
    expect(response.records.map((record) => record.result)).toEqual(['Ok', 'Ok']);
    expect(decode(response.records[0]?.data).requestId).toBe('req-0');
    expect(decode(response.records[1]?.data).requestId).toBe('other');
    expect(calls).toHaveLength(1);
    expect(calls[0]?.stream).toBe('Growstack-logs');
    const reingested = calls[0]?.documents ?? [];
    expect(reingested.map((document) => document.requestId)).toEqual(['req-1', 'req-2', 'req-3', 'req-4']);
    expect(reingested[0]).toMatchObject({
      '@timestamp': '2026-05-04T10:00:00.001Z',
      logGroup: LOG_GROUP,
      route: '/api/products/:id',
      [REINGESTED_MARKER]: true,
    });
  });

  it('passes a document it put back through when it returns, without the marker', async () => {
    const { client, calls } = firehose();
    const document = {
      '@timestamp': '2026-05-04T10:00:00.001Z',
      region: 'eu-west-1',
      message: 'x',
      error: false,
    };
    const returned = Buffer.from(JSON.stringify({ ...document, [REINGESTED_MARKER]: true })).toString(
      'base64',
    );
    const response = await transformRecords(
      event([{ recordId: 'back', approximateArrivalTimestamp: AT, data: returned }]),
      options(client),
    );
    expect(response.records[0]?.result).toBe('Ok');
    expect(decode(response.records[0]?.data)).toEqual(document);
    expect(calls).toEqual([]);
  });

  it('fails a record that is neither a subscription record nor one of its documents', async () => {
    const { client } = firehose();
    const stranger = Buffer.from(JSON.stringify({ message: 'put here by hand' })).toString('base64');
    const response = await transformRecords(
      event([{ recordId: 'x', approximateArrivalTimestamp: AT, data: stranger }]),
      options(client),
    );
    expect(response.records[0]).toEqual({ recordId: 'x', result: 'ProcessingFailed', data: stranger });
  });

  it('retries the documents Firehose refused, and only those', async () => {
    // The third event is refused on the first call and taken on the second.
    const { client, calls } = firehose((document, call) => document.requestId === 'req-2' && call === 1);
    const lines = Array.from({ length: 4 }, (_, n) => requestLine({ requestId: `req-${n}` }));
    const response = await transformRecords(event([subscriptionRecord('r1', lines)]), options(client));
    expect(response.records[0]?.result).toBe('Ok');
    expect(calls.map((call) => call.documents.map((document) => document.requestId))).toEqual([
      ['req-1', 'req-2', 'req-3'],
      ['req-2'],
    ]);
  });

  it('fails the record, for the backup bucket to keep whole, when its events cannot be put back', async () => {
    const { client, calls } = firehose((document) => document.requestId === 'req-2');
    const lines = Array.from({ length: 3 }, (_, n) => requestLine({ requestId: `req-${n}` }));
    const kept = subscriptionRecord('kept', [requestLine({ requestId: 'alone' })]);
    const lost = subscriptionRecord('lost', lines);
    const response = await transformRecords(event([kept, lost]), { ...options(client), attempts: 3 });
    expect(response.records.map((record) => [record.recordId, record.result])).toEqual([
      ['kept', 'Ok'],
      ['lost', 'ProcessingFailed'],
    ]);
    expect(response.records[1]?.data).toBe(lost.data);
    expect(calls).toHaveLength(3);
  });

  it('fails the records whose events were to go back when Firehose cannot be reached', async () => {
    const client: FirehoseBatchClient = {
      send: async () => {
        throw Object.assign(new Error('connect ETIMEDOUT'), { name: 'TimeoutError' });
      },
    };
    const response = await transformRecords(
      event([subscriptionRecord('r1', ['one', 'two']), subscriptionRecord('r2', ['alone'])]),
      options(client),
    );
    expect(response.records.map((record) => record.result)).toEqual(['ProcessingFailed', 'Ok']);
  });

  it('keeps a line that is not JSON as its message, not an error, and cuts a huge one', async () => {
    const { client } = firehose();
    const huge = 'x'.repeat(MAX_MESSAGE_CHARS + 100);
    const response = await transformRecords(
      event([
        subscriptionRecord('a', ['START RequestId: 8f5c Version: $LATEST']),
        subscriptionRecord('b', [huge]),
      ]),
      options(client),
    );
    const plain = decode(response.records[0]?.data);
    expect(plain).toMatchObject({ message: 'START RequestId: 8f5c Version: $LATEST', error: false });
    expect(plain).not.toHaveProperty('level');
    expect(decode(response.records[1]?.data).message).toHaveLength(MAX_MESSAGE_CHARS);
  });

  it('names pino levels and flags error lines and 5xx answers as errors', async () => {
    const { client, calls } = firehose();
    const lines = [
      JSON.stringify({ level: 20, msg: 'cache miss' }),
      JSON.stringify({ level: 40, msg: 'slow' }),
      JSON.stringify({ level: 50, msg: 'job failed', err: { message: 'boom' } }),
      JSON.stringify({ level: 60, msg: 'dying' }),
      requestLine({ level: 50, status: 503, msg: 'request failed' }),
      requestLine({ status: 404 }),
    ];
    const response = await transformRecords(event([subscriptionRecord('r1', lines)]), options(client));
    const documents = [decode(response.records[0]?.data), ...(calls[0]?.documents ?? [])];
    expect(documents.map((document) => [document.level, document.error])).toEqual([
      ['debug', false],
      ['warn', false],
      ['error', true],
      ['fatal', true],
      ['error', true],
      ['info', false],
    ]);
    expect(documents[4]).toMatchObject({ status: 503, route: '/api/products/:id' });
  });

  it('reads the line inside Lambda’s JSON log format, and a 5xx at info level is still an error', async () => {
    const { client } = firehose();
    const lambdaLine = JSON.stringify({
      timestamp: '2026-05-04T10:00:00.000Z',
      level: 'INFO',
      requestId: 'lambda-req',
      message: requestLine({ status: 502, requestId: 'req-9' }),
    });
    const response = await transformRecords(event([subscriptionRecord('r1', [lambdaLine])]), options(client));
    expect(decode(response.records[0]?.data)).toMatchObject({
      level: 'info',
      status: 502,
      requestId: 'req-9',
      error: true,
    });
  });

  it('keeps its answer under Lambda’s 6 MB by putting the rest back and dropping those records', async () => {
    const { client, calls } = firehose();
    const records = Array.from({ length: 400 }, (_, n) =>
      subscriptionRecord(`r${n}`, [`${n} ${'y'.repeat(MAX_MESSAGE_CHARS)}`]),
    );
    const response = await transformRecords(event(records), options(client));
    expect(JSON.stringify(response).length).toBeLessThanOrEqual(6_000_000);
    const dropped = response.records.filter((record) => record.result === 'Dropped');
    expect(dropped.length).toBeGreaterThan(0);
    expect(response.records.filter((record) => record.result === 'Ok')).toHaveLength(400 - dropped.length);
    const reingested = calls.flatMap((call) => call.documents);
    expect(reingested).toHaveLength(dropped.length);
    expect(reingested.every((document) => document[REINGESTED_MARKER] === true)).toBe(true);
  });

  it('puts back at most 500 documents and 3 MB of them per call', () => {
    const small = Array.from({ length: 1201 }, (_, n) => ({
      recordId: 'r',
      data: Buffer.from(`{"n":${n}}`),
    }));
    expect(batchesOf(small).map((batch) => batch.length)).toEqual([
      MAX_BATCH_RECORDS,
      MAX_BATCH_RECORDS,
      201,
    ]);
    const big = Array.from({ length: 7 }, () => ({ recordId: 'r', data: Buffer.alloc(900_000) }));
    expect(batchesOf(big).map((batch) => batch.length)).toEqual([3, 3, 1]);
  });
});
