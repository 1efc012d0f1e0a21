/** Canonical JSON (sorted keys), its hash, and a field-level diff of two JSON values. No `vscode` import. */
import { createHash } from 'node:crypto';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The value with every object's keys sorted and undefined members dropped. */
export function canonical(value: unknown): Json {
  if (Array.isArray(value)) return value.map(canonical);
  if (isRecord(value)) {
    const out: { [key: string]: Json } = {};
    for (const k of Object.keys(value).sort()) if (value[k] !== undefined) out[k] = canonical(value[k]);
    return out;
  }
  return value as Json;
}

export function canonicalText(value: unknown, indent?: number): string {
  return JSON.stringify(canonical(value), null, indent);
}

export function hashOf(value: unknown): string {
  return createHash('sha256').update(canonicalText(value)).digest('hex');
}

export interface FieldChange {
  /** `quality_control.configs[0].rules`, or `(document)`. */
  readonly path: string;
  readonly before: Json | undefined;
  readonly after: Json | undefined;
}

function join(path: string, key: string | number): string {
  return typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key;
}

/**
 * What would change from `before` to `after`: objects compared key by key, arrays and scalars as
 * a whole. With `desiredKeysOnly`, keys `after` lacks are not reported (the server's defaults).
 */
export function diff(before: unknown, after: unknown, options: { desiredKeysOnly?: boolean } = {}, path = ''): FieldChange[] {
  if (isRecord(before) && isRecord(after)) {
    const keys = new Set([...Object.keys(after), ...(options.desiredKeysOnly ? [] : Object.keys(before))]);
    return [...keys].sort().flatMap((k) => diff(before[k], after[k], options, join(path, k)));
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length && options.desiredKeysOnly) {
    return after.flatMap((v, i) => diff(before[i], v, options, join(path, i)));
  }
  if (canonicalText(before) === canonicalText(after)) return [];
  return [{ path: path || '(document)', before: before === undefined ? undefined : canonical(before), after: after === undefined ? undefined : canonical(after) }];
}
