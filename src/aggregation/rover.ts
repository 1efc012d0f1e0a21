import { byTask } from './groups';
import type { Responses } from './responses';

/** One slot of the word transition network: the words seen there, with how many texts gave each ("" for none). */
type Slot = Map<string, number>;

/** A text's words: split on white space. */
export function words(text: string): string[] {
  const t = text.trim();
  return t === '' ? [] : t.split(/\s+/);
}

/**
 * Aligns the words of one more text (`sources` texts already aligned into `slots`) by the
 * edit distance of ROVER (Fiscus 1997): a word matches a slot holding it, else costs 1;
 * skipping a slot costs 1 unless the slot already holds "" (a text with no word there);
 * inserting a word costs 1. Ties prefer a match or substitution, then a skip, then an
 * insertion; the path is traced from the end.
 */
function align(slots: readonly Slot[], hyp: readonly string[], sources: number): Slot[] {
  const rows = hyp.length + 1;
  const cols = slots.length + 1;
  const cost = new Float64Array(rows * cols);
  /** 0 diagonal (match or substitution), 1 skip a slot, 2 insert a word. */
  const move = new Uint8Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    cost[i * cols] = i;
    move[i * cols] = 2;
  }
  for (let j = 0; j < cols; j++) {
    cost[j] = j;
    move[j] = 1;
  }
  for (let i = 1; i < rows; i++) {
    const word = hyp[i - 1] as string;
    for (let j = 1; j < cols; j++) {
      const slot = slots[j - 1] as Slot;
      let best = (cost[(i - 1) * cols + j - 1] as number) + (slot.has(word) ? 0 : 1);
      let how = 0;
      const skip = (cost[i * cols + j - 1] as number) + (slot.has('') ? 0 : 1);
      if (skip < best) {
        best = skip;
        how = 1;
      }
      const insert = (cost[(i - 1) * cols + j] as number) + 1;
      if (insert < best) {
        best = insert;
        how = 2;
      }
      cost[i * cols + j] = best;
      move[i * cols + j] = how;
    }
  }
  const out: Slot[] = [];
  const add = (slot: Slot, word: string): Slot => {
    slot.set(word, (slot.get(word) ?? 0) + 1);
    return slot;
  };
  for (let i = hyp.length, j = slots.length; i > 0 || j > 0; ) {
    const how = move[i * cols + j] as number;
    if (how === 0) out.push(add(new Map(slots[--j] as Slot), hyp[--i] as string));
    else if (how === 1) out.push(add(new Map(slots[--j] as Slot), ''));
    else out.push(add(new Map([['', sources]]), hyp[--i] as string));
  }
  return out.reverse();
}

/**
 * ROVER (Fiscus 1997), as crowd-kit 1.4 runs it with white-space words: the task's texts, in
 * the order given, are aligned one by one into a word transition network, then each slot
 * takes the word most texts gave there (a tie to the longer word, then the larger as text);
 * slots won by "no word" are dropped. The answers' labels are the texts.
 */
export function rover(r: Responses): string[] {
  const { start, order } = byTask(r);
  const out: string[] = [];
  for (let t = 0; t < r.taskNames.length; t++) {
    let slots: Slot[] = [];
    for (let k = start[t] as number, sources = 0; k < (start[t + 1] as number); k++, sources++) {
      // Split as needed, not all up front: a million texts' words would not fit in memory.
      const hyp = words(r.labelNames[r.labels[order[k] as number] as number] ?? '');
      slots = sources === 0 ? hyp.map((w) => new Map([[w, 1]])) : align(slots, hyp, sources);
    }
    const chosen: string[] = [];
    for (const slot of slots) {
      let best = '';
      let bestCount = -1;
      for (const [word, count] of slot) {
        if (count > bestCount || (count === bestCount && (word.length > best.length || (word.length === best.length && word > best)))) {
          best = word;
          bestCount = count;
        }
      }
      if (best !== '') chosen.push(best);
    }
    out.push(chosen.join(' '));
  }
  return out;
}
