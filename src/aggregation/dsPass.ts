/**
 * Dawid-Skene's pass over the responses, inline or split across threads. Every array the pass
 * reads or writes lives in shared memory; each thread takes a contiguous range of tasks and
 * adds into sums of its own, which are then added together. Threads wait on an Atomics
 * counter between passes, so the EM loop stays synchronous. The worker's code is this file's
 * `dsPass` itself, sent as source: nothing else is loaded, inside VS Code or out.
 */
import * as os from 'node:os';
import { Worker } from 'node:worker_threads';

/**
 * Tasks [tFrom, tTo): with `estimate`, each task's posterior from the priors and error matrices
 * (the E-step); then the posterior added into priors, mass by label and error counts. Returns
 * the posteriors' entropy. Uses nothing but its arguments and Math, so it can run in a worker.
 */
export function dsPass(
  estimate: boolean, tFrom: number, tTo: number, start: Int32Array, cell: Int32Array, post: Float64Array,
  logPriors: Float64Array, logErrors: Float64Array, logPost: Float64Array, priors: Float64Array, massByLabel: Float64Array, counts: Float64Array,
): number {
  const L = logPriors.length;
  let entropy = 0;
  for (let t = tFrom; t < tTo; t++) {
    const from = start[t] as number;
    const to = start[t + 1] as number;
    const at = t * L;
    if (estimate) {
      for (let z = 0; z < L; z++) logPost[z] = logPriors[z] as number;
      for (let k = from; k < to; k++) {
        const c = cell[k] as number;
        for (let z = 0; z < L; z++) logPost[z] = (logPost[z] as number) + (logErrors[c + z] as number);
      }
      let max = -Infinity;
      for (let z = 0; z < L; z++) max = Math.max(max, logPost[z] as number);
      let s = 0;
      for (let z = 0; z < L; z++) {
        const v = Math.exp((logPost[z] as number) - max);
        post[at + z] = v;
        s += v;
      }
      // Entropy from the logs already at hand: log p = logPost - max - log s.
      const logS = Math.log(s);
      for (let z = 0; z < L; z++) {
        const p = (post[at + z] as number) / s;
        post[at + z] = p;
        if (p > 0) entropy -= p * ((logPost[z] as number) - max - logS);
      }
    }
    for (let z = 0; z < L; z++) {
      const p = post[at + z] as number;
      priors[z] = (priors[z] as number) + p;
      massByLabel[z] = (massByLabel[z] as number) + (to - from) * p;
    }
    for (let k = from; k < to; k++) {
      const c = cell[k] as number;
      for (let z = 0; z < L; z++) counts[c + z] = (counts[c + z] as number) + (post[at + z] as number);
    }
  }
  return entropy;
}

/** Below this many responses a thread costs more to start than it saves. */
const PARALLEL_FROM = 300_000;

function shared(length: number, bytes: 4 | 8): SharedArrayBuffer {
  return new SharedArrayBuffer(Math.max(1, length) * bytes);
}

/** The worker: waits for a new generation, runs its range, counts itself done. */
const workerSource = (pass: string): string => `
const { workerData } = require('node:worker_threads');
const d = workerData;
const control = new Int32Array(d.control);
try {
  const pass = (${pass});
  const start = new Int32Array(d.start), cell = new Int32Array(d.cell), post = new Float64Array(d.post);
  const logPriors = new Float64Array(d.logPriors), logErrors = new Float64Array(d.logErrors);
  const priors = new Float64Array(d.priors), mass = new Float64Array(d.mass), counts = new Float64Array(d.counts), entropy = new Float64Array(d.entropy);
  const logPost = new Float64Array(logPriors.length);
  let seen = 0;
  for (;;) {
    Atomics.wait(control, 0, seen);
    seen = Atomics.load(control, 0);
    if (Atomics.load(control, 3) === 1) break;
    priors.fill(0); mass.fill(0); counts.fill(0);
    entropy[0] = pass(Atomics.load(control, 2) === 1, d.tFrom, d.tTo, start, cell, post, logPriors, logErrors, logPost, priors, mass, counts);
    Atomics.add(control, 1, 1);
    Atomics.notify(control, 1);
  }
} catch (err) {
  // The main thread is blocked in Atomics.wait, not listening for events: say so through the counter.
  Atomics.store(control, 3, 2);
  Atomics.add(control, 1, 1);
  Atomics.notify(control, 1);
  throw err;
}
`;

/** The arrays of one Dawid-Skene run; the pass adds into priors, massByLabel and counts. */
export interface PassArrays {
  readonly start: Int32Array;
  readonly cell: Int32Array;
  readonly post: Float64Array;
  readonly logPriors: Float64Array;
  readonly logErrors: Float64Array;
  readonly priors: Float64Array;
  readonly massByLabel: Float64Array;
  readonly counts: Float64Array;
}

/** Allocates the arrays, in shared memory when threads will use them. */
export function passArrays(nTasks: number, nResponses: number, nLabels: number, nWorkers: number, parallel: boolean): PassArrays {
  const f64 = (n: number): Float64Array => (parallel ? new Float64Array(shared(n, 8)) : new Float64Array(n));
  const i32 = (n: number): Int32Array => (parallel ? new Int32Array(shared(n, 4)) : new Int32Array(n));
  const cells = nWorkers * nLabels * nLabels;
  return { start: i32(nTasks + 1), cell: i32(nResponses), post: f64(nTasks * nLabels), logPriors: f64(nLabels), logErrors: f64(cells), priors: f64(nLabels), massByLabel: f64(nLabels), counts: f64(cells) };
}

export function threadsFor(nResponses: number, wanted: number | undefined): number {
  if (wanted !== undefined) return Math.max(1, Math.floor(wanted));
  if (nResponses < PARALLEL_FROM) return 1;
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(4, cores));
}

/** Runs passes over all tasks: this thread takes the first range, workers the others. */
export class PassRunner {
  private readonly workers: Worker[] = [];
  private readonly control: Int32Array | undefined;
  private readonly ranges: Array<[number, number]>;
  private readonly own: { priors: Float64Array; mass: Float64Array; counts: Float64Array; entropy: Float64Array }[] = [];
  private readonly logPost: Float64Array;

  constructor(
    private readonly a: PassArrays,
    threads: number,
  ) {
    const nTasks = a.start.length - 1;
    const nResponses = a.cell.length;
    this.logPost = new Float64Array(a.logPriors.length);
    // Split by responses, not tasks, so that each thread gets an even share of the work.
    this.ranges = [];
    let from = 0;
    for (let k = 1; k <= threads; k++) {
      let to = from;
      const target = Math.round((nResponses * k) / threads);
      while (to < nTasks && (a.start[to] as number) < target) to++;
      if (k === threads) to = nTasks;
      this.ranges.push([from, to]);
      from = to;
    }
    if (threads <= 1) return;
    this.control = new Int32Array(shared(4, 4));
    const source = workerSource(dsPass.toString());
    for (let i = 1; i < threads; i++) {
      const [tFrom, tTo] = this.ranges[i] as [number, number];
      const L = a.logPriors.length;
      const sums = { priors: new Float64Array(shared(L, 8)), mass: new Float64Array(shared(L, 8)), counts: new Float64Array(shared(a.counts.length, 8)), entropy: new Float64Array(shared(1, 8)) };
      this.own.push(sums);
      const worker = new Worker(source, {
        eval: true,
        workerData: {
          control: this.control.buffer, start: a.start.buffer, cell: a.cell.buffer, post: a.post.buffer, logPriors: a.logPriors.buffer, logErrors: a.logErrors.buffer,
          priors: sums.priors.buffer, mass: sums.mass.buffer, counts: sums.counts.buffer, entropy: sums.entropy.buffer, tFrom, tTo,
        },
      });
      worker.unref();
      this.workers.push(worker);
    }
  }

  /** One pass; the sums end up in the arrays' priors, massByLabel and counts. Returns the entropy. */
  run(estimate: boolean): number {
    const a = this.a;
    a.priors.fill(0);
    a.massByLabel.fill(0);
    a.counts.fill(0);
    const control = this.control;
    if (control) {
      Atomics.store(control, 1, 0);
      Atomics.store(control, 2, estimate ? 1 : 0);
      Atomics.add(control, 0, 1);
      Atomics.notify(control, 0);
    }
    const [from, to] = this.ranges[0] as [number, number];
    let entropy = dsPass(estimate, from, to, a.start, a.cell, a.post, a.logPriors, a.logErrors, this.logPost, a.priors, a.massByLabel, a.counts);
    if (!control) return entropy;
    for (let done = Atomics.load(control, 1); done < this.workers.length; done = Atomics.load(control, 1)) Atomics.wait(control, 1, done, 60_000);
    if (Atomics.load(control, 3) === 2) {
      this.close();
      throw new Error('a Dawid-Skene worker thread failed');
    }
    for (const s of this.own) {
      for (let z = 0; z < s.priors.length; z++) {
        a.priors[z] = (a.priors[z] as number) + (s.priors[z] as number);
        a.massByLabel[z] = (a.massByLabel[z] as number) + (s.mass[z] as number);
      }
      for (let k = 0; k < s.counts.length; k++) a.counts[k] = (a.counts[k] as number) + (s.counts[k] as number);
      entropy += s.entropy[0] as number;
    }
    return entropy;
  }

  /** Stops the workers. */
  close(): void {
    if (!this.control) return;
    Atomics.store(this.control, 3, 1);
    Atomics.add(this.control, 0, 1);
    Atomics.notify(this.control, 0);
    for (const w of this.workers) void w.terminate();
  }
}
