import * as vscode from 'vscode';
import type { PrompterSlot } from '../commands/prompter';
import type { ClientProvider } from '../environment/clientProvider';
import { describeError, isCancellation } from '../toloka/errors';
import { Pool } from '../toloka/models';
import { formatPath, validatePayload } from '../toloka/schemas';
import type { ExplorerModel } from '../views/explorer/model';

export interface PoolFileSystemDeps {
  readonly connections: ClientProvider;
  readonly model: ExplorerModel;
  readonly log: vscode.LogOutputChannel;
  readonly prompts: PrompterSlot;
}

export const POOL_SCHEME = 'toloka-pool';
const SERVER_COPY_SCHEME = 'toloka-pool-server';

/** The server a pool document belongs to, as its URI's authority: `127.0.0.1:8999`, `toloka.dev`. */
function serverOf(apiRoot: string): string {
  return new URL(apiRoot).host.toLowerCase();
}

/**
 * `toloka-pool://<server>/<environment>/<id>.pool.json`, the editable document of a pool. Pool ids
 * are unique within one server only, so the server is part of the name: a document read from one
 * sandbox is never shown, or saved, as another's pool of the same id.
 */
export function poolDocumentUri(environment: string, apiRoot: string, poolId: string): vscode.Uri {
  return vscode.Uri.from({ scheme: POOL_SCHEME, authority: serverOf(apiRoot), path: `/${environment}/${poolId}.pool.json` });
}

/**
 * `toloka-pool:` documents: a pool as editable JSON. Saving validates it, shows the change
 * against the server's copy, and updates the pool only when the user agrees.
 */
export class PoolFileSystem implements vscode.FileSystemProvider {
  private readonly emitter = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.emitter.event;
  /** The server's copy at the time of reading, for the diff on save. */
  private readonly serverCopies = new Map<string, string>();

  constructor(private readonly deps: PoolFileSystemDeps) {}

  register(context: vscode.ExtensionContext): void {
    context.subscriptions.push(
      this.emitter,
      vscode.workspace.registerFileSystemProvider(POOL_SCHEME, this, { isCaseSensitive: true }),
      vscode.workspace.registerTextDocumentContentProvider(SERVER_COPY_SCHEME, { provideTextDocumentContent: (uri) => this.serverCopies.get(uri.with({ scheme: POOL_SCHEME }).toString()) ?? '' }),
    );
  }

  private poolId(uri: vscode.Uri): string {
    const m = /\/(\d+)\.pool\.json$/.exec(uri.path);
    if (!m?.[1]) throw vscode.FileSystemError.FileNotFound(uri);
    return m[1];
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  stat(): vscode.FileStat {
    return { type: vscode.FileType.File, ctime: 0, mtime: Date.now(), size: 0 };
  }

  /** The client, if the extension still talks to the server the document came from. */
  private async clientFor(uri: vscode.Uri, doing: string) {
    const { client, apiRoot } = await this.deps.connections.connection();
    if (uri.authority && uri.authority !== serverOf(apiRoot)) {
      throw vscode.FileSystemError.NoPermissions(`${doing}: this pool is from ${uri.authority}, and the extension now talks to ${serverOf(apiRoot)}; open the pool again from the explorer`);
    }
    return client;
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const client = await this.clientFor(uri, 'Not read');
    const pool = await client.pools.get(this.poolId(uri));
    const text = `${JSON.stringify(pool, null, 2)}\n`;
    this.serverCopies.set(uri.toString(), text);
    return Buffer.from(text, 'utf8');
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array): Promise<void> {
    const id = this.poolId(uri);
    let body: unknown;
    try {
      body = JSON.parse(Buffer.from(content).toString('utf8'));
    } catch (err) {
      throw vscode.FileSystemError.NoPermissions(`Not saved: the document is not valid JSON (${describeError(err)})`);
    }
    // The same check as Validate Payload: the model, and no unknown fields.
    const problems = validatePayload('pool', body);
    if (problems.length > 0) {
      throw vscode.FileSystemError.NoPermissions(`Not saved: ${problems.slice(0, 3).map((p) => `${formatPath(p.path)}: ${p.message}`).join('; ')}${problems.length > 3 ? ` and ${problems.length - 3} more` : ''}`);
    }
    const parsed = Pool.parse(body);
    await vscode.commands.executeCommand('vscode.diff', uri.with({ scheme: SERVER_COPY_SCHEME }), uri, `Pool ${id}: Toloka ↔ your change`, { preview: true });
    const prompter = this.deps.prompts.current;
    try {
      await prompter.confirm({ message: `Update pool ${id} on Toloka with your change?`, detail: 'The diff shows what changes. A pool must be closed to be updated.', action: 'Update Pool' });
    } catch (err) {
      if (isCancellation(err)) throw vscode.FileSystemError.NoPermissions('Not saved: the update was not confirmed');
      throw err;
    }
    const client = await this.clientFor(uri, 'Not saved');
    let saved: Pool;
    try {
      saved = await client.pools.update(id, parsed);
    } catch (err) {
      throw vscode.FileSystemError.NoPermissions(`Not saved: ${describeError(err)}`);
    }
    // From here on the pool is updated: whatever fails now must not say otherwise.
    this.serverCopies.set(uri.toString(), `${JSON.stringify(saved, null, 2)}\n`);
    this.deps.log.info(`Pool ${id} updated from the editor`);
    this.emitter.fire([{ type: vscode.FileChangeType.Changed, uri }]);
    try {
      await this.deps.model.reloadPool(id);
    } catch (err) {
      const reason = describeError(err);
      this.deps.log.warn(`Pool ${id} was updated, but reloading it for the explorer failed: ${reason}`);
      void prompter.message('warning', `Pool ${id} was updated on Toloka, but the explorer could not reload it (${reason}). Refresh the explorer to see the new values.`);
    }
  }

  readDirectory(): [string, vscode.FileType][] {
    return [];
  }

  createDirectory(): void {
    throw vscode.FileSystemError.NoPermissions('pools are created with "Toloka: New Pool File…"');
  }

  delete(): void {
    throw vscode.FileSystemError.NoPermissions('pools are archived, not deleted');
  }

  rename(): void {
    throw vscode.FileSystemError.NoPermissions('pools cannot be renamed here: edit private_name');
  }
}
