import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { HttpOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { describe, expect, it } from 'vitest';
import { SECURITY_HEADERS_FUNCTION, Site } from '../constructs/site.js';

interface CloudFrontResponse {
  statusCode: number;
  headers: Record<string, { value: string }>;
}

/** Runs the function file as CloudFront does: a script defining `handler(event)`. */
function edgeHandler(): (event: { response: CloudFrontResponse }) => CloudFrontResponse {
  const source = readFileSync(join(import.meta.dirname, 'security-headers.js'), 'utf8');
  const sandbox: { handler?: (event: { response: CloudFrontResponse }) => CloudFrontResponse } = {};
  runInNewContext(`${source}\nthis.handler = handler;`, sandbox);
  if (!sandbox.handler) throw new Error('no handler in the function file');
  return sandbox.handler;
}

describe('the security-headers edge function', () => {
  it('adds HSTS, a CSP and the anti-framing and sniffing headers, and drops what the origin says of itself', () => {
    const response = edgeHandler()({
      response: {
        statusCode: 200,
        headers: {
          'content-type': { value: 'text/html' },
          server: { value: 'AmazonS3' },
          'x-amz-server-side-encryption': { value: 'AES256' },
        },
      },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toEqual({ value: 'text/html' });
    expect(response.headers['strict-transport-security']?.value).toMatch(
      /^max-age=63072000; includeSubDomains/,
    );
    expect(response.headers['content-security-policy']?.value).toContain("frame-ancestors 'none'");
    expect(response.headers['content-security-policy']?.value).toContain("script-src 'self';");
    expect(response.headers['x-frame-options']).toEqual({ value: 'DENY' });
    expect(response.headers['x-content-type-options']).toEqual({ value: 'nosniff' });
    expect(response.headers.server).toBeUndefined();
    expect(response.headers['x-amz-server-side-encryption']).toBeUndefined();
  });

  it('fits CloudFront Functions: under 10 KB, ES5-style source without imports', () => {
    const source = readFileSync(join(import.meta.dirname, 'security-headers.js'), 'utf8');
    expect(Buffer.byteLength(source)).toBeLessThan(10 * 1024);
    expect(source).not.toMatch(/\bimport\b|\brequire\(/);
  });
});

describe('the site with security headers at the edge', () => {
  it('runs the function on every viewer response of the UI, and only where the stage asks for it', () => {
    const template = (securityHeaders: boolean) => {
      const stack = new Stack(new App(), 'Edge', { env: { region: 'us-east-1' } });
      new Site(stack, 'Site', {
        apiOrigin: new HttpOrigin('api.example.com'),
        webDist: join(import.meta.dirname, 'no-such-dist'),
        cachePolicies: true,
        securityHeaders,
      });
      return Template.fromStack(stack);
    };
    const withHeaders = template(true);
    withHeaders.hasResourceProperties('AWS::CloudFront::Function', {
      FunctionConfig: Match.objectLike({ Runtime: 'cloudfront-js-2.0' }),
      FunctionCode: readFileSync(SECURITY_HEADERS_FUNCTION, 'utf8'),
    });
    withHeaders.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultCacheBehavior: Match.objectLike({
          FunctionAssociations: [Match.objectLike({ EventType: 'viewer-response' })],
        }),
      }),
    });
    template(false).resourceCountIs('AWS::CloudFront::Function', 0);
  });
});
