import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AssetHashType, DockerImage, Duration, Stack, Token } from 'aws-cdk-lib';
import {
  type AddBehaviorOptions,
  AllowedMethods,
  CacheHeaderBehavior,
  CachePolicy,
  CacheQueryStringBehavior,
  Function as CloudFrontFunction,
  type Distribution,
  experimental,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  type IOrigin,
  type IResponseHeadersPolicy,
  LambdaEdgeEventType,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Architecture, Code, Runtime } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { buildSync } from 'esbuild';
import { CRAWLER_HEADER } from '../../contracts/crawlers.js';
import { EDGE_SETTINGS_CONSTANT, type EdgeProductPageSettings } from '../../contracts/edge-settings.js';
import { ConfigError } from '../../contracts/errors.js';
import { acknowledge, LAMBDA_BASIC_EXECUTION } from '../acknowledge.js';
import { nearestTableRegions } from '../edge/nearest-region.js';
import { spaRoutingSource } from '../edge/spa-routing-code.js';
import { LAMBDA_BUNDLING } from '../lambda-bundling.js';

export interface ProductPagesEdgeProps {
  /** Absolute path of the edge handler's TypeScript entry (src/entry/edge-product-page.ts). */
  readonly entry: string;
  /** The global table's name, the same in every replica region. */
  readonly tableName: string;
  /** Regions holding a replica of the table, the primary first. */
  readonly tableRegions: readonly string[];
  /** Folder of the built web UI: its index.html is the shell the pages are rendered into. */
  readonly webDist: string;
  /** The site's own origin (`https://shop.example.com`). @default the distribution's domain name */
  readonly siteOrigin?: string | undefined;
  /** The longest a crawler's product page stays in the edge cache. @default Duration.minutes(5) */
  readonly crawlerPageTtl?: Duration;
}

/**
 * Lambda@Edge runs the Node.js runtimes CloudFront lists, which trail Lambda's: Node.js 22 is the
 * newest (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/lambda-at-edge-function-restrictions.html#lambda-at-edge-restrictions-runtime).
 */
export const EDGE_RUNTIME = Runtime.NODEJS_22_X;

/** Where the product pages' behavior is attached in the distribution. */
export const PRODUCT_PAGES_PATH = '/products/*';

/** What is served when the web UI was not built before the synth (as the site deploys then). */
const PLACEHOLDER_SHELL = '<!doctype html><html><head><title>Growstack</title></head><body></body></html>';

/**
 * Product pages that crawlers and link previews can read (enterprise stage): a viewer-request
 * function that marks crawlers' requests, a cache policy keyed on the mark, and a Lambda@Edge
 * function on origin request that renders the marked ones from the nearest table replica.
 * Attach with `addTo(distribution, webOrigin, responseHeadersPolicy)`.
 */
export class ProductPagesEdge extends Construct {
  readonly function: experimental.EdgeFunction;
  readonly cachePolicy: CachePolicy;
  readonly viewerRequest: CloudFrontFunction;

  constructor(scope: Construct, id: string, props: ProductPagesEdgeProps) {
    super(scope, id);
    assertEdgeEnvironment(Stack.of(this));
    const settings: EdgeProductPageSettings = {
      tableName: props.tableName,
      tableRegions: [...props.tableRegions],
      nearestTableRegion: nearestTableRegions(props.tableRegions),
      shell: shellOf(props.webDist),
      ...(props.siteOrigin ? { siteOrigin: props.siteOrigin } : {}),
    };
    // No environment variables at the edge: the settings are bundled in as a constant.
    this.function = new experimental.EdgeFunction(this, 'Renderer', {
      description: 'Renders product pages for crawlers and link previews from the nearest table replica',
      runtime: EDGE_RUNTIME,
      architecture: Architecture.X86_64,
      handler: 'index.handler',
      code: bundle(props.entry, settings),
      memorySize: 256,
      // The handler gives up on the table after 1 s; the rest is the cold start's margin.
      timeout: Duration.seconds(5),
    });
    const stack = Stack.of(this);
    this.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:GetItem'],
        resources: props.tableRegions.map((region) =>
          stack.formatArn({ service: 'dynamodb', region, resource: 'table', resourceName: props.tableName }),
        ),
      }),
    );
    acknowledge(this.function, {
      [LAMBDA_BASIC_EXECUTION]:
        'The basic execution policy grants only writing to CloudWatch Logs, in each region the function runs in.',
      'AwsSolutions-L1': `Lambda@Edge supports Node.js runtimes up to ${EDGE_RUNTIME.name}, older than Lambda's newest.`,
    });

    const ttl = props.crawlerPageTtl ?? Duration.minutes(5);
    this.cachePolicy = new CachePolicy(this, 'CachePolicy', {
      comment: `Product pages: keyed by ${CRAWLER_HEADER}, so people and crawlers never share a page`,
      headerBehavior: CacheHeaderBehavior.allowList(CRAWLER_HEADER),
      queryStringBehavior: CacheQueryStringBehavior.none(),
      minTtl: Duration.seconds(0),
      defaultTtl: ttl,
      maxTtl: ttl,
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });
    this.viewerRequest = new CloudFrontFunction(this, 'MarkCrawlers', {
      code: FunctionCode.fromInline(spaRoutingSource({ markCrawlers: true })),
      runtime: FunctionRuntime.JS_2_0,
      comment: 'Marks crawlers on product pages; answers everyone else with /index.html',
    });
  }

  /** The product pages' behavior: this construct's function, cache policy and edge function. */
  behaviorOptions(responseHeadersPolicy?: IResponseHeadersPolicy): AddBehaviorOptions {
    return {
      viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
      cachePolicy: this.cachePolicy,
      ...(responseHeadersPolicy ? { responseHeadersPolicy } : {}),
      functionAssociations: [{ eventType: FunctionEventType.VIEWER_REQUEST, function: this.viewerRequest }],
      edgeLambdas: [
        { eventType: LambdaEdgeEventType.ORIGIN_REQUEST, functionVersion: this.function.currentVersion },
      ],
    };
  }

  /**
   * Adds the behavior for /products/* to the distribution, in front of the web UI's origin. A
   * behavior is chosen by path before any function runs, so this behavior carries its own
   * viewer-request function rather than relying on the default behavior's.
   */
  addTo(
    distribution: Distribution,
    webOrigin: IOrigin,
    responseHeadersPolicy?: IResponseHeadersPolicy,
  ): void {
    distribution.addBehavior(PRODUCT_PAGES_PATH, webOrigin, this.behaviorOptions(responseHeadersPolicy));
  }
}

/**
 * Lambda@Edge functions are created in us-east-1. From a stack in any other region, CDK puts the
 * function in a stack of its own in us-east-1 and hands its version across through SSM, which needs
 * the account: an environment-agnostic stack fails deep inside CDK, so it is refused here in one
 * line naming the setting (https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.aws_cloudfront.experimental.EdgeFunction.html).
 */
export function assertEdgeEnvironment(stack: Stack): void {
  if (Token.isUnresolved(stack.region))
    throw new ConfigError(
      'growstack.config.ts: primaryRegion: the product pages at the edge need a stack with a region (Lambda@Edge lives in us-east-1)',
      { setting: 'primaryRegion' },
    );
  if (stack.region !== 'us-east-1' && Token.isUnresolved(stack.account))
    throw new ConfigError(
      `growstack.config.ts: account: required when the distribution's stack is in ${stack.region}, not us-east-1 (the product pages' Lambda@Edge function is deployed to us-east-1 from a stack of its own, which needs the account)`,
      { setting: 'account' },
    );
}

function shellOf(webDist: string): string {
  const index = join(webDist, 'index.html');
  return existsSync(index) ? readFileSync(index, 'utf8') : PLACEHOLDER_SHELL;
}

/**
 * The handler bundled by the local esbuild into index.mjs, with the settings as a constant. The
 * asset is hashed by its output, so a new shell, table or handler deploys a new version.
 */
function bundle(entry: string, settings: EdgeProductPageSettings): Code {
  return Code.fromAsset(dirname(entry), {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Never used: local bundling always succeeds or throws; CDK requires an image anyway.
      image: DockerImage.fromRegistry('public.ecr.aws/sam/build-nodejs22.x'),
      local: {
        tryBundle(outputDir: string): boolean {
          buildSync({
            entryPoints: [entry],
            outfile: join(outputDir, 'index.mjs'),
            bundle: true,
            platform: 'node',
            target: 'node22',
            format: 'esm',
            minify: LAMBDA_BUNDLING.minify,
            sourcemap: false,
            external: [...LAMBDA_BUNDLING.external],
            banner: { js: LAMBDA_BUNDLING.banner },
            define: { [EDGE_SETTINGS_CONSTANT]: JSON.stringify(settings) },
            logLevel: 'silent',
          });
          return true;
        },
      },
    },
  });
}
