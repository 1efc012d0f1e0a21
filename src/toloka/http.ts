/**
 * The one HTTP layer under every Toloka call: a single axios instance with auth, timeout,
 * keep-alive, `proxy: false` (VS Code's own proxy support applies), retries with backoff
 * on 429/5xx/resets that honour Retry-After, cancellation, and zod-checked responses.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type { Readable } from 'node:stream';
import axios, { type AxiosInstance, type AxiosResponse, type Method } from 'axios';
import type { z } from 'zod';
import { TolokaError, kindOfStatus } from './errors';
import { silentLogger, type Logger } from './logger';
import { sleep } from './sleep';
import { plainText } from './text';

export type AuthScheme = 'OAuth' | 'ApiKey';

/**
 * The SDKs' rule: a credential is an API key when it has exactly two dots and the first one
 * is at index 22, 23 or 24; anything else is a legacy OAuth token.
 */
export function guessAuthScheme(credential: string): AuthScheme {
  const dots = credential.split('.').length - 1;
  const first = credential.indexOf('.');
  return dots === 2 && first >= 22 && first <= 24 ? 'ApiKey' : 'OAuth';
}

export interface HttpOptions {
  /** Origin plus `/api`, e.g. `https://toloka.dev/api` or `http://127.0.0.1:8999/api`. */
  readonly baseUrl: string;
  readonly credential?: string | undefined;
  readonly authScheme?: AuthScheme | undefined;
  readonly timeoutMs?: number | undefined;
  /** Attempts per call, the first included. */
  readonly maxAttempts?: number | undefined;
  /** First backoff step; doubles each attempt, with full jitter. */
  readonly baseDelayMs?: number | undefined;
  /** No single wait is longer than this; a Retry-After beyond it fails the call instead. */
  readonly maxDelayMs?: number | undefined;
  readonly logger?: Logger | undefined;
  readonly userAgent?: string | undefined;
  /**
   * How long each quota window named by a 429's `payload.interval` lasts: a quota 429 waits at
   * least that long. Toloka's are a minute, an hour and a day; tests shorten them.
   */
  readonly quotaWindowsMs?: Partial<Record<QuotaInterval, number>> | undefined;
}

/** The quota windows Toloka names in a 429's `payload.interval`. */
export type QuotaInterval = 'MIN' | 'HOUR' | 'DAY';

const DEFAULT_QUOTA_WINDOWS_MS: Record<QuotaInterval, number> = { MIN: 60_000, HOUR: 3_600_000, DAY: 86_400_000 };

/** What a caller that must get through (an upload) does about 429s. */
export interface RateLimitPolicy {
  /**
   * 'patient': every 429 is waited out, a quota's whole window included, for as long as it
   * takes, until the signal aborts. The default waits out a per-minute quota once per attempt
   * and fails on an hourly or daily one.
   */
  readonly mode: 'patient';
  /** Told before each wait on a 429: how long, and which quota window (if the answer named one). */
  readonly onWait?: ((ms: number, interval: QuotaInterval | undefined) => void) | undefined;
}

export interface CallOptions {
  readonly signal?: AbortSignal | undefined;
  readonly rateLimits?: RateLimitPolicy | undefined;
}

export interface RequestSpec<S extends z.ZodType> extends CallOptions {
  readonly method: Method;
  /** Path below `/api`, e.g. `/v1/pools`. */
  readonly path: string;
  readonly params?: Record<string, string | number | boolean | readonly string[] | undefined> | undefined;
  readonly data?: unknown;
  readonly schema: S;
  /**
   * Whether sending the request twice is harmless. GET, PUT, PATCH and DELETE are; a POST is
   * only when it carries an idempotency key (`operation_id`) or changes nothing.
   */
  readonly idempotent?: boolean | undefined;
  /** Accept 204 No Content and return undefined. */
  readonly allowEmpty?: boolean | undefined;
}

/** How a response body is handed over: parsed JSON, a stream, or the bytes as they came. */
type ResponseType = 'json' | 'stream' | 'arraybuffer';

const RETRYABLE_STATUSES = new Set([408, 429, 500, 502, 503, 504]);
const RESET_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'ECONNABORTED', 'ENOTFOUND', 'EAI_AGAIN', 'ERR_SOCKET_CONNECTION_TIMEOUT']);

/** Serialises query parameters the way Toloka expects: lists comma-joined, booleans lower-case. */
export function serializeParams(params: Record<string, unknown>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    search.append(key, Array.isArray(value) ? value.map(plainText).join(',') : plainText(value));
  }
  return search.toString();
}

function retryAfterMs(response: AxiosResponse | undefined): number | undefined {
  const header: unknown = response?.headers?.['retry-after'];
  if (typeof header !== 'string' || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function cancelled(method?: string, path?: string): TolokaError {
  return new TolokaError({ kind: 'cancelled', code: 'CANCELLED', message: 'cancelled', method, path });
}

/** `items.3.status: Invalid option…` for the first few issues of a failed parse, each path after `within`. */
export function describeIssues(error: z.ZodError, within: ReadonlyArray<PropertyKey> = []): string {
  return error.issues
    .slice(0, 3)
    .map((i) => {
      const at = [...within, ...i.path].map(String);
      return `${at.length > 0 ? at.join('.') : '(root)'}: ${i.message}`;
    })
    .join('; ');
}

/** A response body checked against its schema; a misfit is a 'bad-response' error naming the fields. */
export function checkResponse<S extends z.ZodType>(
  schema: S,
  data: unknown,
  at: { method: string; path: string; status?: number | undefined; within?: ReadonlyArray<PropertyKey> | undefined },
): z.infer<S> {
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    throw new TolokaError({
      kind: 'bad-response',
      status: at.status,
      code: 'UNEXPECTED_RESPONSE',
      message: `the response does not fit the expected shape: ${describeIssues(parsed.error, at.within)}`,
      method: at.method,
      path: at.path,
    });
  }
  return parsed.data as z.infer<S>;
}

export class HttpCore {
  readonly #axios: AxiosInstance;
  /** `<scheme> <credential>`: private, read only here, never in the axios defaults or a log. */
  readonly #authorization: string | undefined;
  readonly #logger: Logger;
  readonly #maxAttempts: number;
  readonly #baseDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #quotaWindowsMs: Record<QuotaInterval, number>;
  #sequence = 0;
  /** Where requests go: `<origin>/api`. */
  readonly baseUrl: string;

  constructor(options: HttpOptions) {
    this.#logger = options.logger ?? silentLogger;
    this.#maxAttempts = options.maxAttempts ?? 5;
    this.#baseDelayMs = options.baseDelayMs ?? 500;
    this.#maxDelayMs = options.maxDelayMs ?? 60_000;
    this.#quotaWindowsMs = { ...DEFAULT_QUOTA_WINDOWS_MS, ...options.quotaWindowsMs };
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (options.credential) {
      const scheme = options.authScheme ?? guessAuthScheme(options.credential);
      this.#authorization = `${scheme} ${options.credential}`;
    }
    if (options.userAgent) headers['User-Agent'] = options.userAgent;
    this.#axios = axios.create({
      baseURL: this.baseUrl,
      timeout: options.timeoutMs ?? 60_000,
      headers,
      proxy: false,
      httpAgent: new http.Agent({ keepAlive: true, maxSockets: 16 }),
      httpsAgent: new https.Agent({ keepAlive: true, maxSockets: 16 }),
      validateStatus: () => true,
      paramsSerializer: { serialize: (p) => serializeParams(p as Record<string, unknown>) },
      maxBodyLength: Infinity,
      maxContentLength: Infinity,
      maxRedirects: 0,
    });
  }

  /** Sends a request, retrying where safe, and returns the body checked against `schema`. */
  async request<S extends z.ZodType>(spec: RequestSpec<S>): Promise<z.infer<S>>;
  async request<S extends z.ZodType>(spec: RequestSpec<S> & { allowEmpty: true }): Promise<z.infer<S> | undefined>;
  async request<S extends z.ZodType>(spec: RequestSpec<S>): Promise<z.infer<S> | undefined> {
    const response = await this.send(spec, 'json');
    if (response.status === 204 || response.data === '' || response.data === undefined) {
      if (spec.allowEmpty) return undefined;
      throw new TolokaError({ kind: 'bad-response', status: response.status, code: 'EMPTY_RESPONSE', message: 'the server sent no body', method: spec.method, path: spec.path });
    }
    return checkResponse(spec.schema, response.data, { method: spec.method, path: spec.path, status: response.status });
  }

  /**
   * A GET whose body comes back as bytes, unparsed, for a caller that parses it in pieces
   * (large listing pages). Errors, retries and cancellation are as for `request`.
   */
  async requestBytes(spec: Omit<RequestSpec<z.ZodType>, 'schema' | 'method' | 'data'>): Promise<Buffer> {
    const response = await this.send({ ...spec, method: 'GET' }, 'arraybuffer');
    const data: unknown = response.data;
    if (Buffer.isBuffer(data)) return data;
    return data instanceof ArrayBuffer ? Buffer.from(data) : Buffer.from(data === undefined || data === null ? '' : plainText(data), 'utf8');
  }

  /** A GET whose body is streamed (attachments, TSV). */
  async stream(path: string, options: CallOptions & { params?: RequestSpec<z.ZodType>['params'] } = {}): Promise<{ stream: Readable; contentType: string | undefined }> {
    const response = await this.send({ method: 'GET', path, params: options.params, signal: options.signal, idempotent: true }, 'stream');
    const contentType: unknown = response.headers['content-type'];
    return { stream: response.data as Readable, contentType: typeof contentType === 'string' ? contentType : undefined };
  }

  private async send(spec: Omit<RequestSpec<z.ZodType>, 'schema'>, responseType: ResponseType): Promise<AxiosResponse> {
    const method = spec.method.toUpperCase();
    // An id from a response (`..`, `.`) must never turn a path into another resource's.
    if (spec.path.split('/').some((segment) => segment === '.' || segment === '..' || segment === '%2e%2e' || segment === '%2E%2E')) {
      throw new TolokaError({ kind: 'validation', code: 'BAD_PATH', message: `refusing to request ${spec.path}: an id in it is "." or ".."`, method, path: spec.path });
    }
    const idempotent = spec.idempotent ?? method !== 'POST';
    const seq = ++this.#sequence;
    let waits = 0;
    for (let attempt = 1; ; attempt++) {
      if (spec.signal?.aborted) throw cancelled(method, spec.path);
      let response: AxiosResponse | undefined;
      let networkError: unknown;
      const started = Date.now();
      try {
        const headers: Record<string, string> = {};
        if (spec.data !== undefined) headers['Content-Type'] = 'application/json; charset=UTF-8';
        if (this.#authorization) headers['Authorization'] = this.#authorization;
        response = await this.#axios.request({
          method,
          url: spec.path,
          params: spec.params,
          data: spec.data,
          ...(spec.signal ? { signal: spec.signal } : {}),
          responseType,
          headers,
        });
      } catch (err) {
        if (spec.signal?.aborted || axios.isCancel(err)) throw cancelled(method, spec.path);
        networkError = err;
      }
      const elapsed = Date.now() - started;

      if (response && response.status < 400) {
        this.#logger.trace(`#${seq} ${method} ${spec.path} → ${response.status} in ${elapsed} ms`);
        return response;
      }

      const error = response ? await this.errorFromResponse(response, method, spec.path, responseType) : this.errorFromNetwork(networkError, method, spec.path);
      const retryable = response
        ? RETRYABLE_STATUSES.has(response.status) && (idempotent || response.status === 429)
        : isReset(networkError) && idempotent;
      const quota = response?.status === 429 ? quotaInterval(error.payload) : undefined;
      const hinted = retryAfterMs(response);
      const patient = response?.status === 429 && spec.rateLimits?.mode === 'patient';
      let delay: number;
      if (patient) {
        // A quota is waited out for its whole window: a shorter Retry-After does not cut it short.
        delay = Math.max(hinted ?? 0, quota ? this.#quotaWindowsMs[quota] : Math.min(this.#maxDelayMs, this.#baseDelayMs * 2 ** Math.min(waits++, 10)));
        attempt--; // waiting on a rate limit is not a failed attempt
      } else {
        if (!retryable || attempt >= this.#maxAttempts || quota === 'HOUR' || quota === 'DAY') {
          this.#logger.debug(`#${seq} ${method} ${spec.path} failed after ${attempt} attempt(s): ${error.message}`);
          throw error;
        }
        const wanted = quota ? Math.max(hinted ?? 0, this.#quotaWindowsMs[quota]) : hinted;
        if (wanted !== undefined && wanted > this.#maxDelayMs) throw error;
        delay = wanted ?? Math.random() * Math.min(this.#maxDelayMs, this.#baseDelayMs * 2 ** (attempt - 1));
      }
      const why = `${error.status ?? error.code}${quota ? ` (${quota === 'MIN' ? 'per-minute' : quota === 'HOUR' ? 'hourly' : 'daily'} quota)` : ''}${error.requestId ? ` (request ${error.requestId})` : ''}`;
      this.#logger.warn(`#${seq} ${method} ${spec.path}: ${why}; ${patient ? 'waiting' : `retry ${attempt}/${this.#maxAttempts - 1} in`} ${(delay / 1000).toFixed(2)} s`);
      if (response?.status === 429) spec.rateLimits?.onWait?.(delay, quota);
      await sleep(delay, spec.signal);
    }
  }

  private async errorFromResponse(response: AxiosResponse, method: string, path: string, responseType: ResponseType): Promise<TolokaError> {
    let body: unknown = response.data;
    if (responseType === 'stream') body = await readJsonStream(response.data as Readable);
    else if (responseType === 'arraybuffer') body = parseJsonBytes(Buffer.isBuffer(body) ? body : Buffer.alloc(0));
    const headerId: unknown = response.headers['x-request-id'];
    const b = body && typeof body === 'object' ? (body as Record<string, unknown>) : undefined;
    const code = typeof b?.['code'] === 'string' ? b['code'] : `HTTP_${response.status}`;
    const message = typeof b?.['message'] === 'string' ? b['message'] : response.statusText || 'request failed';
    const requestId = typeof b?.['request_id'] === 'string' ? b['request_id'] : typeof headerId === 'string' ? headerId : undefined;
    return new TolokaError({ kind: kindOfStatus(response.status, code), status: response.status, code, message, requestId, payload: b?.['payload'], method, path });
  }

  private errorFromNetwork(err: unknown, method: string, path: string): TolokaError {
    const code = (err as { code?: unknown } | undefined)?.code;
    const message = err instanceof Error ? err.message : String(err);
    return new TolokaError({ kind: 'network', code: typeof code === 'string' ? code : 'NETWORK_ERROR', message: `no response from Toloka: ${message}`, method, path, cause: err });
  }
}

function isReset(err: unknown): boolean {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && RESET_CODES.has(code);
}

function quotaInterval(payload: unknown): QuotaInterval | undefined {
  if (payload && typeof payload === 'object' && 'interval' in payload) {
    const v = (payload as { interval: unknown }).interval;
    return v === 'MIN' || v === 'HOUR' || v === 'DAY' ? v : undefined;
  }
  return undefined;
}

async function readJsonStream(stream: Readable): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return parseJsonBytes(Buffer.concat(chunks));
}

function parseJsonBytes(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
}
