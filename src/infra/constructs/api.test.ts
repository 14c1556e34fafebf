import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { Api } from './api.js';

interface Method {
  HttpMethod: string;
  ResourceId: unknown;
  RequestParameters?: Record<string, boolean>;
  Integration: { CacheKeyParameters?: string[]; Type: string };
}

function api(options: { cache: boolean; disableExecuteApiEndpoint?: boolean }) {
  const stack = new Stack(undefined, 'Api', { env: { account: '123456789012', region: 'eu-west-1' } });
  const handler = new LambdaFunction(stack, 'Handler', {
    runtime: Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: Code.fromInline('export const handler = () => {};'),
  });
  new Api(stack, 'Api', {
    handler,
    cache: options.cache,
    throttle: { ratePerSecond: 50, burst: 100 },
    ...(options.disableExecuteApiEndpoint === undefined
      ? {}
      : { disableExecuteApiEndpoint: options.disableExecuteApiEndpoint }),
  });
  return Template.fromStack(stack);
}

let plain: Template;
let cached: Template;
// The first synth of a file loads most of aws-cdk-lib: once, outside the tests' own time limit.
beforeAll(() => {
  plain = api({ cache: false });
  cached = api({ cache: true, disableExecuteApiEndpoint: true });
}, 120_000);

const resourceId = (template: Template, pathPart: string) =>
  Object.keys(template.findResources('AWS::ApiGateway::Resource', { Properties: { PathPart: pathPart } }))[0];
const getOn = (template: Template, pathPart: string) =>
  Object.values(template.findResources('AWS::ApiGateway::Method'))
    .map((method) => method.Properties as Method)
    .find(
      (method) =>
        method.HttpMethod === 'GET' &&
        JSON.stringify(method.ResourceId) === JSON.stringify({ Ref: resourceId(template, pathPart) }),
    );

describe('the REST API', () => {
  it('is regional, with its execute-api endpoint on unless turned off', () => {
    plain.hasResourceProperties('AWS::ApiGateway::RestApi', {
      EndpointConfiguration: { Types: ['REGIONAL'] },
      DisableExecuteApiEndpoint: false,
    });
    cached.hasResourceProperties('AWS::ApiGateway::RestApi', { DisableExecuteApiEndpoint: true });
  });

  it('throttles the stage, logs errors and JSON access lines to a group kept a month', () => {
    plain.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'prod',
      AccessLogSetting: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('"requestId"') },
      MethodSettings: [
        Match.objectLike({
          HttpMethod: '*',
          ResourcePath: '/*',
          ThrottlingRateLimit: 50,
          ThrottlingBurstLimit: 100,
          LoggingLevel: 'ERROR',
          MetricsEnabled: true,
        }),
      ],
    });
    plain.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  it('has no stage cache unless asked', () => {
    const [stage] = Object.values(plain.findResources('AWS::ApiGateway::Stage'));
    expect(stage?.Properties.CacheClusterEnabled).toBeUndefined();
    expect(JSON.stringify(stage)).not.toContain('CachingEnabled');
  });

  it('caches product reads 5 s on an encrypted 0.5 GB cluster, and nothing else', () => {
    const [stage] = Object.values(cached.findResources('AWS::ApiGateway::Stage'));
    expect(stage?.Properties).toMatchObject({ CacheClusterEnabled: true, CacheClusterSize: '0.5' });
    const settings = stage?.Properties.MethodSettings as Record<string, unknown>[];
    const cachedPaths = settings.filter((setting) => setting.CachingEnabled === true);
    expect(cachedPaths.map((setting) => setting.ResourcePath).sort()).toEqual([
      '/~1api~1products',
      '/~1api~1products~1{id}',
    ]);
    for (const setting of cachedPaths)
      expect(setting).toMatchObject({ HttpMethod: 'GET', CacheTtlInSeconds: 5 });
    // The stage-wide setting encrypts what the cache holds.
    expect(settings.find((setting) => setting.ResourcePath === '/*')).toMatchObject({
      CacheDataEncrypted: true,
    });
  });

  it('keys the listing cache on its query and If-None-Match, and a product on its id and If-None-Match', () => {
    const listing = getOn(cached, 'products');
    expect(listing?.Integration.CacheKeyParameters).toEqual([
      'method.request.querystring.category',
      'method.request.querystring.limit',
      'method.request.querystring.cursor',
      'method.request.header.If-None-Match',
    ]);
    expect(listing?.RequestParameters).toEqual({
      'method.request.querystring.category': false,
      'method.request.querystring.limit': false,
      'method.request.querystring.cursor': false,
      'method.request.header.If-None-Match': false,
    });
    const product = getOn(cached, '{id}');
    expect(product?.Integration.CacheKeyParameters).toEqual([
      'method.request.path.id',
      'method.request.header.If-None-Match',
    ]);
    expect(product?.RequestParameters).toEqual({
      'method.request.path.id': true,
      'method.request.header.If-None-Match': false,
    });
  });

  it('sends every other path and method to the function through a proxy', () => {
    const proxy = resourceId(plain, '{proxy+}');
    plain.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'ANY',
      ResourceId: { Ref: proxy },
      Integration: Match.objectLike({ Type: 'AWS_PROXY' }),
    });
  });
});
