import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { SecurityHeaders } from './response-headers.js';

interface Policy {
  Comment: string;
  SecurityHeadersConfig: Record<string, Record<string, unknown>>;
  CustomHeadersConfig?: { Items: unknown[] };
  RemoveHeadersConfig?: { Items: unknown[] };
}

let web: Policy;
let api: Policy;
// The first synth of a file loads most of aws-cdk-lib: once, outside the tests' own time limit.
beforeAll(() => {
  const stack = new Stack();
  const headers = new SecurityHeaders(stack, 'Headers');
  const resources = Template.fromStack(stack).toJSON().Resources;
  const config = (policy: { node: { defaultChild?: unknown } }) =>
    resources[stack.getLogicalId(policy.node.defaultChild as never)].Properties
      .ResponseHeadersPolicyConfig as Policy;
  web = config(headers.web);
  api = config(headers.api);
}, 120_000);

describe('the security headers', () => {
  it('send HSTS for two years with subdomains and preload, on the UI and the API alike', () => {
    for (const policy of [web, api])
      expect(policy.SecurityHeadersConfig.StrictTransportSecurity).toEqual({
        AccessControlMaxAgeSec: 730 * 24 * 3600,
        IncludeSubdomains: true,
        Preload: true,
        Override: true,
      });
  });

  it('forbid framing and sniffing and send only the origin to other sites', () => {
    for (const policy of [web, api]) {
      expect(policy.SecurityHeadersConfig.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
      expect(policy.SecurityHeadersConfig.ContentTypeOptions).toEqual({ Override: true });
      expect(policy.SecurityHeadersConfig.ReferrerPolicy).toEqual({
        ReferrerPolicy: 'strict-origin-when-cross-origin',
        Override: true,
      });
    }
  });

  it("give the UI a CSP with no inline script or style that replaces the origin's", () => {
    const csp = web.SecurityHeadersConfig.ContentSecurityPolicy;
    expect(csp?.Override).toBe(true);
    const directives = String(csp?.ContentSecurityPolicy).split('; ');
    expect(directives).toEqual(
      expect.arrayContaining([
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
      ]),
    );
    expect(String(csp?.ContentSecurityPolicy)).not.toMatch(/unsafe-inline|unsafe-eval/);
  });

  it('give the API a deny-all CSP only where the API sent none (its docs page sends its own)', () => {
    expect(api.SecurityHeadersConfig.ContentSecurityPolicy).toEqual({
      ContentSecurityPolicy: "default-src 'none'; frame-ancestors 'none'",
      Override: false,
    });
  });

  it("give the UI a permissions policy and window isolation, and drop the origin's server header", () => {
    expect(web.CustomHeadersConfig?.Items).toEqual([
      {
        Header: 'permissions-policy',
        Value: 'camera=(), microphone=(), geolocation=(), payment=()',
        Override: true,
      },
      { Header: 'cross-origin-opener-policy', Value: 'same-origin', Override: true },
    ]);
    expect(web.RemoveHeadersConfig?.Items).toEqual([{ Header: 'server' }]);
    expect(api.CustomHeadersConfig).toBeUndefined();
  });
});
