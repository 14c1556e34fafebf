import { z } from '../contracts/zod.js';

/** RFC 9457 problem details: the body of every error response. */
export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi('Problem');

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid request (see `errors` for each wrong field)',
  401: 'Missing, wrong or expired credentials',
  403: 'Signed in, but not allowed',
  404: 'Not found',
  409: 'Conflicts with the current state',
  413: 'Body larger than 1 MB',
  415: 'Body is not JSON',
  422: 'The Idempotency-Key was already used for a different request',
  429: 'Too many requests or units for now; `retry-after` says when to try again',
};

/** Problem+json response entries for a route's documented error statuses. */
export function problemResponses<const S extends number>(...statuses: S[]) {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        description: DESCRIPTIONS[status] ?? 'Error',
        content: { 'application/problem+json': { schema: ProblemSchema } },
      },
    ]),
  ) as Record<
    S,
    { description: string; content: { 'application/problem+json': { schema: typeof ProblemSchema } } }
  >;
}

/** A JSON request or response body for createRoute. */
export function jsonContent<T>(schema: T) {
  return { content: { 'application/json': { schema } } };
}

/** `?limit=&cursor=` of every paged listing. */
export const PageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().min(1).max(2048).optional(),
});
