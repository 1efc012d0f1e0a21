/**
 * Text gathered as UTF-8 bytes in one growing buffer. Appending many small strings here and
 * writing the bytes once is several times faster than joining them into one long string first:
 * a long string built with `+=` is a rope that V8 must flatten, and then encode, as a whole.
 */
export class Utf8Buffer {
  private buffer: Buffer;
  private used = 0;

  constructor(initialBytes = 1 << 16) {
    this.buffer = Buffer.allocUnsafe(initialBytes);
  }

  append(text: string): void {
    // A UTF-16 code unit never takes more than three UTF-8 bytes.
    const need = this.used + text.length * 3;
    if (need > this.buffer.length) {
      const bigger = Buffer.allocUnsafe(Math.max(need, this.buffer.length * 2));
      this.buffer.copy(bigger, 0, 0, this.used);
      this.buffer = bigger;
    }
    this.used += this.buffer.write(text, this.used, 'utf8');
  }

  get byteLength(): number {
    return this.used;
  }

  /** The bytes so far: a view that the next append or clear may overwrite. */
  bytes(): Buffer {
    return this.buffer.subarray(0, this.used);
  }

  clear(): void {
    this.used = 0;
  }
}
