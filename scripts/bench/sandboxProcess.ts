/** A sandbox in its own process, so that a benchmark measures the client and the server apart. */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { repoRoot } from '../../test/runners/provision';

export interface SandboxProcess {
  readonly apiRoot: string;
  readonly child: ChildProcess;
  stop(): void;
}

/** Starts `toloka sandbox` on a free port with the given flags and waits for its address. */
export async function startSandboxProcess(flags: readonly string[]): Promise<SandboxProcess> {
  const child = spawn(process.execPath, [path.join(repoRoot, 'dist', 'cli', 'toloka.mjs'), 'sandbox', '--port', '0', ...flags], { stdio: ['ignore', 'pipe', 'inherit'] });
  const apiRoot = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout?.on('data', (d: Buffer) => {
      text += d.toString();
      const m = /listening: (\S+)/.exec(text);
      if (m?.[1]) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`sandbox exited with ${String(code)}`)));
  });
  // Should the benchmark die first, the sandbox must not outlive it (one left behind once kept
  // a core busy for forty minutes and skewed every figure after it).
  const reap = (): void => void child.kill('SIGKILL');
  process.once('exit', reap);
  return {
    apiRoot,
    child,
    stop: () => {
      process.removeListener('exit', reap);
      child.kill('SIGKILL');
    },
  };
}
