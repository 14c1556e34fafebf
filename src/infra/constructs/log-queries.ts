import type { ILogGroup } from 'aws-cdk-lib/aws-logs';
import { QueryDefinition, QueryString } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/**
 * CloudWatch Logs Insights queries saved in the region, over the API's request log lines (one
 * JSON line per request: method, route pattern, status, ms, requestId, traceId): the slowest
 * routes and the most frequent errors.
 */
export class LogQueries extends Construct {
  constructor(scope: Construct, id: string, props: { readonly logGroups: readonly ILogGroup[] }) {
    super(scope, id);
    const logGroups = [...props.logGroups];
    new QueryDefinition(this, 'SlowestRoutes', {
      queryDefinitionName: 'growstack/slowest-routes',
      logGroups,
      queryString: new QueryString({
        filterStatements: ['msg = "request"'],
        statsStatements: ['count(*) as requests, avg(ms) as avgMs, pct(ms, 99) as p99Ms by method, route'],
        sort: 'p99Ms desc',
        limit: 20,
      }),
    });
    new QueryDefinition(this, 'TopErrors', {
      queryDefinitionName: 'growstack/top-errors',
      logGroups,
      queryString: new QueryString({
        filterStatements: ['level >= 50 or status >= 500'],
        statsStatements: ['count(*) as errors, latest(traceId) as lastTrace by route, status, msg'],
        sort: 'errors desc',
        limit: 20,
      }),
    });
  }
}
