import type { Responses } from './responses';

export interface GoldCodes {
  /** The responses, their labels extended by any golden label no one gave. */
  readonly responses: Responses;
  /** Per task, the code of its golden label, or -1 where it has none. */
  readonly gold: Int32Array;
  /** Golden answers for tasks that have no responses (left out). */
  readonly unmatched: number;
}

/** Golden answers (task name to label name) as codes of these responses. */
export function goldCodes(r: Responses, golden: ReadonlyMap<string, string>): GoldCodes {
  const labelCode = new Map(r.labelNames.map((l, i) => [l, i]));
  const labelNames = [...r.labelNames];
  const gold = new Int32Array(r.taskNames.length).fill(-1);
  let matched = 0;
  r.taskNames.forEach((task, t) => {
    const label = golden.get(task);
    if (label === undefined) return;
    matched++;
    let code = labelCode.get(label);
    if (code === undefined) {
      code = labelNames.length;
      labelCode.set(label, code);
      labelNames.push(label);
    }
    gold[t] = code;
  });
  const responses = labelNames.length === r.labelNames.length ? r : { ...r, labelNames };
  return { responses, gold, unmatched: golden.size - matched };
}
