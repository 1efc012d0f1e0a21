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

/** Builds coded responses from (worker, task, label) triples. */
export class ResponseBuilder {
  private readonly w: number[] = [];
  private readonly t: number[] = [];
  private readonly l: number[] = [];
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

  add(worker: string, task: string, label: string): void {
    this.w.push(ResponseBuilder.code(this.workerIndex, worker));
    this.t.push(ResponseBuilder.code(this.taskIndex, task));
    this.l.push(ResponseBuilder.code(this.labelIndex, label));
  }

  build(): Responses {
    return {
      workers: Int32Array.from(this.w),
      tasks: Int32Array.from(this.t),
      labels: Int32Array.from(this.l),
      workerNames: [...this.workerIndex.keys()],
      taskNames: [...this.taskIndex.keys()],
      labelNames: [...this.labelIndex.keys()],
    };
  }
}
