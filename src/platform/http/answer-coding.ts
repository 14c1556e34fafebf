import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

// A kept answer (answer-replay.ts) is compressed once, when it is kept, and the compressed bytes
// are sent to every caller that accepts them: a browser's listing is 7 KB of JSON and 1.2 KB in
// Brotli, and writing bytes is most of what a cached read costs. Each coding is a representation
// of its own (RFC 9110 §8.4), so it carries `Vary: Accept-Encoding` and its ETag turns weak, as a
// compressing proxy does (§8.8.1: a strong tag names one exact byte sequence). A weak tag still
// matches `If-None-Match`, which compares weakly (§13.1.2). Only answers a route marked replayable
// are compressed: public catalog reads that depend on nothing but the URL, so they hold no
// secret for a BREACH-style attack (guessing a secret from compressed sizes) to find.

export type Coding = 'br' | 'gzip';

/** Below this many bytes compression saves less than it costs (CloudFront's own floor is 1,000). */
const MIN_BYTES = 1024;

/** Brotli quality 5: a tenth of a millisecond for a listing, within 10% of quality 11's size. */
const BROTLI = {
  params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT },
};

export interface Encoded {
  readonly coding: Coding;
  readonly bytes: Uint8Array<ArrayBuffer>;
}

/** The answer's bytes in each coding worth sending, best first; none for a small or binary body. */
export function encodeAnswer(bytes: Uint8Array, contentType: string): readonly Encoded[] {
  if (bytes.byteLength < MIN_BYTES || !/json|^text\//i.test(contentType)) return [];
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const encoded: Encoded[] = [
    { coding: 'br', bytes: new Uint8Array(brotliCompressSync(view, BROTLI)) },
    { coding: 'gzip', bytes: new Uint8Array(gzipSync(view)) },
  ];
  return encoded.filter((each) => each.bytes.byteLength < bytes.byteLength);
}

/**
 * Answers' codings by ETag, so an answer asked for again (by another URL, or after its replay
 * lapsed) is not compressed again. The oldest go first.
 */
export class AnswerCodings {
  private readonly byEtag = new Map<string, readonly Encoded[]>();

  constructor(private readonly capacity = 1000) {}

  of(answer: { readonly etag: string; readonly bytes: Uint8Array; readonly contentType: string }) {
    let encoded = this.byEtag.get(answer.etag);
    if (encoded) return encoded;
    encoded = encodeAnswer(answer.bytes, answer.contentType);
    if (this.byEtag.size >= this.capacity) {
      const oldest = this.byEtag.keys().next().value;
      if (oldest !== undefined) this.byEtag.delete(oldest);
    }
    this.byEtag.set(answer.etag, encoded);
    return encoded;
  }
}

/** Parsed `Accept-Encoding` values: a handful of distinct strings (one per browser) recur. */
const accepted = new Map<string, ReadonlySet<string>>();
const ACCEPTED_CAPACITY = 64;

/**
 * The codings an `Accept-Encoding` value allows (RFC 9110 §12.5.3): listed ones, or all with `*`,
 * less those given `q=0`. Only `br` and `gzip` are asked about.
 */
function acceptedCodings(header: string): ReadonlySet<string> {
  let codings = accepted.get(header);
  if (codings) return codings;
  const allowed = new Set<string>();
  const refused = new Set<string>();
  let wildcard = false;
  for (const part of header.split(',')) {
    const [rawName = '', ...params] = part.split(';');
    const name = rawName.trim().toLowerCase();
    if (!name) continue;
    const q = params.map((param) => /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(param)?.[1]).find(Boolean);
    const zero = q !== undefined && Number(q) === 0;
    if (name === '*') wildcard = !zero;
    else (zero ? refused : allowed).add(name);
  }
  codings = new Set(['br', 'gzip'].filter((name) => !refused.has(name) && (allowed.has(name) || wildcard)));
  if (accepted.size >= ACCEPTED_CAPACITY) accepted.clear();
  accepted.set(header, codings);
  return codings;
}

/** The first of `encoded` the caller accepts, or undefined for the bytes as they are. */
export function chooseCoding<E extends { readonly coding: Coding }>(
  acceptEncoding: string | undefined,
  encoded: readonly E[],
): E | undefined {
  if (!acceptEncoding || encoded.length === 0) return undefined;
  const codings = acceptedCodings(acceptEncoding);
  return encoded.find((each) => codings.has(each.coding));
}

/** The ETag of a coded representation: weak, as it no longer names the identity bytes. */
export function weakened(etag: string): string {
  return etag.startsWith('W/') ? etag : `W/${etag}`;
}

/** `vary` with `accept-encoding` added to whatever it already names. */
export function varyOnEncoding(vary: string | null | undefined): string {
  if (!vary) return 'accept-encoding';
  if (vary.trim() === '*' || /(^|,)\s*accept-encoding\s*(,|$)/i.test(vary)) return vary;
  return `${vary}, accept-encoding`;
}
