/**
 * Request validation in Toloka's terms: zod issues become the field-path payload of a
 * VALIDATION_ERROR (`{"defaults.default_overlap_for_new_task_suites": {code, message}}`),
 * and task input values are checked against the project's input spec.
 */
import type { z } from 'zod';
import type { FieldSpec, FieldSpecMap } from '../toloka/models';
import { validationFailed, type FieldErrors } from './apiError';

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
    out[path || '(root)'] ??= codeOf(issue, valueAt(input, issue.path));
  }
  return out;
}

/** Parses with a model or throws a 400 VALIDATION_ERROR naming each field. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const r = schema.safeParse(body);
  if (!r.success) throw validationFailed(zodToFieldErrors(r.error, body));
  return r.data as z.infer<S>;
}

const URL_RE = /^(https?|ftp):\/\/\S+$/i;
const COORD_RE = /^-?\d+(\.\d+)?,\s*-?\d+(\.\d+)?$/;

function checkScalar(spec: FieldSpec, type: string, v: unknown): { code: string; message: string } | undefined {
  switch (type) {
    case 'string':
      if (typeof v !== 'string') return { code: 'STRING_EXPECTED', message: 'Value must be a string' };
      if ('allowed_values' in spec && Array.isArray(spec.allowed_values) && !(spec.allowed_values as unknown[]).includes(v)) return { code: 'VALUE_NOT_ALLOWED', message: `Value must be one of ${JSON.stringify(spec.allowed_values)}` };
      if ('max_length' in spec && typeof spec.max_length === 'number' && v.length > spec.max_length) return { code: 'STRING_LENGTH_GREATER_THAN_MAX', message: `String is longer than ${spec.max_length}` };
      if ('min_length' in spec && typeof spec.min_length === 'number' && v.length < spec.min_length) return { code: 'STRING_LENGTH_LESS_THAN_MIN', message: `String is shorter than ${spec.min_length}` };
      return undefined;
    case 'integer':
      if (typeof v !== 'number' || !Number.isInteger(v)) return { code: 'INTEGER_EXPECTED', message: 'Value must be an integer' };
      break;
    case 'float':
      if (typeof v !== 'number' || !Number.isFinite(v)) return { code: 'FLOAT_EXPECTED', message: 'Value must be a number' };
      break;
    case 'boolean':
      if (typeof v !== 'boolean') return { code: 'BOOLEAN_EXPECTED', message: 'Value must be a boolean' };
      return undefined;
    case 'url':
      if (typeof v !== 'string' || !URL_RE.test(v)) return { code: 'INVALID_URL_SYNTAX', message: 'Value must be in valid url format' };
      return undefined;
    case 'coordinates':
      if (typeof v !== 'string' || !COORD_RE.test(v)) return { code: 'INVALID_COORDINATES_SYNTAX', message: 'Value must be coordinates like "55.75,37.61"' };
      return undefined;
    case 'file':
    case 'json':
      return undefined;
    default:
      return undefined;
  }
  // integer and float ranges
  const n = v as number;
  if ('min_value' in spec && typeof spec.min_value === 'number' && n < spec.min_value) return { code: 'VALUE_LESS_THAN_MIN', message: `Value must be greater than or equal to ${spec.min_value}` };
  if ('max_value' in spec && typeof spec.max_value === 'number' && n > spec.max_value) return { code: 'VALUE_GREATER_THAN_MAX', message: `Value must be less than or equal to ${spec.max_value}` };
  if ('allowed_values' in spec && Array.isArray(spec.allowed_values) && !(spec.allowed_values as unknown[]).includes(n)) return { code: 'VALUE_NOT_ALLOWED', message: `Value must be one of ${JSON.stringify(spec.allowed_values)}` };
  return undefined;
}

/** Checks a values object (input_values, output_values) against a field spec map. */
export function checkValues(spec: FieldSpecMap, values: Record<string, unknown>, prefix: string): FieldErrors {
  const errors: FieldErrors = {};
  for (const [name, field] of Object.entries(spec)) {
    const v = values[name];
    const path = `${prefix}.${name}`;
    if (v === undefined || v === null) {
      if (field.required !== false) errors[path] = { code: 'VALUE_REQUIRED', message: 'Value must be present and not equal to null' };
      continue;
    }
    if (field.type.startsWith('array_')) {
      if (!Array.isArray(v)) {
        errors[path] = { code: 'ARRAY_EXPECTED', message: 'Value must be an array' };
        continue;
      }
      const inner = field.type.slice('array_'.length);
      const bad = v.findIndex((x) => checkScalar(field, inner, x) !== undefined);
      if (bad >= 0) errors[`${path}.${bad}`] = checkScalar(field, inner, v[bad]) ?? { code: 'INVALID_VALUE', message: 'invalid' };
      continue;
    }
    const problem = checkScalar(field, field.type, v);
    if (problem) errors[path] = problem;
  }
  for (const name of Object.keys(values)) {
    if (!(name in spec)) errors[`${prefix}.${name}`] = { code: 'VALUE_NOT_ALLOWED', message: 'Unknown field name' };
  }
  return errors;
}
