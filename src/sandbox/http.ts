/** The sandbox's HTTP plumbing: routing, bodies, auth, Toloka's error shape, and faults on demand. */
import { randomUUID } from 'node:crypto';
import type * as http from 'node:http';
import { ApiError } from './apiError';
import { Rng } from './rng';

export interface Faults {
  /** Fraction of requests answered 500 INTERNAL_ERROR before any work. */
  errorRate: number;
  /** Fraction of requests whose connection is dropped before any work. */
  resetRate: number;
  /** Fraction of requests that are processed but whose connection is dropped instead of answered. */
  resetAfterRate: number;
  /** Added to every request. */
  latencyMs: number;
  /** Requests per second before 429 (0 = unlimited). */
  requestsPerSecond: number;
  /** Retry-After seconds sent with a 429. */
  retryAfterSeconds: number;
}

export const noFaults: Faults = { errorRate: 0, resetRate: 0, resetAfterRate: 0, latencyMs: 0, requestsPerSecond: 0, retryAfterSeconds: 1 };

export interface Request {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly body: unknown;
  readonly params: Record<string, string>;
}

export interface Reply {
  readonly status: number;
  readonly body?: unknown;
  /** Raw bytes (attachment downloads). */
  readonly raw?: { readonly data: Buffer; readonly contentType: string };
  readonly headers?: Record<string, string>;
}

export type Handler = (req: Request) => Reply | Promise<Reply>;

interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  readonly names: string[];
  readonly handler: Handler;
}

export class Router {
  private readonly routes: Route[] = [];

  /** `path` uses `:name` segments, e.g. `/api/v1/pools/:id/open`. */
  on(method: string, path: string, handler: Handler): void {
    const names: string[] = [];
    const pattern = new RegExp(`^${path.replace(/:(\w+)/g, (_, n: string) => {
      names.push(n);
      return '([^/]+)';
    })}/?$`);
    this.routes.push({ method, pattern, names, handler });
  }

  match(method: string, path: string): { handler: Handler; params: Record<string, string> } | 'method-not-allowed' | undefined {
    let pathMatched = false;
    for (const r of this.routes) {
      const m = r.pattern.exec(path);
      if (!m) continue;
      pathMatched = true;
      if (r.method !== method) continue;
      const params: Record<string, string> = {};
      r.names.forEach((n, i) => (params[n] = decodeURIComponent(m[i + 1] ?? '')));
      return { handler: r.handler, params };
    }
    return pathMatched ? 'method-not-allowed' : undefined;
  }
}

const MAX_BODY = 256 * 1024 * 1024;

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > MAX_BODY) throw new ApiError(413, 'ENTITY_TOO_LARGE', 'Request body is too large');
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

export interface ServeOptions {
  readonly router: Router;
  /** Credentials accepted; any non-empty one when undefined. */
  readonly tokens: readonly string[] | undefined;
  readonly faults: () => Faults;
  readonly seed: number;
  /** Extra check per request (quotas); throws ApiError to refuse. */
  readonly admit?: (req: Request) => void;
  /** Called after a request that may have changed something (any method but GET) reached its handler. */
  readonly afterChange?: () => void;
}

/** Host names the sandbox answers to. A page on another origin that rebinds its DNS name to 127.0.0.1 still sends its own name. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** The host name of a Host header (`127.0.0.1:8999`, `[::1]:8999`, `localhost`), lower-cased. */
export function hostNameOf(header: string | undefined): string {
  const h = (header ?? '').trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  const colon = h.lastIndexOf(':');
  return colon >= 0 && h.indexOf(':') === colon ? h.slice(0, colon) : h;
}

export function makeRequestListener(options: ServeOptions): http.RequestListener {
  const rng = new Rng(options.seed ^ 0x5eed);
  let windowStart = Date.now();
  let windowCount = 0;

  const send = (res: http.ServerResponse, reply: Reply, requestId: string): void => {
    const headers: Record<string, string> = { 'X-Request-Id': requestId, ...reply.headers };
    if (reply.raw) {
      res.writeHead(reply.status, { ...headers, 'Content-Type': reply.raw.contentType, 'Content-Length': String(reply.raw.data.length) });
      res.end(reply.raw.data);
      return;
    }
    if (reply.body === undefined) {
      res.writeHead(reply.status, headers);
      res.end();
      return;
    }
    // Encoded once: measuring the text and then writing it would encode a large page twice.
    const data = Buffer.from(JSON.stringify(reply.body), 'utf8');
    res.writeHead(reply.status, { ...headers, 'Content-Type': 'application/json; charset=UTF-8', 'Content-Length': String(data.length) });
    res.end(data);
  };

  const errorReply = (err: ApiError, requestId: string): Reply =>
    err.emptyBody
      ? { status: err.status }
      : { status: err.status, body: { request_id: requestId, code: err.code, message: err.message, ...(err.payload === undefined ? {} : { payload: err.payload }) } };

  return (req, res) => {
    void (async () => {
      const requestId = randomUUID().replace(/-/g, '');
      const url = new URL(req.url ?? '/', 'http://sandbox');
      const method = (req.method ?? 'GET').toUpperCase();
      try {
        const host = hostNameOf(req.headers.host);
        if (!LOOPBACK_HOSTS.has(host)) throw new ApiError(403, 'ACCESS_DENIED', `The local sandbox answers only to loopback names (127.0.0.1, localhost, [::1]), not to "${host}"`);
        if (!url.pathname.startsWith('/api/')) throw new ApiError(404, 'DOES_NOT_EXIST', `No such path: ${url.pathname}`);
        const faults = options.faults();
        if (faults.latencyMs > 0) await new Promise((r) => setTimeout(r, faults.latencyMs));
        if (faults.resetRate > 0 && rng.next() < faults.resetRate) {
          req.socket.destroy();
          return;
        }
        if (faults.errorRate > 0 && rng.next() < faults.errorRate) throw new ApiError(500, 'INTERNAL_ERROR', 'Internal Error (injected)');
        if (faults.requestsPerSecond > 0) {
          const t = Date.now();
          if (t - windowStart >= 1000) {
            windowStart = t;
            windowCount = 0;
          }
          if (++windowCount > faults.requestsPerSecond) {
            throw new ApiError(429, 'TOO_MANY_REQUESTS', 'Too many requests', undefined, false, faults.retryAfterSeconds);
          }
        }
        const auth = req.headers.authorization ?? '';
        const m = /^(OAuth|ApiKey) (\S+)$/.exec(auth);
        if (!m) throw new ApiError(401, 'AUTHENTICATION_ERROR', auth ? 'Unsupported authorization scheme: use "OAuth <token>" or "ApiKey <key>"' : 'Authorization header is missing');
        if (options.tokens && !options.tokens.includes(m[2] ?? '')) throw new ApiError(401, 'AUTHENTICATION_ERROR', 'The token or API key is not valid');

        const matched = options.router.match(method, url.pathname);
        if (matched === undefined) throw new ApiError(404, 'DOES_NOT_EXIST', `No such path: ${url.pathname}`);
        if (matched === 'method-not-allowed') throw new ApiError(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed on ${url.pathname}`);
        const raw = await readBody(req);
        let body: unknown;
        if (raw.length > 0) {
          const type = req.headers['content-type'] ?? '';
          if (!type.includes('application/json')) throw new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Content-Type must be application/json');
          try {
            body = JSON.parse(raw.toString('utf8'));
          } catch {
            throw new ApiError(400, 'VALIDATION_ERROR', 'Request body is not valid JSON');
          }
        }
        const request: Request = { method, path: url.pathname, query: url.searchParams, body, params: matched.params };
        options.admit?.(request);
        let reply: Reply;
        try {
          reply = await matched.handler(request);
        } finally {
          if (method !== 'GET' && method !== 'HEAD') options.afterChange?.();
        }
        if (faults.resetAfterRate > 0 && rng.next() < faults.resetAfterRate) {
          req.socket.destroy();
          return;
        }
        send(res, reply, requestId);
      } catch (err) {
        if (err instanceof ApiError) {
          const reply = errorReply(err, requestId);
          const retry = err.retryAfterSeconds !== undefined ? { 'Retry-After': String(err.retryAfterSeconds) } : undefined;
          send(res, retry ? { ...reply, headers: retry } : reply, requestId);
        } else {
          send(res, { status: 500, body: { request_id: requestId, code: 'INTERNAL_ERROR', message: err instanceof Error ? err.message : String(err) } }, requestId);
        }
      }
    })();
  };
}
