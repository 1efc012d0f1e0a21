/**
 * Responses coded as integers in typed arrays: response r says worker `workers[r]` gave
 * task `tasks[r]` the label `labels[r]`. The dictionaries map codes back to names.
 */
export interface Responses {
  readonly workers: Int32Array;
  readonly tasks: Int32Array;
  readonly labels: Int32Array;
  readonly workerNames: readonly string[];
  readonly taskNames: readonly string[];
  readonly labelNames: readonly string[];
}

export interface Aggregated {
  /** Chosen label code per task. */
  readonly labels: Int32Array;
  /** Posterior (or vote share) of the chosen label per task. */
  readonly confidence: Float64Array;
}

/** A growable Int32Array: a million responses cost 4 MB per column, not a boxed array. */
export class IntColumn {
  private data: Int32Array;
  length = 0;
  constructor(capacity = 1 << 16) {
    this.data = new Int32Array(Math.max(16, capacity));
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const bigger = new Int32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = v;
  }
  at(i: number): number {
    return this.data[i] as number;
  }
  /** The values, sharing memory with the column (which must not be pushed to afterwards). */
  toArray(): Int32Array {
    return this.data.subarray(0, this.length);
  }
}

/** Builds coded responses from (worker, task, label) triples; codes follow first appearance. */
export class ResponseBuilder {
  private readonly w = new IntColumn();
  private readonly t = new IntColumn();
  private readonly l = new IntColumn();
  private readonly workerIndex = new Map<string, number>();
  private readonly taskIndex = new Map<string, number>();
  private readonly labelIndex = new Map<string, number>();

  private static code(map: Map<string, number>, key: string): number {
    let c = map.get(key);
    if (c === undefined) {
      c = map.size;
      map.set(key, c);
    }
    return c;
  }

  get size(): number {
    return this.w.length;
  }

  /** Adds a response; returns its task's code. */
  add(worker: string, task: string, label: string): number {
    const t = ResponseBuilder.code(this.taskIndex, task);
    this.w.push(ResponseBuilder.code(this.workerIndex, worker));
    this.t.push(t);
    this.l.push(ResponseBuilder.code(this.labelIndex, label));
    return t;
  }

  build(): Responses {
    return {
      workers: this.w.toArray(),
      tasks: this.t.toArray(),
      labels: this.l.toArray(),
      workerNames: [...this.workerIndex.keys()],
      taskNames: [...this.taskIndex.keys()],
      labelNames: [...this.labelIndex.keys()],
    };
  }
}
