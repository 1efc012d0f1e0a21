/** An error answered with Toloka's error body: `{request_id, code, message, payload?}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly payload?: unknown,
    /** Answer with this status and no body (Toloka's empty 409 on an archived pool's PATCH). */
    readonly emptyBody = false,
    /** A Retry-After header to send, in seconds. Toloka's own quota answers have none. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

import type { FieldErrors } from '../toloka/specCheck';

export type { FieldErrors };

export const notFound = (what = 'There are no results for such parameters'): ApiError => new ApiError(404, 'DOES_NOT_EXIST', what);

export const validationFailed = (payload: FieldErrors): ApiError => new ApiError(400, 'VALIDATION_ERROR', 'Validation failed', payload);

export const conflict = (code: string, message: string, payload?: unknown): ApiError => new ApiError(409, code, message, payload);

export function requireParam(value: string | undefined, name: string): string {
  if (value === undefined || value === '') throw validationFailed({ [name]: { code: 'VALUE_REQUIRED', message: 'Value must be present and not equal to null' } });
  return value;
}
