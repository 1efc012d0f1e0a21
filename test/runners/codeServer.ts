/**
 * Starts a real VS Code (code-server) on a free loopback port, with its own user data and
 * extensions folders, and stops it with every process it spawned (extension hosts included).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureCodeServer } from './provision';

export interface CodeServerOptions {
  /** Folder opened in the workbench. */
  readonly workspace: string;
  /** Where installed extensions live; a fresh temporary folder when omitted. */
  readonly extensionsDir?: string;
  /** Profile folder (settings, state, logs); a fresh temporary folder when omitted. */
  readonly userDataDir?: string;
  /** Loopback port; a free one when omitted. */
  readonly port?: number;
  /** Lets the workbench honour the `payload` URL parameter (extension development and test paths). */
  readonly smokeTestDriver?: boolean;
  /** Extra environment for the server and so for its extension hosts. */
  readonly env?: Readonly<Record<string, string>>;
  /** User settings merged over the quiet defaults below. */
  readonly settings?: Readonly<Record<string, unknown>>;
}

export interface RunningCodeServer {
  readonly url: string;
  readonly port: number;
  readonly userDataDir: string;
  readonly extensionsDir: string;
  readonly logFile: string;
  /** URL of the workbench on `folder`, with an optional development payload. */
  workbenchUrl(folder: string, payload?: ReadonlyArray<readonly [string, string]>): string;
  /** `vscode-remote://` URI of a path on this server, for payload entries. */
  remoteUri(absPath: string): string;
  stop(): Promise<void>;
}

/** Settings that keep the workbench quiet and deterministic for tests and the playground. */
const quietSettings: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  'git.enabled': false,
  'files.autoSave': 'off',
};

export async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not read the port of a probe server'));
      });
    });
  });
}

/** Polls `check` until it returns true or `timeoutMs` passes. */
export async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs: number, intervalMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

function answersHttp(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/healthz', timeout: 1000 }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
  });
}

function stopProcessTree(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) {
      resolve();
      return;
    }
    const pid = child.pid;
    const timer = setTimeout(() => {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }, 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    try {
      // The server was started as a process group leader, so this reaches its extension hosts too.
      process.kill(-pid, 'SIGTERM');
    } catch {
      clearTimeout(timer);
      resolve();
    }
  });
}

export async function startCodeServer(options: CodeServerOptions): Promise<RunningCodeServer> {
  const install = ensureCodeServer();
  const port = options.port ?? (await freePort());
  // Short paths: code-server puts a unix socket inside the user data folder.
  const userDataDir = options.userDataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'tlk-ud-'));
  const extensionsDir = options.extensionsDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'tlk-ext-'));
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  const settingsFile = path.join(userDataDir, 'User', 'settings.json');
  const existing = fs.existsSync(settingsFile) ? (JSON.parse(fs.readFileSync(settingsFile, 'utf8')) as Record<string, unknown>) : {};
  fs.writeFileSync(settingsFile, JSON.stringify({ ...quietSettings, ...existing, ...options.settings }, null, 2));
  const configFile = path.join(userDataDir, 'code-server.yaml');
  fs.writeFileSync(configFile, 'auth: none\ncert: false\n');
  const logFile = path.join(userDataDir, 'code-server.log');
  const out = fs.openSync(logFile, 'a');

  const args = [
    install.entry,
    '--config', configFile,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--extensions-dir', extensionsDir,
    '--user-data-dir', userDataDir,
  ];
  if (options.smokeTestDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
  args.push(options.workspace);

  const child = spawn(install.node, args, {
    detached: true,
    stdio: ['ignore', out, out],
    env: { ...process.env, ...options.env },
  });
  fs.closeSync(out);
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });

  try {
    await waitFor(`code-server on port ${port}`, async () => {
      if (exited) throw new Error(`code-server exited early; see ${logFile}:\n${fs.readFileSync(logFile, 'utf8').slice(-2000)}`);
      return await answersHttp(port);
    }, 60_000, 200);
  } catch (err) {
    await stopProcessTree(child);
    throw err;
  }

  const url = `http://127.0.0.1:${port}`;
  const authority = `127.0.0.1:${port}`;
  return {
    url,
    port,
    userDataDir,
    extensionsDir,
    logFile,
    remoteUri: (absPath) => `vscode-remote://${authority}${absPath}`,
    workbenchUrl(folder, payload) {
      const params = new URLSearchParams({ folder });
      if (payload) params.set('payload', JSON.stringify(payload));
      return `${url}/?${params.toString()}`;
    },
    stop: () => stopProcessTree(child),
  };
}
