/**
 * Request validation in Toloka's terms: zod issues become the field-path payload of a
 * VALIDATION_ERROR (`{"defaults.default_overlap_for_new_task_suites": {code, message}}`),
 * and task input values are checked against the project's input spec.
 */
import type { z } from 'zod';
import { validationFailed, type FieldErrors } from './apiError';
export { checkValues } from '../toloka/specCheck';

function codeOf(issue: z.core.$ZodIssue, value: unknown): { code: string; message: string; params?: unknown[] } {
  switch (issue.code) {
    case 'invalid_type':
      if (value === undefined || value === null) return { code: 'VALUE_REQUIRED', message: 'Value must be present and not equal to null' };
      if (issue.expected === 'number' || issue.expected === 'int') return { code: 'FLOAT_EXPECTED', message: 'Value must be a number' };
      if (issue.expected === 'string') return { code: 'STRING_EXPECTED', message: 'Value must be a string' };
      if (issue.expected === 'boolean') return { code: 'BOOLEAN_EXPECTED', message: 'Value must be a boolean' };
      if (issue.expected === 'array') return { code: 'ARRAY_EXPECTED', message: 'Value must be an array' };
      if (issue.expected === 'object' || issue.expected === 'record') return { code: 'OBJECT_EXPECTED', message: 'Value must be an object' };
      return { code: 'INVALID_VALUE', message: issue.message };
    case 'invalid_value':
    case 'invalid_union':
      return { code: 'UNKNOWN_ENUM_VALUE', message: issue.message };
    case 'too_small':
      return issue.origin === 'string'
        ? { code: 'STRING_LENGTH_LESS_THAN_MIN', message: issue.message, params: [issue.minimum] }
        : issue.origin === 'array'
          ? { code: 'ARRAY_SIZE_LESS_THAN_MIN', message: issue.message, params: [issue.minimum] }
          : { code: 'VALUE_LESS_THAN_MIN', message: `Value must be greater than or equal to ${String(issue.minimum)}`, params: [issue.minimum] };
    case 'too_big':
      return issue.origin === 'string'
        ? { code: 'STRING_LENGTH_GREATER_THAN_MAX', message: issue.message, params: [issue.maximum] }
        : issue.origin === 'array'
          ? { code: 'ARRAY_SIZE_GREATER_THAN_MAX', message: issue.message, params: [issue.maximum] }
          : { code: 'VALUE_GREATER_THAN_MAX', message: `Value must be less than or equal to ${String(issue.maximum)}`, params: [issue.maximum] };
    case 'invalid_format':
      return { code: 'PATTERN_MISMATCH', message: issue.message };
    case 'unrecognized_keys':
      return { code: 'VALUE_NOT_ALLOWED', message: 'Unknown field name' };
    default:
      return { code: 'INVALID_VALUE', message: issue.message };
  }
}

function valueAt(root: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let v: unknown = root;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

export function zodToFieldErrors(error: z.ZodError, input: unknown, prefix = ''): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    // An unknown field is named itself, as Toloka names it, not the object it is in.
    const at = issue.code === 'unrecognized_keys' ? issue.keys.map((k) => [path, k].filter(Boolean).join('.')) : [path || '(root)'];
    for (const p of at) out[p] ??= codeOf(issue, valueAt(input, issue.path));
  }
  return out;
}

/**
 * The body with its top-level `null` fields left out: Toloka reads a JSON null as an absent
 * field, and toloka-kit sends them (`"overlap": null` beside `"infinite_overlap": true` on a
 * training task).
 */
export function withoutNulls(body: unknown): unknown {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return body;
  if (!Object.values(body).includes(null)) return body;
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== null));
}

/** Parses with a model or throws a 400 VALIDATION_ERROR naming each field. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  body = withoutNulls(body);
  const r = schema.safeParse(body);
  if (!r.success) throw validationFailed(zodToFieldErrors(r.error, body));
  return r.data as z.infer<S>;
}
