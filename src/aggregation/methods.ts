/**
 * The one registry of aggregation methods: their ids (as the command line, the command and
 * the worker take them), names and descriptions. Everything else derives from here.
 */
import { dawidSkene } from './dawidSkene';
import { glad } from './glad';
import { kos } from './kos';
import { mace } from './mace';
import { majorityVote } from './majorityVote';
import { mmsr } from './mmsr';
import { oneCoinDawidSkene } from './oneCoinDawidSkene';
import type { Aggregated, Responses } from './responses';
import { wawa } from './wawa';
import { zeroBasedSkill } from './zeroBasedSkill';

/** Methods for labels from a fixed set (one label per response): one label per task. */
export const methodIds = ['mv', 'wawa', 'ds', 'glad', 'zbs', 'onecoin-ds', 'mace', 'kos', 'mmsr'] as const;
export type MethodId = (typeof methodIds)[number];

/** Methods for pairwise comparisons (`worker,left,right,label`): a score per item. */
export const pairwiseMethodIds = ['bt', 'noisy-bt'] as const;
export type PairwiseMethodId = (typeof pairwiseMethodIds)[number];

/** Methods for texts (`worker,task,text`): one text per task. */
export const textMethodIds = ['rover'] as const;
export type TextMethodId = (typeof textMethodIds)[number];

/** Methods for multi-label answers (a set of labels per response), over any method for labels. */
export const multiLabelMethodIds = ['binary-relevance'] as const;
export type MultiLabelMethodId = (typeof multiLabelMethodIds)[number];

/** Every method id, of every kind. */
export const allMethodIds = [...methodIds, ...pairwiseMethodIds, ...textMethodIds, ...multiLabelMethodIds] as const;
export type AnyMethodId = (typeof allMethodIds)[number];

/** What a method for labels may use besides the answers. */
export interface MethodInputs {
  /** Known labels: per task the label code, or -1 (`ds`). */
  readonly gold?: Int32Array;
  /** A weight per worker (`mv`). */
  readonly weights?: Float64Array;
}

export interface Method {
  readonly id: MethodId;
  readonly label: string;
  readonly detail: string;
  /** The inputs of `MethodInputs` it uses, when given. */
  readonly uses: ReadonlyArray<keyof MethodInputs>;
  readonly run: (r: Responses, inputs?: MethodInputs) => Aggregated;
}

/** The methods for labels, with crowd-kit 1.4's defaults. */
export const methods: readonly Method[] = [
  {
    id: 'mv',
    label: 'Majority vote',
    detail: 'The most frequent answer (weighted by each Toloker\'s weight, when given); a tie goes to the smallest label as text. Confidence: its share of the votes.',
    uses: ['weights'],
    run: (r, i) => majorityVote(r, i?.weights),
  },
  { id: 'wawa', label: 'Wawa', detail: "Majority vote weighted by each Toloker's agreement with the plain majority.", uses: [], run: (r) => wawa(r) },
  {
    id: 'ds',
    label: 'Dawid-Skene',
    detail: 'EM over a confusion matrix per Toloker, started from majority vote (and from the golden answers, when given). Confidence: the posterior.',
    uses: ['gold'],
    run: (r, i) => dawidSkene(r, i?.gold ? { gold: i.gold } : {}),
  },
  { id: 'glad', label: 'GLAD', detail: 'EM over Toloker ability and task difficulty. Slower; confidence: the posterior.', uses: [], run: (r) => glad(r) },
  { id: 'zbs', label: 'Zero-based skill', detail: 'Majority vote weighted by skills learned by gradient steps towards agreement with it.', uses: [], run: (r) => zeroBasedSkill(r) },
  { id: 'onecoin-ds', label: 'One-coin Dawid-Skene', detail: 'Dawid-Skene with one accuracy per Toloker instead of a confusion matrix. Confidence: the posterior.', uses: [], run: (r) => oneCoinDawidSkene(r) },
  { id: 'mace', label: 'MACE', detail: 'Models each Toloker as knowing or spamming, with a spamming strategy of their own (variational EM, 10 restarts). Confidence: the posterior.', uses: [], run: (r) => mace(r) },
  { id: 'kos', label: 'KOS', detail: 'Belief propagation between tasks and Tolokers; exactly two labels. No confidence.', uses: [], run: (r) => kos(r) },
  { id: 'mmsr', label: 'M-MSR', detail: "Toloker skills as a robust rank-one completion of their agreement matrix, then a vote weighted by them.", uses: [], run: (r) => mmsr(r) },
];

export function methodById(id: string): Method | undefined {
  return methods.find((m) => m.id === id);
}
