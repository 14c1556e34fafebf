/**
 * What the product pages' edge function knows, fixed when it is bundled: Lambda@Edge allows no
 * environment variables (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/lambda-at-edge-function-restrictions.html),
 * so the CDK construct hands these to esbuild's `define` as one JSON constant.
 */
export interface EdgeProductPageSettings {
  /** The global table's name: the same in every replica region. */
  readonly tableName: string;
  /** Regions holding a replica, the primary first (the fallback for an unmapped edge region). */
  readonly tableRegions: readonly string[];
  /** Edge region (where the function runs, its AWS_REGION) → the nearest table region. */
  readonly nearestTableRegion: Readonly<Record<string, string>>;
  /** The app shell (web/dist/index.html) as it was deployed with the same synth. */
  readonly shell: string;
  /** The site's own origin, `https://shop.example.com`; absent: the distribution's domain name. */
  readonly siteOrigin?: string | undefined;
}

/** The global name esbuild replaces with the settings' JSON in the edge bundle. */
export const EDGE_SETTINGS_CONSTANT = '__GROWSTACK_EDGE_SETTINGS__';
