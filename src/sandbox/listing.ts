/** Toloka's list semantics: `sort`, `<field>_gt/_gte/_lt/_lte` ranges, `limit` caps, `has_more`. */
import { plainText } from '../toloka/text';
import { validationFailed } from './apiError';
import { binarySearchAfter } from './state';

export interface ListResult<T> {
  readonly items: T[];
  readonly has_more: boolean;
}

const RANGE = /^(.+)_(gt|gte|lt|lte)$/;

export function parseLimit(query: URLSearchParams, max: number, fallback = 50): number {
  const raw = query.get('limit');
  if (raw === null || raw === '') return Math.min(fallback, max);
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw validationFailed({ limit: { code: 'VALUE_LESS_THAN_MIN', message: 'Value must be greater than or equal to 1', params: [1] } });
  if (n > max) throw validationFailed({ limit: { code: 'VALUE_GREATER_THAN_MAX', message: `Value must be less than or equal to ${max}`, params: [max] } });
  return n;
}

function get(item: unknown, field: string): unknown {
  return (item as Record<string, unknown>)[field];
}

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === undefined || a === null) return 1;
  if (b === undefined || b === null) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  // Numeric ids (projects, pools) compare as numbers, as Toloka sorts them.
  if (typeof a === 'string' && typeof b === 'string' && /^\d+$/.test(a) && /^\d+$/.test(b)) return a.length - b.length || (a < b ? -1 : 1);
  return plainText(a) < plainText(b) ? -1 : 1;
}

/** A predicate for the range parameters present in the query over the allowed fields. */
export function rangeFilter(query: URLSearchParams, fields: readonly string[]): (item: unknown) => boolean {
  const checks: Array<(item: unknown) => boolean> = [];
  for (const [key, value] of query) {
    const m = RANGE.exec(key);
    if (!m || !fields.includes(m[1] ?? '')) continue;
    const field = m[1] ?? '';
    const op = m[2];
    const target: unknown = field === 'overlap' ? Number(value) : value;
    checks.push((item) => {
      const v = get(item, field);
      if (v === undefined || v === null) return false;
      const c = compare(v, target);
      return op === 'gt' ? c > 0 : op === 'gte' ? c >= 0 : op === 'lt' ? c < 0 : c <= 0;
    });
  }
  return (item) => checks.every((c) => c(item));
}

export interface ListSpec<T> {
  readonly sortable: readonly string[];
  readonly ranges: readonly string[];
  readonly maxLimit: number;
  readonly defaultLimit?: number;
  readonly where?: (item: T) => boolean;
}

function parseSort(query: URLSearchParams, sortable: readonly string[]): Array<{ field: string; desc: boolean }> {
  const raw = query.get('sort') ?? 'id';
  const keys = raw.split(',').filter(Boolean).map((k) => ({ field: k.replace(/^-/, ''), desc: k.startsWith('-') }));
  for (const k of keys) {
    if (!sortable.includes(k.field)) throw validationFailed({ sort: { code: 'VALUE_NOT_ALLOWED', message: `Sorting by ${k.field} is not allowed; use one of ${sortable.join(', ')}` } });
  }
  return keys;
}

/** Filters, sorts and pages a small collection in memory. */
export function listGeneric<T>(items: Iterable<T>, query: URLSearchParams, spec: ListSpec<T>): ListResult<T> {
  const limit = parseLimit(query, spec.maxLimit, spec.defaultLimit);
  const sort = parseSort(query, spec.sortable);
  const inRange = rangeFilter(query, spec.ranges);
  const matching: T[] = [];
  for (const item of items) if ((!spec.where || spec.where(item)) && inRange(item)) matching.push(item);
  matching.sort((a, b) => {
    for (const { field, desc } of sort) {
      const c = compare(get(a, field), get(b, field));
      if (c !== 0) return desc ? -c : c;
    }
    return compare(get(a, 'id'), get(b, 'id'));
  });
  return { items: matching.slice(0, limit), has_more: matching.length > limit };
}

/**
 * Pages an array already sorted by `id` (tasks, suites, assignments of a pool) without
 * sorting it: a binary search to the cursor, then a scan for `limit + 1` matches.
 */
export function listSortedById<R, T>(records: readonly R[], idOf: (r: R) => string, view: (r: R) => T, query: URLSearchParams, spec: ListSpec<T>): ListResult<T> {
  const sort = query.get('sort') ?? 'id';
  if (sort !== 'id' && sort !== 'created') return listGeneric(records.map(view), query, spec);
  const limit = parseLimit(query, spec.maxLimit, spec.defaultLimit);
  const gt = query.get('id_gt');
  const gte = query.get('id_gte');
  let start = 0;
  if (gt !== null) start = binarySearchAfter(records, idOf, gt);
  else if (gte !== null) {
    start = binarySearchAfter(records, idOf, gte);
    while (start > 0 && idOf(records[start - 1] as R) >= gte) start--;
  }
  const inRange = rangeFilter(query, spec.ranges.filter((f) => f !== 'id' || (query.get('id_lt') ?? query.get('id_lte')) !== null));
  const items: T[] = [];
  let hasMore = false;
  for (let i = start; i < records.length; i++) {
    const item = view(records[i] as R);
    if ((spec.where && !spec.where(item)) || !inRange(item)) continue;
    if (items.length === limit) {
      hasMore = true;
      break;
    }
    items.push(item);
  }
  return { items, has_more: hasMore };
}
