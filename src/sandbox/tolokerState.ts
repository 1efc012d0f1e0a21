/**
 * What the sandbox keeps about Tolokers and money beyond SandboxState: bonuses paid. Held
 * beside the state (one per SandboxState) so the routes for Tolokers add no fields to it.
 * Not persisted to the data file yet.
 */
import type { UserBonus } from '../toloka/models';
import type { SandboxState } from './state';

export interface TolokerData {
  readonly bonuses: Map<string, UserBonus & { id: string; created: string }>;
  bonusCounter: number;
}

const data = new WeakMap<SandboxState, TolokerData>();

export function tolokerData(state: SandboxState): TolokerData {
  let d = data.get(state);
  if (!d) {
    d = { bonuses: new Map(), bonusCounter: 0 };
    data.set(state, d);
  }
  return d;
}
