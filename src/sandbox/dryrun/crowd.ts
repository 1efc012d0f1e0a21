/**
 * A simulated crowd of archetypes for dry-runs: each archetype has an accuracy or a confusion
 * matrix per class (or answers at
 * random, or always the same), a time per task, a skip rate, how it learns from training and how
 * its accuracy drifts, and a share of the crowd. Everything is drawn from a seed, so a dry-run
 * with the same seed is the same run. A crowd file is JSON checked by `CrowdSpec`.
 */
import { z } from 'zod';
import type { FieldSpec } from '../../toloka/models';
import { domain, wrongValue } from '../fieldDomain';
import { readJsonFile } from '../jsonFile';
import { hash32, Rng } from '../rng';

export const ArchetypeSpec = z.strictObject({
  name: z.string().min(1),
  /** Relative share of the crowd (normalised over all archetypes). */
  share: z.number().min(0),
  /** Probability of the true answer (before learning and drift). */
  accuracy: z.number().min(0).max(1).default(0.8),
  /**
   * Per true label, the probability of each answer (`{"cat": {"cat": 0.9, "dog": 0.1}}`, rows
   * normalised): used for honest answers to a task whose true label has a row, instead of
   * `accuracy` (and its learning and drift). Labels are the field's values as text.
   */
  confusion: z
    .record(z.string(), z.record(z.string(), z.number().min(0)).refine((row) => Object.values(row).some((p) => p > 0), 'a row needs an answer with a probability above 0'))
    .optional(),
  /** `random`: any value of the field's domain; `constant`: always the same value. */
  strategy: z.enum(['honest', 'random', 'constant']).default('honest'),
  /** Seconds per task, uniform in this range. */
  secondsPerTask: z.tuple([z.number().min(0), z.number().min(0)]).default([5, 20]),
  /** Fraction of suites skipped. */
  skipRate: z.number().min(0).max(1).default(0),
  /** Accuracy gained per training task answered, up to `maxAccuracy`. */
  learnPerTrainingTask: z.number().min(0).max(1).default(0),
  maxAccuracy: z.number().min(0).max(1).default(1),
  /** Accuracy change per 100 suites submitted (negative: drifting). */
  driftPer100: z.number().min(-1).max(1).default(0),
  /** Probability of solving a captcha. */
  captchaAccuracy: z.number().min(0).max(1).default(0.95),
  /** Seconds between two suites, uniform in this range. */
  pauseSeconds: z.tuple([z.number().min(0), z.number().min(0)]).default([2, 30]),
});
export type ArchetypeSpec = z.infer<typeof ArchetypeSpec>;

export const CrowdSpec = z.strictObject({
  size: z.number().int().min(1).max(100_000).default(200),
  archetypes: z.array(ArchetypeSpec).min(1),
  /** Profile and computed attributes every simulated Toloker has unless drawn otherwise. */
  attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.union([z.string(), z.number()]))])).default({ languages: ['EN'], country: 'US', client_type: 'BROWSER', region_by_ip: 84 }),
  /** Starting skills of every Toloker, by skill id. */
  skills: z.record(z.string(), z.number()).default({}),
});
export type CrowdSpec = z.infer<typeof CrowdSpec>;

const a = (x: z.input<typeof ArchetypeSpec>): ArchetypeSpec => ArchetypeSpec.parse(x);

/** The default crowd: mostly honest Tolokers of varied care, and the kinds QC is written against. */
export const defaultCrowd: CrowdSpec = {
  size: 200,
  attributes: { languages: ['EN'], country: 'US', client_type: 'BROWSER', region_by_ip: 84 },
  skills: {},
  archetypes: [
    a({ name: 'careful', share: 0.25, accuracy: 0.95, secondsPerTask: [12, 40], skipRate: 0.01 }),
    a({ name: 'average', share: 0.35, accuracy: 0.8, secondsPerTask: [6, 25], skipRate: 0.03 }),
    a({ name: 'random clicker', share: 0.08, strategy: 'random', secondsPerTask: [2, 6], captchaAccuracy: 0.6 }),
    a({ name: 'constant spammer', share: 0.05, strategy: 'constant', secondsPerTask: [1, 3], captchaAccuracy: 0.5 }),
    a({ name: 'fast submitter', share: 0.08, accuracy: 0.65, secondsPerTask: [0.5, 2] }),
    a({ name: 'skipper', share: 0.06, accuracy: 0.85, skipRate: 0.6 }),
    a({ name: 'learner', share: 0.08, accuracy: 0.55, learnPerTrainingTask: 0.05, maxAccuracy: 0.92 }),
    a({ name: 'drifting', share: 0.05, accuracy: 0.92, driftPer100: -0.3 }),
  ],
};

/** One simulated Toloker of a dry-run. */
export interface CrowdMember {
  readonly index: number;
  readonly id: string;
  readonly archetype: ArchetypeSpec;
  accuracy: number;
  readonly skills: Map<string, number>;
  readonly attributes: CrowdSpec['attributes'];
  /** When the Toloker first shows up, ms from the start. */
  readonly arrivesMs: number;
  submitted: number;
  trainingAnswers: number;
}

/** The Tolokers of a crowd, shares rounded so they add up to the size (largest remainders). */
export function drawCrowd(spec: CrowdSpec, seed: number, arrivalWindowMs = 3_600_000): CrowdMember[] {
  const rng = new Rng(seed * 104_729 + 17);
  const total = spec.archetypes.reduce((s, x) => s + x.share, 0) || 1;
  const exact = spec.archetypes.map((x) => (x.share / total) * spec.size);
  const counts = exact.map(Math.floor);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((x, y) => y[0] - x[0] || x[1] - y[1]);
  for (let k = 0, left = spec.size - counts.reduce((s, c) => s + c, 0); left > 0; k++, left--) {
    const i = order[k % order.length]?.[1] ?? 0;
    counts[i] = (counts[i] ?? 0) + 1;
  }
  const members: CrowdMember[] = [];
  spec.archetypes.forEach((archetype, i) => {
    for (let n = 0; n < (counts[i] ?? 0); n++) {
      members.push({
        index: members.length,
        id: rng.hex(32),
        archetype,
        accuracy: archetype.accuracy,
        skills: new Map(Object.entries(spec.skills)),
        attributes: spec.attributes,
        arrivesMs: Math.floor(rng.next() * arrivalWindowMs),
        submitted: 0,
        trainingAnswers: 0,
      });
    }
  });
  return members;
}

/** Reads a crowd file's JSON (archetypes with defaults filled in), naming the field at fault. */
export function parseCrowd(json: unknown, source = 'crowd'): CrowdSpec {
  const r = CrowdSpec.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new Error(`${source}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  return r.data;
}

/** A crowd file, read and checked: errors name the file and the field. */
export function readCrowdFile(file: string): CrowdSpec {
  return parseCrowd(readJsonFile(file), file);
}

/** An answer drawn from a confusion matrix's row for `truth` (`u` uniform in [0, 1)); undefined without a row. */
export function confusedAnswer(confusion: ArchetypeSpec['confusion'], truth: unknown, values: readonly unknown[] | undefined, u: number): unknown {
  const row = confusion?.[String(truth)];
  if (!row) return undefined;
  const entries = Object.entries(row);
  const total = entries.reduce((sum, [, p]) => sum + p, 0);
  let left = u * total;
  let chosen = entries[entries.length - 1]?.[0] ?? String(truth);
  for (const [answer, p] of entries) {
    if (left < p) {
      chosen = answer;
      break;
    }
    left -= p;
  }
  return values?.find((v) => String(v) === chosen) ?? chosen;
}

/**
 * What a Toloker of an archetype answers to one field, the same in a dry-run and in the live
 * sandbox: by strategy (`constant`: one value of their own; `random`: any), else for an honest one
 * by their confusion matrix's row for the truth, else the truth with their accuracy. `h` is a
 * random 32-bit number; `u` draws a uniform number in [0, 1), only for an honest answer.
 */
export function archetypeAnswer(who: { readonly id: string; readonly archetype: ArchetypeSpec; readonly accuracy: number }, field: FieldSpec, name: string, truth: unknown, h: number, u: () => number): unknown {
  const values = domain(field);
  if (who.archetype.strategy === 'constant') return values ? values[hash32(`${who.id}/${name}`) % values.length] : truth === undefined ? null : wrongValue(field, truth, hash32(who.id));
  if (who.archetype.strategy === 'random') return values ? values[h % values.length] : wrongValue(field, truth, h);
  const x = u();
  if (who.archetype.confusion && truth !== undefined) {
    const confused = confusedAnswer(who.archetype.confusion, truth, values, x);
    if (confused !== undefined) return confused;
  }
  return x < who.accuracy ? truth : wrongValue(field, truth, h);
}
