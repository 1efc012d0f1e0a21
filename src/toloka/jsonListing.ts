/**
 * A listing response (`{"items": [...], "has_more": …}`) split where it lies in the bytes,
 * without parsing it whole. A large page parsed in one piece is a string of most of a
 * megabyte and every item's objects alive at once; split, each item is decoded and parsed
 * when it is used, and is garbage right after. Only the shape is scanned here: strings are
 * skipped by finding their closing quote, and anything this scanner cannot follow makes it
 * give up, so that the caller can parse the body the ordinary way and report what is wrong.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

export interface SplitListing {
  readonly bytes: Buffer;
  /** Start and end (exclusive) of each element of the array, in pairs. */
  readonly bounds: readonly number[];
  /** The object's other fields, parsed. */
  readonly fields: Readonly<Record<string, unknown>>;
}

function isSpace(c: number | undefined): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** Past the closing quote of the string opening at `i`, or -1. */
function skipString(bytes: Buffer, i: number): number {
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
function skipValue(bytes: Buffer, i: number): number {
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

function skipSpace(bytes: Buffer, i: number): number {
  while (isSpace(bytes[i])) i++;
  return i;
}

/**
 * The elements of the array under `arrayKey` in a JSON object, and its other fields; undefined
 * when the bytes are not such an object (the caller then parses them whole for the reason).
 * An element the scan accepts may still fail to parse on its own: that is the caller's to report.
 */
export function splitListing(bytes: Buffer, arrayKey: string): SplitListing | undefined {
  const bounds: number[] = [];
  const fields: Record<string, unknown> = {};
  let found = false;
  let i = skipSpace(bytes, 0);
  if (bytes[i] !== OPEN_BRACE) return undefined;
  i = skipSpace(bytes, i + 1);
  if (bytes[i] === CLOSE_BRACE) return undefined;
  for (;;) {
    if (bytes[i] !== QUOTE) return undefined;
    const keyEnd = skipString(bytes, i);
    if (keyEnd < 0) return undefined;
    let key: unknown;
    try {
      key = JSON.parse(bytes.toString('utf8', i, keyEnd));
    } catch {
      return undefined;
    }
    i = skipSpace(bytes, keyEnd);
    if (bytes[i] !== COLON) return undefined;
    i = skipSpace(bytes, i + 1);
    if (key === arrayKey && bytes[i] === OPEN_BRACKET) {
      found = true;
      bounds.length = 0; // a repeated key counts once, the last time, as in JSON.parse
      delete fields[arrayKey];
      i = skipSpace(bytes, i + 1);
      if (bytes[i] === CLOSE_BRACKET) i++;
      else {
        for (;;) {
          const end = skipValue(bytes, i);
          if (end < 0) return undefined;
          bounds.push(i, end);
          i = skipSpace(bytes, end);
          if (bytes[i] === CLOSE_BRACKET) {
            i++;
            break;
          }
          if (bytes[i] !== COMMA) return undefined;
          i = skipSpace(bytes, i + 1);
        }
      }
    } else {
      const end = skipValue(bytes, i);
      if (end < 0) return undefined;
      try {
        fields[key as string] = JSON.parse(bytes.toString('utf8', i, end));
      } catch {
        return undefined;
      }
      if (key === arrayKey) {
        found = false;
        bounds.length = 0;
      }
      i = end;
    }
    i = skipSpace(bytes, i);
    if (bytes[i] === CLOSE_BRACE) break;
    if (bytes[i] !== COMMA) return undefined;
    i = skipSpace(bytes, i + 1);
  }
  if (skipSpace(bytes, i + 1) !== bytes.length || !found) return undefined;
  return { bytes, bounds, fields };
}
