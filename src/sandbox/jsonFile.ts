/** A JSON file read whole, its errors naming the file: cannot read (with the system's code), or not JSON. No vscode import. */
import * as fs from 'node:fs';

export function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`${file}: cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { cause: err });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new Error(`${file}: not JSON: ${(err as Error).message}`, { cause: err });
  }
}
