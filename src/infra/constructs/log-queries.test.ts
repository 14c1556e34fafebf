import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { beforeAll, describe, expect, it } from 'vitest';
import { LogQueries } from './log-queries.js';

let template: Template;
let groups: string[];
// The first synth of a file loads most of aws-cdk-lib: once, outside the tests' own time limit.
beforeAll(() => {
  const stack = new Stack();
  const logGroups = [new LogGroup(stack, 'Api'), new LogGroup(stack, 'Worker')];
  new LogQueries(stack, 'Queries', { logGroups });
  template = Template.fromStack(stack);
  groups = logGroups.map((group) => stack.resolve(group.logGroupName));
}, 120_000);

const query = (name: string) => {
  const [definition] = Object.values(
    template.findResources('AWS::Logs::QueryDefinition', { Properties: { Name: name } }),
  );
  return definition?.Properties as { QueryString: string; LogGroupNames: unknown[] };
};

describe('the saved Logs Insights queries', () => {
  it('ranks routes by p99 latency over the request lines of every log group given', () => {
    const slowest = query('growstack/slowest-routes');
    expect(slowest.LogGroupNames).toEqual(groups);
    expect(slowest.QueryString).toMatch(/filter msg = "request"/);
    expect(slowest.QueryString).toMatch(/pct\(ms, 99\) as p99Ms by method, route/);
    expect(slowest.QueryString).toMatch(/sort p99Ms desc/);
    expect(slowest.QueryString).toMatch(/limit 20/);
  });

  it('counts error lines and 5xx answers by route, with the latest trace to follow', () => {
    const errors = query('growstack/top-errors');
    expect(errors.LogGroupNames).toEqual(groups);
    expect(errors.QueryString).toMatch(/filter level >= 50 or status >= 500/);
    expect(errors.QueryString).toMatch(
      /count\(\*\) as errors, latest\(traceId\) as lastTrace by route, status, msg/,
    );
    expect(errors.QueryString).toMatch(/sort errors desc/);
  });
});
