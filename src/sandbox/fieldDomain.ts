import type { FieldSpec } from '../toloka/models';
import { hash32 } from './rng';

/** The values an output field can take, when they are few enough to list (allowed values, a boolean, a small integer range). */
export function domain(field: FieldSpec): unknown[] | undefined {
  if ('allowed_values' in field && Array.isArray(field.allowed_values) && field.allowed_values.length > 0) return field.allowed_values as unknown[];
  if (field.type === 'boolean') return [true, false];
  if (field.type === 'integer' && 'min_value' in field && typeof field.min_value === 'number' && typeof field.max_value === 'number' && field.max_value - field.min_value <= 100) {
    return Array.from({ length: field.max_value - field.min_value + 1 }, (_, i) => (field.min_value as number) + i);
  }
  return undefined;
}

/** The hidden true answer of a task without known solutions. */
export function trueValue(seed: number, taskId: string, name: string, field: FieldSpec): unknown {
  const h = hash32(`${seed}/truth/${taskId}/${name}`);
  const values = domain(field);
  if (values) return values[h % values.length];
  switch (field.type) {
    case 'integer':
      return h % 100;
    case 'float':
      return (h % 10_000) / 100;
    case 'url':
      return `https://example.com/${h.toString(16)}`;
    case 'coordinates':
      return `${(h % 180) - 90}.5,${(h % 360) - 180}.5`;
    case 'json':
      return { value: h % 100 };
    case 'string':
      return `answer ${h % 1000}`;
    default:
      return field.type.startsWith('array_') ? [] : null;
  }
}

/** Another value than the truth: another of the field's values, a nearby number, a mistyped text. */
export function wrongValue(field: FieldSpec, truth: unknown, h: number): unknown {
  const values = domain(field);
  if (values) {
    const others = values.filter((v) => v !== truth);
    return others.length > 0 ? others[(h >>> 8) % others.length] : truth;
  }
  if (typeof truth === 'number') return truth + 1 + ((h >>> 8) % 5);
  if (typeof truth === 'string') return `${truth} (mistyped)`;
  return truth;
}
