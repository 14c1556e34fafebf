/**
 * A route's answer that the HTTP edge may send again, as is, to the next callers of the same URL
 * while `current()` holds (src/platform/http/answer-replay.ts): the route sets it on the request
 * context under `REPLAYABLE`. Only for answers that depend on nothing but the URL.
 */
export interface Replayable {
  /** The body, as sent. */
  readonly bytes: Uint8Array<ArrayBuffer>;
  /** Its strong ETag, quoted: a caller holding it gets a 304. */
  readonly etag: string;
  /** The body's media type (a 304 the answer was learnt from carries none). */
  readonly contentType: string;
  /** Whether the answer is still what the route would send now; checked at every replay. */
  readonly current: () => boolean;
}

/** The request-context variable a route sets to a `Replayable`. */
export const REPLAYABLE = 'replayable';

/**
 * Whether an `If-None-Match` value names `etag` (RFC 9110 §13.1.2: a list of tags or `*`,
 * compared weakly, so a `W/` prefix is ignored): the answer is then a 304.
 */
export function ifNoneMatchHolds(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === '*' || tag === etag);
}
