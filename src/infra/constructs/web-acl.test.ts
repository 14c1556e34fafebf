import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { LARGE_BODY_LABEL, WebAcl } from './web-acl.js';

function aclTemplate(props: ConstructorParameters<typeof WebAcl>[2]): Template {
  const stack = new Stack(new App(), 'Acl', { env: { region: 'us-east-1' } });
  new WebAcl(stack, 'Waf', props);
  return Template.fromStack(stack);
}

const rulesOf = (template: Template) => {
  const [acl] = Object.values(template.findResources('AWS::WAFv2::WebACL'));
  return acl?.Properties.Rules as { Name: string; Priority: number; Statement: unknown }[];
};

describe('the WAF web ACL', () => {
  // Loading the construct library is most of the first synth: done once, with room for a busy machine.
  beforeAll(() => void aclTemplate({ scope: 'REGIONAL' }), 120_000);

  it('has no rate rule when it sits behind CloudFront, and a per-client one at the edge', () => {
    const regional = rulesOf(aclTemplate({ scope: 'REGIONAL' }));
    expect(regional.map((rule) => rule.Name)).not.toContain('RatePerIp');
    const edge = rulesOf(aclTemplate({ scope: 'CLOUDFRONT', ratePer5Min: 500 }));
    expect(edge[0]).toMatchObject({
      Name: 'RatePerIp',
      Priority: 0,
      Statement: { RateBasedStatement: { Limit: 500, AggregateKeyType: 'IP' } },
    });
    // Priorities stay unique and in order.
    expect(edge.map((rule) => rule.Priority)).toEqual(edge.map((_, index) => index));
  });

  it('lets API bodies over 8 KB through the common rule set, and blocks them everywhere else', () => {
    const template = aclTemplate({ scope: 'CLOUDFRONT', ratePer5Min: 500 });
    const rules = rulesOf(template);
    const common = rules.find((rule) => rule.Name === 'AWSManagedRulesCommonRuleSet');
    expect(common?.Statement).toMatchObject({
      ManagedRuleGroupStatement: {
        RuleActionOverrides: [{ Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } }],
      },
    });
    const scoped = rules.find((rule) => rule.Name === 'LargeBodyOutsideApi');
    expect(scoped).toBeDefined();
    expect(scoped?.Priority).toBeGreaterThan(common?.Priority ?? Number.POSITIVE_INFINITY);
    expect(scoped).toMatchObject({
      Action: { Block: {} },
      Statement: {
        AndStatement: {
          Statements: [
            { LabelMatchStatement: { Scope: 'LABEL', Key: LARGE_BODY_LABEL } },
            {
              NotStatement: {
                Statement: {
                  ByteMatchStatement: expect.objectContaining({
                    SearchString: '/api/',
                    PositionalConstraint: 'STARTS_WITH',
                  }),
                },
              },
            },
          ],
        },
      },
    });
  });

  it('keeps the bearer token out of its logs and out of sampled requests', () => {
    for (const scope of ['CLOUDFRONT', 'REGIONAL'] as const) {
      const template = aclTemplate({ scope });
      template.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
        RedactedFields: [{ SingleHeader: { Name: 'authorization' } }],
      });
      const [acl] = Object.values(template.findResources('AWS::WAFv2::WebACL'));
      const rules = (acl?.Properties.Rules ?? []) as { VisibilityConfig: unknown }[];
      expect(rules.length).toBeGreaterThan(0);
      const configs = [acl?.Properties.VisibilityConfig, ...rules.map((rule) => rule.VisibilityConfig)];
      for (const config of configs) expect(config).toMatchObject({ SampledRequestsEnabled: false });
    }
  });
});
