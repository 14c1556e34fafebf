// The security headers of API answers, shared by the app's own edge
// (src/platform/http/edge-middleware.ts) and CloudFront's response headers policy for /api/*
// (src/infra/constructs/response-headers.ts), so an answer carries the same set whether
// CloudFront is in front of it or not.

/**
 * The API's Content-Security-Policy: JSON loads nothing. /api/docs sends its own (Swagger UI
 * needs inline styles), which both edges keep: this one only fills in where the API sent none.
 */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";

/**
 * What every /api answer carries: the set OWASP's REST Security Cheat Sheet ("Security
 * Headers") asks of API responses (HSTS, a CSP forbidding framing, `nosniff`, `X-Frame-Options:
 * DENY`), a referrer policy as CloudFront's API policy sends, and `Cross-Origin-Resource-Policy`
 * so another origin's page cannot load an answer as a resource. The rest of the browser set
 * (X-XSS-Protection, X-Download-Options, X-DNS-Prefetch-Control, Origin-Agent-Cluster,
 * Cross-Origin-Opener-Policy, X-Permitted-Cross-Domain-Policies) governs HTML documents and is
 * sent with the web UI's pages only: the cheat sheet names them as of no use on an API that
 * never answers HTML, and each header is bytes every cached read writes and every client parses.
 */
export const API_SECURITY_HEADERS: readonly (readonly [string, string])[] = [
  ['strict-transport-security', 'max-age=15552000; includeSubDomains'],
  ['content-security-policy', API_CONTENT_SECURITY_POLICY],
  ['x-content-type-options', 'nosniff'],
  ['x-frame-options', 'DENY'],
  ['referrer-policy', 'no-referrer'],
  ['cross-origin-resource-policy', 'same-origin'],
];
