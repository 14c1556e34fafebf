import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { HttpOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { beforeAll, describe, expect, it } from 'vitest';
import { WEB_CONTENT_SECURITY_POLICY } from './response-headers.js';
import { Site, SPA_ROUTING_FUNCTION } from './site.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');

function siteTemplate(cachePolicies = false): Template {
  const stack = new Stack(new App(), 'Site', { env: { region: 'us-east-1' } });
  new Site(stack, 'Site', {
    apiOrigin: new HttpOrigin('api.example.com'),
    webDist: join(import.meta.dirname, 'no-such-dist'),
    cachePolicies,
  });
  return Template.fromStack(stack);
}

const distributionConfig = (template: Template) => {
  const [distribution] = Object.values(template.findResources('AWS::CloudFront::Distribution'));
  return distribution?.Properties.DistributionConfig as Record<string, unknown>;
};

describe('the site', () => {
  // Loading the construct library is most of the first synth: done once, with room for a busy machine.
  beforeAll(() => void siteTemplate(), 120_000);

  it.each([false, true])(
    'rewrites no error distribution-wide and routes the UI with a viewer-request function (cache policies: %s)',
    (cachePolicies) => {
      const template = siteTemplate(cachePolicies);
      expect(distributionConfig(template)).not.toHaveProperty('CustomErrorResponses');
      template.hasResourceProperties('AWS::CloudFront::Function', {
        FunctionConfig: Match.objectLike({ Runtime: 'cloudfront-js-2.0' }),
        FunctionCode: readFileSync(SPA_ROUTING_FUNCTION, 'utf8'),
      });
      template.hasResourceProperties('AWS::CloudFront::Distribution', {
        DistributionConfig: Match.objectLike({
          DefaultCacheBehavior: Match.objectLike({
            FunctionAssociations: [
              {
                EventType: 'viewer-request',
                FunctionARN: { 'Fn::GetAtt': [Match.anyValue(), 'FunctionARN'] },
              },
            ],
          }),
        }),
      });
      // The API's behaviors run no function: their paths and errors reach the client as the API sent them.
      const behaviors = distributionConfig(template).CacheBehaviors as Record<string, unknown>[];
      expect(behaviors.map((behavior) => behavior.PathPattern)).toEqual(['/api/products*', '/api/*']);
      for (const behavior of behaviors) expect(behavior).not.toHaveProperty('FunctionAssociations');
    },
  );

  it('adds the security headers to every response from the first stage on: a strict CSP for the UI', () => {
    const template = siteTemplate();
    template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: {
          ContentSecurityPolicy: { ContentSecurityPolicy: WEB_CONTENT_SECURITY_POLICY, Override: true },
          ContentTypeOptions: { Override: true },
          FrameOptions: { FrameOption: 'DENY', Override: true },
          ReferrerPolicy: { ReferrerPolicy: 'strict-origin-when-cross-origin', Override: true },
          StrictTransportSecurity: {
            AccessControlMaxAgeSec: 63072000,
            IncludeSubdomains: true,
            Preload: true,
            Override: true,
          },
        },
      }),
    });
    // The API's docs page keeps its own CSP; CloudFront fills one in only where the API sent none.
    template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: Match.objectLike({
          ContentSecurityPolicy: {
            ContentSecurityPolicy: "default-src 'none'; frame-ancestors 'none'",
            Override: false,
          },
          FrameOptions: { FrameOption: 'DENY', Override: true },
        }),
      }),
    });
    const config = distributionConfig(template);
    const policyOf = (behavior: unknown) =>
      ((behavior as { ResponseHeadersPolicyId?: { Ref?: string } }).ResponseHeadersPolicyId?.Ref ??
        '') as string;
    expect(policyOf(config.DefaultCacheBehavior)).toMatch(/SecurityHeadersWeb/);
    for (const behavior of config.CacheBehaviors as unknown[])
      expect(policyOf(behavior)).toMatch(/SecurityHeadersApi/);
  });

  it('keeps a CSP the built UI fits: no inline script or style in the page, nothing marked unsafe', () => {
    expect(WEB_CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-(inline|eval)/);
    expect(WEB_CONTENT_SECURITY_POLICY).toMatch(/script-src 'self';/);
    const page = readFileSync(join(ROOT, 'web', 'index.html'), 'utf8');
    // Every script has a src (Vite turns it into a file of the same origin), and no style is inline.
    for (const script of page.match(/<script\b[^>]*>/g) ?? []) expect(script).toMatch(/\ssrc="\//);
    expect(page).not.toMatch(/<style\b|\sstyle="|\son[a-z]+="/i);
  });
});
