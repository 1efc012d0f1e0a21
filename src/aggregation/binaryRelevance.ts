import type { Method, MethodInputs } from './methods';
import type { Aggregated, Responses } from './responses';

/** A multi-label aggregate: each task's set of labels, and each label's method result. */
export interface LabelSets {
  /** The labels, sorted as text (crowd-kit's order). */
  readonly labelNames: readonly string[];
  /** Per task, the codes (into labelNames) of its labels, in that order. */
  readonly sets: ReadonlyArray<readonly number[]>;
  /** Per label, the method's result on "has it" (1) against "has it not" (0), by task. */
  readonly perLabel: readonly Aggregated[];
}

/**
 * Binary relevance: every label becomes a yes/no question (did the answer include it?),
 * aggregated on its own by any method for labels; a task's set is the labels whose answer
 * is yes. `setOf(label)` gives the labels of each distinct answer (a response's `label`).
 */
export function binaryRelevance(r: Responses, setOf: (answer: string) => readonly string[], method: Method, inputs?: MethodInputs): LabelSets {
  const answerSets = r.labelNames.map(setOf);
  const labelNames = [...new Set(answerSets.flat())].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const code = new Map(labelNames.map((l, i) => [l, i]));
  /** Per distinct answer and label: does the answer include it. */
  const has = answerSets.map((set) => {
    const bits = new Uint8Array(labelNames.length);
    for (const l of set) bits[code.get(l) as number] = 1;
    return bits;
  });
  const sets: number[][] = r.taskNames.map(() => []);
  const perLabel: Aggregated[] = [];
  for (let c = 0; c < labelNames.length; c++) {
    // Yes/no codes in order of first appearance, as every method expects of label codes.
    const first = has[r.labels[0] as number]?.[c] ?? 0;
    const yesCode = first === 1 ? 0 : 1;
    const labels = Int32Array.from(r.labels, (l) => ((has[l] as Uint8Array)[c] === 1 ? yesCode : 1 - yesCode));
    const seen = new Set(labels);
    const binaryNames = seen.size === 1 ? [first === 1 ? '1' : '0'] : yesCode === 0 ? ['1', '0'] : ['0', '1'];
    const result = method.run({ ...r, labels, labelNames: binaryNames }, inputs);
    perLabel.push(result);
    for (let t = 0; t < r.taskNames.length; t++) if (binaryNames[result.labels[t] as number] === '1') (sets[t] as number[]).push(c);
  }
  return { labelNames, sets, perLabel };
}
