import { dawidSkene } from './dawidSkene';
import { glad } from './glad';
import { majorityVote } from './majorityVote';
import type { Aggregated, Responses } from './responses';
import { wawa } from './wawa';

export type MethodId = 'mv' | 'wawa' | 'ds' | 'glad';

export interface Method {
  readonly id: MethodId;
  readonly label: string;
  readonly detail: string;
  readonly run: (r: Responses) => Aggregated;
}

/** The aggregation methods, with crowd-kit's defaults (100 iterations, tolerance 1e-5). */
export const methods: readonly Method[] = [
  { id: 'mv', label: 'Majority vote', detail: 'The most frequent answer; a tie goes to the smallest label as text. Confidence: its share of the votes.', run: (r) => majorityVote(r) },
  { id: 'wawa', label: 'Wawa', detail: "Majority vote weighted by each Toloker's agreement with the plain majority.", run: wawa },
  { id: 'ds', label: 'Dawid-Skene', detail: 'EM over a confusion matrix per Toloker, started from majority vote. Confidence: the posterior.', run: (r) => dawidSkene(r) },
  { id: 'glad', label: 'GLAD', detail: 'EM over Toloker ability and task difficulty. Slower; confidence: the posterior.', run: (r) => glad(r) },
];

export function methodById(id: string): Method | undefined {
  return methods.find((m) => m.id === id);
}
