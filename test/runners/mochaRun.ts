/** Runs Mocha programmatically over compiled test files and collects a LayerReport. */
import Mocha from 'mocha';
import type { LayerReport } from './report';

export interface MochaRunOptions {
  readonly layer: string;
  readonly files: readonly string[];
  readonly timeoutMs: number;
  /** Called with each finished test's line, for live output. */
  readonly onLine?: (line: string) => void;
  readonly grep?: string;
  /** Runs after each failed test, e.g. to keep a screenshot. */
  readonly onFailure?: (title: string) => Promise<void>;
}

export async function runMocha(options: MochaRunOptions): Promise<LayerReport> {
  // The Base reporter prints nothing: lines go through onLine, wherever this process's stdout goes.
  const mocha = new Mocha({ ui: 'bdd', timeout: options.timeoutMs, color: false, reporter: Mocha.reporters.Base });
  if (options.grep) mocha.grep(options.grep);
  const onFailure = options.onFailure;
  if (onFailure) {
    mocha.rootHooks({
      async afterEach(this: Mocha.Context) {
        if (this.currentTest?.state === 'failed') await onFailure(this.currentTest.fullTitle()).catch(() => undefined);
      },
    });
  }
  for (const f of options.files) mocha.addFile(f);
  await mocha.loadFilesAsync();
  const failures: Array<{ title: string; message: string }> = [];
  let passed = 0;
  const say = options.onLine ?? (() => undefined);
  await new Promise<void>((resolve) => {
    const runner = mocha.run(() => resolve());
    runner.on('pass', (test) => {
      passed++;
      say(`  ✓ ${test.fullTitle()} (${test.duration ?? 0} ms)`);
    });
    runner.on('fail', (test, err: Error) => {
      const message = err.stack ?? err.message;
      failures.push({ title: test.fullTitle(), message });
      say(`  ✗ ${test.fullTitle()}\n${message.split('\n').map((l) => `      ${l}`).join('\n')}`);
    });
  });
  return { layer: options.layer, passed, failed: failures.length, failures };
}
