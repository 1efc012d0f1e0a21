/**
 * A listing response (`{"items": [...], "has_more": …}`) split where it lies in the bytes,
 * without parsing it whole. A large page parsed in one piece is a string of most of a
 * megabyte and every item's objects alive at once; split, each item is decoded and parsed
 * when it is used, and is garbage right after. Only the shape is scanned (jsonScan.ts), and
 * anything the scanner cannot follow makes it give up, so that the caller can parse the body
 * the ordinary way and report what is wrong.
 */
import { CLOSE_BRACE, CLOSE_BRACKET, COLON, COMMA, OPEN_BRACE, OPEN_BRACKET, QUOTE, skipSpace, skipString, skipValue } from './jsonScan';

export interface SplitListing {
  readonly bytes: Buffer;
  /** Start and end (exclusive) of each element of the array, in pairs. */
  readonly bounds: readonly number[];
  /** The object's other fields, parsed. */
  readonly fields: Readonly<Record<string, unknown>>;
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
