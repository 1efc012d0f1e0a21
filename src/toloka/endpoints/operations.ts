import { z } from 'zod';
import { TolokaError } from '../errors';
import type { CallOptions, HttpCore } from '../http';
import { Operation, OperationLogItem } from '../models';
import { page } from '../models/common';
import { v1All, v1Page, type PageOptions } from '../paging';
import { sleep } from '../sleep';

const OperationOutcome = z.object({ success: z.boolean(), output: z.record(z.string(), z.unknown()).optional() });

export interface OperationFilter {
  readonly type?: string | undefined;
  readonly status?: string | undefined;
}

export interface WaitOptions extends CallOptions {
  /** First poll after this many ms, then every `intervalMs` (toloka-kit: 500 then 1000). */
  readonly firstDelayMs?: number | undefined;
  readonly intervalMs?: number | undefined;
  readonly timeoutMs?: number | undefined;
  readonly onProgress?: ((op: Operation) => void) | undefined;
}

export function isFinished(op: Operation): boolean {
  return op.status === 'SUCCESS' || op.status === 'FAIL';
}

export class OperationsApi {
  constructor(private readonly core: HttpCore) {}

  get(id: string, options: CallOptions = {}) {
    return this.core.request({ method: 'GET', path: `/v1/operations/${encodeURIComponent(id)}`, schema: Operation, ...options });
  }

  private listing(filter: OperationFilter, sortKey: string) {
    return { path: '/v1/operations', item: Operation, params: { ...filter }, maxLimit: 500, defaultLimit: 50, sortKey };
  }

  /** Most recent first is `sort=-submitted`; the cursor pages by id. */
  page(filter: OperationFilter = {}, options: PageOptions = {}) {
    return v1Page(this.core, this.listing(filter, 'id'), options);
  }

  all(filter: OperationFilter = {}, options: PageOptions = {}) {
    return v1All(this.core, this.listing(filter, 'id'), options);
  }

  /** The most recently submitted operations, newest first. */
  recent(limit = 50, filter: OperationFilter = {}, options: CallOptions = {}) {
    return this.core.request({ method: 'GET', path: '/v1/operations', params: { ...filter, sort: '-submitted', limit: Math.min(limit, 500) }, schema: page(Operation), ...options });
  }

  /**
   * The log reduced to what says which item became which task: success and output. The echoed
   * input is dropped as it is read, so a 10,000-item log costs little to keep.
   */
  outcomes(id: string, options: CallOptions = {}) {
    return this.core.request({ method: 'GET', path: `/v1/operations/${encodeURIComponent(id)}/log`, schema: z.array(OperationOutcome), ...options });
  }

  /** The per-item log of a batch creation: input as sent, output task id or field errors. */
  log(id: string, options: CallOptions = {}) {
    return this.core.request({ method: 'GET', path: `/v1/operations/${encodeURIComponent(id)}/log`, schema: z.array(OperationLogItem), ...options });
  }

  /** Polls until the operation is SUCCESS or FAIL, reporting progress; returns the final state. */
  async wait(opOrId: Operation | string, options: WaitOptions = {}): Promise<Operation> {
    let op = typeof opOrId === 'string' ? await this.get(opOrId, options) : opOrId;
    const deadline = Date.now() + (options.timeoutMs ?? 60 * 60_000);
    let wait = options.firstDelayMs ?? 500;
    while (!isFinished(op)) {
      if (Date.now() > deadline) {
        throw new TolokaError({ kind: 'http', code: 'OPERATION_TIMEOUT', message: `operation ${op.id} is still ${op.status} after ${options.timeoutMs ?? 3_600_000} ms` });
      }
      await sleep(wait, options.signal);
      wait = options.intervalMs ?? 1000;
      op = await this.get(op.id, options);
      options.onProgress?.(op);
    }
    return op;
  }
}
