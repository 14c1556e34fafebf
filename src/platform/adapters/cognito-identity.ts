import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminInitiateAuthCommand,
  type AdminInitiateAuthCommandOutput,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  GlobalSignOutCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { ConflictError, ForbiddenError, UnauthorizedError, ValidationError } from '../../contracts/errors.js';
import type { IdentityProvider, Role, SignInContext } from '../../contracts/ports.js';
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

/** The `ContextData` of AdminInitiateAuth: who is really signing in. */
export function contextData(context: SignInContext) {
  return {
    IpAddress: context.ipAddress,
    ServerName: context.serverName,
    ServerPath: context.serverPath,
    HttpHeaders: context.headers.map((header) => ({ headerName: header.name, headerValue: header.value })),
  };
}

/**
 * The API answers no sign-in challenge: it offers no MFA enrolment and sets permanent passwords,
 * so a challenge (an MFA code set up elsewhere, a forced new password) is refused by name rather
 * than shown as a wrong password.
 */
function unansweredChallenge(challenge: string | undefined): ForbiddenError {
  return new ForbiddenError(
    `The user pool asks for ${challenge ?? 'another sign-in step'}, which this API does not answer; ask the shop to reset the account's sign-in.`,
  );
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
    await this.createUser(user);
    try {
      await this.setPasswordAndGroup(user, password);
    } catch (error) {
      await this.unregister(user.id);
      throw error;
    }
  }

  /**
   * What a user-migration trigger does, from the API: an account the pool does not hold yet gets
   * a pool user with the password that just matched the account's own hash; one it holds with
   * another password (changed at a lower stage) gets this one.
   */
  async importUser(user: { id: string; email: string; role: Role }, password: string): Promise<void> {
    const problem = poolPasswordProblem(password);
    if (problem) throw refusedPassword(problem);
    try {
      await this.createUser(user);
    } catch (error) {
      if (!(error instanceof ConflictError && error.cause === 'UsernameExistsException')) throw error;
    }
    await this.setPasswordAndGroup(user, password);
  }

  async setPassword(userId: string, password: string): Promise<void> {
    const problem = poolPasswordProblem(password);
    if (problem) throw refusedPassword(problem);
    await this.setPasswordAndGroup({ id: userId, role: 'customer' }, password);
  }

  private async createUser(user: { id: string; email: string }): Promise<void> {
    try {
      await this.client.send(
        new AdminCreateUserCommand({
          UserPoolId: this.pool.userPoolId,
          Username: user.id,
          UserAttributes: [
            { Name: 'email', Value: user.email },
            { Name: 'email_verified', Value: 'true' },
          ],
          // The storefront sends its own mail; no temporary password to mail.
          MessageAction: 'SUPPRESS',
        }),
      );
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'UsernameExistsException' || name === 'AliasExistsException')
        throw new ConflictError('An account with this e-mail already exists.', { cause: name });
      throw error;
    }
  }

  /** A permanent password (no forced change), and admins into the admin group. */
  private async setPasswordAndGroup(user: { id: string; role: Role }, password: string): Promise<void> {
    const UserPoolId = this.pool.userPoolId;
    try {
      await this.client.send(
        new AdminSetUserPasswordCommand({
          UserPoolId,
          Username: user.id,
          Password: password,
          Permanent: true,
        }),
      );
    } catch (error) {
      if ((error as Error).name === 'InvalidPasswordException')
        throw refusedPassword((error as Error).message);
      throw error;
    }
    if (user.role === 'admin')
      await this.client.send(
        new AdminAddUserToGroupCommand({ UserPoolId, Username: user.id, GroupName: ADMIN_GROUP }),
      );
  }

  async unregister(userId: string): Promise<void> {
    await this.client.send(
      new AdminDeleteUserCommand({ UserPoolId: this.pool.userPoolId, Username: userId }),
    );
  }

  async signIn(userId: string, password: string, context?: SignInContext): Promise<string> {
    let result: AdminInitiateAuthCommandOutput;
    try {
      result = await this.client.send(
        new AdminInitiateAuthCommand({
          UserPoolId: this.pool.userPoolId,
          ClientId: this.pool.clientId,
          AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: userId, PASSWORD: password },
          // The shopper's own request, so threat protection scores the client rather than the
          // API's NAT address. https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-adaptive-authentication.html
          ...(context ? { ContextData: contextData(context) } : {}),
        }),
      );
    } catch (error) {
      const name = (error as Error).name;
      // Wrong password, unknown user, too many attempts, or blocked as risky: one answer for all,
      // so the reply does not tell which e-mails have accounts.
      if (name === 'NotAuthorizedException' || name === 'UserNotFoundException')
        throw new UnauthorizedError(WRONG_PASSWORD);
      throw error;
    }
    const token = result.AuthenticationResult?.AccessToken;
    if (!token) throw unansweredChallenge(result.ChallengeName);
    return token;
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
    await this.store(user.id, email, user.role, password);
  }

  async importUser(user: { id: string; email: string; role: Role }, password: string): Promise<void> {
    const problem = poolPasswordProblem(password);
    if (problem) throw refusedPassword(problem);
    const email = user.email.toLowerCase();
    const held = this.users.get(user.id);
    if (!held && this.emails.has(email))
      throw new ConflictError('An account with this e-mail already exists.');
    this.emails.add(email);
    await this.store(user.id, email, user.role, password);
  }

  async setPassword(userId: string, password: string): Promise<void> {
    const problem = poolPasswordProblem(password);
    if (problem) throw refusedPassword(problem);
    const user = this.users.get(userId);
    if (!user) throw new UnauthorizedError(WRONG_PASSWORD);
    await this.store(userId, user.email, user.groups.includes(ADMIN_GROUP) ? 'admin' : 'customer', password);
  }

  private async store(id: string, email: string, role: Role, password: string): Promise<void> {
    const salt = randomBytes(16);
    const hash = await scryptAsync(password, salt, 32);
    this.users.set(id, { email, salt, hash, groups: role === 'admin' ? [ADMIN_GROUP] : [] });
    await this.save();
  }

  /** Whether the pool holds this user (tests). */
  holds(userId: string): boolean {
    return this.users.has(userId);
  }

  async unregister(userId: string): Promise<void> {
    const user = this.users.get(userId);
    if (!user) return;
    this.users.delete(userId);
    this.emails.delete(user.email);
    await this.save();
  }

  /** The context the last sign-in carried (tests: what Cognito's threat protection would see). */
  lastContext: SignInContext | undefined;

  async signIn(
    userId: string,
    password: string,
    context?: SignInContext,
    options: Partial<IssueOptions> = {},
  ): Promise<string> {
    this.lastContext = context;
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
