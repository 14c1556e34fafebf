import type { StageReport, StageRow } from '../api.js';

const yes = (flag: boolean, text: string) => (flag ? [text] : []);

/** The stage table's row in words: what runs where, one capability per line. */
function describe(row: StageRow): [string, string][] {
  const users =
    row.users.max === null
      ? `${row.users.min.toLocaleString('en-US')}+`
      : `${row.users.min.toLocaleString('en-US')}–${row.users.max.toLocaleString('en-US')}`;
  const list = (items: string[], none = 'basics only') => (items.length ? items.join(', ') : none);
  return [
    ['Sized for', `${users} users, ${row.regions} ${row.regions === 1 ? 'region' : 'regions'}`],
    [
      'Web UI',
      list([
        'S3 + CloudFront',
        ...yes(row.web.cachePolicies, 'cache policies'),
        ...yes(row.web.edgeFunctions, 'Lambda@Edge'),
      ]),
    ],
    [
      'API compute',
      {
        lambda: 'API Gateway + Lambda',
        'lambda+fargate': 'Lambda + ECS Fargate',
        'lambda+eks': 'Lambda + EKS',
      }[row.api.compute] + (row.api.gatewayCache ? ', API Gateway cache' : ''),
    ],
    [
      'Data',
      list([
        'DynamoDB on-demand',
        ...yes(row.data.pointInTimeRecovery, 'point-in-time recovery'),
        ...yes(row.data.backupPlan, 'AWS Backup'),
        ...yes(row.data.globalTable, 'global table replicas'),
      ]),
    ],
    ['Async jobs', row.jobs === 'inline' ? 'inline in the request' : 'SQS + dead-letter queue + worker'],
    [
      'Cache',
      { none: 'none', memory: 'in-process LRU + HTTP cache headers', redis: 'ElastiCache (Redis/Valkey)' }[
        row.cache
      ],
    ],
    ['Sessions', { dynamodb: 'DynamoDB (TTL)', redis: 'Redis', cognito: 'Cognito user pool' }[row.sessions]],
    [
      'Search',
      { table: 'query on the table', 'memory-index': 'in-process index', opensearch: 'OpenSearch' }[
        row.search
      ],
    ],
    [
      'Analytics',
      row.analytics === 'kinesis' ? 'Kinesis → Firehose → S3 → Redshift' : 'counters in DynamoDB',
    ],
    [
      'Security',
      list([
        'least-privilege IAM, TLS, cdk-nag',
        ...yes(row.security.auditTrail, 'CloudTrail'),
        ...yes(row.security.complianceRecording, 'locked audit logs, AWS Config rules'),
        ...yes(row.security.budgets, 'budgets'),
        ...yes(row.security.waf, 'WAF'),
        ...yes(row.security.shieldAdvanced, 'Shield Advanced'),
      ]),
    ],
    [
      'Observability',
      list([
        'structured logs, metrics',
        ...yes(row.observability.alarms, 'alarms'),
        ...yes(row.observability.dashboard, 'dashboard'),
        ...yes(row.observability.tracing, 'tracing'),
        ...yes(row.observability.prometheus, 'managed Prometheus'),
        ...yes(row.observability.logStore, 'log store in OpenSearch'),
      ]),
    ],
  ];
}

export function StagePanel({ report }: { report: StageReport }) {
  const current = describe(report.current);
  const next = report.next ? describe(report.next) : null;
  return (
    <section aria-labelledby="stage-title" className="panel">
      <h2 id="stage-title">
        Stage: <span className="stage-name">{report.current.stage}</span>
      </h2>
      <div className="table-scroll">
        <table>
          <caption className="visually-hidden">
            What this stage runs{next ? ', and what the next stage adds' : ''}
          </caption>
          <thead>
            <tr>
              <th scope="col">Capability</th>
              <th scope="col">{report.current.stage} (running)</th>
              {report.next && <th scope="col">{report.next.stage} (next)</th>}
            </tr>
          </thead>
          <tbody>
            {current.map(([name, value], index) => {
              const after = next?.[index]?.[1];
              return (
                <tr key={name}>
                  <th scope="row">{name}</th>
                  <td>{value}</td>
                  {next && (
                    <td className={after !== value ? 'changed' : 'muted'}>
                      {after === value ? 'same' : after}
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
