import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { throwIfAborted } from '../toloka/errors';

/** SHA-256 of a file's bytes, streamed: what identifies its content whatever its mtime says. */
export async function contentHash(file: string, signal?: AbortSignal): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  const stream = fs.createReadStream(file, { highWaterMark: 1 << 20 });
  try {
    for await (const chunk of stream) {
      throwIfAborted(signal);
      hash.update(chunk as Buffer);
      size += (chunk as Buffer).length;
    }
  } finally {
    stream.destroy();
  }
  return { sha256: hash.digest('hex'), size };
}
