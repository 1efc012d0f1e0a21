/**
 * The dry-run's clock: a binary min-heap of events by time, then by the order they were pushed
 * (so two events at the same moment happen in the order they were scheduled, and a run is the
 * same run every time). Pure.
 */
export class EventQueue<E extends { readonly t: number }> {
  private readonly heap: Array<{ readonly e: E; readonly seq: number }> = [];
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  push(e: E): void {
    const h = this.heap;
    h.push({ e, seq: this.seq++ });
    for (let i = h.length - 1; i > 0;) {
      const p = (i - 1) >> 1;
      if (!this.before(i, p)) break;
      this.swap(i, p);
      i = p;
    }
  }

  pop(): E | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.before(l, m)) m = l;
        if (r < h.length && this.before(r, m)) m = r;
        if (m === i) break;
        this.swap(i, m);
        i = m;
      }
    }
    return top?.e;
  }

  private before(i: number, j: number): boolean {
    const a = this.heap[i];
    const b = this.heap[j];
    if (!a || !b) return false;
    return a.e.t < b.e.t || (a.e.t === b.e.t && a.seq < b.seq);
  }

  private swap(i: number, j: number): void {
    const h = this.heap;
    const x = h[i];
    const y = h[j];
    if (x && y) [h[i], h[j]] = [y, x];
  }
}
