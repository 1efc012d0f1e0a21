import * as vscode from 'vscode';
import { startSandbox, type Sandbox } from '../sandbox/server';
import { Disposable } from '../util/disposable';

/**
 * The built-in Toloka sandbox, run inside the extension host on a free loopback port when
 * the `local` environment is used. Its data lives in the extension's global storage, so
 * projects and pools survive restarts of VS Code.
 */
export class LocalSandboxService extends Disposable {
  private running: Promise<Sandbox> | undefined;

  constructor(
    private readonly storage: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this.own({ dispose: () => void this.stop() });
  }

  get dataFile(): string {
    return vscode.Uri.joinPath(this.storage, 'sandbox', 'state.jsonl').fsPath;
  }

  /** Starts the sandbox once; later calls get the same one. */
  ensureStarted(): Promise<Sandbox> {
    this.running ??= (async () => {
      const started = Date.now();
      const sandbox = await startSandbox({ dataFile: this.dataFile });
      this.log.info(`Local Toloka sandbox started at ${sandbox.apiRoot} in ${Date.now() - started} ms (data: ${this.dataFile})`);
      return sandbox;
    })();
    this.running.catch((err: unknown) => {
      this.running = undefined;
      this.log.error(`The local sandbox did not start: ${err instanceof Error ? err.message : String(err)}`);
    });
    return this.running;
  }

  get isRunning(): boolean {
    return this.running !== undefined;
  }

  async stop(): Promise<void> {
    const running = this.running;
    this.running = undefined;
    if (running) {
      const sandbox = await running.catch(() => undefined);
      await sandbox?.stop();
      this.log.info('Local Toloka sandbox stopped');
    }
  }
}
