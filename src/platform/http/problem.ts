import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import {
  AppError,
  type FieldIssue,
  isDependencyUnavailable,
  ValidationError,
} from '../../contracts/errors.js';

/** RFC 9457 problem details, as every error response of the API carries them. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly instance?: string;
  readonly errors?: readonly FieldIssue[];
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Turns anything thrown into a problem; unknown errors become a 500 that leaks no internals. */
export function problemFor(error: unknown): Problem {
  if (error instanceof AppError) {
    return {
      type: 'about:blank',
      title: error.title,
      status: error.status,
      detail: error.message,
      ...(error instanceof ValidationError && error.errors.length > 0 ? { errors: error.errors } : {}),
    };
  }
  if (error instanceof HTTPException) {
    const status = error.status;
    const malformed = status === 400 && /json/i.test(error.message);
    return {
      type: 'about:blank',
      title: malformed ? 'Malformed JSON' : titleFor(status),
      status,
      detail: error.message || titleFor(status),
      ...(malformed ? { errors: [{ path: 'body', message: 'not valid JSON' }] } : {}),
    };
  }
  if (isDependencyUnavailable(error)) {
    return {
      type: 'about:blank',
      title: 'Service Unavailable',
      status: 503,
      detail: 'A service we depend on is unreachable or overloaded. Try again shortly.',
    };
  }
  return {
    type: 'about:blank',
    title: 'Internal Server Error',
    status: 500,
    detail: 'Something went wrong on our side; the error is logged with this request id.',
  };
}

/** Writes a problem response. */
export function problemResponse(c: Context, problem: Problem): Response {
  return c.body(
    JSON.stringify({ ...problem, instance: c.req.path }),
    problem.status as ContentfulStatusCode,
    {
      'content-type': PROBLEM_CONTENT_TYPE,
    },
  );
}

function titleFor(status: number): string {
  const titles: Record<number, string> = {
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    405: 'Method Not Allowed',
    409: 'Conflict',
    413: 'Payload Too Large',
    415: 'Unsupported Media Type',
    429: 'Too Many Requests',
    503: 'Service Unavailable',
  };
  return titles[status] ?? 'Error';
}
