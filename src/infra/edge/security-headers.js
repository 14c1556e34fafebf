// CloudFront Function (cloudfront-js-2.0), viewer response of the web UI: the security headers
// every page of the storefront gets at the edge. The API sets its own (Hono secureHeaders).
// Kept as plain JavaScript: CloudFront runs this file as it is, and the tests run the same file.
var HEADERS = {
  'strict-transport-security': 'max-age=63072000; includeSubDomains; preload',
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; " +
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; " +
    "frame-ancestors 'none'; upgrade-insecure-requests",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
  'cross-origin-opener-policy': 'same-origin',
};

// biome-ignore lint/correctness/noUnusedVariables: CloudFront calls `handler` by name
function handler(event) {
  var response = event.response;
  var headers = response.headers;
  for (var name in HEADERS) headers[name] = { value: HEADERS[name] };
  // What the origin said about itself is nobody's business.
  delete headers.server;
  delete headers['x-amz-server-side-encryption'];
  return response;
}
