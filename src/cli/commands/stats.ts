import * as fs from 'node:fs';

/** This process's peak resident memory in MiB, from the kernel (Linux); null elsewhere. */
export function peakRssMiB(): number | null {
  try {
    const hwm = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    return hwm ? Number(hwm[1]) / 1024 : null;
  } catch {
    return null;
  }
}
