import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { complianceReport } from '../compliance.js';
import { ADMIN_GROUP, StorefrontUserPool } from './user-pool.js';

function poolApp(threatProtection: 'enforced' | 'audit' | 'off') {
  const app = new App();
  const stack = new Stack(app, 'Auth', { env: { region: 'us-east-1' } });
  new StorefrontUserPool(stack, 'Users', { threatProtection });
  return { app, template: Template.fromStack(stack) };
}

describe('the enterprise user pool (Cognito)', () => {
  it('signs in by e-mail with optional MFA, enforced threat protection, and a client only the API can use', () => {
    const { app, template } = poolApp('enforced');
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
      MfaConfiguration: 'OPTIONAL',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
      Policies: { PasswordPolicy: Match.objectLike({ MinimumLength: 12 }) },
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      DeletionProtection: 'ACTIVE',
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      GenerateSecret: false,
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: true,
      AccessTokenValidity: 15,
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: ADMIN_GROUP });
    const open = complianceReport(app, []).filter((line) => line.status === 'non-compliant');
    expect(open.map((line) => `${line.rule} ${line.resource}`)).toEqual([]);
  });

  it('gives the API-only client no OAuth flows, scopes or callback URLs (no implicit flow, no example.com)', () => {
    const { template } = poolApp('enforced');
    const clients = Object.values(template.findResources('AWS::Cognito::UserPoolClient'));
    expect(clients).toHaveLength(1);
    const properties = clients[0]?.Properties as Record<string, unknown>;
    for (const key of ['AllowedOAuthFlows', 'AllowedOAuthScopes', 'CallbackURLs', 'LogoutURLs'])
      expect(properties[key], key).toBeUndefined();
    expect(properties.AllowedOAuthFlowsUserPoolClient).not.toBe(true);
    expect(JSON.stringify(properties)).not.toContain('example.com');
  });

  it('follows the config: audit only on Plus, or the Essentials plan without threat protection', () => {
    poolApp('audit').template.hasResourceProperties('AWS::Cognito::UserPool', {
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'AUDIT' },
    });
    const off = poolApp('off');
    off.template.hasResourceProperties('AWS::Cognito::UserPool', {
      UserPoolTier: 'ESSENTIALS',
      UserPoolAddOns: Match.absent(),
    });
    // The weaker setting is a finding, acknowledged with the config that chose it.
    const cog8 = complianceReport(off.app, []).filter(
      (line) => line.rule === 'AwsSolutions-COG8' && line.status !== 'not-applicable',
    );
    expect(cog8.map((line) => line.status)).toEqual(['acknowledged']);
  });
});
