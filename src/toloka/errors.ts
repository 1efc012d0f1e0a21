/** Every failure of a Toloka call, with what a person needs to act on it in one line. */
export type TolokaErrorKind =
  | 'validation' // 400 VALIDATION_ERROR and other 400s
  | 'unauthorized' // 401: the token or key is wrong or expired
  | 'forbidden' // 403 ACCESS_DENIED
  | 'not-found' // 404 DOES_NOT_EXIST
  | 'conflict' // 409: the object's state does not allow this
  | 'too-large' // 413
  | 'rate-limited' // 429
  | 'server' // 5xx
  | 'http' // any other status
  | 'network' // no response: reset, refused, timeout
  | 'cancelled' // the caller's AbortSignal fired
  | 'bad-response'; // a response that does not fit the model

export interface TolokaErrorInit {
  readonly kind: TolokaErrorKind;
  readonly status?: number | undefined;
  readonly code: string;
  readonly message: string;
  readonly requestId?: string | undefined;
  readonly payload?: unknown;
  readonly method?: string | undefined;
  readonly path?: string | undefined;
  readonly cause?: unknown;
}

export class TolokaError extends Error {
  readonly kind: TolokaErrorKind;
  readonly status: number | undefined;
  readonly code: string;
  /** The server's message, without our context. */
  readonly serverMessage: string;
  readonly requestId: string | undefined;
  /** Field-level details: for VALIDATION_ERROR a map of field path to `{code, message}`. */
  readonly payload: unknown;
  readonly method: string | undefined;
  readonly path: string | undefined;

  constructor(init: TolokaErrorInit) {
    super(TolokaError.describe(init), init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'TolokaError';
    this.kind = init.kind;
    this.status = init.status;
    this.code = init.code;
    this.serverMessage = init.message;
    this.requestId = init.requestId;
    this.payload = init.payload;
    this.method = init.method;
    this.path = init.path;
  }

  /** Field errors as `path: message` lines, for VALIDATION_ERROR payloads. */
  get fieldErrors(): Array<{ field: string; code: string; message: string }> {
    return fieldErrorsOf(this.payload);
  }

  /** Whether the same request may succeed if sent again later. */
  get transient(): boolean {
    return this.kind === 'rate-limited' || this.kind === 'server' || this.kind === 'network';
  }

  private static describe(init: TolokaErrorInit): string {
    const where = init.method && init.path ? ` (${init.method} ${init.path}${init.requestId ? `, request ${init.requestId}` : ''})` : '';
    const fields = fieldErrorsOf(init.payload);
    const detail = fields.length > 0 ? `: ${fields.slice(0, 3).map((f) => `${f.field}: ${f.message}`).join('; ')}${fields.length > 3 ? ` and ${fields.length - 3} more` : ''}` : '';
    const head = init.status ? `${init.status} ${init.code}` : init.code;
    return `${head}: ${init.message}${detail}${where}`;
  }
}

/**
 * Field errors of a VALIDATION_ERROR payload: `{field: {code, message}}`, or, for a batch,
 * `{"<index>": {field: {code, message}}}`, flattened to `<index>.<field>`.
 */
function fieldErrorsOf(payload: unknown, prefix = ''): Array<{ field: string; code: string; message: string }> {
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) return [];
  const out: Array<{ field: string; code: string; message: string }> = [];
  for (const [key, value] of Object.entries(payload as Record<string, unknown>)) {
    const field = prefix ? `${prefix}.${key}` : key;
    if (value && typeof value === 'object' && 'code' in value) {
      const v = value as { code: unknown; message?: unknown };
      out.push({ field, code: String(v.code), message: typeof v.message === 'string' ? v.message : String(v.code) });
    } else if (!prefix && /^\d+$/.test(key)) {
      out.push(...fieldErrorsOf(value, key));
    }
  }
  return out;
}

export function isTolokaError(err: unknown, kind?: TolokaErrorKind): err is TolokaError {
  return err instanceof TolokaError && (kind === undefined || err.kind === kind);
}

export function kindOfStatus(status: number, code: string): TolokaErrorKind {
  if (status === 400) return 'validation';
  if (status === 401) return 'unauthorized';
  if (status === 403) return code === 'AUTHENTICATION_ERROR' || code === 'OAUTH_AUTHENTICATION_ERROR' ? 'unauthorized' : 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 409) return 'conflict';
  if (status === 413) return 'too-large';
  if (status === 429) return 'rate-limited';
  if (status >= 500) return 'server';
  return 'http';
}

/**
 * The work was stopped on purpose: the user pressed Cancel, dismissed a question, or the
 * caller's AbortSignal fired. Never reported as a failure. Its name is the DOM's, so aborts
 * from fetch, timers or streams are recognised the same way.
 */
export class CancelledError extends Error {
  constructor(message = 'cancelled') {
    super(message);
    this.name = 'AbortError';
  }
}

/** Whether `err` means "stopped on purpose" rather than "went wrong". */
export function isCancellation(err: unknown): boolean {
  if (isTolokaError(err, 'cancelled')) return true;
  return err instanceof Error && (err.name === 'AbortError' || err.name === 'CanceledError' || err.name === 'Canceled');
}

/** Throws a CancelledError when the signal has fired. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError();
}

/**
 * What went wrong, in one line a person can act on: never `{}` or `[object Object]`.
 */
export function describeError(err: unknown): string {
  if (isTolokaError(err)) {
    if (err.kind === 'unauthorized') return `Toloka refused the credential (${err.status ?? err.code}): sign in again`;
    if (err.kind === 'network') return `Toloka did not answer (${err.code}${err.method && err.path ? `, ${err.method} ${err.path}` : ''})`;
    return err.message;
  }
  if (err instanceof Error) {
    if (err.message) return err.message;
    return err.name && err.name !== 'Error' ? err.name : 'an error with no message';
  }
  if (typeof err === 'string') return err || 'an error with no message';
  if (err && typeof err === 'object') {
    const message = (err as { message?: unknown }).message;
    if (typeof message === 'string' && message) return message;
    let json: string | undefined;
    try {
      json = JSON.stringify(err);
    } catch {
      json = undefined;
    }
    if (json && json !== '{}' && json !== '[]') return json.length > 300 ? `${json.slice(0, 300)}…` : json;
    const name = (err as { constructor?: { name?: unknown } }).constructor?.name;
    return `an unexpected ${typeof name === 'string' && name !== 'Object' ? name : 'object'} with no message`;
  }
  return String(err);
}
