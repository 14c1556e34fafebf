// CloudFront Function (cloudfront-js-2.0), viewer request of the web UI (the default behavior):
// the single-page app routes in the browser, so a path that names no file (`/`, `/ops`,
// `/products/01J...`) is answered with the app shell; a file (`/assets/index-1a2b.js`,
// `/favicon.svg`) keeps its path, and a missing one stays a 403/404. Nothing else rewrites
// responses: the API under /api/* has its own behaviors, so its errors reach the client as sent.
// Kept as plain JavaScript: CloudFront runs this file as it is, and the tests run the same file.
var APP_SHELL = '/index.html';

/** True when the last path segment has no extension, e.g. `/products/42` but not `/app.js`. */
function isAppRoute(uri) {
  var last = uri.substring(uri.lastIndexOf('/') + 1);
  return last.indexOf('.') === -1;
}

// biome-ignore lint/correctness/noUnusedVariables: CloudFront calls `handler` by name
function handler(event) {
  var request = event.request;
  if (isAppRoute(request.uri)) request.uri = APP_SHELL;
  return request;
}
