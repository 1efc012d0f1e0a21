/**
 * What every reader of a user's file checks first, so that a wrong path is a sentence naming
 * it and saying what to do, never a bare EISDIR or ENOENT. No vscode import.
 */
import * as fs from 'node:fs';

/** A problem with a file as a whole or at a line: `file:line: message`. */
export class FileProblem extends Error {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    message: string,
  ) {
    super(line === undefined ? `${file}: ${message}` : `${file}:${line}: ${message}`);
    this.name = 'FileProblem';
  }
}

/** Throws a FileProblem unless `file` is a regular file this process can read. */
export async function assertReadableFile(file: string, what = 'a file'): Promise<void> {
  let stat: fs.Stats;
  try {
    stat = await fs.promises.stat(file);
  } catch (err) {
    throw fileProblemOf(file, err, what);
  }
  if (stat.isDirectory()) throw new FileProblem(file, undefined, `is a folder, not ${what}: name the file inside it`);
  if (!stat.isFile()) throw new FileProblem(file, undefined, `is not a regular file: give ${what}`);
  try {
    await fs.promises.access(file, fs.constants.R_OK);
  } catch (err) {
    throw fileProblemOf(file, err, what);
  }
}

/** A file system error as a sentence naming the path and what to do. */
export function fileProblemOf(file: string, err: unknown, what = 'a file'): FileProblem {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const message =
    code === 'ENOENT' ? `does not exist: check the path (it is relative to ${process.cwd()} unless absolute)`
    : code === 'EISDIR' ? `is a folder, not ${what}: name the file inside it`
    : code === 'EACCES' || code === 'EPERM' ? 'cannot be read: permission denied (check its owner and mode)'
    : code === 'ENOTDIR' ? 'is not reachable: a part of its path is a file, not a folder'
    : code === 'EMFILE' || code === 'ENFILE' ? 'cannot be opened now: too many open files (close some and try again)'
    : `cannot be read: ${err instanceof Error ? err.message : String(err)}`;
  return new FileProblem(file, undefined, message);
}
