import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Distribution } from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { describe, expect, it } from 'vitest';
import { CRAWLER_HEADER } from '../../contracts/crawlers.js';
import { ConfigError } from '../../contracts/errors.js';
import { acknowledge } from '../acknowledge.js';
import { complianceReport } from '../compliance.js';
import { PRODUCT_PAGES_PATH, ProductPagesEdge } from './product-pages-edge.js';

const ENTRY = join(import.meta.dirname, '..', '..', 'entry', 'edge-product-page.ts');
const SHELL =
  '<!doctype html><html><head><title>Growstack</title></head><body><div id="root"></div></body></html>';
const REGIONS = ['us-east-1', 'eu-west-1', 'ap-northeast-1'];

function edgeApp() {
  const webDist = mkdtempSync(join(tmpdir(), 'growstack-web-'));
  writeFileSync(join(webDist, 'index.html'), SHELL);
  const outdir = mkdtempSync(join(tmpdir(), 'growstack-edge-cdk-'));
  const app = new App({ outdir });
  const stack = new Stack(app, 'Edge', { env: { account: '123456789012', region: 'us-east-1' } });
  const pages = new ProductPagesEdge(stack, 'ProductPages', {
    entry: ENTRY,
    tableName: 'growstack',
    tableRegions: REGIONS,
    webDist,
    siteOrigin: 'https://shop.example.com',
  });
  const origin = new HttpOrigin('shop-origin.example.com');
  const distribution = new Distribution(stack, 'Distribution', { defaultBehavior: { origin } });
  acknowledge(distribution, {
    'AwsSolutions-CFR1': 'A test distribution.',
    'AwsSolutions-CFR2': 'A test distribution.',
    'AwsSolutions-CFR3': 'A test distribution.',
    'AwsSolutions-CFR4': 'A test distribution.',
    'AwsSolutions-CFR5': 'A test distribution.',
  });
  pages.addTo(distribution, origin);
  const assembly = app.synth();
  return { app, template: Template.fromStack(stack), assembly };
}

describe('the product pages at the edge (enterprise)', () => {
  const { app, template, assembly } = edgeApp();

  it('runs the renderer on Lambda@Edge: Node.js 22, x86_64, versioned, no environment variables', () => {
    const functions = template.findResources('AWS::Lambda::Function', {
      Properties: { Handler: 'index.handler' },
    });
    const [renderer, ...others] = Object.values(functions);
    expect(others).toEqual([]);
    expect(renderer?.Properties).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['x86_64'],
      Timeout: 5,
    });
    expect(renderer?.Properties.Environment).toBeUndefined();
    template.resourceCountIs('AWS::Lambda::Version', 1);
    const roles = JSON.stringify(template.findResources('AWS::IAM::Role'));
    expect(roles).toContain('edgelambda.amazonaws.com');
  });

  it('may only GetItem on the table in each replica region', () => {
    const policies = Object.values(template.findResources('AWS::IAM::Policy'));
    const statements = policies.flatMap(
      (policy) => policy.Properties.PolicyDocument.Statement as Record<string, unknown>[],
    );
    const dynamo = statements.filter((statement) => JSON.stringify(statement.Action).includes('dynamodb'));
    expect(dynamo).toHaveLength(1);
    expect(dynamo[0]?.Action).toBe('dynamodb:GetItem');
    const resources = JSON.stringify(dynamo[0]?.Resource);
    for (const region of REGIONS)
      expect(resources).toContain(`:dynamodb:${region}:123456789012:table/growstack`);
    expect(resources).not.toContain('*');
  });

  it("keys the product pages' cache on the crawler mark, with a bounded TTL", () => {
    template.hasResourceProperties('AWS::CloudFront::CachePolicy', {
      CachePolicyConfig: {
        MinTTL: 0,
        DefaultTTL: 300,
        MaxTTL: 300,
        ParametersInCacheKeyAndForwardedToOrigin: {
          HeadersConfig: { HeaderBehavior: 'whitelist', Headers: [CRAWLER_HEADER] },
          QueryStringsConfig: { QueryStringBehavior: 'none' },
          CookiesConfig: { CookieBehavior: 'none' },
        },
      },
    });
  });

  it('puts the marking function and the renderer on the product pages behavior', () => {
    const distribution = Object.values(template.findResources('AWS::CloudFront::Distribution'))[0];
    const behaviors = distribution?.Properties.DistributionConfig.CacheBehaviors as Record<string, unknown>[];
    const pages = behaviors.find((behavior) => behavior.PathPattern === PRODUCT_PAGES_PATH);
    expect(pages).toMatchObject({
      FunctionAssociations: [{ EventType: 'viewer-request' }],
      LambdaFunctionAssociations: [{ EventType: 'origin-request' }],
      AllowedMethods: ['GET', 'HEAD'],
    });
    const code = Object.values(template.findResources('AWS::CloudFront::Function'))[0]?.Properties
      .FunctionCode as string;
    expect(code).toContain('var MARK_CRAWLERS = true;');
  });

  it('bundles the shell, the table and the nearest-replica map into the handler', () => {
    const artifact = assembly.stacks[0]!;
    const assets = readdirSync(assembly.directory).filter((name) => name.startsWith('asset.'));
    const bundles = assets
      .map((name) => join(assembly.directory, name, 'index.mjs'))
      .filter((file) => {
        try {
          return readFileSync(file).length > 0;
        } catch {
          return false;
        }
      });
    expect(artifact.stackName).toBe('Edge');
    expect(bundles).toHaveLength(1);
    const source = readFileSync(bundles[0]!, 'utf8');
    expect(source).toContain('<div id="root"></div>');
    expect(source).toContain('"eu-central-1":"eu-west-1"');
    expect(source).toContain('tableName:"growstack"');
    expect(source).not.toContain('__GROWSTACK_EDGE_SETTINGS__');
  });

  it('has no cdk-nag finding nobody acknowledged', () => {
    const open = complianceReport(app, []).filter((line) => line.status === 'non-compliant');
    expect(open.map((line) => `${line.rule} ${line.resource}`)).toEqual([]);
  });
});

describe('where the product pages at the edge can be built', () => {
  const pagesIn = (env: { account?: string; region?: string }) => {
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'growstack-edge-env-')) });
    const stack = new Stack(app, 'Site', { env });
    new ProductPagesEdge(stack, 'ProductPages', {
      entry: ENTRY,
      tableName: 'growstack',
      tableRegions: ['eu-west-1'],
      webDist: join(tmpdir(), 'growstack-no-web-dist'),
    });
    return app;
  };

  it('refuses a stack outside us-east-1 without an account, naming the setting', () => {
    let error: unknown;
    try {
      pagesIn({ region: 'eu-west-1' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).setting).toBe('account');
    expect((error as Error).message).toMatch(/^growstack\.config\.ts: account: required .* eu-west-1/);
  });

  it('refuses an environment-agnostic stack, naming the setting', () => {
    expect(() => pagesIn({})).toThrow(/primaryRegion: .*us-east-1/);
  });

  it('puts the function in a us-east-1 stack of its own when the site is elsewhere and the account is known', () => {
    const app = pagesIn({ region: 'eu-west-1', account: '123456789012' });
    const stacks = app.synth().stacks.map((stack) => stack.environment.region);
    expect(stacks).toEqual(expect.arrayContaining(['eu-west-1', 'us-east-1']));
  });
});
