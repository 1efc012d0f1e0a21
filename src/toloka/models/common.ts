import { z } from 'zod';

/** Toloka ids are JSON strings; numbers are accepted and turned into strings. */
export const Id = z.union([z.string().min(1), z.number().int().transform(String)]).pipe(z.string());

/**
 * Date-times are UTC without a zone designator, `YYYY-MM-DDThh:mm[:ss[.ffffff]]`; the API also
 * returns 0 to 6 fractional digits and occasionally a trailing `Z`, and its docs write minutes only.
 */
export const DateTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?Z?$/, 'expected a UTC date-time like 2026-01-31T12:00:00');

/** The same date-time format, written by us: millisecond precision, no zone designator. */
export function formatDateTime(d: Date): string {
  return d.toISOString().replace('Z', '');
}

export function parseDateTime(s: string): Date {
  return new Date(s.endsWith('Z') ? s : `${s}Z`);
}

const digits = (s: string, from: number, to: number): number => {
  let v = 0;
  for (let i = from; i < to; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return NaN;
    v = v * 10 + d;
  }
  return v;
};

/**
 * `parseDateTime(s).getTime()` without building a Date from a string: read digit by digit, so
 * counting a million assignments' times takes a fraction of the time. Anything but the format
 * above goes the slow way.
 */
export function dateTimeMs(s: string): number {
  const n = s.length - (s.endsWith('Z') ? 1 : 0);
  if ((n !== 16 && n < 19) || s.charCodeAt(4) !== 45 || s.charCodeAt(10) !== 84) return parseDateTime(s).getTime();
  let ms = 0;
  if (n > 20 && s.charCodeAt(19) === 46) ms = Math.floor(digits(s, 20, n) * 10 ** (3 - (n - 20)));
  else if (n !== 16 && n !== 19) return parseDateTime(s).getTime();
  const v = Date.UTC(digits(s, 0, 4), digits(s, 5, 7) - 1, digits(s, 8, 10), digits(s, 11, 13), digits(s, 14, 16), n === 16 ? 0 : digits(s, 17, 19), ms);
  return Number.isNaN(v) ? parseDateTime(s).getTime() : v;
}

export const Owner = z.looseObject({
  id: z.string(),
  myself: z.boolean().optional(),
  company_id: z.string().optional(),
}).meta({ title: 'Owner' });

/** Text per language, keyed by upper-case ISO 639-1 codes (`EN`, `ZH-HANS`, …). */
export const LocalizedText = z.record(z.string(), z.string());

export const Metadata = z.record(z.string(), z.array(z.string()));

/** A v1 list page. */
export function page<T extends z.ZodType>(item: T) {
  return z.looseObject({ items: z.array(item), has_more: z.boolean() });
}

/** An apps-API list page. */
export function contentPage<T extends z.ZodType>(item: T) {
  return z.looseObject({ content: z.array(item), has_more: z.boolean() });
}

export const ErrorBody = z.looseObject({
  request_id: z.string().optional(),
  code: z.string(),
  message: z.string().optional(),
  payload: z.unknown().optional(),
});
export type ErrorBody = z.infer<typeof ErrorBody>;
