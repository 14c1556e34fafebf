export interface AwsClientOptions {
  readonly region: string;
  /** A local stand-in's URL; unset on AWS, where the SDK finds the regional endpoint. */
  readonly endpoint?: string | undefined;
}

/**
 * The settings every AWS SDK client of ours takes. Local stand-ins accept any credentials, so
 * fixed ones keep a developer's real AWS profile out of the way.
 */
export function awsClientConfig(options: AwsClientOptions) {
  return {
    region: options.region,
    ...(options.endpoint
      ? { endpoint: options.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
  };
}
