import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';

interface CloudFrontRequest {
  uri: string;
  method: string;
  querystring: Record<string, { value: string }>;
  headers: Record<string, { value: string }>;
}

const SOURCE = join(import.meta.dirname, 'spa-routing.js');

/** Runs the function file as CloudFront does: a script defining `handler(event)`. */
function edgeHandler(): (event: { request: CloudFrontRequest }) => CloudFrontRequest {
  const sandbox: { handler?: (event: { request: CloudFrontRequest }) => CloudFrontRequest } = {};
  runInNewContext(`${readFileSync(SOURCE, 'utf8')}\nthis.handler = handler;`, sandbox);
  if (!sandbox.handler) throw new Error('no handler in the function file');
  return sandbox.handler;
}

const request = (uri: string): CloudFrontRequest => ({
  uri,
  method: 'GET',
  querystring: { ref: { value: 'mail' } },
  headers: { host: { value: 'shop.example.com' } },
});

describe('the single-page-app routing edge function', () => {
  it.each(['/', '/ops', '/products/01J9ZK3V8Q', '/products/01J9ZK3V8Q/', '/orders', '/login'])(
    'answers the app route %s with the app shell, keeping the query string',
    (uri) => {
      const routed = edgeHandler()({ request: request(uri) });
      expect(routed.uri).toBe('/index.html');
      expect(routed.querystring).toEqual({ ref: { value: 'mail' } });
      expect(routed.headers.host).toEqual({ value: 'shop.example.com' });
    },
  );

  it.each(['/assets/index-CPALGdV2.js', '/assets/index-BO-KJ4mk.css', '/favicon.svg', '/index.html'])(
    'leaves the file %s where it is',
    (uri) => {
      expect(edgeHandler()({ request: request(uri) }).uri).toBe(uri);
    },
  );

  it('fits CloudFront Functions: under 10 KB, ES5-style source without imports', () => {
    const source = readFileSync(SOURCE, 'utf8');
    expect(Buffer.byteLength(source)).toBeLessThan(10 * 1024);
    expect(source).not.toMatch(/\bimport\b|\brequire\(|\blet\b|\bconst\b|=>/);
  });
});
