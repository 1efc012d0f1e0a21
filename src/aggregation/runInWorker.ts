import { Worker } from 'node:worker_threads';
import type { MethodId, MethodInputs } from './methods';
import type { Aggregated, Responses } from './responses';
import { AggregationReply } from './workerMessages';

/**
 * Runs a method in the aggregation worker (`workerFile`, the bundled `worker.ts`). Aborting
 * the signal ends the thread at once, however deep in its iterations, and rejects with
 * an AbortError. The responses are copied to the thread, so the caller keeps its own.
 * A method's own error (KOS given three labels, say) rejects with that error.
 */
/** What an aborted run rejects with: named as the DOM names an abort, so callers treat it as a stop, not a failure. */
function cancelled(): Error {
  const e = new Error('cancelled');
  e.name = 'AbortError';
  return e;
}

export function runInWorker(workerFile: string, method: MethodId, responses: Responses, signal?: AbortSignal, inputs?: MethodInputs): Promise<Aggregated> {
  return new Promise<Aggregated>((resolve, reject) => {
    if (signal?.aborted) {
      reject(cancelled());
      return;
    }
    const worker = new Worker(workerFile);
    let settled = false;
    const settle = (done: () => void): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      done();
    };
    const onAbort = (): void => settle(() => reject(cancelled()));
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.once('message', (message: unknown) => {
      const reply = AggregationReply.safeParse(message);
      settle(() => (reply.success ? resolve(reply.data) : reject(new Error('the aggregation worker sent an unexpected reply'))));
    });
    worker.once('error', (err) => settle(() => reject(err)));
    worker.once('exit', (code) => settle(() => reject(new Error(`the aggregation worker stopped before it answered (exit code ${code})`))));
    worker.postMessage({ method, responses, ...(inputs ? { inputs } : {}) } satisfies { method: MethodId; responses: Responses; inputs?: MethodInputs });
  });
}
