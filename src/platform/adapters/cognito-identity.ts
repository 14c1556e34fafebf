import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminInitiateAuthCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  GlobalSignOutCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { ConflictError, UnauthorizedError, ValidationError } from '../errors.js';
import type { IdentityProvider, Role } from '../ports.js';
import { traceAwsClient } from '../tracing.js';
import {
  type CognitoPool,
  CognitoTokenVerifier,
  type IssueOptions,
  LocalCognitoIssuer,
  type SigningKey,
} from './cognito-tokens.js';

function readSaved(file: string): LocalPoolFile {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LocalPoolFile;
  } catch (error) {
    throw new Error(`the local user pool file ${file} is unreadable: ${(error as Error).message}`);
  }
}

/** The group of admins in the pool (infra: constructs/user-pool.ts creates it). */
const ADMIN_GROUP = 'admin';
const WRONG_PASSWORD = 'E-mail or password is wrong.';

/**
 * The user pool's password policy (constructs/user-pool.ts): 12 characters, no composition rules.
 * Checked before calling the pool, locally and on AWS alike, so a password the API accepts (8
 * characters) but the pool refuses fails the same way on a laptop as in the cloud.
 */
export function poolPasswordProblem(password: string): string | undefined {
  return password.length < 12 ? 'must be at least 12 characters for the user pool' : undefined;
}

const refusedPassword = (problem: string) =>
  new ValidationError('The password does not meet the user pool’s policy.', [
    { path: 'password', message: problem },
  ]);

/**
 * Sign-in through a Cognito user pool (enterprise, on AWS). The API creates pool users itself
 * (the pool takes no self sign-up) and signs them in with ADMIN_USER_PASSWORD_AUTH under its own
 * IAM role; tokens are checked offline by aws-jwt-verify against the pool's published keys.
 */
/** Sign-in through a user pool on AWS, with a (traced) client in the pool's own region. */
export function cognitoIdentityFor(pool: CognitoPool): CognitoIdentity {
  const region = pool.userPoolId.split('_')[0];
  return new CognitoIdentity(
    traceAwsClient(new CognitoIdentityProviderClient({ region }), region ?? 'unknown'),
    pool,
  );
}

export class CognitoIdentity implements IdentityProvider {
  readonly mode = 'cognito';
  private readonly verifier: CognitoTokenVerifier;

  constructor(
    private readonly client: CognitoIdentityProviderClient,
    private readonly pool: CognitoPool,
  ) {
    this.verifier = new CognitoTokenVerifier(pool, { tokenUse: 'access' });
  }

  async register(user: { id: string; email: string; role: Role }, password: string): Promise<void> {
    const problem = poolPasswordProblem(password);
    if (problem) throw refusedPassword(problem);
    const UserPoolId = this.pool.userPoolId;
    try {
      await this.client.send(
        new AdminCreateUserCommand({
          UserPoolId,
          Username: user.id,
          UserAttributes: [
            { Name: 'email', Value: user.email },
            { Name: 'email_verified', Value: 'true' },
          ],
          // The storefront sends its own welcome e-mail; no temporary password to mail.
          MessageAction: 'SUPPRESS',
        }),
      );
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'UsernameExistsException' || name === 'AliasExistsException')
        throw new ConflictError('An account with this e-mail already exists.');
      throw error;
    }
    try {
      await this.client.send(
        new AdminSetUserPasswordCommand({
          UserPoolId,
          Username: user.id,
          Password: password,
          Permanent: true,
        }),
      );
      if (user.role === 'admin')
        await this.client.send(
          new AdminAddUserToGroupCommand({ UserPoolId, Username: user.id, GroupName: ADMIN_GROUP }),
        );
    } catch (error) {
      await this.unregister(user.id);
      if ((error as Error).name === 'InvalidPasswordException')
        throw refusedPassword((error as Error).message);
      throw error;
    }
  }

  async unregister(userId: string): Promise<void> {
    await this.client.send(
      new AdminDeleteUserCommand({ UserPoolId: this.pool.userPoolId, Username: userId }),
    );
  }

  async signIn(userId: string, password: string): Promise<string> {
    try {
      const result = await this.client.send(
        new AdminInitiateAuthCommand({
          UserPoolId: this.pool.userPoolId,
          ClientId: this.pool.clientId,
          AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: userId, PASSWORD: password },
        }),
      );
      const token = result.AuthenticationResult?.AccessToken;
      if (!token)
        // An MFA or new-password challenge: the API does not answer challenges yet.
        throw new UnauthorizedError(
          `The user pool asks for ${result.ChallengeName ?? 'another step'}, which this API does not support yet.`,
        );
      return token;
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'NotAuthorizedException' || name === 'UserNotFoundException')
        throw new UnauthorizedError(WRONG_PASSWORD);
      throw error;
    }
  }

  async verify(token: string): Promise<{ userId: string; tokenId: string; expiresAt: Date }> {
    const identity = await this.verifier.verify(token);
    return { userId: identity.username, tokenId: identity.tokenId, expiresAt: identity.expiresAt };
  }

  async signOut(token: string): Promise<void> {
    await this.client.send(new GlobalSignOutCommand({ AccessToken: token }));
  }
}

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, length: number) => Promise<Buffer>;

interface LocalPoolUser {
  readonly email: string;
  readonly salt: Buffer;
  readonly hash: Buffer;
  readonly groups: readonly string[];
}

/** What the local pool keeps in its file: the signing key and the users. */
interface LocalPoolFile {
  readonly key: SigningKey;
  readonly users: Record<string, { email: string; salt: string; hash: string; groups: string[] }>;
}

/**
 * The local stand-in for the user pool: the pool's password policy, one e-mail per user, and
 * Cognito-shaped access tokens from the local issuer, checked by the same verifier that checks
 * the pool's tokens on AWS. Users and the signing key live in memory, or in `file` (the local
 * data dir) so that accounts and tokens outlive a restart as the table's accounts do.
 */
export class LocalCognitoIdentity implements IdentityProvider {
  readonly mode = 'local-cognito';
  private readonly users = new Map<string, LocalPoolUser>();
  private readonly emails = new Set<string>();

  private constructor(
    private readonly issuer: LocalCognitoIssuer,
    private readonly verifier: CognitoTokenVerifier,
    private readonly file: string | undefined,
  ) {}

  static async create(pool: CognitoPool, options: { file?: string } = {}): Promise<LocalCognitoIdentity> {
    const saved = options.file && existsSync(options.file) ? readSaved(options.file) : undefined;
    const issuer = await LocalCognitoIssuer.create(pool, saved?.key);
    const identity = new LocalCognitoIdentity(
      issuer,
      new CognitoTokenVerifier(pool, { tokenUse: 'access', jwks: issuer.jwks() }),
      options.file,
    );
    for (const [id, user] of Object.entries(saved?.users ?? {})) {
      identity.users.set(id, {
        email: user.email,
        salt: Buffer.from(user.salt, 'base64'),
        hash: Buffer.from(user.hash, 'base64'),
        groups: user.groups,
      });
      identity.emails.add(user.email);
    }
    await identity.save();
    return identity;
  }

  private async save(): Promise<void> {
    if (!this.file) return;
    const contents: LocalPoolFile = {
      key: await this.issuer.exportKey(),
      users: Object.fromEntries(
        [...this.users].map(([id, user]) => [
          id,
          {
            email: user.email,
            salt: user.salt.toString('base64'),
            hash: user.hash.toString('base64'),
            groups: [...user.groups],
          },
        ]),
      ),
    };
    mkdirSync(dirname(this.file), { recursive: true });
    // Written whole, then renamed: a crash never leaves half a file.
    writeFileSync(`${this.file}.tmp`, JSON.stringify(contents), { mode: 0o600 });
    renameSync(`${this.file}.tmp`, this.file);
  }

  /** The pool's public keys, as Cognito publishes them at `<issuer>/.well-known/jwks.json`. */
  jwks() {
    return this.issuer.jwks();
  }

  async register(user: { id: string; email: string; role: Role }, password: string): Promise<void> {
    const problem = poolPasswordProblem(password);
    if (problem) throw refusedPassword(problem);
    const email = user.email.toLowerCase();
    if (this.users.has(user.id) || this.emails.has(email))
      throw new ConflictError('An account with this e-mail already exists.');
    // Claimed before the first await: two parallel sign-ups with one e-mail cannot both pass.
    this.emails.add(email);
    const salt = randomBytes(16);
    const hash = await scryptAsync(password, salt, 32);
    this.users.set(user.id, { email, salt, hash, groups: user.role === 'admin' ? [ADMIN_GROUP] : [] });
    await this.save();
  }

  async unregister(userId: string): Promise<void> {
    const user = this.users.get(userId);
    if (!user) return;
    this.users.delete(userId);
    this.emails.delete(user.email);
    await this.save();
  }

  async signIn(userId: string, password: string, options: Partial<IssueOptions> = {}): Promise<string> {
    const user = this.users.get(userId);
    if (!user) throw new UnauthorizedError(WRONG_PASSWORD);
    const hash = await scryptAsync(password, user.salt, 32);
    if (!timingSafeEqual(hash, user.hash)) throw new UnauthorizedError(WRONG_PASSWORD);
    return this.issuer.issue({
      sub: userId,
      username: userId,
      groups: user.groups,
      tokenUse: 'access',
      expiresInSeconds: 15 * 60,
      ...options,
    });
  }

  async verify(token: string): Promise<{ userId: string; tokenId: string; expiresAt: Date }> {
    const identity = await this.verifier.verify(token);
    return { userId: identity.username, tokenId: identity.tokenId, expiresAt: identity.expiresAt };
  }

  async signOut(_token: string): Promise<void> {
    // Cognito's GlobalSignOut ends the refresh tokens; access tokens are refused by the
    // accounts service's list of logged-out tokens, locally as on AWS.
  }
}
