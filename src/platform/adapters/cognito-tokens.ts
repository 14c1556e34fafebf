import { randomUUID } from 'node:crypto';
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import {
  CognitoJwtInvalidClientIdError,
  CognitoJwtInvalidTokenUseError,
  JwtExpiredError,
  JwtInvalidAudienceError,
  JwtInvalidIssuerError,
  JwtInvalidSignatureError,
  KidNotFoundInJwksError,
  ParameterValidationError,
  WaitPeriodNotYetEndedJwkError,
} from 'aws-jwt-verify/error';
import { type Jwks, SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';
import { UnauthorizedError } from '../../contracts/errors.js';

/** A Cognito user pool and the app client the storefront signs in through. */
export interface CognitoPool {
  /** `us-east-1_AbC123xyz`: the region is its prefix. */
  readonly userPoolId: string;
  readonly clientId: string;
}

export type TokenUse = 'id' | 'access';

/** The local issuer's RS256 key, as a private JWK. */
export interface SigningKey {
  readonly kid: string;
  readonly privateJwk: JWK;
}

/** Who a verified token speaks for. */
export interface CognitoIdentity {
  /** Cognito's user id (the `sub` claim). */
  readonly sub: string;
  readonly username: string;
  readonly email?: string | undefined;
  readonly groups: readonly string[];
  readonly tokenUse: TokenUse;
  /** The token's own id (`jti`): what a logout remembers. */
  readonly tokenId: string;
  readonly expiresAt: Date;
}

/** `https://cognito-idp.<region>.amazonaws.com/<pool id>`: the `iss` of the pool's tokens. */
export function cognitoIssuer(userPoolId: string): string {
  const region = userPoolId.split('_')[0];
  return `https://cognito-idp.${region}.amazonaws.com/${userPoolId}`;
}

export interface IssueOptions {
  readonly sub: string;
  readonly username?: string;
  readonly email?: string;
  readonly groups?: readonly string[];
  readonly tokenUse: TokenUse;
  /** Default one hour, Cognito's default for ID and access tokens. */
  readonly expiresInSeconds?: number;
  /** Issue as of this moment (tests: a token that expired long ago). */
  readonly now?: Date;
  /** The app client the token is for; default the pool's (tests: another client's token). */
  readonly clientId?: string;
}

/**
 * The local stand-in for a Cognito user pool's token issuer: an RS256 key pair (jose) and tokens
 * with Cognito's claims (`iss`, `token_use`, `aud` or `client_id`, `cognito:groups`, `username`),
 * so the verifier that checks real Cognito tokens on AWS checks these the same way.
 */
export class LocalCognitoIssuer {
  private constructor(
    readonly pool: CognitoPool,
    private readonly privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'],
    private readonly publicJwks: Jwks,
    private readonly kid: string,
  ) {}

  /** A new signing key, or the one `exportKey()` gave before (a restart keeps tokens valid). */
  static async create(pool: CognitoPool, key?: SigningKey): Promise<LocalCognitoIssuer> {
    let privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
    let kid: string;
    if (key) {
      privateKey = (await importJWK(key.privateJwk, 'RS256', { extractable: true })) as typeof privateKey;
      kid = key.kid;
    } else {
      privateKey = (await generateKeyPair('RS256', { extractable: true })).privateKey;
      kid = randomUUID();
    }
    const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = await exportJWK(privateKey);
    const jwks = { keys: [{ ...publicJwk, kid, alg: 'RS256', use: 'sig' }] } as unknown as Jwks;
    return new LocalCognitoIssuer(pool, privateKey, jwks, kid);
  }

  /** The signing key, to keep across restarts (a local data dir; never on AWS). */
  async exportKey(): Promise<SigningKey> {
    return { kid: this.kid, privateJwk: await exportJWK(this.privateKey) };
  }

  /** What Cognito publishes at `<issuer>/.well-known/jwks.json`. */
  jwks(): Jwks {
    return this.publicJwks;
  }

  async issue(options: IssueOptions): Promise<string> {
    const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
    const clientId = options.clientId ?? this.pool.clientId;
    const username = options.username ?? options.sub;
    const claims: Record<string, unknown> = {
      token_use: options.tokenUse,
      auth_time: now,
      event_id: randomUUID(),
      ...(options.groups?.length ? { 'cognito:groups': [...options.groups] } : {}),
    };
    if (options.tokenUse === 'id') {
      Object.assign(claims, {
        'cognito:username': username,
        ...(options.email ? { email: options.email, email_verified: true } : {}),
      });
    } else {
      Object.assign(claims, { client_id: clientId, username, scope: 'aws.cognito.signin.user.admin' });
    }
    const jwt = new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: this.kid })
      .setIssuer(cognitoIssuer(this.pool.userPoolId))
      .setSubject(options.sub)
      .setIssuedAt(now)
      .setExpirationTime(now + (options.expiresInSeconds ?? 3600))
      .setJti(randomUUID());
    // An ID token names its app client in `aud`; an access token in `client_id` (above).
    if (options.tokenUse === 'id') jwt.setAudience(clientId);
    return jwt.sign(this.privateKey);
  }
}

export interface VerifierOptions {
  readonly tokenUse: TokenUse;
  /**
   * The pool's signing keys, given rather than fetched: the local issuer's. On AWS leave it out and
   * the verifier fetches the pool's JWKS once and caches it.
   */
  readonly jwks?: Jwks | undefined;
}

/**
 * Checks a Cognito token with aws-jwt-verify: signature against the pool's keys, issuer, expiry,
 * token use, and app client. Every refusal is a 401 that says why, never which key or claim value
 * was expected.
 */
export class CognitoTokenVerifier {
  private readonly verifier;

  constructor(
    readonly pool: CognitoPool,
    options: VerifierOptions,
  ) {
    const jwks = options.jwks;
    this.verifier = CognitoJwtVerifier.create(
      { userPoolId: pool.userPoolId, clientId: pool.clientId, tokenUse: options.tokenUse },
      // Given keys are all there is: an unknown key id is refused, never looked up on the network.
      jwks
        ? {
            jwksCache: new SimpleJwksCache({
              fetcher: { fetch: async () => new TextEncoder().encode(JSON.stringify(jwks)).buffer },
            }),
          }
        : undefined,
    );
  }

  async verify(token: string): Promise<CognitoIdentity> {
    try {
      const payload = await this.verifier.verify(token);
      const username = (payload.username ?? payload['cognito:username'] ?? payload.sub) as string;
      return {
        sub: payload.sub,
        username,
        email: typeof payload.email === 'string' ? payload.email : undefined,
        groups: payload['cognito:groups'] ?? [],
        tokenUse: payload.token_use,
        tokenId: typeof payload.jti === 'string' ? payload.jti : `${payload.sub}:${payload.iat}`,
        expiresAt: new Date(payload.exp * 1000),
      };
    } catch (error) {
      throw new UnauthorizedError(refusal(error));
    }
  }
}

function refusal(error: unknown): string {
  if (error instanceof JwtExpiredError) return 'The token has expired; log in again.';
  if (
    error instanceof JwtInvalidSignatureError ||
    error instanceof KidNotFoundInJwksError ||
    error instanceof WaitPeriodNotYetEndedJwkError
  )
    return 'The token is not signed by this user pool.';
  // A token from another pool names an issuer this verifier was not configured with.
  if (
    error instanceof JwtInvalidIssuerError ||
    (error instanceof ParameterValidationError && error.message.startsWith('issuer not configured'))
  )
    return 'The token is from another issuer.';
  if (error instanceof JwtInvalidAudienceError || error instanceof CognitoJwtInvalidClientIdError)
    return 'The token is for another app client.';
  if (error instanceof CognitoJwtInvalidTokenUseError) return 'The token is of the wrong kind.';
  return 'The token is not valid; log in again.';
}
