import { z } from 'zod';
import { checkResponse, type CallOptions, type HttpCore, type RequestSpec } from './http';
import { contentPage, page } from './models/common';

export type Params = NonNullable<RequestSpec<z.ZodType>['params']>;

export interface Page<T> {
  readonly items: T[];
  readonly hasMore: boolean;
  /** Pass as `after` to get the next page. */
  readonly next: string | undefined;
}

export interface PageOptions extends CallOptions {
  /** Items per request; capped by each endpoint's documented maximum. */
  readonly limit?: number | undefined;
  /** Cursor from the previous page's `next`. */
  readonly after?: string | undefined;
}

interface V1Listing<S extends z.ZodType> {
  readonly path: string;
  readonly item: S;
  readonly params?: Params | undefined;
  /** Field the listing is sorted by and paged on with `<key>_gt`. */
  readonly sortKey?: string | undefined;
  readonly maxLimit: number;
  readonly defaultLimit?: number | undefined;
}

function keyOf(item: unknown, key: string): string | undefined {
  const v = item && typeof item === 'object' ? (item as Record<string, unknown>)[key] : undefined;
  return v === undefined || v === null ? undefined : String(v);
}

/** The sort key, and the query of the page after a given key. */
function v1Query(listing: V1Listing<z.ZodType>, options: PageOptions): { sortKey: string; params: (after: string | undefined) => Params } {
  const sortKey = listing.sortKey ?? 'id';
  const limit = Math.min(options.limit ?? listing.defaultLimit ?? 50, listing.maxLimit);
  return { sortKey, params: (after) => ({ ...listing.params, sort: sortKey, limit, ...(after ? { [`${sortKey}_gt`]: after } : {}) }) };
}

/** One page of a v1 listing (`items`/`has_more`), continued with `<sortKey>_gt=<last key>`. */
export async function v1Page<S extends z.ZodType>(core: HttpCore, listing: V1Listing<S>, options: PageOptions = {}): Promise<Page<z.infer<S>>> {
  const { sortKey, params } = v1Query(listing, options);
  const result = await core.request({ method: 'GET', path: listing.path, params: params(options.after), schema: page(listing.item), signal: options.signal });
  const items = result.items as Array<z.infer<S>>;
  const last = items[items.length - 1];
  return { items, hasMore: result.has_more, next: result.has_more && last !== undefined ? keyOf(last, sortKey) : undefined };
}

/** Every item of a v1 listing, page by page, as toloka-kit's find-all does. */
export async function* v1All<S extends z.ZodType>(core: HttpCore, listing: V1Listing<S>, options: PageOptions = {}): AsyncGenerator<z.infer<S>> {
  let after = options.after;
  for (;;) {
    const p = await v1Page(core, listing, { ...options, after });
    yield* p.items;
    if (!p.hasMore || p.next === undefined) return;
    after = p.next;
  }
}

/** A page as it arrives: the items are checked later, one page behind the requests. */
const RawPage = z.object({ items: z.array(z.unknown()), has_more: z.boolean() });

/**
 * Every page of a v1 listing, one request ahead: as soon as a page arrives its last key
 * (the cursor) is read and the next page requested, and only then are this page's items
 * checked against the schema and handed over. The server prepares page N+1 while the caller
 * validates and uses page N. A page whose items do not fit the schema ends the listing with
 * the same error a plain request would give.
 */
export async function* v1PagesAhead<S extends z.ZodType>(core: HttpCore, listing: V1Listing<S>, options: PageOptions = {}): AsyncGenerator<Page<z.infer<S>>> {
  const { sortKey, params } = v1Query(listing, options);
  const items = z.array(listing.item);
  const fetchRaw = (after: string | undefined): Promise<z.infer<typeof RawPage>> =>
    core.request({ method: 'GET', path: listing.path, params: params(after), schema: RawPage, signal: options.signal });
  let pending: Promise<z.infer<typeof RawPage>> | undefined = fetchRaw(options.after);
  try {
    while (pending) {
      const raw: z.infer<typeof RawPage> = await pending;
      const next: string | undefined = raw.has_more ? keyOf(raw.items[raw.items.length - 1], sortKey) : undefined;
      pending = next !== undefined && !options.signal?.aborted ? fetchRaw(next) : undefined;
      pending?.catch(() => undefined); // awaited on the next turn; never unhandled meanwhile
      const checked = checkResponse(items, raw.items, { method: 'GET', path: listing.path });
      yield { items: checked as Array<z.infer<S>>, hasMore: raw.has_more, next };
    }
  } finally {
    pending?.catch(() => undefined);
  }
}

interface AppsListing<S extends z.ZodType> {
  readonly path: string;
  readonly item: S;
  readonly params?: Params | undefined;
  readonly sort?: string | undefined;
  readonly maxLimit: number;
}

/** One page of an apps listing (`content`/`has_more`), continued with `after_id`. */
export async function appsPage<S extends z.ZodType>(core: HttpCore, listing: AppsListing<S>, options: PageOptions = {}): Promise<Page<z.infer<S>>> {
  const limit = Math.min(options.limit ?? 100, listing.maxLimit);
  const result = await core.request({
    method: 'GET',
    path: listing.path,
    params: { ...listing.params, ...(listing.sort ? { sort: listing.sort } : {}), limit, ...(options.after ? { after_id: options.after } : {}) },
    schema: contentPage(listing.item),
    signal: options.signal,
  });
  const items = result.content as Array<z.infer<S>>;
  const last = items[items.length - 1];
  return { items, hasMore: result.has_more, next: result.has_more && last !== undefined ? keyOf(last, 'id') : undefined };
}

export async function* appsAll<S extends z.ZodType>(core: HttpCore, listing: AppsListing<S>, options: PageOptions = {}): AsyncGenerator<z.infer<S>> {
  let after = options.after;
  for (;;) {
    const p = await appsPage(core, listing, { ...options, after });
    yield* p.items;
    if (!p.hasMore || p.next === undefined) return;
    after = p.next;
  }
}

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}
