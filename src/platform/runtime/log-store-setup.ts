import {
  LOG_INDEX_TEMPLATE,
  LOG_POLICY_ID,
  LOG_SAVED_OBJECTS,
  LOG_TEMPLATE_NAME,
  LOG_WRITER_PERMISSIONS,
  LOG_WRITER_ROLE,
  lifecyclePolicy,
} from '../../contracts/log-store.js';

/** The one call the setup makes: a signed request to the domain (the OpenSearch client's transport). */
export interface LogStoreClient {
  transport: {
    request(
      params: { method: string; path: string; body?: object; querystring?: Record<string, unknown> },
      options?: { headers?: Record<string, string>; ignore?: number[] },
    ): Promise<{ statusCode: number | null; body: unknown }>;
  };
}

export interface LogStoreOptions {
  /** The IAM roles Firehose delivers as: mapped to the writer role, since no other role gets in. */
  readonly writerRoleArns: readonly string[];
  readonly retentionDays: number;
}

/**
 * Dashboards refuses writes without `osd-xsrf`; the objects go to the global tenant, which every
 * user of the domain sees (fine-grained access control gives each user a private one too).
 * https://docs.opensearch.org/latest/dashboards/management/saved-objects-api/
 */
const DASHBOARDS_HEADERS = { 'osd-xsrf': 'true', securitytenant: 'global' } as const;

type Request = Parameters<LogStoreClient['transport']['request']>[0];

async function send(
  client: LogStoreClient,
  request: Request,
  options: { headers?: Record<string, string>; accept?: number[] } = {},
): Promise<{ statusCode: number; body: unknown }> {
  const accept = options.accept ?? [];
  const response = await client.transport.request(request, {
    ...(options.headers ? { headers: options.headers } : {}),
    ...(accept.length > 0 ? { ignore: accept } : {}),
  });
  const statusCode = response.statusCode ?? 0;
  if (statusCode >= 300 && !accept.includes(statusCode))
    throw new Error(
      `${request.method} ${request.path} answered ${statusCode}: ${JSON.stringify(response.body).slice(0, 500)}`,
    );
  return { statusCode, body: response.body };
}

/**
 * Makes the domain ready for the log store, as its master user: the lifecycle policy, the daily
 * indices' template, Firehose's role, and the dashboard. Every step is idempotent, so it runs on
 * each deployment that changes any of it.
 */
export async function prepareLogStore(client: LogStoreClient, options: LogStoreOptions): Promise<void> {
  const policyPath = `/_plugins/_ism/policies/${LOG_POLICY_ID}`;
  const policy = lifecyclePolicy(options.retentionDays);
  const existing = await send(client, { method: 'GET', path: policyPath }, { accept: [404] });
  if (existing.statusCode === 404) {
    // 409: another run created it meanwhile, with the same content.
    await send(client, { method: 'PUT', path: policyPath, body: policy }, { accept: [409] });
  } else {
    // ISM updates a policy only against the version it read.
    const { _seq_no, _primary_term } = existing.body as { _seq_no?: number; _primary_term?: number };
    await send(client, {
      method: 'PUT',
      path: policyPath,
      body: policy,
      querystring: { if_seq_no: _seq_no, if_primary_term: _primary_term },
    });
  }
  await send(client, {
    method: 'PUT',
    path: `/_index_template/${LOG_TEMPLATE_NAME}`,
    body: LOG_INDEX_TEMPLATE,
  });
  await send(client, {
    method: 'PUT',
    path: `/_plugins/_security/api/roles/${LOG_WRITER_ROLE}`,
    body: LOG_WRITER_PERMISSIONS,
  });
  await send(client, {
    method: 'PUT',
    path: `/_plugins/_security/api/rolesmapping/${LOG_WRITER_ROLE}`,
    body: { backend_roles: [...options.writerRoleArns] },
  });
  for (const object of LOG_SAVED_OBJECTS) {
    const path = `/_dashboards/api/saved_objects/${object.type}/${object.id}`;
    const body = { attributes: object.attributes, references: object.references };
    // Creating one that exists answers 409; then it is updated in place. (`?overwrite=true` would
    // do both at once, but OpenSearch Service ignores URL parameters of SigV4-signed POSTs:
    // https://docs.aws.amazon.com/opensearch-service/latest/developerguide/managedomains-signing-service-requests.html)
    const created = await send(
      client,
      { method: 'POST', path, body },
      { headers: DASHBOARDS_HEADERS, accept: [409] },
    );
    if (created.statusCode === 409)
      await send(client, { method: 'PUT', path, body }, { headers: DASHBOARDS_HEADERS });
  }
}
