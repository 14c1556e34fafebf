import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { readSecretField } from './secret-field.js';

// AWS itself is the boundary here: the Secrets Manager client is mocked at the SDK's send().
const secrets = mockClient(SecretsManagerClient);
const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:cache-auth-AbCdEf';
const read = () => readSecretField(ARN, 'token', new SecretsManagerClient({ region: 'eu-west-1' }));

describe('reading the cache AUTH token from Secrets Manager', () => {
  afterEach(() => secrets.reset());

  it('returns the named field of the JSON secret', async () => {
    secrets
      .on(GetSecretValueCommand, { SecretId: ARN })
      .resolves({ SecretString: '{"token":"s3cret-token-value-1"}' });
    await expect(read()).resolves.toBe('s3cret-token-value-1');
  });

  it('names the setting, not the value, when the field is missing, the text is not JSON, or the call fails', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: '{"password":"x"}' });
    await expect(read()).rejects.toThrow(
      "redisAuthSecretArn (REDIS_AUTH_SECRET_ARN): the secret has no 'token' field",
    );
    secrets.on(GetSecretValueCommand).resolves({ SecretString: 'token=abc' });
    await expect(read()).rejects.toThrow('the secret is not JSON');
    secrets
      .on(GetSecretValueCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    await expect(read()).rejects.toThrow('the secret cannot be read: AccessDeniedException');
  });
});
