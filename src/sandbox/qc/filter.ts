/**
 * Which simulated Tolokers a pool's `filter` lets in: `and`/`or` trees of skill, profile and
 * computed conditions. A Toloker without the skill passes only `EQ` with no value (the docs'
 * "Tolokers without the skill") and `NE` with one; every other comparison needs the skill.
 */
import type { Filter, FilterCondition as FilterConditionSchema } from '../../toloka/models';
import type { z } from 'zod';

type FilterCondition = z.infer<typeof FilterConditionSchema>;

/** What a filter can test about a simulated Toloker. */
export interface FilterSubject {
  readonly skills: ReadonlyMap<string, number>;
  /** Profile and computed attributes: languages, country, client_type, region_by_ip, … */
  readonly attributes: Readonly<Record<string, string | number | boolean | readonly (string | number)[]>>;
}

type Scalar = string | number | boolean | null | undefined;

function compare(actual: Scalar, operator: string, expected: Scalar): boolean {
  if (actual === undefined || actual === null) {
    if (operator === 'EQ') return expected === undefined || expected === null;
    if (operator === 'NE') return expected !== undefined && expected !== null;
    return false;
  }
  if (expected === undefined || expected === null) return operator === 'NE';
  const numeric = typeof actual === 'number' && (typeof expected === 'number' || (typeof expected === 'string' && expected.trim() !== '' && !Number.isNaN(Number(expected))));
  const a: number | string = numeric ? Number(actual) : String(actual);
  const e: number | string = numeric ? Number(expected) : String(expected);
  switch (operator) {
    case 'EQ': case 'IN': return a === e;
    case 'NE': case 'NOT_IN': return a !== e;
    case 'GT': return a > e;
    case 'GTE': return a >= e;
    case 'LT': return a < e;
    case 'LTE': return a <= e;
    default: return false;
  }
}

/** Whether the subject passes the filter (no filter lets everyone in). */
export function passesFilter(filter: Filter | undefined, who: FilterSubject): boolean {
  if (!filter) return true;
  const group = filter as { and?: Filter[]; or?: Filter[] };
  if (Array.isArray(group.and)) return group.and.every((f) => passesFilter(f, who));
  if (Array.isArray(group.or)) return group.or.length === 0 || group.or.some((f) => passesFilter(f, who));
  const leaf = filter as FilterCondition;
  const key = String(leaf.key);
  if (leaf.category === 'skill') return compare(who.skills.get(key), leaf.operator, leaf.value);
  const actual = who.attributes[key];
  if (Array.isArray(actual)) {
    // Languages and the like: IN/EQ when any value matches, NOT_IN/NE when none does.
    const any = actual.some((v) => compare(v as string | number, 'EQ', leaf.value));
    return leaf.operator === 'NE' || leaf.operator === 'NOT_IN' ? !any : leaf.operator === 'EQ' || leaf.operator === 'IN' ? any : false;
  }
  return compare(actual as Scalar, leaf.operator, leaf.value);
}

/** The skill ids a filter tests, so a change of one of them can revoke access. */
export function filterSkills(filter: Filter | undefined, out = new Set<string>()): Set<string> {
  if (!filter) return out;
  const group = filter as { and?: Filter[]; or?: Filter[] };
  if (Array.isArray(group.and)) for (const f of group.and) filterSkills(f, out);
  else if (Array.isArray(group.or)) for (const f of group.or) filterSkills(f, out);
  else if ((filter as FilterCondition).category === 'skill') out.add(String((filter as FilterCondition).key));
  return out;
}
