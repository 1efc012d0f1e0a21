import { TolokaError } from './errors';

/**
 * Waits `ms`, or rejects with a 'cancelled' TolokaError as soon as `signal` fires. The abort
 * listener is removed when the wait ends either way, so a long series of waits on one signal
 * never piles listeners up.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const cancelled = (): TolokaError => new TolokaError({ kind: 'cancelled', code: 'CANCELLED', message: 'cancelled' });
    if (signal?.aborted) {
      reject(cancelled());
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(cancelled());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
