/** A value as text for a message or a query: strings as they are, numbers and booleans printed, anything else as JSON. */
export function plainText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (v === undefined) return 'undefined';
  // JSON.stringify gives undefined only for functions and symbols.
  return JSON.stringify(v) ?? typeof v;
}
