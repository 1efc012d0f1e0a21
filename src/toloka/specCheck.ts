/**
 * Values (input_values, output_values) checked against a project's field specs, with the
 * codes Toloka's API uses. Shared by the sandbox (as the server) and the upload validator.
 */
import type { FieldSpec, FieldSpecMap } from './models';

export type FieldErrors = Record<string, { code: string; message: string; params?: unknown[] }>;

const URL_RE = /^(https?|ftp):\/\/\S+$/i;
const COORD_RE = /^-?\d+(\.\d+)?,\s*-?\d+(\.\d+)?$/;

export function checkScalar(spec: FieldSpec, type: string, v: unknown): { code: string; message: string } | undefined {
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
