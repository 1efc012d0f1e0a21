/**
 * The shape of JSON in bytes: where a value, a string or a run of spaces ends, found without
 * parsing. Strings are skipped by finding their closing quote; a value these cannot follow
 * ends at -1, and the caller parses the bytes the ordinary way to say what is wrong. Used to
 * split listing pages (jsonListing.ts) and to read a JSON array file an element at a time
 * (files/records.ts). No vscode import.
 */

export const QUOTE = 0x22;
export const BACKSLASH = 0x5c;
export const COMMA = 0x2c;
export const COLON = 0x3a;
export const OPEN_BRACE = 0x7b;
export const CLOSE_BRACE = 0x7d;
export const OPEN_BRACKET = 0x5b;
export const CLOSE_BRACKET = 0x5d;

export function isSpace(c: number | undefined): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** Past the closing quote of the string opening at `i`, or -1. */
export function skipString(bytes: Buffer, i: number): number {
  let j = i + 1;
  for (;;) {
    j = bytes.indexOf(QUOTE, j);
    if (j < 0) return -1;
    let backslashes = 0;
    for (let k = j - 1; bytes[k] === BACKSLASH; k--) backslashes++;
    if (backslashes % 2 === 0) return j + 1;
    j++;
  }
}

/** Past the value starting at `i` (no leading space), or -1 where the bytes do not hold one. */
export function skipValue(bytes: Buffer, i: number): number {
  const c = bytes[i];
  if (c === QUOTE) return skipString(bytes, i);
  if (c === OPEN_BRACE || c === OPEN_BRACKET) {
    let depth = 0;
    for (let j = i; j < bytes.length; ) {
      const d = bytes[j] as number;
      if (d === QUOTE) {
        j = skipString(bytes, j);
        if (j < 0) return -1;
        continue;
      }
      if (d === OPEN_BRACE || d === OPEN_BRACKET) depth++;
      else if (d === CLOSE_BRACE || d === CLOSE_BRACKET) {
        depth--;
        if (depth === 0) return j + 1;
      }
      j++;
    }
    return -1;
  }
  // A number, true, false or null: up to the next delimiter.
  let j = i;
  while (j < bytes.length) {
    const d = bytes[j];
    if (d === COMMA || d === CLOSE_BRACE || d === CLOSE_BRACKET || isSpace(d)) break;
    j++;
  }
  return j > i ? j : -1;
}

export function skipSpace(bytes: Buffer, i: number): number {
  while (isSpace(bytes[i])) i++;
  return i;
}
