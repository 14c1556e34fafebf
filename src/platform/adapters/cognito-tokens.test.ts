import { describe, expect, it } from 'vitest';
import { UnauthorizedError } from '../../contracts/errors.js';
import { CognitoTokenVerifier, cognitoIssuer, LocalCognitoIssuer } from './cognito-tokens.js';

const POOL = { userPoolId: 'us-east-1_LocalPool1', clientId: 'storefront-web-client' };

const refusalOf = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(UnauthorizedError);
  return (error as Error).message;
};

describe('the local Cognito issuer and the Cognito verifier', () => {
  it('agree on access and ID tokens, which carry Cognito’s claims', async () => {
    const issuer = await LocalCognitoIssuer.create(POOL);
    const access = new CognitoTokenVerifier(POOL, { tokenUse: 'access', jwks: issuer.jwks() });
    const token = await issuer.issue({
      sub: 'user-1',
      username: 'ada@example.com',
      groups: ['admin'],
      tokenUse: 'access',
    });
    const identity = await access.verify(token);
    expect(identity).toMatchObject({
      sub: 'user-1',
      username: 'ada@example.com',
      groups: ['admin'],
      tokenUse: 'access',
    });
    expect(identity.expiresAt.getTime() - Date.now()).toBeGreaterThan(3590_000);
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString());
    expect(claims).toMatchObject({
      iss: cognitoIssuer(POOL.userPoolId),
      client_id: POOL.clientId,
      token_use: 'access',
      scope: 'aws.cognito.signin.user.admin',
    });
    expect(claims.iss).toBe('https://cognito-idp.us-east-1.amazonaws.com/us-east-1_LocalPool1');

    const id = new CognitoTokenVerifier(POOL, { tokenUse: 'id', jwks: issuer.jwks() });
    const idToken = await issuer.issue({ sub: 'user-1', email: 'ada@example.com', tokenUse: 'id' });
    expect(await id.verify(idToken)).toMatchObject({
      sub: 'user-1',
      email: 'ada@example.com',
      groups: [],
      tokenUse: 'id',
    });
  });

  it('rejects an expired token', async () => {
    const issuer = await LocalCognitoIssuer.create(POOL);
    const verifier = new CognitoTokenVerifier(POOL, { tokenUse: 'access', jwks: issuer.jwks() });
    const token = await issuer.issue({
      sub: 'user-1',
      tokenUse: 'access',
      now: new Date(Date.now() - 2 * 3600_000),
    });
    expect(await refusalOf(verifier.verify(token))).toBe('The token has expired; log in again.');
  });

  it('rejects a token signed by another key, even with the same key id and claims', async () => {
    const issuer = await LocalCognitoIssuer.create(POOL);
    const impostor = await LocalCognitoIssuer.create(POOL);
    const verifier = new CognitoTokenVerifier(POOL, { tokenUse: 'access', jwks: issuer.jwks() });
    expect(
      await refusalOf(verifier.verify(await impostor.issue({ sub: 'user-1', tokenUse: 'access' }))),
    ).toBe('The token is not signed by this user pool.');
    // Same kid, other key: the signature check itself refuses it.
    const [header, payload] = (await impostor.issue({ sub: 'user-1', tokenUse: 'access' })).split('.');
    const genuine = (await issuer.issue({ sub: 'user-1', tokenUse: 'access' })).split('.');
    const forged = `${genuine[0]}.${payload}.${(await impostor.issue({ sub: 'x', tokenUse: 'access' })).split('.')[2]}`;
    expect(header).not.toBe(genuine[0]);
    expect(await refusalOf(verifier.verify(forged))).toBe('The token is not signed by this user pool.');
    // A token whose payload was edited after signing.
    const tampered = `${genuine[0]}.${Buffer.from(JSON.stringify({ sub: 'admin' })).toString('base64url')}.${genuine[2]}`;
    expect(await refusalOf(verifier.verify(tampered))).toMatch(/not signed by this user pool|not valid/);
  });

  it('rejects a token for another app client (wrong audience), of the wrong kind, or from another pool', async () => {
    const issuer = await LocalCognitoIssuer.create(POOL);
    const access = new CognitoTokenVerifier(POOL, { tokenUse: 'access', jwks: issuer.jwks() });
    const id = new CognitoTokenVerifier(POOL, { tokenUse: 'id', jwks: issuer.jwks() });
    expect(
      await refusalOf(
        access.verify(await issuer.issue({ sub: 'u', tokenUse: 'access', clientId: 'other-client' })),
      ),
    ).toBe('The token is for another app client.');
    expect(
      await refusalOf(id.verify(await issuer.issue({ sub: 'u', tokenUse: 'id', clientId: 'other-client' }))),
    ).toBe('The token is for another app client.');
    expect(await refusalOf(access.verify(await issuer.issue({ sub: 'u', tokenUse: 'id' })))).toBe(
      'The token is of the wrong kind.',
    );
    const otherPool = await LocalCognitoIssuer.create({ ...POOL, userPoolId: 'us-east-1_OtherPool' });
    expect(await refusalOf(access.verify(await otherPool.issue({ sub: 'u', tokenUse: 'access' })))).toBe(
      'The token is from another issuer.',
    );
    expect(await refusalOf(access.verify('not-a-jwt'))).toBe('The token is not valid; log in again.');
  });
});
