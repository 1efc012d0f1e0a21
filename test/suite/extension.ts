/** Helpers for suites: the extension under test, activated, with its API. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/server';
import type { TolokaTestApi } from '../../src/testSeam';
import { TolokaClient } from '../../src/toloka/client';

export const EXTENSION_ID = 'toloka-community.toloka-vscode';

export async function activateExtension(): Promise<TolokaTestApi> {
  const ext = vscode.extensions.getExtension<TolokaTestApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed in this VS Code`);
  return await ext.activate();
}

/** Polls `check` until it returns a truthy value or the timeout passes; never a fixed sleep. */
export async function eventually<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${last instanceof Error ? last.message : JSON.stringify(last)}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Points the extension at a sandbox (the `local` environment at its address) and waits until it uses it. */
export async function useSandbox(api: TolokaTestApi, origin: string): Promise<void> {
  const c = vscode.workspace.getConfiguration('toloka');
  await c.update('environment', 'local', vscode.ConfigurationTarget.Global);
  await c.update('local.url', origin, vscode.ConfigurationTarget.Global);
  await eventually('the extension to use the test sandbox', async () => (await api.connection()).apiRoot === `${origin}/api`);
}

/** What a suite gets from `withTestSandbox`: its sandbox, the extension's API, and a client of the sandbox. */
export interface TestSandbox {
  readonly sandbox: Sandbox;
  readonly api: TolokaTestApi;
  readonly client: TolokaClient;
}

/**
 * A sandbox for the enclosing `describe`: before its tests, started with these options, the
 * extension activated, `ready` called (to keep what the tests need and create their data), and
 * the extension pointed at the sandbox, so what `ready` made is there when it first looks; after
 * them, the editors closed, the environment settings reset and the sandbox stopped.
 */
export function withTestSandbox(options: SandboxOptions, ready: (t: TestSandbox) => Promise<void> | void): void {
  let sandbox: Sandbox | undefined;
  before(async () => {
    sandbox = await startSandbox(options);
    const api = await activateExtension();
    await ready({ sandbox, api, client: new TolokaClient({ baseUrl: sandbox.apiRoot, credential: 'suite' }) });
    await useSandbox(api, sandbox.origin);
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await resetEnvironment();
    await sandbox?.stop();
  });
}

/** Sets `toloka.*` settings (undefined removes one), globally. */
export async function setConfig(values: Record<string, unknown>): Promise<void> {
  const c = vscode.workspace.getConfiguration('toloka');
  for (const [k, v] of Object.entries(values)) await c.update(k, v, vscode.ConfigurationTarget.Global);
}

/**
 * A sandbox that takes only `token`, as the `custom` environment, for the enclosing `describe`'s
 * sign-in tests; after them, signed out, the settings removed and the sandbox stopped.
 */
export function withSignInSandbox(token: string, ready: (t: { sandbox: Sandbox; api: TolokaTestApi }) => void): void {
  let sandbox: Sandbox | undefined;
  before(async () => {
    sandbox = await startSandbox({ tokens: [token] });
    const api = await activateExtension();
    await setConfig({ environment: 'custom', customUrl: sandbox.origin });
    ready({ sandbox, api });
  });
  after(async () => {
    await vscode.commands.executeCommand('toloka.signOut');
    await setConfig({ environment: undefined, customUrl: undefined });
    await sandbox?.stop();
  });
}

/** Puts the environment settings back to their defaults. */
export async function resetEnvironment(): Promise<void> {
  const c = vscode.workspace.getConfiguration('toloka');
  for (const key of ['environment', 'local.url', 'customUrl', 'explorer.pageSize']) await c.update(key, undefined, vscode.ConfigurationTarget.Global);
}

/** Writes a file into the test workspace (replacing it) and returns its URI. */
export function workspaceFile(name: string, text: string): vscode.Uri {
  const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  assert.ok(root, 'the tests run in a workspace');
  fs.writeFileSync(path.join(root, name), text);
  return vscode.Uri.file(path.join(root, name));
}

/** An Explorer pool row, as the context menu hands it to a command. */
export function poolRow(pool: { id?: string | undefined; [k: string]: unknown }): unknown {
  return { kind: 'pool', key: `pool/${pool.id ?? ''}`, pool, busy: false };
}

/** An Explorer app-project row, as the context menu hands it to a command. */
export function appProjectRow(appProject: { id?: string | undefined; [k: string]: unknown }): unknown {
  return { kind: 'appProject', key: `appProject/${appProject.id ?? ''}`, appProject };
}

/** A regular expression matching `text` literally. */
export function literally(text: string): RegExp {
  return new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
}
