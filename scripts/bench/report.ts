/** A figure to three decimals, as every figure is printed. */
import * as fs from 'node:fs';
export function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}

/** Benchmarks print one JSON line per figure. */
export function figure(bench: string, metric: string, value: number, unit: string, extra: Record<string, unknown> = {}): void {
  console.log(JSON.stringify({ bench, metric, value: round(value), unit, ...extra }));
}

/** Peak resident memory of a process, from /proc (Linux), in MiB. */
export function peakRssMiB(pid: number = process.pid): number | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /VmHWM:\s+(\d+) kB/.exec(status);
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}
