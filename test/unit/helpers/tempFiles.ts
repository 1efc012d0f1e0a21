/** Files a test file writes into a folder of its own, removed after its tests. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after } from 'node:test';

/** A fresh temporary folder, removed after the tests, and `file(content, ext)`, which writes `f<n>.<ext>` into it and returns its path. */
export function tempFiles(prefix: string): { readonly dir: string; readonly file: (content: string | Buffer, ext?: string) => string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  let n = 0;
  return {
    dir,
    file: (content, ext = 'csv') => {
      const f = path.join(dir, `f${n++}.${ext}`);
      fs.writeFileSync(f, content);
      return f;
    },
  };
}
