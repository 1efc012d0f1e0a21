/**
 * Asynchronous operations as Toloka runs them: created PENDING, then RUNNING with progress,
 * then SUCCESS or FAIL with details. A pool an operation works on is locked until it ends.
 */
import { randomUUID } from 'node:crypto';
import type { Operation, OperationLogItem } from '../toloka/models';
import { conflict } from './apiError';
import { now, type OperationRec, type PoolRec, type SandboxState } from './state';

export interface OperationContext {
  readonly op: OperationRec;
  readonly progress: (percent: number) => void;
  /** Yields to the event loop so the server keeps answering during long work. */
  readonly yieldNow: () => Promise<void>;
}

export type OperationWork = (ctx: OperationContext) => Promise<Record<string, unknown> | void> | Record<string, unknown> | void;

export class OperationEngine {
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly state: SandboxState,
    /** Delay before an operation starts running, like a queue on the real service. */
    private readonly startDelayMs: number,
    /** Called when an operation ends (its work may have opened a pool or added tasks). */
    private readonly onFinished?: () => void,
  ) {}

  start(type: string, parameters: Record<string, unknown>, work: OperationWork, options: { id?: string; lock?: PoolRec; log?: OperationLogItem[] } = {}): OperationRec {
    const id = options.id ?? randomUUID();
    if (this.state.operations.has(id)) throw conflict('OPERATION_ALREADY_EXISTS', `Operation with id ${id} already exists`);
    if (options.lock) {
      if (options.lock.lockedBy) throw conflict('POOL_LOCKED_BY_ANOTHER_OPERATION', `Pool ${options.lock.api.id} is locked by operation ${options.lock.lockedBy}`);
      options.lock.lockedBy = id;
    }
    const op: Operation = { id, type, status: 'PENDING', submitted: now(), parameters, progress: 0 };
    const rec = this.state.addOperation(op, options.log);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.run(rec, work, options.lock);
    }, this.startDelayMs);
    this.timers.add(timer);
    return rec;
  }

  private async run(rec: OperationRec, work: OperationWork, lock: PoolRec | undefined): Promise<void> {
    if (this.stopped) return;
    rec.api = { ...rec.api, status: 'RUNNING', started: now() };
    this.state.touch();
    const ctx: OperationContext = {
      op: rec,
      progress: (p) => {
        rec.api.progress = Math.max(0, Math.min(100, Math.floor(p)));
      },
      yieldNow: () => new Promise((r) => setImmediate(r)),
    };
    try {
      const details = await work(ctx);
      rec.api = { ...rec.api, status: 'SUCCESS', finished: now(), progress: 100, ...(details ? { details } : {}) };
    } catch (err) {
      rec.api = { ...rec.api, status: 'FAIL', finished: now(), details: { ...rec.api.details, error: err instanceof Error ? err.message : String(err) } };
    } finally {
      if (lock && lock.lockedBy === rec.api.id) lock.lockedBy = undefined;
      this.state.touch();
      this.onFinished?.();
    }
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
