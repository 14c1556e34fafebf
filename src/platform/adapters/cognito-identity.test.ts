import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminInitiateAuthCommand,
  AdminSetUserPasswordCommand,
  AliasExistsException,
  CognitoIdentityProviderClient,
  GlobalSignOutCommand,
  InvalidPasswordException,
  NotAuthorizedException,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, ForbiddenError, UnauthorizedError, ValidationError } from '../../contracts/errors.js';
import { CognitoIdentity, LocalCognitoIdentity } from './cognito-identity.js';

// Cognito itself cannot run here: these tests hold the calls the adapter makes, and how it reads
// the pool's answers, at the SDK boundary. The token checks run for real in cognito-tokens.test.ts.
const POOL = { userPoolId: 'us-east-1_AbC123xyz', clientId: 'client-1' };
const cognito = mockClient(CognitoIdentityProviderClient);
const identity = () => new CognitoIdentity(new CognitoIdentityProviderClient({ region: 'us-east-1' }), POOL);
const USER = { id: '01JDZ6V0Q7R6W3Y8C1E5T2K9AB', email: 'ada@example.com', role: 'admin' as const };
const fault = (Type: new (options: { message: string; $metadata: object }) => Error) =>
  new Type({ message: 'from the pool', $metadata: {} });

beforeEach(() => cognito.reset());

describe('the Cognito identity adapter (AWS)', () => {
  it('creates the user by account id with a verified e-mail, sets a permanent password, and adds admins to the group', async () => {
    await identity().register(USER, 'correct-horse-7');
    expect(cognito.commandCalls(AdminCreateUserCommand)[0]?.args[0].input).toEqual({
      UserPoolId: POOL.userPoolId,
      Username: USER.id,
      UserAttributes: [
        { Name: 'email', Value: USER.email },
        { Name: 'email_verified', Value: 'true' },
      ],
      MessageAction: 'SUPPRESS',
    });
    expect(cognito.commandCalls(AdminSetUserPasswordCommand)[0]?.args[0].input).toMatchObject({
      Username: USER.id,
      Password: 'correct-horse-7',
      Permanent: true,
    });
    expect(cognito.commandCalls(AdminAddUserToGroupCommand)[0]?.args[0].input.GroupName).toBe('admin');
  });

  it('reads a taken e-mail as a conflict, and a refused password as a 400 on password after removing the half-made user', async () => {
    cognito.on(AdminCreateUserCommand).rejects(fault(AliasExistsException));
    await expect(identity().register(USER, 'correct-horse-7')).rejects.toBeInstanceOf(ConflictError);

    cognito.reset();
    cognito.on(AdminSetUserPasswordCommand).rejects(fault(InvalidPasswordException));
    const refused = await identity()
      .register({ ...USER, role: 'customer' }, 'correct-horse-7')
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).errors[0]?.path).toBe('password');
    expect(cognito.commandCalls(AdminDeleteUserCommand)[0]?.args[0].input.Username).toBe(USER.id);

    // The pool's policy is checked before any call.
    cognito.reset();
    await expect(identity().register(USER, 'short-pw-1')).rejects.toBeInstanceOf(ValidationError);
    expect(cognito.calls()).toHaveLength(0);
  });

  it('signs in with ADMIN_USER_PASSWORD_AUTH and answers a wrong password with 401, a challenge it cannot meet with 403 naming it', async () => {
    cognito.on(AdminInitiateAuthCommand).resolves({ AuthenticationResult: { AccessToken: 'a.b.c' } });
    expect(await identity().signIn(USER.id, 'correct-horse-7')).toBe('a.b.c');
    expect(cognito.commandCalls(AdminInitiateAuthCommand)[0]?.args[0].input).toEqual({
      UserPoolId: POOL.userPoolId,
      ClientId: POOL.clientId,
      AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: USER.id, PASSWORD: 'correct-horse-7' },
    });
    cognito.on(AdminInitiateAuthCommand).rejects(fault(NotAuthorizedException));
    await expect(identity().signIn(USER.id, 'nope')).rejects.toThrow(
      new UnauthorizedError('E-mail or password is wrong.'),
    );
    cognito.on(AdminInitiateAuthCommand).resolves({ ChallengeName: 'SOFTWARE_TOKEN_MFA', Session: 's' });
    const challenged = await identity()
      .signIn(USER.id, 'correct-horse-7')
      .catch((error: unknown) => error);
    expect(challenged).toBeInstanceOf(ForbiddenError);
    expect((challenged as Error).message).toMatch(/SOFTWARE_TOKEN_MFA/);
  });

  it('passes the shopper’s request to threat protection as ContextData', async () => {
    cognito.on(AdminInitiateAuthCommand).resolves({ AuthenticationResult: { AccessToken: 'a.b.c' } });
    await identity().signIn(USER.id, 'correct-horse-7', {
      ipAddress: '203.0.113.7',
      serverName: 'shop.example.com',
      serverPath: '/api/auth/login',
      headers: [{ name: 'user-agent', value: 'Firefox' }],
    });
    expect(cognito.commandCalls(AdminInitiateAuthCommand)[0]?.args[0].input.ContextData).toEqual({
      IpAddress: '203.0.113.7',
      ServerName: 'shop.example.com',
      ServerPath: '/api/auth/login',
      HttpHeaders: [{ headerName: 'user-agent', headerValue: 'Firefox' }],
    });
  });

  it('imports a user the pool lacks, and sets the password of one it holds, like a migration trigger', async () => {
    await identity().importUser(USER, 'correct-horse-7');
    expect(cognito.commandCalls(AdminCreateUserCommand)[0]?.args[0].input.MessageAction).toBe('SUPPRESS');
    expect(cognito.commandCalls(AdminSetUserPasswordCommand)[0]?.args[0].input).toMatchObject({
      Username: USER.id,
      Permanent: true,
    });
    cognito.reset();
    cognito.on(AdminCreateUserCommand).rejects(fault(UsernameExistsException));
    await identity().importUser(USER, 'correct-horse-8');
    expect(cognito.commandCalls(AdminSetUserPasswordCommand)[0]?.args[0].input.Password).toBe(
      'correct-horse-8',
    );
    expect(cognito.commandCalls(AdminDeleteUserCommand)).toHaveLength(0);
  });

  it('signs out with GlobalSignOut', async () => {
    await identity().signOut('a.b.c');
    expect(cognito.commandCalls(GlobalSignOutCommand)[0]?.args[0].input).toEqual({ AccessToken: 'a.b.c' });
  });
});

describe('the local user pool', () => {
  it('keeps its users and signing key in its file: accounts and tokens outlive a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'growstack-pool-'));
    const file = join(dir, 'user-pool.json');
    try {
      const before = await LocalCognitoIdentity.create(POOL, { file });
      await before.register({ ...USER, role: 'customer' }, 'correct-horse-7');
      const token = await before.signIn(USER.id, 'correct-horse-7');
      expect(statSync(file).mode & 0o777).toBe(0o600);

      const after = await LocalCognitoIdentity.create(POOL, { file });
      expect((await after.verify(token)).userId).toBe(USER.id);
      expect(await after.signIn(USER.id, 'correct-horse-7')).toMatch(/^ey/);
      await expect(after.signIn(USER.id, 'wrong-horse-77')).rejects.toBeInstanceOf(UnauthorizedError);
      await expect(after.register({ ...USER, id: 'another' }, 'correct-horse-7')).rejects.toBeInstanceOf(
        ConflictError,
      );
      await after.unregister(USER.id);
      await expect(
        (await LocalCognitoIdentity.create(POOL, { file })).signIn(USER.id, 'correct-horse-7'),
      ).rejects.toBeInstanceOf(UnauthorizedError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
