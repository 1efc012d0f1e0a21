/**
 * The aggregation worker: a thread of its own (`dist/aggregationWorker.js`) that runs one
 * method on the responses it is sent and posts the result back. GLAD on a million responses
 * computes for seconds; here that leaves the extension host free, and cancelling is ending
 * the thread. See `runInWorker` for the other side.
 */
import { parentPort } from 'node:worker_threads';
import { methodById } from './methods';
import { AggregationRequest } from './workerMessages';

const port = parentPort;
if (!port) throw new Error('the aggregation worker runs as a worker thread');
port.once('message', (message: unknown) => {
  const request = AggregationRequest.parse(message);
  const method = methodById(request.method);
  if (!method) throw new Error(`unknown aggregation method ${request.method}`);
  const { gold, weights } = request.inputs ?? {};
  const { labels, confidence } = method.run(request.responses, { ...(gold ? { gold } : {}), ...(weights ? { weights } : {}) });
  // Handed over, not copied: this thread ends right after.
  port.postMessage({ labels, confidence }, [labels.buffer, confidence.buffer].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer));
});
