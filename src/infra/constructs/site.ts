import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import type { ICertificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CachePolicy,
  CacheQueryStringBehavior,
  Function as CloudFrontFunction,
  Distribution,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HttpVersion,
  type IOrigin,
  type IResponseHeadersPolicy,
  OriginRequestPolicy,
  PriceClass,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { OriginGroup, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type IBucket,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, type ISource, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { acknowledge, bucketReadWriteFindings, LAMBDA_BASIC_EXECUTION } from '../acknowledge.js';
import { SecurityHeaders } from './response-headers.js';

export interface SiteProps {
  /** Where /api/* goes: the REST API, or the API's latency-routed name from scaling on. */
  readonly apiOrigin: IOrigin;
  /** Buckets in other regions holding the same UI: CloudFront fails over to them (an origin group). */
  readonly replicaBuckets?: readonly { readonly bucketName: string; readonly region: string }[];
  /** The site's own names and their us-east-1 certificate; the *.cloudfront.net name without. */
  readonly domain?: { readonly names: readonly string[]; readonly certificate: ICertificate } | undefined;
  /** The CLOUDFRONT-scope WAF web ACL (scaling on). */
  readonly webAclArn?: string | undefined;
  /** Folder of the built web UI; when it does not exist, a placeholder page is deployed. */
  readonly webDist: string;
  /** Long-lived static assets and 5-minute product listings at the edge (growing and later). */
  readonly cachePolicies: boolean;
}

/**
 * The viewer-request function of the UI's behavior, which answers the app's routes with the app
 * shell: plain JavaScript, run by CloudFront and by the tests as is.
 */
export const SPA_ROUTING_FUNCTION = join(import.meta.dirname, '..', 'edge', 'spa-routing.js');

/**
 * The web UI in a private S3 bucket behind CloudFront (Origin Access Control), with /api/*
 * routed to the REST API so the site and the API share one origin and need no CORS.
 */
export class Site extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  /** Where the UI's files come from: the bucket, or the origin group failing over to a replica. */
  readonly webOrigin: IOrigin;
  /** The security headers the UI's responses carry (the product pages' behavior too). */
  readonly webHeaders: IResponseHeadersPolicy;
  /** True when the built web UI was found and deployed, false for the placeholder. */
  readonly deploysBuiltUi: boolean;

  constructor(scope: Construct, id: string, props: SiteProps) {
    super(scope, id);
    const secureBucket = {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.RETAIN,
    } as const;
    const logs = new Bucket(this, 'AccessLogs', {
      ...secureBucket,
      // CloudFront standard logs are written with ACLs, so this bucket must allow them.
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(90) }],
    });
    Validations.of(logs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the access-log bucket itself.',
    });
    this.bucket = new Bucket(this, 'Bucket', {
      ...secureBucket,
      versioned: true,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 's3/',
    });

    const apiCache = props.cachePolicies
      ? new CachePolicy(this, 'ProductListings', {
          // 5 s at most, so a price change reaches shoppers within the bound docs/caching.md states.
          comment: 'Product listings and reads: 5 seconds, keyed by query string',
          defaultTtl: Duration.seconds(5),
          maxTtl: Duration.seconds(5),
          minTtl: Duration.seconds(0),
          queryStringBehavior: CacheQueryStringBehavior.all(),
        })
      : CachePolicy.CACHING_DISABLED;
    const headers = new SecurityHeaders(this, 'SecurityHeaders');
    this.webHeaders = headers.web;
    const apiBehavior = {
      origin: props.apiOrigin,
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: AllowedMethods.ALLOW_ALL,
      cachePolicy: CachePolicy.CACHING_DISABLED,
      originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      responseHeadersPolicy: headers.api,
    };
    const spaRouting = new CloudFrontFunction(this, 'SpaRouting', {
      code: FunctionCode.fromFile({ filePath: SPA_ROUTING_FUNCTION }),
      runtime: FunctionRuntime.JS_2_0,
      comment: 'Answers the web UI routes (paths without a file extension) with /index.html',
    });
    this.webOrigin = this.originOf(props.replicaBuckets ?? []);
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Growstack web UI and API',
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cloudfront/',
      ...(props.webAclArn ? { webAclId: props.webAclArn } : {}),
      ...(props.domain
        ? {
            domainNames: [...props.domain.names],
            certificate: props.domain.certificate,
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
      defaultBehavior: {
        origin: this.webOrigin,
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        // Hashed asset names change with their content, so a long edge TTL is safe.
        cachePolicy: props.cachePolicies ? CachePolicy.CACHING_OPTIMIZED : CachePolicy.CACHING_DISABLED,
        responseHeadersPolicy: headers.web,
        functionAssociations: [{ eventType: FunctionEventType.VIEWER_REQUEST, function: spaRouting }],
      },
      additionalBehaviors: {
        '/api/products*': { ...apiBehavior, cachePolicy: apiCache },
        '/api/*': apiBehavior,
      },
      // No error responses: a distribution-wide rewrite would also turn the API's errors (and
      // WAF's blocks) into the app shell. The UI's routes are the function's job.
    });
    Validations.of(this.distribution).acknowledge(
      { id: 'AwsSolutions-CFR1', reason: 'A storefront sells worldwide: no geo restriction.' },
      ...(props.webAclArn
        ? []
        : [{ id: 'AwsSolutions-CFR2', reason: 'WAF on CloudFront arrives with the scaling stage.' }]),
      ...(props.domain
        ? []
        : [
            {
              id: 'AwsSolutions-CFR4',
              reason:
                'The default *.cloudfront.net certificate allows TLS 1.0 viewers; a custom domain with TLSv1.2_2021 is configured once a domain is set.',
            },
          ]),
    );

    this.deploysBuiltUi = existsSync(props.webDist);
    new BucketDeployment(this, 'Deploy', {
      sources: [uiSource(props.webDist)],
      destinationBucket: this.bucket,
      distribution: this.distribution,
      distributionPaths: ['/index.html'],
      memoryLimit: 256,
    });
    acknowledgeBucketDeployment(this, this.bucket);
  }

  /**
   * The UI's origin: this region's bucket, and from scaling on an origin group that fails over to
   * the first other region's copy when this one answers 5xx (GET and HEAD, which is all the UI is).
   */
  private originOf(replicas: readonly { bucketName: string; region: string }[]): IOrigin {
    const primary = S3BucketOrigin.withOriginAccessControl(this.bucket);
    const replica = replicas[0];
    if (!replica) return primary;
    const bucket = Bucket.fromBucketAttributes(this, 'ReplicaBucket', replica);
    return new OriginGroup({
      primaryOrigin: primary,
      fallbackOrigin: S3BucketOrigin.withOriginAccessControl(bucket),
      fallbackStatusCodes: [500, 502, 503, 504],
    });
  }
}

/** The built web UI, or a placeholder page when it was not built before the synth. */
export function uiSource(webDist: string): ISource {
  return existsSync(webDist)
    ? Source.asset(webDist)
    : Source.data(
        'index.html',
        '<!doctype html><title>Growstack</title><p>The web UI was not built when this stack was synthesized; the API is at <a href="/api/docs">/api/docs</a>.</p>',
      );
}

/** BucketDeployment's handler is one stack-level function CDK writes; its grants are CDK's. */
export function acknowledgeBucketDeployment(scope: Construct, bucket: IBucket): void {
  const stack = Stack.of(scope);
  const handler = stack.node.children.find((child) =>
    child.node.id.startsWith('Custom::CDKBucketDeployment'),
  );
  if (!handler) return;
  const wildcard =
    'CDK BucketDeployment copies the built UI into this bucket and invalidates the distribution.';
  acknowledge(handler, {
    [LAMBDA_BASIC_EXECUTION]: 'The basic execution policy grants only writing to CloudWatch Logs.',
    'AwsSolutions-L1': "The runtime of CDK's BucketDeployment handler is chosen by aws-cdk-lib.",
    ...bucketReadWriteFindings(bucket, wildcard),
    [`AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-${Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account}-${stack.region}/*]`]:
      'Reads the UI files from the CDK bootstrap asset bucket of this account and region.',
    'AwsSolutions-IAM5[Resource::*]':
      'cloudfront:CreateInvalidation does not support resource-level permissions.',
  });
}
