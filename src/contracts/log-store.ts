import { createHash } from 'node:crypto';

// What the log store is made of (names, index template, lifecycle policy, dashboard): read by the
// CDK app, which deploys it, and by the indexer, which writes it into the domain at deploy time.

/**
 * The index name Firehose writes to; with daily rotation it appends the UTC day, so the indices
 * are `logs-YYYY-MM-DD`. https://docs.aws.amazon.com/firehose/latest/dev/es-index-rotation.html
 */
export const LOG_INDEX = 'logs';
export const LOG_INDEX_PATTERN = `${LOG_INDEX}-*`;
export const LOG_POLICY_ID = 'logs-lifecycle';
export const LOG_TEMPLATE_NAME = 'logs';
/** The fine-grained access control role Firehose's delivery role is mapped to. */
export const LOG_WRITER_ROLE = 'logs_writer';
export const LOG_DASHBOARD_ID = 'storefront-errors';

/**
 * How long a day's index lives: hot from its creation, deleted after the retention. The ISM
 * template attaches the policy to every new `logs-*` index as it is created.
 * https://docs.opensearch.org/latest/im-plugin/ism/policies/
 */
export function lifecyclePolicy(retentionDays: number) {
  return {
    policy: {
      description: `Storefront logs: deleted ${retentionDays} days after their index is created`,
      default_state: 'hot',
      states: [
        {
          name: 'hot',
          actions: [],
          transitions: [{ state_name: 'delete', conditions: { min_index_age: `${retentionDays}d` } }],
        },
        { name: 'delete', actions: [{ delete: {} }], transitions: [] },
      ],
      ism_template: [{ index_patterns: [LOG_INDEX_PATTERN], priority: 100 }],
    },
  };
}

const keyword = { type: 'keyword' } as const;

/**
 * Every day's index gets these mappings, so a field is never guessed from the first document
 * that has it (a status of "200" would make it text for the day). Fields not named here are kept
 * in the source but not indexed. One shard: a day of logs is far below the ~10-50 GB a shard
 * should hold; one replica, on the other zone's node.
 */
export const LOG_INDEX_TEMPLATE = {
  index_patterns: [LOG_INDEX_PATTERN],
  priority: 100,
  template: {
    settings: { number_of_shards: 1, number_of_replicas: 1 },
    mappings: {
      dynamic: false,
      properties: {
        '@timestamp': { type: 'date' },
        region: keyword,
        logGroup: keyword,
        logStream: keyword,
        eventId: keyword,
        level: keyword,
        route: keyword,
        method: keyword,
        status: { type: 'integer' },
        durationMs: { type: 'float' },
        requestId: keyword,
        traceId: keyword,
        error: { type: 'boolean' },
        msg: { type: 'text' },
        message: { type: 'text' },
      },
    },
  },
} as const;

/**
 * What Firehose needs inside the domain, as AWS documents it for a domain with fine-grained access
 * control: https://docs.aws.amazon.com/opensearch-service/latest/developerguide/fgac.html#fgac-integrations
 */
export const LOG_WRITER_PERMISSIONS = {
  cluster_permissions: ['cluster_composite_ops', 'cluster_monitor'],
  index_permissions: [
    { index_patterns: [LOG_INDEX_PATTERN], allowed_actions: ['crud', 'create_index', 'manage'] },
  ],
} as const;

/** An OpenSearch Dashboards saved object, as its API takes it. */
export interface SavedObject {
  readonly type: 'index-pattern' | 'visualization' | 'dashboard';
  readonly id: string;
  readonly attributes: Record<string, unknown>;
  readonly references: readonly { name: string; type: string; id: string }[];
}

const INDEX_REF = 'kibanaSavedObjectMeta.searchSourceJSON.index';

/** A chart of error lines, split by one field. */
function errorsBy(id: string, title: string, field: string, type: 'table' | 'pie'): SavedObject {
  const split = {
    id: '2',
    enabled: true,
    type: 'terms',
    schema: type === 'table' ? 'bucket' : 'segment',
    params: { field, orderBy: '1', order: 'desc', size: 20, otherBucket: true, missingBucket: true },
  };
  const params =
    type === 'table'
      ? {
          perPage: 20,
          showPartialRows: false,
          showMetricsAtAllLevels: false,
          showTotal: true,
          totalFunc: 'sum',
        }
      : { type: 'pie', addTooltip: true, addLegend: true, legendPosition: 'right', isDonut: true };
  return {
    type: 'visualization',
    id,
    attributes: {
      title,
      visState: JSON.stringify({
        title,
        type,
        params,
        aggs: [{ id: '1', enabled: true, type: 'count', schema: 'metric', params: {} }, split],
      }),
      uiStateJSON: '{}',
      description: '',
      version: 1,
      kibanaSavedObjectMeta: {
        searchSourceJSON: JSON.stringify({
          query: { query: 'error:true', language: 'kuery' },
          filter: [],
          indexRefName: INDEX_REF,
        }),
      },
    },
    references: [{ name: INDEX_REF, type: 'index-pattern', id: LOG_INDEX }],
  };
}

const BY_ROUTE = errorsBy('errors-by-route', 'Errors by route', 'route', 'table');
const BY_REGION = errorsBy('errors-by-region', 'Errors by region', 'region', 'pie');

/** The index pattern, the two charts and the dashboard holding them, in the order they depend. */
export const LOG_SAVED_OBJECTS: readonly SavedObject[] = [
  {
    type: 'index-pattern',
    id: LOG_INDEX,
    attributes: { title: LOG_INDEX_PATTERN, timeFieldName: '@timestamp' },
    references: [],
  },
  BY_ROUTE,
  BY_REGION,
  {
    type: 'dashboard',
    id: LOG_DASHBOARD_ID,
    attributes: {
      title: 'Storefront errors',
      description:
        'Error lines (error level or a 5xx answer) of the API and the functions, by route and region',
      panelsJSON: JSON.stringify(
        [BY_ROUTE, BY_REGION].map((_, position) => ({
          panelIndex: String(position + 1),
          gridData: { x: position * 24, y: 0, w: 24, h: 15, i: String(position + 1) },
          embeddableConfig: {},
          panelRefName: `panel_${position}`,
        })),
      ),
      optionsJSON: JSON.stringify({ hidePanelTitles: false, useMargins: true }),
      version: 1,
      timeRestore: true,
      timeFrom: 'now-24h',
      timeTo: 'now',
      refreshInterval: { pause: false, value: 60_000 },
      kibanaSavedObjectMeta: {
        searchSourceJSON: JSON.stringify({ query: { query: '', language: 'kuery' }, filter: [] }),
      },
    },
    references: [BY_ROUTE, BY_REGION].map((chart, position) => ({
      name: `panel_${position}`,
      type: 'visualization',
      id: chart.id,
    })),
  },
];

/** A fingerprint of everything prepareLogStore writes: a change makes the deployment run it again. */
export function logStoreSetupVersion(retentionDays: number): string {
  return createHash('sha256')
    .update(
      JSON.stringify([
        lifecyclePolicy(retentionDays),
        LOG_INDEX_TEMPLATE,
        LOG_WRITER_PERMISSIONS,
        LOG_SAVED_OBJECTS,
      ]),
    )
    .digest('hex')
    .slice(0, 16);
}
