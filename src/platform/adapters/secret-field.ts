import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ConfigError } from '../../contracts/errors.js';

/**
 * One field of a JSON secret in Secrets Manager, read once at start-up: how the API pods on EKS
 * get the cache's AUTH token (on ECS, the task definition injects it instead), and how the
 * containers get the origin secret. The region is the ARN's. Fails with a one-line ConfigError
 * naming the setting, never printing the value.
 */
export async function readSecretField(
  secretArn: string,
  field: string,
  client = new SecretsManagerClient({ region: secretArn.split(':')[3] }),
  setting = 'redisAuthSecretArn (REDIS_AUTH_SECRET_ARN)',
): Promise<string> {
  try {
    const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
    const value = (JSON.parse(SecretString ?? '{}') as Record<string, unknown>)[field];
    if (typeof value !== 'string' || value === '')
      throw new ConfigError(`${setting}: the secret has no '${field}' field`);
    return value;
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const reason = error instanceof SyntaxError ? 'is not JSON' : `cannot be read: ${(error as Error).name}`;
    throw new ConfigError(`${setting}: the secret ${reason}`);
  } finally {
    client.destroy();
  }
}
