/**
 * The files Tolokers uploaded in a pool, fetched into a folder. Every name is built from the
 * attachment's id and a sanitised form of its original name, and checked to stay inside the
 * folder: a name from the server (`../../x`, `/etc/passwd`, `C:\x`, control characters) can
 * never write elsewhere. Files already there are skipped; each file is written under a
 * temporary name and renamed when complete. No `vscode` import.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { TolokaClient } from '../toloka/client';
import type { Attachment } from '../toloka/models';

const MAX_NAME_BYTES = 120;

/** A file name safe on Linux, macOS and Windows, from what a Toloker's browser sent. */
export function sanitizeFileName(original: string): string {
  // Only the last path segment, whichever separator the uploader's system used.
  let name = original.split(/[/\\]/).pop() ?? '';
  name = name
    .normalize('NFC')
    .replace(/\p{Cc}/gu, '') // control characters (U+0000–U+001F, U+007F–U+009F)
    .replace(/\p{Bidi_Control}/gu, '') // right-to-left overrides and the like: "gpj.exe" shown as "exe.jpg"
    .replace(/[<>:"|?*]/g, '_') // not allowed on Windows
    .replace(/^[\s.]+|[\s.]+$/g, ''); // no leading dots (hidden, "..") nor trailing dots or spaces
  while (Buffer.byteLength(name, 'utf8') > MAX_NAME_BYTES) {
    // Keep the extension; shorten the stem one character at a time.
    const ext = path.extname(name).slice(0, 16);
    const stem = name.slice(0, name.length - ext.length);
    name = `${Array.from(stem).slice(0, -1).join('')}${ext}`;
  }
  return name || 'file';
}

/** Toloka's attachment ids are UUIDs: letters, digits and dashes. Anything else is refused, not reshaped. */
const ATTACHMENT_ID = /^[A-Za-z0-9_-]{1,128}$/;

export function isValidAttachmentId(id: string): boolean {
  return ATTACHMENT_ID.test(id);
}

/**
 * `<id>-<sanitised name>`. The id is used whole, never cut or rewritten, so two attachments never
 * share a name; an id that is not one (`..`, a path, too long) is an error.
 */
export function attachmentFileName(a: Pick<Attachment, 'id' | 'name'>): string {
  if (!isValidAttachmentId(a.id)) throw new Error(`the server sent an attachment id that is not one: ${JSON.stringify(a.id.slice(0, 80))}`);
  return `${a.id}-${sanitizeFileName(a.name)}`;
}

/** The path of a name inside a folder, or an error if it would land anywhere else. */
export function insideFolder(folder: string, name: string): string {
  const root = path.resolve(folder);
  const target = path.resolve(root, name);
  if (path.dirname(target) !== root) throw new Error(`refusing to write "${name}" outside ${root}`);
  return target;
}

export interface AttachmentProgress {
  readonly listed: number;
  readonly downloaded: number;
  readonly skipped: number;
  readonly failed: number;
}

export interface AttachmentFailure {
  readonly id: string;
  readonly name: string;
  readonly error: string;
}

export interface AttachmentsResult extends AttachmentProgress {
  readonly folder: string;
  readonly failures: readonly AttachmentFailure[];
  readonly cancelled: boolean;
}

export async function downloadAttachments(o: {
  client: TolokaClient;
  poolId: string;
  folder: string;
  signal?: AbortSignal;
  onProgress?: (p: AttachmentProgress) => void;
}): Promise<AttachmentsResult> {
  await fs.promises.mkdir(o.folder, { recursive: true });
  let listed = 0;
  let downloaded = 0;
  let skipped = 0;
  const failures: AttachmentFailure[] = [];
  let cancelled = false;
  const report = (): void => o.onProgress?.({ listed, downloaded, skipped, failed: failures.length });
  try {
    for await (const a of o.client.attachments.all({ pool_id: o.poolId }, { signal: o.signal })) {
      listed++;
      if (o.signal?.aborted) {
        cancelled = true;
        break;
      }
      if (!isValidAttachmentId(a.id)) {
        failures.push({ id: a.id, name: a.name, error: 'not a valid attachment id: neither requested nor written' });
        report();
        continue;
      }
      const target = insideFolder(o.folder, attachmentFileName(a));
      if (fs.existsSync(target)) {
        skipped++;
        report();
        continue;
      }
      const partial = `${target}.part`;
      try {
        const { stream } = await o.client.attachments.download(a.id, { signal: o.signal });
        await pipeline(stream, fs.createWriteStream(partial), { signal: o.signal });
        await fs.promises.rename(partial, target);
        downloaded++;
      } catch (err) {
        await fs.promises.rm(partial, { force: true });
        if (o.signal?.aborted) {
          cancelled = true;
          break;
        }
        failures.push({ id: a.id, name: a.name, error: err instanceof Error ? err.message : String(err) });
      }
      report();
    }
  } catch (err) {
    if (!o.signal?.aborted) throw err;
    cancelled = true;
  }
  return { folder: o.folder, listed, downloaded, skipped, failed: failures.length, failures, cancelled };
}
