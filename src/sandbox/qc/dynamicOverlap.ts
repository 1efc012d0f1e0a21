/**
 * Dynamic overlap (incremental relabeling) as Toloka documents it, shared by the dry-run and the
 * live sandbox. A task starts at its overlap (the pool's default); each time its answers reach
 * that overlap, they are aggregated by skill: every Toloker's accuracy `q` is their
 * `answer_weight_skill_id` value / 100 (0.5 without one), the winning answer is the one whose
 * Tolokers have the largest summed `q`, and its confidence is its posterior
 * `P(answers | z*) / Σ_z P(answers | z)` with `P(answers | z) = Π q (answer = z) or (1 − q)/(Y − 1)`
 * over the Y possible answers. Below `min_confidence` and under `max_overlap`, the task gets one
 * more answer; otherwise its dynamic overlap is complete. Pure: no state, no clock.
 */
import type { FieldSpecMap } from '../../toloka/models';
import { domain } from '../fieldDomain';
import type { Answer } from './engine';

/** A pool's `dynamic_overlap_config`, the parts that decide. */
export interface DynamicOverlapSettings {
  readonly max_overlap: number;
  readonly min_confidence: number;
  readonly answer_weight_skill_id: string;
  readonly fields: readonly { readonly name: string }[];
}

export interface WeightedAnswer {
  readonly answer: Answer;
  /** The Toloker's value of `answer_weight_skill_id` (0..100); undefined when they have none. */
  readonly skill: number | undefined;
}

export interface SkillAggregate {
  /** The winning answer's values of the config's fields. */
  readonly output_values: Record<string, unknown>;
  readonly confidence: number;
}

export type DynamicOverlapStep =
  /** Fewer answers than the overlap: wait for them. */
  | { readonly step: 'wait' }
  /** Not confident enough: raise the overlap by one. */
  | { readonly step: 'more'; readonly aggregate: SkillAggregate }
  | { readonly step: 'complete'; readonly aggregate: SkillAggregate };

/** A skill value as an accuracy, kept off 0 and 1 so no single answer decides alone. */
function accuracy(skill: number | undefined): number {
  return Math.min(0.99, Math.max(0.01, (skill ?? 50) / 100));
}

/** Y, how many answers the fields can have: the field's values when one field lists them, else undefined. */
export function possibleAnswers(outputSpec: FieldSpecMap, fields: readonly { readonly name: string }[]): number | undefined {
  const only = fields.length === 1 ? outputSpec[fields[0]?.name ?? ''] : undefined;
  return only ? domain(only)?.length : undefined;
}

/** Aggregation by skill of one task's answers (at least one). `possible`: Y when known; the answers given otherwise. */
export function aggregateBySkill(answers: readonly WeightedAnswer[], fields: readonly string[], possible: number | undefined): SkillAggregate {
  const key = (a: Answer): string => JSON.stringify(fields.map((f) => a[f] ?? null));
  const given = answers.map((a) => ({ key: key(a.answer), q: accuracy(a.skill), answer: a.answer }));
  const weight = new Map<string, number>();
  for (const g of given) weight.set(g.key, (weight.get(g.key) ?? 0) + g.q);
  const y = Math.max(2, possible ?? 0, weight.size);
  const likelihood = (z: string | undefined): number => Math.exp(given.reduce((s, g) => s + Math.log(g.key === z ? g.q : (1 - g.q) / (y - 1)), 0));
  let best: string | undefined;
  for (const [z, w] of weight) if (best === undefined || w > (weight.get(best) ?? 0) || (w === weight.get(best) && likelihood(z) > likelihood(best))) best = z;
  let total = 0;
  for (const z of weight.keys()) total += likelihood(z);
  // Answers no one gave share what is left of the mass.
  total += (y - weight.size) * likelihood(undefined);
  const winner = given.find((g) => g.key === best)?.answer ?? {};
  return {
    output_values: Object.fromEntries(fields.filter((f) => f in winner).map((f) => [f, winner[f]])),
    confidence: total > 0 ? likelihood(best) / total : 0,
  };
}

/** What a task's dynamic overlap does now that it has these answers at this overlap. */
export function dynamicOverlapStep(config: DynamicOverlapSettings, overlap: number, answers: readonly WeightedAnswer[], possible: number | undefined): DynamicOverlapStep {
  if (answers.length === 0 || answers.length < overlap) return { step: 'wait' };
  const aggregate = aggregateBySkill(answers, config.fields.map((f) => f.name), possible);
  return aggregate.confidence < config.min_confidence && overlap < config.max_overlap ? { step: 'more', aggregate } : { step: 'complete', aggregate };
}
