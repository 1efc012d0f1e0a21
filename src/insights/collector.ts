/**
 * Feeds a pool's submitted assignments to the stats worker, page by page, and only what is new
 * on each refresh: the first collection reads them all, later ones those submitted since the
 * last (with a few seconds' overlap the worker drops). The extension host only moves bytes;
 * parsing and counting happen in the worker. No vscode import.
 */
import { Worker } from 'node:worker_threads';
import type { TolokaClient } from '../toloka/client';
import { CancelledError } from '../toloka/errors';
import type { FieldSpecMap } from '../toloka/models';
import { formatDateTime, parseDateTime } from '../toloka/models/common';
import { FromStatsWorker, type PoolStatsSnapshot, type ToStatsWorker } from './messages';

type Reply = FromStatsWorker;

/** The stats worker, asked one thing at a time; it answers in order. */
export class StatsWorkerClient {
  readonly #worker: Worker;
  readonly #waiting: Array<{ resolve: (r: Reply) => void; reject: (e: Error) => void }> = [];
  #failed: Error | undefined;

  constructor(file: string) {
    this.#worker = new Worker(file);
    this.#worker.on('message', (raw: unknown) => {
      const parsed = FromStatsWorker.safeParse(raw);
      const next = this.#waiting.shift();
      if (!next) return;
      if (!parsed.success) next.reject(new Error('the stats worker sent an unexpected reply'));
      else if (parsed.data.type === 'error') next.reject(new Error(`the stats worker failed: ${parsed.data.message}`));
      else next.resolve(parsed.data);
    });
    const fail = (err: Error): void => {
      this.#failed = err;
      for (const w of this.#waiting.splice(0)) w.reject(err);
    };
    this.#worker.on('error', fail);
    this.#worker.on('exit', (code) => fail(new Error(`the stats worker stopped (exit code ${code})`)));
  }

  private ask(m: ToStatsWorker, transfer: ArrayBuffer[] = []): Promise<Reply> {
    if (this.#failed) return Promise.reject(this.#failed);
    return new Promise((resolve, reject) => {
      this.#waiting.push({ resolve, reject });
      this.#worker.postMessage(m, transfer);
    });
  }

  init(output: FieldSpecMap): void {
    this.#worker.postMessage({ type: 'init', output } satisfies ToStatsWorker);
  }

  async page(bytes: Buffer): Promise<Extract<Reply, { type: 'page-done' }>> {
    // A copy the worker owns: the transfer leaves nothing behind in the extension host.
    const own = bytes.buffer.byteLength === bytes.byteLength && bytes.byteOffset === 0 ? (bytes.buffer as ArrayBuffer) : bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    const r = await this.ask({ type: 'page', bytes: own }, [own]);
    if (r.type !== 'page-done') throw new Error('the stats worker answered a page with something else');
    return r;
  }

  async snapshot(): Promise<PoolStatsSnapshot> {
    const r = await this.ask({ type: 'snapshot' });
    if (r.type !== 'snapshot') throw new Error('the stats worker answered a snapshot with something else');
    return r.snapshot;
  }

  dispose(): void {
    this.#failed ??= new Error('the stats worker was stopped');
    void this.#worker.terminate();
  }
}

/** Seconds of overlap between one refresh's window and the last: late-stamped submissions are not missed. */
const OVERLAP_MS = 10_000;
const PAGE = 1000;

export class PoolCollector {
  #since: string | undefined;
  #pages = 0;

  constructor(
    private readonly client: TolokaClient,
    private readonly poolId: string,
    private readonly worker: StatsWorkerClient,
  ) {}

  /** Listing pages read so far, over all refreshes. */
  get pages(): number {
    return this.#pages;
  }

  /**
   * Reads what was submitted since the last collection into the worker. `onPage` is told after
   * each page (the dashboard repaints every so often while a large pool is first read).
   */
  async collect(signal?: AbortSignal, onPage?: (added: number) => Promise<void> | void): Promise<number> {
    let after: string | undefined;
    let newest = this.#since;
    let added = 0;
    for (;;) {
      if (signal?.aborted) throw new CancelledError();
      const params: Record<string, string | number> = { pool_id: this.poolId, status: 'SUBMITTED,ACCEPTED,REJECTED', sort: 'id', limit: PAGE };
      if (after) params['id_gt'] = after;
      if (this.#since) params['submitted_gte'] = this.#since;
      const bytes = await this.client.core.requestBytes({ path: '/v1/assignments', params, signal });
      this.#pages++;
      const done = await this.worker.page(bytes);
      const lastId = done.lastId;
      added += done.added;
      if (done.maxSubmitted && (!newest || done.maxSubmitted > newest)) newest = done.maxSubmitted;
      await onPage?.(done.added);
      if (!done.hasMore || !lastId) break;
      after = lastId;
    }
    if (newest) this.#since = formatDateTime(new Date(parseDateTime(newest).getTime() - OVERLAP_MS));
    return added;
  }
}
