import { Duration, Validations } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  EndpointType,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

export interface ApiProps {
  readonly handler: IFunction;
  /** API Gateway stage cache (0.5 GB) for GET /api/products*, 5 minutes (growing and later). */
  readonly cache: boolean;
  /**
   * The stage's throttle: steady requests per second and the burst above it, across all clients
   * (API Gateway answers 429 past it). It bounds what a flood costs before the function runs.
   */
  readonly throttle: { readonly ratePerSecond: number; readonly burst: number };
  /**
   * Turns off the default `execute-api` endpoint, when the API has its own name (a custom domain)
   * that CloudFront reaches it by: one door fewer around the distribution.
   * @default false
   */
  readonly disableExecuteApiEndpoint?: boolean | undefined;
}

/** Query strings that make two product listings different responses: the cache key. */
const LISTING_QUERY = ['category', 'limit', 'cursor'] as const;

/**
 * The function answers a matching `If-None-Match` with an empty 304. The stage cache keys only on
 * what it is told to, so without this header in the key a cached 304 would be served to a client
 * that holds no copy.
 */
const REVALIDATION_HEADER = 'method.request.header.If-None-Match';

/**
 * The regional REST API in front of the API function. Every path goes to the function through a
 * proxy resource; GET /api/products and /api/products/{id} are explicit so the stage cache can
 * key them by query string and id.
 */
export class Api extends Construct {
  readonly restApi: RestApi;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: RetentionDays.ONE_MONTH });
    // 5 s: the stage cache only expires, so its TTL is part of the bound docs/caching.md states.
    const cached = { cachingEnabled: true, cacheTtl: Duration.seconds(5) };
    this.restApi = new RestApi(this, 'RestApi', {
      description: 'Growstack storefront API',
      endpointTypes: [EndpointType.REGIONAL],
      cloudWatchRole: true,
      disableExecuteApiEndpoint: props.disableExecuteApiEndpoint ?? false,
      deployOptions: {
        stageName: 'prod',
        throttlingRateLimit: props.throttle.ratePerSecond,
        throttlingBurstLimit: props.throttle.burst,
        loggingLevel: MethodLoggingLevel.ERROR,
        accessLogDestination: new LogGroupLogDestination(accessLogs),
        accessLogFormat: AccessLogFormat.jsonWithStandardFields(),
        metricsEnabled: true,
        ...(props.cache
          ? {
              cacheClusterEnabled: true,
              cacheClusterSize: '0.5',
              cacheDataEncrypted: true,
              methodOptions: { '/api/products/GET': cached, '/api/products/{id}/GET': cached },
            }
          : {}),
      },
    });
    const proxy = new LambdaIntegration(props.handler);
    this.restApi.root.addMethod('ANY', proxy);
    this.restApi.root.addProxy({ defaultIntegration: proxy, anyMethod: true });
    const products = this.restApi.root.addResource('api').addResource('products');
    products.addMethod('ANY', proxy);
    products.addMethod(
      'GET',
      new LambdaIntegration(props.handler, {
        cacheKeyParameters: [
          ...LISTING_QUERY.map((name) => `method.request.querystring.${name}`),
          REVALIDATION_HEADER,
        ],
      }),
      {
        requestParameters: {
          ...Object.fromEntries(LISTING_QUERY.map((name) => [`method.request.querystring.${name}`, false])),
          [REVALIDATION_HEADER]: false,
        },
      },
    );
    const product = products.addResource('{id}');
    product.addMethod('ANY', proxy);
    product.addMethod(
      'GET',
      new LambdaIntegration(props.handler, {
        cacheKeyParameters: ['method.request.path.id', REVALIDATION_HEADER],
      }),
      {
        requestParameters: { 'method.request.path.id': true, [REVALIDATION_HEADER]: false },
      },
    );

    Validations.of(this.restApi).acknowledge(
      {
        id: 'AwsSolutions-APIG2',
        reason:
          'Requests are validated in the function against the same zod schemas that generate the OpenAPI document.',
      },
      {
        id: 'AwsSolutions-APIG4',
        reason:
          'Most routes are public (catalog, search, signup); the function authenticates bearer tokens on the rest.',
      },
      {
        id: 'AwsSolutions-COG4',
        reason:
          'Accounts are built into the app until the enterprise stage moves them to a Cognito user pool.',
      },
      {
        id: 'AwsSolutions-APIG3',
        reason:
          'WAF arrives with the scaling stage; until then the API is reached through CloudFront, the stage is throttled, and the function refuses requests without the origin secret or execute-api is off.',
      },
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        reason:
          'The account-level API Gateway logging role uses the AWS managed AmazonAPIGatewayPushToCloudWatchLogs policy.',
      },
    );
  }
}
