import { describe, expect, it } from 'vitest';
import { recordConflicts } from './record-conflicts.js';
import type { StackTemplate } from './template-cache.js';

const record = (Type: string, SetIdentifier?: string) => ({
  Type: 'AWS::Route53::RecordSet',
  Properties: { Name: 'api.shop.example.com.', Type, ...(SetIdentifier ? { SetIdentifier } : {}) },
});
const stack = (stackName: string, resources: Record<string, ReturnType<typeof record>>): StackTemplate => ({
  stackName,
  region: stackName.replace('Growstack-', ''),
  template: { Resources: resources },
});

describe('records a deploy creates beside the records standing', () => {
  it('refuses a latency A record while the simple A record of the same name still exists', () => {
    // growing → scaling as the stacks stood: the simple record is deleted only after the new one exists.
    const before = stack('Growstack-us-east-1', { DnsApiRecord: record('A') });
    const after = stack('Growstack-us-east-1', { DnsLatencyRecord: record('A', 'api-us-east-1') });
    const [conflict, ...more] = recordConflicts(before, after, []);
    expect(more).toEqual([]);
    expect(conflict?.message).toMatch(
      /a simple A record cannot share its name with a routed \(latency\) one/,
    );
  });

  it("refuses a CNAME while the other region's A record holds the name", () => {
    // scaling → enterprise as it stood: the primary's A alias became a CNAME before eu-west-1 updated.
    const before = stack('Growstack-us-east-1', { DnsLatencyRecord: record('A', 'api-us-east-1') });
    const after = stack('Growstack-us-east-1', { DnsLatencyRecord: record('CNAME', 'api-us-east-1') });
    const other = stack('Growstack-eu-west-1', { DnsLatencyRecord: record('A', 'api-eu-west-1') });
    const messages = recordConflicts(before, after, [other]).map((conflict) => conflict.message);
    expect(messages.join('\n')).toMatch(
      /Growstack-eu-west-1 DnsLatencyRecord \(A, api-eu-west-1\) exists: a CNAME cannot share its name with a A record/,
    );
  });

  it('lets latency CNAMEs of every region share the name, and updates one in place', () => {
    const before = stack('Growstack-us-east-1', { DnsLatencyRecord: record('CNAME', 'api-us-east-1') });
    const after = stack('Growstack-us-east-1', { DnsLatencyRecord: record('CNAME', 'api-us-east-1') });
    const other = stack('Growstack-eu-west-1', { DnsLatencyRecord: record('CNAME', 'api-eu-west-1') });
    expect(recordConflicts(before, after, [other])).toEqual([]);
    expect(recordConflicts(undefined, other, [after])).toEqual([]);
  });
});
