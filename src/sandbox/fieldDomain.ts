import type { FieldSpec } from '../toloka/models';

/** The values an output field can take, when they are few enough to list (allowed values, a boolean, a small integer range). */
export function domain(field: FieldSpec): unknown[] | undefined {
  if ('allowed_values' in field && Array.isArray(field.allowed_values) && field.allowed_values.length > 0) return field.allowed_values as unknown[];
  if (field.type === 'boolean') return [true, false];
  if (field.type === 'integer' && 'min_value' in field && typeof field.min_value === 'number' && typeof field.max_value === 'number' && field.max_value - field.min_value <= 100) {
    return Array.from({ length: field.max_value - field.min_value + 1 }, (_, i) => (field.min_value as number) + i);
  }
  return undefined;
}
