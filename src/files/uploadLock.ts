/**
 * One upload of a file into a pool at a time, across windows and processes: a lock file beside
 * the journal, created atomically, holding who has it (pid, host, start, a heartbeat renewed
 * every few seconds). A lock whose holder is gone (its heartbeat stopped, or its process on
 * this host no longer exists) is taken over, and the caller is told. No vscode import.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { z } from 'zod';

export const lockFileFor = (journalFile: string): string => journalFile.replace(/\.jsonl$/, '.lock');

const LockContent = z.object({ token: z.string(), pid: z.number(), host: z.string(), started: z.number(), heartbeat: z.number(), what: z.string() });
export type LockHolder = z.infer<typeof LockContent>;

/** Someone else holds the lock: nothing may be sent. */
export class UploadLocked extends Error {
  constructor(
    readonly holder: LockHolder,
    readonly lockFile: string,
  ) {
    const since = new Date(holder.started).toISOString().replace('T', ' ').slice(0, 19);
    const seen = Math.max(0, Math.round((Date.now() - holder.heartbeat) / 1000));
    super(`${holder.what} is already running in process ${holder.pid} on ${holder.host === os.hostname() ? 'this machine' : holder.host}, since ${since} UTC (last seen ${seen} s ago). Nothing was sent; run it again when that one ends.`);
    this.name = 'UploadLocked';
  }
}

export interface LockOptions {
  /** What the lock guards, for the message: `The upload of tasks.jsonl into pool 123`. */
  readonly what: string;
  /** A holder silent this long is gone. Default 30 s. */
  readonly staleMs?: number;
  /** How often the heartbeat is renewed. Default 5 s. */
  readonly heartbeatMs?: number;
  /** Told when a stale lock is taken over. */
  readonly onTakeOver?: (previous: LockHolder, why: string) => void;
}

function read(file: string): LockHolder | undefined {
  try {
    const parsed = LockContent.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

export class UploadLock {
  readonly #file: string;
  readonly #content: LockHolder;
  readonly #timer: NodeJS.Timeout;
  #released = false;

  private constructor(file: string, content: LockHolder, heartbeatMs: number) {
    this.#file = file;
    this.#content = content;
    this.#timer = setInterval(() => this.beat(), heartbeatMs);
    this.#timer.unref();
  }

  /** Takes the lock, or throws UploadLocked naming its holder. */
  static acquire(file: string, o: LockOptions): UploadLock {
    const staleMs = o.staleMs ?? 30_000;
    const now = Date.now();
    const content: LockHolder = { token: randomUUID(), pid: process.pid, host: os.hostname(), started: now, heartbeat: now, what: o.what };
    const text = JSON.stringify(content);
    try {
      fs.writeFileSync(file, text, { flag: 'wx' });
      return new UploadLock(file, content, o.heartbeatMs ?? 5000);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = read(file);
    const why = !holder
      ? 'the lock file was unreadable'
      : holder.host === os.hostname() && processGone(holder.pid)
        ? `process ${holder.pid} no longer exists`
        : Date.now() - holder.heartbeat > staleMs
          ? `its holder has been silent for ${Math.round((Date.now() - holder.heartbeat) / 1000)} s`
          : undefined;
    if (holder && why === undefined) throw new UploadLocked(holder, file);
    // Take it over: replace the file in one step, then check that no one else did the same.
    const tmp = `${file}.${process.pid}.${content.token}.tmp`;
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
    const now2 = read(file);
    if (now2?.token !== content.token) {
      if (now2) throw new UploadLocked(now2, file);
      throw new Error(`could not take the lock ${file}`);
    }
    if (holder) o.onTakeOver?.(holder, why ?? 'stale');
    return new UploadLock(file, content, o.heartbeatMs ?? 5000);
  }

  private beat(): void {
    if (this.#released) return;
    const current = read(this.#file);
    if (current?.token !== this.#content.token) return; // taken over: never overwrite the new holder
    const tmp = `${this.#file}.${process.pid}.tmp`;
    try {
      fs.writeFileSync(tmp, JSON.stringify({ ...this.#content, heartbeat: Date.now() }));
      fs.renameSync(tmp, this.#file);
    } catch {
      // a missed heartbeat only makes the lock look older
    }
  }

  release(): void {
    if (this.#released) return;
    this.#released = true;
    clearInterval(this.#timer);
    if (read(this.#file)?.token === this.#content.token) fs.rmSync(this.#file, { force: true });
  }
}
