import * as fs from 'node:fs';
import * as path from 'node:path';

/** Writes a new file (its folder made if need be) in 64 KiB appends, so a million lines never become one string. */
export class TextWriter {
  private buffer = '';
  private constructor(private readonly fd: fs.promises.FileHandle) {}

  static async open(file: string): Promise<TextWriter> {
    await fs.promises.mkdir(path.dirname(file), { recursive: true });
    return new TextWriter(await fs.promises.open(file, 'w'));
  }

  async write(text: string): Promise<void> {
    this.buffer += text;
    if (this.buffer.length > 1 << 16) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.buffer) await this.fd.write(this.buffer);
    this.buffer = '';
  }

  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      await this.fd.close();
    }
  }
}
