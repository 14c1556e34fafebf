import { Duration } from 'aws-cdk-lib';
import {
  HeadersFrameOption,
  HeadersReferrerPolicy,
  ResponseHeadersPolicy,
  type ResponseSecurityHeadersBehavior,
} from 'aws-cdk-lib/aws-cloudfront';
import { Construct } from 'constructs';
// The API's CSP is shared with the app's own edge, which sends it where CloudFront is absent.
import { API_CONTENT_SECURITY_POLICY } from '../../contracts/security-headers.js';

/**
 * The web UI's Content-Security-Policy. The built UI (web/, Vite) is one module script and
 * stylesheets from its own origin, with no inline script or style element and no eval; uPlot and
 * React set styles through the CSSOM, which `style-src` does not govern. So nothing needs
 * 'unsafe-inline': an injected `<script>` or inline handler does not run, and `connect-src 'self'`
 * keeps a script that does run from sending what it reads (the bearer token) to another origin.
 * Product images may be any https URL an admin entered.
 */
export const WEB_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: https:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  'upgrade-insecure-requests',
].join('; ');

/** Two years, subdomains included, as the HSTS preload list asks. */
const HSTS = {
  accessControlMaxAge: Duration.days(730),
  includeSubdomains: true,
  preload: true,
  override: true,
} as const;

/**
 * The security headers CloudFront adds to every response, from the startup stage on: HSTS, a
 * Content-Security-Policy, frame and sniffing protection, a referrer policy, and for the UI a
 * permissions policy and cross-origin isolation of its window. One policy for the UI (the
 * default behavior), one for the API (/api/*), whose own CSP for its docs page wins.
 */
export class SecurityHeaders extends Construct {
  readonly web: ResponseHeadersPolicy;
  readonly api: ResponseHeadersPolicy;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const common = (csp: string, overrideCsp: boolean): ResponseSecurityHeadersBehavior => ({
      strictTransportSecurity: HSTS,
      contentSecurityPolicy: { contentSecurityPolicy: csp, override: overrideCsp },
      contentTypeOptions: { override: true },
      frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
      referrerPolicy: {
        referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
        override: true,
      },
    });
    this.web = new ResponseHeadersPolicy(this, 'Web', {
      comment: 'Growstack web UI: HSTS, a strict CSP, no framing, no sniffing',
      securityHeadersBehavior: common(WEB_CONTENT_SECURITY_POLICY, true),
      customHeadersBehavior: {
        customHeaders: [
          {
            header: 'permissions-policy',
            value: 'camera=(), microphone=(), geolocation=(), payment=()',
            override: true,
          },
          { header: 'cross-origin-opener-policy', value: 'same-origin', override: true },
        ],
      },
      // What the origin says of itself is nobody's business.
      removeHeaders: ['server'],
    });
    this.api = new ResponseHeadersPolicy(this, 'Api', {
      comment: 'Growstack API: HSTS, no framing, no sniffing; the API sets its own CSP where it needs one',
      securityHeadersBehavior: common(API_CONTENT_SECURITY_POLICY, false),
    });
  }
}
