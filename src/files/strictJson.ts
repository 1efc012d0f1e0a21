/**
 * JSON as the user wrote it, or a refusal: RFC 8259 and nothing it leaves open. Where
 * `JSON.parse` silently changes the data, this parser says so instead, naming where:
 * - a key given twice in one object (JSON.parse keeps the last);
 * - an integer beyond ±(2^53 − 1) (JSON.parse rounds it: …67891 becomes …67000);
 * - a number too large for a double (JSON.parse makes it Infinity);
 * - a lone UTF-16 surrogate, escaped or not (it is not text, and cannot be stored as UTF-8).
 * No vscode import.
 */

export class JsonRefusal extends Error {
  constructor(
    message: string,
    /** Offset in the text where the problem is. */
    readonly offset: number,
    /** JSON path of the value concerned, e.g. `input_values.tags[2]`; '' for the whole value. */
    readonly path: string,
    /** 'syntax': not JSON at all; 'data': JSON that JSON.parse would silently change. */
    readonly kind: 'syntax' | 'data' = 'syntax',
  ) {
    super(message);
    this.name = 'JsonRefusal';
  }

  /** `input_values: duplicate key "a" …`, `not valid JSON: …`: the path first, as problems are named. */
  get described(): string {
    const text = this.kind === 'syntax' ? `not valid JSON: ${this.message}` : this.message;
    return this.path ? `${this.path}: ${text}` : text;
  }
}

/** Lines (1-based) of an offset in a text. */
export function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

function child(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

class Parser {
  private i = 0;

  constructor(private readonly s: string) {}

  private fail(message: string, path: string, at = this.i): never {
    throw new JsonRefusal(message, at, path, 'syntax');
  }

  /** Valid JSON that could not be kept as written. */
  private refuse(message: string, path: string, at: number): never {
    throw new JsonRefusal(message, at, path, 'data');
  }

  private space(): void {
    const s = this.s;
    for (;;) {
      const c = s.charCodeAt(this.i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) this.i++;
      else return;
    }
  }

  parse(): unknown {
    this.space();
    if (this.i >= this.s.length) this.fail('no JSON value', '');
    const v = this.value('');
    this.space();
    if (this.i < this.s.length) this.fail(`unexpected ${this.describe(this.i)} after the value`, '');
    return v;
  }

  private describe(at: number): string {
    if (at >= this.s.length) return 'end of text';
    return JSON.stringify(this.s.slice(at, at + 1));
  }

  private value(path: string): unknown {
    const c = this.s.charCodeAt(this.i);
    if (c === 0x7b) return this.object(path);
    if (c === 0x5b) return this.array(path);
    if (c === 0x22) return this.string(path);
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number(path);
    if (this.s.startsWith('true', this.i)) {
      this.i += 4;
      return true;
    }
    if (this.s.startsWith('false', this.i)) {
      this.i += 5;
      return false;
    }
    if (this.s.startsWith('null', this.i)) {
      this.i += 4;
      return null;
    }
    return this.fail(`unexpected ${this.describe(this.i)}: expected a value`, path);
  }

  private object(path: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.i++;
    this.space();
    if (this.s.charCodeAt(this.i) === 0x7d) {
      this.i++;
      return out;
    }
    for (;;) {
      this.space();
      if (this.s.charCodeAt(this.i) !== 0x22) {
        if (this.s.charCodeAt(this.i) === 0x7d) this.fail('a comma before "}": JSON allows no trailing comma', path);
        this.fail(`unexpected ${this.describe(this.i)}: expected a key in quotes`, path);
      }
      const keyAt = this.i;
      const key = this.string(path);
      if (Object.prototype.hasOwnProperty.call(out, key)) this.refuse(`duplicate key ${JSON.stringify(key)} (only one value can be kept)`, path, keyAt);
      this.space();
      if (this.s.charCodeAt(this.i) !== 0x3a) this.fail(`unexpected ${this.describe(this.i)}: expected ":" after the key ${JSON.stringify(key)}`, path);
      this.i++;
      this.space();
      const v = this.value(child(path, key));
      // A key "__proto__" is data, as JSON.parse makes it: an own property, never the prototype.
      if (key === '__proto__') Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
      else out[key] = v;
      this.space();
      const c = this.s.charCodeAt(this.i);
      if (c === 0x2c) {
        this.i++;
        continue;
      }
      if (c === 0x7d) {
        this.i++;
        return out;
      }
      this.fail(`unexpected ${this.describe(this.i)}: expected "," or "}"`, path);
    }
  }

  private array(path: string): unknown[] {
    const out: unknown[] = [];
    this.i++;
    this.space();
    if (this.s.charCodeAt(this.i) === 0x5d) {
      this.i++;
      return out;
    }
    for (;;) {
      this.space();
      if (this.s.charCodeAt(this.i) === 0x5d) this.fail('a comma before "]": JSON allows no trailing comma', path);
      out.push(this.value(child(path, out.length)));
      this.space();
      const c = this.s.charCodeAt(this.i);
      if (c === 0x2c) {
        this.i++;
        continue;
      }
      if (c === 0x5d) {
        this.i++;
        return out;
      }
      this.fail(`unexpected ${this.describe(this.i)}: expected "," or "]"`, path);
    }
  }

  private string(path: string): string {
    const s = this.s;
    const start = ++this.i;
    // The common case: no escapes, nothing to check but the characters themselves.
    let j = start;
    for (;;) {
      const c = s.charCodeAt(j);
      if (c === 0x22) {
        this.i = j + 1;
        return s.slice(start, j);
      }
      if (c === 0x5c || Number.isNaN(c)) break;
      if (c < 0x20) this.fail('a control character inside a string: write it as an escape (\\n, \\t, \\u0000…)', path, j);
      if (c >= 0xd800 && c <= 0xdfff) {
        if (c <= 0xdbff && (s.charCodeAt(j + 1) & 0xfc00) === 0xdc00) j++;
        else this.refuse('a lone UTF-16 surrogate inside a string: it is not text', path, j);
      }
      j++;
    }
    let out = s.slice(start, j);
    this.i = j;
    for (;;) {
      const c = s.charCodeAt(this.i);
      if (Number.isNaN(c)) this.fail('the text ends inside a string', path, start - 1);
      if (c === 0x22) {
        this.i++;
        return out;
      }
      if (c === 0x5c) {
        const e = s.charCodeAt(this.i + 1);
        this.i += 2;
        switch (e) {
          case 0x22: out += '"'; break;
          case 0x5c: out += '\\'; break;
          case 0x2f: out += '/'; break;
          case 0x62: out += '\b'; break;
          case 0x66: out += '\f'; break;
          case 0x6e: out += '\n'; break;
          case 0x72: out += '\r'; break;
          case 0x74: out += '\t'; break;
          case 0x75: {
            const unit = this.hex4(path);
            if (unit >= 0xd800 && unit <= 0xdbff) {
              if (s.charCodeAt(this.i) === 0x5c && s.charCodeAt(this.i + 1) === 0x75) {
                const save = this.i;
                this.i += 2;
                const low = this.hex4(path);
                if (low >= 0xdc00 && low <= 0xdfff) {
                  out += String.fromCharCode(unit, low);
                  break;
                }
                this.i = save;
              }
              this.refuse(`a lone UTF-16 surrogate \\u${unit.toString(16).toUpperCase()} inside a string: it is not text`, path, this.i - 6);
            }
            if (unit >= 0xdc00 && unit <= 0xdfff) this.refuse(`a lone UTF-16 surrogate \\u${unit.toString(16).toUpperCase()} inside a string: it is not text`, path, this.i - 6);
            out += String.fromCharCode(unit);
            break;
          }
          default:
            this.fail(`an unknown escape \\${Number.isNaN(e) ? '' : String.fromCharCode(e)} inside a string`, path, this.i - 2);
        }
        continue;
      }
      if (c < 0x20) this.fail('a control character inside a string: write it as an escape (\\n, \\t, \\u0000…)', path);
      if (c >= 0xd800 && c <= 0xdfff) {
        if (c <= 0xdbff && (s.charCodeAt(this.i + 1) & 0xfc00) === 0xdc00) {
          out += s.slice(this.i, this.i + 2);
          this.i += 2;
          continue;
        }
        this.refuse('a lone UTF-16 surrogate inside a string: it is not text', path, this.i);
      }
      // A run of plain characters up to the next quote, escape or character to check.
      let k = this.i + 1;
      for (;;) {
        const d = s.charCodeAt(k);
        if (d === 0x22 || d === 0x5c || d < 0x20 || (d >= 0xd800 && d <= 0xdfff) || Number.isNaN(d)) break;
        k++;
      }
      out += s.slice(this.i, k);
      this.i = k;
    }
  }

  private hex4(path: string): number {
    const h = this.s.slice(this.i, this.i + 4);
    if (!/^[0-9a-fA-F]{4}$/.test(h)) this.fail('\\u must be followed by four hexadecimal digits', path, this.i - 2);
    this.i += 4;
    return parseInt(h, 16);
  }

  private number(path: string): number {
    const s = this.s;
    const start = this.i;
    let j = start;
    if (s.charCodeAt(j) === 0x2d) j++;
    const digits = (): number => {
      const from = j;
      while (s.charCodeAt(j) >= 0x30 && s.charCodeAt(j) <= 0x39) j++;
      return j - from;
    };
    const intStart = j;
    const intDigits = digits();
    if (intDigits === 0) this.fail('a number needs digits', path, start);
    if (intDigits > 1 && s.charCodeAt(intStart) === 0x30) this.fail('a number cannot start with 0 (leading zeros are not JSON)', path, start);
    let integer = true;
    if (s.charCodeAt(j) === 0x2e) {
      j++;
      integer = false;
      if (digits() === 0) this.fail('a number needs digits after "."', path, start);
    }
    if ((s.charCodeAt(j) | 0x20) === 0x65) {
      j++;
      integer = false;
      if (s.charCodeAt(j) === 0x2b || s.charCodeAt(j) === 0x2d) j++;
      if (digits() === 0) this.fail('a number needs digits in its exponent', path, start);
    }
    const text = s.slice(start, j);
    const n = Number(text);
    this.i = j;
    if (integer && intDigits > 15 && (n > MAX_SAFE || n < -MAX_SAFE)) {
      this.refuse(`the integer ${text} is beyond ±${MAX_SAFE} and cannot be kept exactly: write it as a string ("${text}")`, path, start);
    }
    if (!Number.isFinite(n)) this.refuse(`the number ${text} is too large to be kept`, path, start);
    return n;
  }
}

/** The value of a JSON text; a JsonRefusal names the offset and the path of what is wrong. */
export function parseStrictJson(text: string): unknown {
  return new Parser(text).parse();
}
