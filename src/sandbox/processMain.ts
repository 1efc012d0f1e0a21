/**
 * The sandbox process the extension starts on demand (bundled as dist/sandbox.js): the local
 * Toloka on a free loopback port, its state in the file it is given. It talks to its parent
 * over IPC, stops (saving its state) when asked or when the parent goes away, and keeps no
 * timer running while nothing happens. No vscode import.
 */
import { readCrowdFile } from './dryrun/crowd';
import { FromSandbox, SandboxProcessOptions, ToSandbox } from './processProtocol';
import { startSandbox, type Sandbox } from './server';

function send(message: FromSandbox): void {
  if (process.send && process.connected) process.send(message);
}

function log(level: 'debug' | 'info' | 'warn' | 'error', message: string): void {
  send({ type: 'log', level, message });
}

async function main(): Promise<void> {
  const parsed = SandboxProcessOptions.safeParse(JSON.parse(process.env['TOLOKA_SANDBOX_OPTIONS'] ?? '{}'));
  if (!parsed.success) {
    send({ type: 'failed', message: `bad sandbox options: ${parsed.error.message}` });
    process.exitCode = 1;
    return;
  }
  const o = parsed.data;
  let sandbox: Sandbox;
  try {
    sandbox = await startSandbox({
      port: o.port,
      ...(o.crowdFile ? { tolokers: { crowd: readCrowdFile(o.crowdFile) } } : {}),
      ...(o.dataFile ? { dataFile: o.dataFile } : {}),
      ...(o.seed !== undefined ? { seed: o.seed } : {}),
      ...(o.saveDelayMs !== undefined ? { saveIntervalMs: o.saveDelayMs } : {}),
      // Toloka's quotas on creating projects, pools, trainings and skills, as deploy's apply expects.
      objectQuota: {},
      onLog: log,
    });
  } catch (err) {
    send({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
    process.exitCode = 1;
    return;
  }
  let stopping: Promise<void> | undefined;
  const stop = (why: string): Promise<void> =>
    (stopping ??= (async () => {
      log('info', `stopping (${why})`);
      try {
        await sandbox.stop();
      } catch (err) {
        log('error', `could not save the state on stop: ${err instanceof Error ? err.message : String(err)}`);
      }
      send({ type: 'stopped' });
      if (process.connected) process.disconnect();
      // Everything is closed; should a handle still hold the process, it goes anyway.
      setTimeout(() => process.exit(0), 2000).unref();
    })());
  process.on('message', (raw: unknown) => {
    const message = ToSandbox.safeParse(raw);
    if (message.success && message.data.type === 'stop') void stop('asked by the extension');
  });
  // The extension host went away (closed window, crash): save and go too.
  process.on('disconnect', () => void stop('the extension went away'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  send({ type: 'ready', apiRoot: sandbox.apiRoot, origin: sandbox.origin, port: sandbox.port, pid: process.pid });
}

void main();
