import { describe, expect, it } from 'vitest';
import { templateInventories } from '../../../test/support/synth.js';
import { priceUsage } from '../price.js';
import type { Inventory, Template } from './inventory.js';
import { planStages } from './plan.js';
import { parseProfile } from './profile.js';
import { inventoryFromTemplates } from './template-inventory.js';

/** Each stage's inventory as growstack plan counts it, from the shared template cache. */
const templated = await templateInventories();

/** The shape CDK writes for the enterprise distribution and its product pages' renderer. */
const edgeTemplate: Template = {
  region: 'us-east-1',
  Resources: {
    RendererRole: {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: {
          Statement: [
            { Action: 'sts:AssumeRole', Principal: { Service: 'lambda.amazonaws.com' } },
            { Action: 'sts:AssumeRole', Principal: { Service: 'edgelambda.amazonaws.com' } },
          ],
        },
      },
    },
    Renderer: {
      Type: 'AWS::Lambda::Function',
      Properties: {
        MemorySize: 256,
        Architectures: ['x86_64'],
        Role: { 'Fn::GetAtt': ['RendererRole', 'Arn'] },
      },
    },
    RendererVersion: { Type: 'AWS::Lambda::Version', Properties: { FunctionName: { Ref: 'Renderer' } } },
    ApiRole: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: { Statement: [] } } },
    ApiFunction: {
      Type: 'AWS::Lambda::Function',
      Properties: { MemorySize: 1024, Role: { 'Fn::GetAtt': ['ApiRole', 'Arn'] } },
    },
    Distribution: {
      Type: 'AWS::CloudFront::Distribution',
      Properties: {
        DistributionConfig: {
          DefaultCacheBehavior: { FunctionAssociations: [{ EventType: 'viewer-request' }] },
          CacheBehaviors: [
            { PathPattern: '/api/*' },
            {
              PathPattern: '/products/*',
              LambdaFunctionAssociations: [
                { EventType: 'origin-request', LambdaFunctionARN: { Ref: 'RendererVersion' } },
              ],
            },
          ],
        },
      },
    },
  },
};

const enterprisePlan = (users: number, extra: object = {}) => {
  const inventories = new Map(templated);
  return planStages({ profile: parseProfile(extra, users), region: 'us-east-1', inventories });
};

describe('Lambda@Edge in the cost model', () => {
  it('reads the renderer from the behavior it is on, not as one of the stage’s own functions', () => {
    const inventory = inventoryFromTemplates([edgeTemplate]);
    expect(inventory.edgeFunctions).toEqual([
      { eventType: 'origin-request', pathPattern: '/products/*', memoryMb: 256 },
    ]);
    expect(inventory.functions).toEqual([{ role: 'api', memoryMb: 1024, architecture: 'x86_64' }]);
  });

  it('prices requests and GB-seconds at Lambda@Edge’s own rates, with no free tier', () => {
    // 10M requests of 50 ms at 128 MB: $0.60 a million, 62,500 GB-s at $0.00005.
    const bill = priceUsage(
      { service: 'lambdaedge', requests: 10e6, durationMs: 50, memoryMb: 128 },
      'us-east-1',
    );
    expect(bill.lines.map((line) => [line.item, line.quantity, line.usd])).toEqual([
      ['Lambda@Edge requests', 10e6, 6],
      ['Lambda@Edge duration', 62_500, 3.13],
    ]);
    expect(bill.notes.join(' ')).toMatch(/no free tier/);
    expect(() =>
      priceUsage({ service: 'lambdaedge', requests: 1, durationMs: 1, memoryMb: 64 }, 'us-east-1'),
    ).toThrow(/^memoryMb: /);
  });

  it('prices the crawler pages that miss the cache at enterprise, and says so', () => {
    const plan = enterprisePlan(1_000_000);
    const enterprise = plan.stages.find((stage) => stage.stage === 'enterprise')!;
    const edge = enterprise.services.find((service) => service.service === 'lambdaedge');
    // 500,000 crawler requests, 80 % missing the cache: 400,000 renders of 40 ms; and the shell's
    // pass-throughs, 13 regional edge caches x 12 an hour x 730 hours = 113,880 of 1 ms.
    const requests = 400_000 + 113_880;
    const gbSeconds = ((400_000 * 40 + 113_880 * 1) / 1000) * 0.25;
    expect(edge?.lines.map((line) => [line.item, line.quantity])).toEqual([
      ['Lambda@Edge requests', requests],
      ['Lambda@Edge duration', expect.closeTo(gbSeconds, 6)],
    ]);
    expect(edge?.totalUsd).toBeCloseTo(
      Math.round(requests * 0.6e-6 * 100) / 100 + Math.round(gbSeconds * 0.00005 * 100) / 100,
      2,
    );
    expect(edge?.fixedUsd).toBe(0);
    expect(enterprise.notes.join('\n')).toMatch(
      /lambdaedge: Lambda@Edge renders the product pages of crawlers and link previews that miss the edge cache: 500,000 crawler requests/,
    );
    // CloudFront's own line no longer carries a guess at Lambda@Edge.
    const cloudfront = enterprise.services.find((service) => service.service === 'cloudfront');
    expect(cloudfront?.lines.map((line) => line.item).join()).not.toMatch(/Lambda@Edge/);
    for (const stage of plan.stages.filter((candidate) => candidate.stage !== 'enterprise'))
      expect(stage.services.map((service) => service.service)).not.toContain('lambdaedge');
  });

  it('follows the profile: more crawlers, fewer cache hits, slower reads cost more', () => {
    const usd = (extra: object) =>
      enterprisePlan(1_000_000, extra)
        .stages.find((stage) => stage.stage === 'enterprise')!
        .services.find((service) => service.service === 'lambdaedge')!.totalUsd;
    const base = usd({});
    expect(usd({ crawlerRequestsPerUser: 5 })).toBeGreaterThan(base);
    expect(usd({ crawlerCacheHitRatio: 0.9 })).toBeLessThan(base);
    expect(usd({ edgeRenderMs: 200 })).toBeGreaterThan(base);
    expect(() => parseProfile({ crawlerCacheHitRatio: 2 })).toThrow(/^profile: crawlerCacheHitRatio: /);
  });

  it('counts nothing at the edge where no behavior calls a function', () => {
    const inventory: Inventory = templated.get('scaling')!;
    expect(inventory.edgeFunctions).toEqual([]);
  });
});
