/**
 * What `toloka aggregate` and `toloka metrics` do, as functions of their parsed arguments:
 * read the answers, run a method (or the metrics), write the result. The command-line shell
 * around them only parses flags and prints. No `vscode` import.
 */
import { methodById, methodIds, multiLabelMethodIds, pairwiseMethodIds, textMethodIds, type MethodId, type MethodInputs, type Responses } from '../aggregation';
import { binaryRelevance } from '../aggregation/binaryRelevance';
import { goldCodes } from '../aggregation/gold';
import { accuracyAgainst, consistency, krippendorffAlpha, labelAccuracy, uncertainty } from '../aggregation/metrics';
import { bradleyTerry, noisyBradleyTerry, ranking } from '../aggregation/pairwise';
import { rover } from '../aggregation/rover';
import { majorityVote } from '../aggregation/majorityVote';
import { labelSet, labelSetProblem, readComparisonsCsv, readGoldCsv, readWeightsCsv, writeRankingCsv, writeTaskValuesCsv } from './aggregationInputs';
import { csvCell } from './csvTable';
import { readResponsesCsv, readResponsesFromResults, writeAggregatedCsv } from './responses';
import { TextWriter } from './textWriter';

/** What a method reads: labels, pairwise comparisons, texts, or sets of labels. */
export type InputKind = 'labels' | 'pairwise' | 'texts' | 'multi-label';

export function inputKindOf(method: string): InputKind | undefined {
  if ((methodIds as readonly string[]).includes(method)) return 'labels';
  if ((pairwiseMethodIds as readonly string[]).includes(method)) return 'pairwise';
  if ((textMethodIds as readonly string[]).includes(method)) return 'texts';
  if ((multiLabelMethodIds as readonly string[]).includes(method)) return 'multi-label';
  return undefined;
}

/** The input each kind expects, for messages and usage. */
export const inputShapes: Record<InputKind, string> = {
  labels: 'a worker,task,label CSV or a results TSV (--field)',
  pairwise: 'a worker,left,right,label CSV (label: the preferred item)',
  texts: 'a worker,task,text CSV or a results TSV (--field)',
  'multi-label': 'a worker,task,label CSV whose labels are ["a","b"] or a|b, or a results TSV (--field)',
};

export interface AggregateArgs {
  readonly method: string;
  readonly input: string;
  readonly output: string;
  /** The OUTPUT: field of a results TSV. */
  readonly field?: string;
  /** Leave out a results TSV's control tasks (rows with a GOLDEN: value). */
  readonly excludeControl?: boolean;
  /** Golden answers (`task,true_label`) for `ds`. */
  readonly gold?: string;
  /** Worker weights (`worker,weight`) for `mv`. */
  readonly weights?: string;
  /** The method binary relevance runs for each label (default `mv`). */
  readonly base?: string;
  readonly signal?: AbortSignal;
}

export interface AggregateSummary {
  readonly method: string;
  readonly kind: InputKind;
  /** Responses (comparisons for pairwise methods) read. */
  readonly responses: number;
  /** Tasks aggregated (items ranked for pairwise methods). */
  readonly tasks: number;
  readonly workers: number;
  readonly readSeconds: number;
  readonly aggregateSeconds: number;
  readonly writeSeconds: number;
}

const isResultsTsv = (file: string): boolean => /\.(tsv|tab)$/i.test(file);

/** Answers from a worker,task,<answer> CSV or a results TSV's OUTPUT:<field>. */
async function readAnswers(a: AggregateArgs, answerColumn: string, checkAnswer?: (answer: string) => string | undefined): Promise<Responses> {
  if (isResultsTsv(a.input)) {
    if (!a.field) throw new Error(`${a.input} is a results TSV: name the answer column with --field (its OUTPUT:<field>)`);
    const read = await readResponsesFromResults(a.input, a.field, { excludeControl: a.excludeControl ?? false, ...(a.signal ? { signal: a.signal } : {}), ...(checkAnswer ? { checkAnswer } : {}) });
    return read.responses;
  }
  return readResponsesCsv(a.input, { answerColumn, ...(checkAnswer ? { checkAnswer } : {}), ...(a.signal ? { signal: a.signal } : {}) });
}

/** The categorical method `id`, or a message listing them. */
export function labelMethod(id: string, role = 'method'): NonNullable<ReturnType<typeof methodById>> {
  const m = methodById(id);
  if (!m) throw new Error(`unknown ${role} "${id}"; choose one of ${methodIds.join(', ')}`);
  return m;
}

/** Golden answers and weights, read and coded for these responses, as the method uses them. */
async function methodInputs(a: AggregateArgs, id: MethodId, r: Responses): Promise<{ responses: Responses; inputs: MethodInputs }> {
  const m = labelMethod(id);
  if (a.gold && !m.uses.includes('gold')) throw new Error(`--gold is for ${methods('gold')}, not ${id}`);
  if (a.weights && !m.uses.includes('weights')) throw new Error(`--weights is for ${methods('weights')}, not ${id}`);
  if (a.gold) {
    const { responses, gold } = goldCodes(r, await readGoldCsv(a.gold, a.signal));
    return { responses, inputs: { gold } };
  }
  if (a.weights) return { responses: r, inputs: { weights: await readWeightsCsv(a.weights, r, a.signal) } };
  return { responses: r, inputs: {} };
}

function methods(input: 'gold' | 'weights'): string {
  return methodIds.filter((id) => methodById(id)?.uses.includes(input)).join(', ');
}

/** Runs `toloka aggregate`: reads the input the method takes, aggregates, writes the output. */
export async function aggregateFile(a: AggregateArgs): Promise<AggregateSummary> {
  const kind = inputKindOf(a.method);
  if (!kind) throw new Error(`unknown method "${a.method}"; choose one of ${[...methodIds, ...pairwiseMethodIds, ...textMethodIds, ...multiLabelMethodIds].join(', ')}`);
  if (a.base !== undefined && kind !== 'multi-label') throw new Error(`--base is for binary-relevance, not ${a.method}`);
  if (a.gold && kind !== 'labels') throw new Error(`--gold is for ${methods('gold')}, not ${a.method}`);
  if (a.weights && kind !== 'labels' && kind !== 'multi-label') throw new Error(`--weights is for ${methods('weights')} (and binary-relevance over it), not ${a.method}`);
  const started = performance.now();
  let read: number;
  let ran: number;
  let counts: { responses: number; tasks: number; workers: number };
  if (kind === 'pairwise') {
    if (isResultsTsv(a.input)) throw new Error(`${a.method} reads ${inputShapes.pairwise}, not a results TSV`);
    const c = await readComparisonsCsv(a.input, a.signal);
    read = performance.now();
    const scores = a.method === 'bt' ? bradleyTerry(c) : noisyBradleyTerry(c).scores;
    ran = performance.now();
    await writeRankingCsv(a.output, ranking(c.itemNames, scores));
    counts = { responses: c.left.length, tasks: c.itemNames.length, workers: c.workerNames.length };
  } else if (kind === 'texts') {
    const r = await readAnswers(a, 'text');
    read = performance.now();
    const texts = rover(r);
    ran = performance.now();
    await writeTaskValuesCsv(a.output, 'text', r.taskNames.map((t, i) => [t, texts[i] ?? ''] as const));
    counts = { responses: r.tasks.length, tasks: r.taskNames.length, workers: r.workerNames.length };
  } else if (kind === 'multi-label') {
    const base = labelMethod(a.base ?? 'mv', 'base method');
    const { responses: r, inputs } = await methodInputs(a, base.id, await readAnswers(a, 'label', labelSetProblem));
    read = performance.now();
    const result = binaryRelevance(r, labelSet, base, inputs);
    ran = performance.now();
    await writeTaskValuesCsv(a.output, 'labels', r.taskNames.map((t, i) => [t, (result.sets[i] ?? []).map((c) => result.labelNames[c] ?? '').join('|')] as const));
    counts = { responses: r.tasks.length, tasks: r.taskNames.length, workers: r.workerNames.length };
  } else {
    const m = labelMethod(a.method);
    const { responses: r, inputs } = await methodInputs(a, m.id, await readAnswers(a, 'label'));
    read = performance.now();
    const result = m.run(r, inputs);
    ran = performance.now();
    await writeAggregatedCsv(a.output, r, result);
    counts = { responses: r.tasks.length, tasks: r.taskNames.length, workers: r.workerNames.length };
  }
  const wrote = performance.now();
  return { method: a.method, kind, ...counts, readSeconds: (read - started) / 1000, aggregateSeconds: (ran - read) / 1000, writeSeconds: (wrote - ran) / 1000 };
}

export interface MetricsArgs {
  readonly input: string;
  readonly field?: string;
  readonly excludeControl?: boolean;
  /** Golden answers (`task,true_label`): accuracy per Toloker and of each method. */
  readonly gold?: string;
  /** The methods whose accuracy against the golden answers is measured (default: all for labels). */
  readonly methods?: readonly string[];
  /** Where to write the per-Toloker figures (`worker,answers,accuracy_on_aggregates[,accuracy_on_gold,answers_on_gold]`). */
  readonly workersOutput?: string;
  readonly signal?: AbortSignal;
}

export interface MetricsReport {
  readonly responses: number;
  readonly tasks: number;
  readonly workers: number;
  readonly labels: number;
  /** crowd-kit's data metrics (majority vote and its agreement skills for consistency). */
  readonly consistency: number;
  readonly uncertainty: number;
  readonly alphaKrippendorff: number;
  /** The share of all distinct answers that match the majority vote. */
  readonly accuracyOnAggregates: number;
  /** With golden answers. */
  readonly gold?: {
    readonly tasks: number;
    /** Golden answers for tasks no one answered (left out). */
    readonly unmatched: number;
    /** The share of distinct answers on golden tasks that match. */
    readonly workerAccuracy: number;
    /** Per method: accuracy on the golden tasks, or why it could not run. */
    readonly methods: Readonly<Record<string, { readonly accuracy: number } | { readonly error: string }>>;
  };
}

/** Runs `toloka metrics`: the data metrics, per-Toloker accuracy and, with golden answers, each method's accuracy. */
export async function metricsFile(a: MetricsArgs): Promise<MetricsReport> {
  const answers = await readAnswers({ ...a, method: 'mv', output: '' }, 'label');
  if (answers.tasks.length === 0) throw new Error(`${a.input}: no answers`);
  const golden = a.gold ? await readGoldCsv(a.gold, a.signal) : undefined;
  const coded = golden ? goldCodes(answers, golden) : undefined;
  const r = coded?.responses ?? answers;
  const aggregates = majorityVote(r).labels;
  const onAggregates = accuracyAgainst(r, aggregates);
  const onGold = coded ? accuracyAgainst(r, coded.gold) : undefined;
  let gold: MetricsReport['gold'];
  if (coded && onGold) {
    const methodResults: Record<string, { accuracy: number } | { error: string }> = {};
    for (const id of a.methods ?? methodIds) {
      const m = labelMethod(id);
      try {
        methodResults[id] = { accuracy: labelAccuracy(m.run(r).labels, coded.gold).accuracy };
      } catch (err) {
        methodResults[id] = { error: err instanceof Error ? err.message : String(err) };
      }
    }
    gold = { tasks: coded.gold.filter((g) => g >= 0).length, unmatched: coded.unmatched, workerAccuracy: onGold.overall, methods: methodResults };
  }
  if (a.workersOutput) {
    const out = await TextWriter.open(a.workersOutput);
    try {
      await out.write(`worker,answers,accuracy_on_aggregates${onGold ? ',answers_on_gold,accuracy_on_gold' : ''}\n`);
      for (let w = 0; w < r.workerNames.length; w++) {
        const gold = onGold ? `,${onGold.compared[w] as number},${figure(onGold.byWorker[w] as number)}` : '';
        await out.write(`${csvCell(r.workerNames[w] ?? '')},${onAggregates.compared[w] as number},${figure(onAggregates.byWorker[w] as number)}${gold}\n`);
      }
    } finally {
      await out.close();
    }
  }
  // The data metrics over the labels given (not golden labels no one gave).
  return {
    responses: r.tasks.length,
    tasks: r.taskNames.length,
    workers: r.workerNames.length,
    labels: answers.labelNames.length,
    consistency: consistency(answers, aggregates),
    uncertainty: uncertainty(answers),
    alphaKrippendorff: krippendorffAlpha(answers),
    accuracyOnAggregates: onAggregates.overall,
    ...(gold ? { gold } : {}),
  };
}

/** A figure to 6 decimals; empty when there is none (NaN). */
function figure(v: number): string {
  return Number.isNaN(v) ? '' : String(Number(v.toFixed(6)));
}
