import { plainText } from './text';
import { z } from 'zod';
import { TolokaError } from './errors';
import { checkResponse, type CallOptions, type HttpCore, type RequestSpec } from './http';
import { splitListing } from './jsonListing';
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
  return v === undefined || v === null ? undefined : plainText(v);
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

/** A page whose items are parsed and checked one at a time, as they are reached. */
export interface StreamedPage<T> {
  readonly size: number;
  readonly hasMore: boolean;
  /** Pass as `after` to get the next page. */
  readonly next: string | undefined;
  /**
   * The items in order. Each is parsed and checked against the schema when the iteration
   * reaches it; one that does not fit ends the iteration with the 'bad-response' error a
   * plain request would give, naming the item and field (`items.3.status: …`).
   */
  items(): Generator<T, void, undefined>;
}

/** A listing page as it came: its item count and each raw item on demand. */
interface RawPage {
  readonly size: number;
  readonly hasMore: boolean;
  raw(index: number): unknown;
}

const ListingTail = z.object({ has_more: z.boolean() });

/**
 * A listing body split into items without parsing it whole (see jsonListing). A body the
 * splitter cannot follow is parsed the ordinary way, which either reports what is wrong
 * with it or, should it be a listing after all, serves its items from that parse.
 */
function rawPage(bytes: Buffer, at: { method: string; path: string }): RawPage {
  const split = splitListing(bytes, 'items');
  if (split) {
    const { has_more } = checkResponse(ListingTail, split.fields, at);
    const { bounds } = split;
    return {
      size: bounds.length / 2,
      hasMore: has_more,
      raw: (index) => {
        try {
          return JSON.parse(bytes.toString('utf8', bounds[2 * index], bounds[2 * index + 1])) as unknown;
        } catch (err) {
          throw badJson(at, `items.${index} is not valid JSON (${err instanceof Error ? err.message : String(err)})`);
        }
      },
    };
  }
  let whole: unknown;
  try {
    whole = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw badJson(at, `the response is not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  const listing = checkResponse(page(z.unknown()), whole, at);
  return { size: listing.items.length, hasMore: listing.has_more, raw: (index) => listing.items[index] };
}

function badJson(at: { method: string; path: string }, message: string): TolokaError {
  return new TolokaError({ kind: 'bad-response', code: 'UNEXPECTED_RESPONSE', message, method: at.method, path: at.path });
}

/**
 * Every page of a v1 listing, one request ahead: as soon as a page arrives its last key
 * (the cursor) is read and the next page requested, and only then are this page's items
 * parsed and checked, one at a time, as the caller reaches them. The server prepares page
 * N+1 while the caller uses page N, and a page never exists as a whole parsed tree.
 */
export async function* v1PagesAhead<S extends z.ZodType>(core: HttpCore, listing: V1Listing<S>, options: PageOptions = {}): AsyncGenerator<StreamedPage<z.infer<S>>> {
  const { sortKey, params } = v1Query(listing, options);
  const at = { method: 'GET', path: listing.path };
  const fetchRaw = async (after: string | undefined): Promise<RawPage> => rawPage(await core.requestBytes({ path: listing.path, params: params(after), signal: options.signal }), at);
  let pending: Promise<RawPage> | undefined = fetchRaw(options.after);
  try {
    while (pending) {
      const page: RawPage = await pending;
      const next: string | undefined = page.hasMore && page.size > 0 ? keyOf(page.raw(page.size - 1), sortKey) : undefined;
      pending = next !== undefined && !options.signal?.aborted ? fetchRaw(next) : undefined;
      pending?.catch(() => undefined); // awaited on the next turn; never unhandled meanwhile
      yield {
        size: page.size,
        hasMore: page.hasMore,
        next,
        *items() {
          for (let i = 0; i < page.size; i++) yield checkResponse(listing.item, page.raw(i), { ...at, within: ['items', i] }) as z.infer<S>;
        },
      };
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
