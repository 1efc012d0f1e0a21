import { fork, type ChildProcess } from 'node:child_process';
import * as vscode from 'vscode';
import { FromSandbox, type SandboxProcessOptions, type ToSandbox } from '../sandbox/processProtocol';
import { localCrowdFile, readSettings } from './settings';
import { Disposable } from '../util/disposable';

/** The running sandbox process, as the extension sees it. */
export interface LocalSandbox {
  readonly apiRoot: string;
  readonly origin: string;
  readonly pid: number;
}

const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

/**
 * The built-in Toloka sandbox, run on demand as a child process (`dist/sandbox.js` on the
 * extension host's own Node, `ELECTRON_RUN_AS_NODE=1` under Electron), on a free loopback
 * port. Its data lives in the extension's global storage, so projects and pools survive
 * restarts of VS Code; its log goes to the Toloka channel. It stops with the extension, on
 * `Toloka: Stop Local Sandbox`, or by itself when the extension host goes away.
 */
export class LocalSandboxService extends Disposable {
  private running: Promise<{ child: ChildProcess; info: LocalSandbox }> | undefined;

  constructor(
    private readonly entry: string,
    private readonly storage: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this.own({ dispose: () => void this.stop() });
  }

  get dataFile(): string {
    return vscode.Uri.joinPath(this.storage, 'sandbox', 'state.jsonl').fsPath;
  }

  /** Starts the sandbox process once; later calls get the same one. */
  async ensureStarted(): Promise<LocalSandbox> {
    if (!this.running) {
      const starting = this.spawn();
      this.running = starting;
      starting.catch((err: unknown) => {
        if (this.running === starting) this.running = undefined;
        this.log.error(`The local sandbox did not start: ${err instanceof Error ? err.message : String(err)}`);
      });
    }
    return (await this.running).info;
  }

  /** The process while it runs, for tests and the status of the environment. */
  async current(): Promise<LocalSandbox | undefined> {
    return (await this.running?.catch(() => undefined))?.info;
  }

  private spawn(): Promise<{ child: ChildProcess; info: LocalSandbox }> {
    const started = Date.now();
    const crowd = localCrowdFile(readSettings(this.log));
    const options: SandboxProcessOptions = { dataFile: this.dataFile, port: 0, saveDelayMs: 2000, ...(crowd ? { crowdFile: crowd } : {}) };
    const child = fork(this.entry, [], {
      execPath: process.execPath,
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', TOLOKA_SANDBOX_OPTIONS: JSON.stringify(options) },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    });
    const relay = (level: 'info' | 'warn') => (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) this.log[level](`[sandbox ${child.pid ?? '?'}] ${line}`);
    };
    child.stdout?.on('data', relay('info'));
    child.stderr?.on('data', relay('warn'));
    return new Promise((resolve, reject) => {
      let ready = false;
      const timer = setTimeout(() => {
        child.kill();
        reject(new Error(`the sandbox process did not start within ${START_TIMEOUT_MS / 1000} s`));
      }, START_TIMEOUT_MS);
      child.on('message', (raw: unknown) => {
        const m = FromSandbox.safeParse(raw);
        if (!m.success) {
          this.log.warn(`[sandbox ${child.pid ?? '?'}] unexpected message: ${JSON.stringify(raw)}`);
          return;
        }
        const msg = m.data;
        if (msg.type === 'log') this.log[msg.level](`[sandbox ${child.pid ?? '?'}] ${msg.message}`);
        else if (msg.type === 'failed') {
          clearTimeout(timer);
          reject(new Error(msg.message));
        } else if (msg.type === 'ready') {
          ready = true;
          clearTimeout(timer);
          this.log.info(`Local Toloka sandbox started at ${msg.apiRoot} in ${Date.now() - started} ms (process ${msg.pid}, data: ${this.dataFile})`);
          resolve({ child, info: { apiRoot: msg.apiRoot, origin: msg.origin, pid: msg.pid } });
        }
      });
      child.once('error', (err) => {
        clearTimeout(timer);
        reject(new Error(`could not start the sandbox process: ${err.message}`));
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        if (!ready) reject(new Error(`the sandbox process exited before it was ready (${signal ?? `exit code ${String(code)}`})`));
        else {
          this.log.info(`Local Toloka sandbox process ${child.pid ?? '?'} ended (${signal ?? `exit code ${String(code)}`})`);
          void this.forget(child);
        }
      });
    });
  }

  /** A process that ended on its own is started again on the next call. */
  private async forget(child: ChildProcess): Promise<void> {
    const running = this.running;
    const current = await running?.catch(() => undefined);
    if (current?.child === child && this.running === running) this.running = undefined;
  }

  /** Stops the process, letting it save its state first. */
  async stop(): Promise<void> {
    const running = this.running;
    this.running = undefined;
    const current = await running?.catch(() => undefined);
    if (!current) return;
    const { child } = current;
    if (child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.log.warn(`The sandbox process ${child.pid ?? '?'} did not stop within ${STOP_TIMEOUT_MS / 1000} s: killed`);
        child.kill('SIGKILL');
      }, STOP_TIMEOUT_MS);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      if (child.connected) child.send({ type: 'stop' } satisfies ToSandbox);
      else child.kill('SIGTERM');
    });
    this.log.info('Local Toloka sandbox stopped');
  }
}
