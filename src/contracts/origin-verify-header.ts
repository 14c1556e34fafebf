/**
 * The header CloudFront adds to every request it sends to the API, holding a secret only the
 * distribution and the API's origins know: a request that carries it came through CloudFront (and
 * its WAF). Shared by the app (which checks it) and the CDK app (which sets it and the load
 * balancer's rule), so it has no imports.
 */
export const ORIGIN_VERIFY_HEADER = 'x-origin-verify';
