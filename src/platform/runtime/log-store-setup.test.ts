import { describe, expect, it } from 'vitest';
import {
  LOG_INDEX_TEMPLATE,
  LOG_SAVED_OBJECTS,
  LOG_WRITER_PERMISSIONS,
  lifecyclePolicy,
  logStoreSetupVersion,
} from '../../contracts/log-store.js';
import { type LogStoreClient, prepareLogStore } from './log-store-setup.js';

interface Recorded {
  readonly method: string;
  readonly path: string;
  readonly body?: object | undefined;
  readonly querystring?: Record<string, unknown> | undefined;
  readonly headers?: Record<string, string> | undefined;
  readonly ignore?: number[] | undefined;
}

/**
 * A stand-in for the domain (OpenSearch cannot run here) that keeps what was stored under each
 * path, answers as OpenSearch and Dashboards do (404 for an unknown policy, 409 for creating what
 * exists), and records every request. Like the real client, it throws on an error status unless
 * the request says to ignore it.
 */
function domain(existing: Record<string, object> = {}) {
  const stored = new Map<string, object>(Object.entries(existing));
  const requests: Recorded[] = [];
  const client: LogStoreClient = {
    transport: {
      request: async ({ method, path, body, querystring }, options = {}) => {
        requests.push({ method, path, body, querystring, headers: options.headers, ignore: options.ignore });
        const answer = (statusCode: number, answerBody: unknown = {}) => {
          if (statusCode >= 300 && !options.ignore?.includes(statusCode))
            throw Object.assign(new Error(`Response Error ${statusCode}`), { statusCode });
          return { statusCode, body: answerBody };
        };
        if (method === 'GET') {
          const found = stored.get(path);
          return found ? answer(200, { _id: path, _seq_no: 7, _primary_term: 2, ...found }) : answer(404);
        }
        if (method === 'POST' && stored.has(path)) return answer(409);
        stored.set(path, body ?? {});
        return answer(method === 'POST' ? 200 : 201);
      },
    },
  };
  return { client, requests, stored };
}

const FIREHOSE_ROLE = 'arn:aws:iam::123456789012:role/Growstack-eu-west-1-LogStoreDeliveryRole';
const DASHBOARDS = { 'osd-xsrf': 'true', securitytenant: 'global' };
const POLICY = '/_plugins/_ism/policies/logs-lifecycle';
const objectPath = (type: string, id: string) => `/_dashboards/api/saved_objects/${type}/${id}`;

describe('preparing the log store in the domain', () => {
  it('creates the lifecycle policy, the daily template, the writer role and its mapping, then the dashboard', async () => {
    const { client, requests } = domain();
    await prepareLogStore(client, { writerRoleArns: [FIREHOSE_ROLE], retentionDays: 14 });
    const body = (object: (typeof LOG_SAVED_OBJECTS)[number]) => ({
      attributes: object.attributes,
      references: object.references,
    });
    expect(requests).toEqual([
      { method: 'GET', path: POLICY, ignore: [404] },
      { method: 'PUT', path: POLICY, body: lifecyclePolicy(14), ignore: [409] },
      { method: 'PUT', path: '/_index_template/logs', body: LOG_INDEX_TEMPLATE },
      { method: 'PUT', path: '/_plugins/_security/api/roles/logs_writer', body: LOG_WRITER_PERMISSIONS },
      {
        method: 'PUT',
        path: '/_plugins/_security/api/rolesmapping/logs_writer',
        body: { backend_roles: [FIREHOSE_ROLE] },
      },
      ...LOG_SAVED_OBJECTS.map((object) => ({
        method: 'POST',
        path: objectPath(object.type, object.id),
        body: body(object),
        headers: DASHBOARDS,
        ignore: [409],
      })),
    ]);
    // No query string on a signed POST: OpenSearch Service would ignore it.
    expect(requests.filter((request) => request.method === 'POST' && request.querystring)).toEqual([]);
  });

  it('gives the logs writer role what Firehose needs on the daily logs indices, and no other index', async () => {
    const { client, requests } = domain();
    await prepareLogStore(client, { writerRoleArns: [FIREHOSE_ROLE], retentionDays: 14 });
    const role = requests.find((request) => request.path === '/_plugins/_security/api/roles/logs_writer');
    // As AWS documents for Firehose into a domain with fine-grained access control:
    // https://docs.aws.amazon.com/opensearch-service/latest/developerguide/fgac.html#fgac-integrations
    expect(role?.body).toEqual({
      cluster_permissions: ['cluster_composite_ops', 'cluster_monitor'],
      index_permissions: [
        { index_patterns: ['logs-*'], allowed_actions: ['crud', 'create_index', 'manage'] },
      ],
    });
    expect(
      requests.find((request) => request.path === '/_plugins/_security/api/rolesmapping/logs_writer')?.body,
    ).toEqual({ backend_roles: [FIREHOSE_ROLE] });
  });

  it('deletes each day’s index after the retention, and attaches the policy to every new logs index', () => {
    const { policy } = lifecyclePolicy(14);
    expect(policy.states.map((state) => state.name)).toEqual(['hot', 'delete']);
    expect(policy.states[0]?.transitions).toEqual([
      { state_name: 'delete', conditions: { min_index_age: '14d' } },
    ]);
    expect(policy.states[1]?.actions).toEqual([{ delete: {} }]);
    expect(policy.ism_template).toEqual([{ index_patterns: ['logs-*'], priority: 100 }]);
    expect(LOG_INDEX_TEMPLATE.template.mappings.properties).toMatchObject({
      '@timestamp': { type: 'date' },
      region: { type: 'keyword' },
      route: { type: 'keyword' },
      method: { type: 'keyword' },
      level: { type: 'keyword' },
      logGroup: { type: 'keyword' },
      status: { type: 'integer' },
      durationMs: { type: 'float' },
      error: { type: 'boolean' },
      message: { type: 'text' },
    });
    expect(LOG_INDEX_TEMPLATE.template.settings).toEqual({ number_of_shards: 1, number_of_replicas: 1 });
  });

  it('updates what exists: the policy against the version it read, the saved objects in place', async () => {
    const first = domain();
    await prepareLogStore(first.client, { writerRoleArns: [FIREHOSE_ROLE], retentionDays: 14 });
    const again = domain(Object.fromEntries(first.stored));
    await prepareLogStore(again.client, { writerRoleArns: [FIREHOSE_ROLE], retentionDays: 30 });
    expect(again.requests[1]).toEqual({
      method: 'PUT',
      path: POLICY,
      body: lifecyclePolicy(30),
      querystring: { if_seq_no: 7, if_primary_term: 2 },
    });
    const dashboard = LOG_SAVED_OBJECTS.find((object) => object.type === 'dashboard');
    const path = objectPath('dashboard', dashboard?.id ?? '');
    expect(again.requests.filter((request) => request.path === path)).toEqual([
      expect.objectContaining({ method: 'POST', headers: DASHBOARDS, ignore: [409] }),
      {
        method: 'PUT',
        path,
        body: { attributes: dashboard?.attributes, references: dashboard?.references },
        headers: DASHBOARDS,
      },
    ]);
  });

  it('takes a policy created meanwhile by another run as done, and stops at any other refusal', async () => {
    const racing = domain();
    const request = racing.client.transport.request;
    racing.client.transport.request = async (params, options) =>
      params.method === 'PUT' && params.path === POLICY
        ? { statusCode: 409, body: {} }
        : request(params, options);
    await expect(
      prepareLogStore(racing.client, { writerRoleArns: [FIREHOSE_ROLE], retentionDays: 14 }),
    ).resolves.toBeUndefined();

    const refusing = domain();
    const answer = refusing.client.transport.request;
    refusing.client.transport.request = async (params, options) =>
      params.path.includes('rolesmapping')
        ? { statusCode: 403, body: { error: 'no permissions' } }
        : answer(params, options);
    await expect(
      prepareLogStore(refusing.client, { writerRoleArns: [FIREHOSE_ROLE], retentionDays: 14 }),
    ).rejects.toThrow(/rolesmapping\/logs_writer answered 403/);
  });

  it('shows errors by route and by region on one dashboard, over the logs index pattern', () => {
    const [pattern, ...rest] = LOG_SAVED_OBJECTS;
    expect(pattern).toMatchObject({
      type: 'index-pattern',
      attributes: { title: 'logs-*', timeFieldName: '@timestamp' },
    });
    const charts = rest.filter((object) => object.type === 'visualization');
    expect(charts.map((chart) => chart.attributes.title)).toEqual(['Errors by route', 'Errors by region']);
    for (const [chart, field] of charts.map((chart, n) => [chart, ['route', 'region'][n]] as const)) {
      const search = JSON.parse(
        String((chart.attributes.kibanaSavedObjectMeta as { searchSourceJSON: string }).searchSourceJSON),
      );
      expect(search.query).toEqual({ query: 'error:true', language: 'kuery' });
      expect(chart.references).toEqual([
        { name: search.indexRefName, type: 'index-pattern', id: pattern?.id },
      ]);
      const vis = JSON.parse(String(chart.attributes.visState));
      expect(vis.aggs[1].params.field).toBe(field);
    }
    const dashboard = rest.find((object) => object.type === 'dashboard');
    expect(dashboard?.attributes.title).toBe('Storefront errors');
    const panels = JSON.parse(String(dashboard?.attributes.panelsJSON)) as { panelRefName: string }[];
    expect(
      panels.map((panel) => dashboard?.references.find((ref) => ref.name === panel.panelRefName)?.id),
    ).toEqual(charts.map((chart) => chart.id));
  });

  it('fingerprints what it writes, so a changed retention runs it again at the next deployment', () => {
    expect(logStoreSetupVersion(14)).toMatch(/^[0-9a-f]{16}$/);
    expect(logStoreSetupVersion(14)).toBe(logStoreSetupVersion(14));
    expect(logStoreSetupVersion(30)).not.toBe(logStoreSetupVersion(14));
  });
});
