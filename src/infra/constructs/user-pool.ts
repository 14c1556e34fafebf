import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  AccountRecovery,
  CfnUserPoolGroup,
  FeaturePlan,
  Mfa,
  StandardThreatProtectionMode,
  UserPool,
  type UserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { acknowledge } from '../acknowledge.js';

export interface StorefrontUserPoolProps {
  /** Cognito's threat protection: block risky sign-ins, only record them, or off (Essentials plan). */
  readonly threatProtection: 'enforced' | 'audit' | 'off';
}

/** The group whose members the storefront treats as admins (the `cognito:groups` claim). */
export const ADMIN_GROUP = 'admin';

/**
 * Sign-in for the enterprise stage: a Cognito user pool (e-mail as the sign-in name, verified by
 * code, MFA optional with an authenticator app, passwords of 12 characters or more) and one app client the
 * API signs users in through with ADMIN_USER_PASSWORD_AUTH, from its own IAM role: nobody can
 * call the pool's sign-in with the client id alone. Access tokens last 15 minutes, so a revoked
 * session ends soon even where tokens are checked offline (aws-jwt-verify).
 */
export class StorefrontUserPool extends Construct {
  readonly pool: UserPool;
  readonly client: UserPoolClient;

  constructor(scope: Construct, id: string, props: StorefrontUserPoolProps) {
    super(scope, id);
    const plus = props.threatProtection !== 'off';
    this.pool = new UserPool(this, 'Pool', {
      signInAliases: { email: true },
      autoVerify: { email: true },
      // The API creates users (AdminCreateUser) on sign-up: the pool itself takes no sign-ups.
      selfSignUpEnabled: false,
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: false,
        requireUppercase: false,
        requireDigits: false,
        requireSymbols: false,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: plus ? FeaturePlan.PLUS : FeaturePlan.ESSENTIALS,
      ...(plus
        ? {
            standardThreatProtectionMode:
              props.threatProtection === 'enforced'
                ? StandardThreatProtectionMode.FULL_FUNCTION
                : StandardThreatProtectionMode.AUDIT_ONLY,
          }
        : {}),
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.client = this.pool.addClient('Storefront', {
      authFlows: { adminUserPassword: true, user: false, userPassword: false, userSrp: false },
      generateSecret: false,
      // The API signs users in itself (AdminInitiateAuth): no hosted UI, so no OAuth flow. Left on,
      // CDK would allow the implicit and code flows with an https://example.com callback.
      disableOAuth: true,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.minutes(15),
      idTokenValidity: Duration.minutes(15),
      refreshTokenValidity: Duration.days(30),
    });
    new CfnUserPoolGroup(this, 'Admins', {
      userPoolId: this.pool.userPoolId,
      groupName: ADMIN_GROUP,
      description: 'Storefront administrators: the ops console and product admin',
    });
    acknowledge(this.pool, {
      'AwsSolutions-COG1':
        'Passwords need 12 characters and no composition rules, as NIST SP 800-63B advises: length protects, required character classes do not.',
      'AwsSolutions-COG2':
        'MFA is optional for shoppers (an authenticator app); threat protection challenges risky sign-ins.',
      ...(plus
        ? {}
        : {
            'AwsSolutions-COG8':
              'The Essentials plan, without threat protection, is chosen in growstack.config.ts (cognitoThreatProtection).',
          }),
    });
  }
}
