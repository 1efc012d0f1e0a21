import { sleep } from '../toloka/sleep';

/** Spends tokens at a quota's pace (tasks per minute), waiting when they run out. */
export class Limiter {
  private tokens: number;
  private last = Date.now();

  /** `perMinute` of 0 or less: no limit. */
  constructor(private readonly perMinute: number) {
    this.tokens = perMinute;
  }

  async take(n: number, signal: AbortSignal | undefined): Promise<void> {
    if (this.perMinute <= 0) return;
    for (;;) {
      const now = Date.now();
      this.tokens = Math.min(this.perMinute, this.tokens + ((now - this.last) * this.perMinute) / 60_000);
      this.last = now;
      if (this.tokens >= n) {
        this.tokens -= n;
        return;
      }
      const wait = Math.ceil(((n - this.tokens) * 60_000) / this.perMinute);
      await sleep(Math.min(wait, 1000), signal);
    }
  }
}
