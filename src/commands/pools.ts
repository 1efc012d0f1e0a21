import * as vscode from 'vscode';
import type { ClientProvider } from '../environment/clientProvider';
import { isTolokaError } from '../toloka/errors';
import { Pool, type Operation } from '../toloka/models';
import { formatPath, validatePayload } from '../toloka/schemas';
import { describeError } from '../views/explorer';
import type { ExplorerModel, Node } from '../views/explorer/model';
import { Commands } from './ids';
import { withCancellableProgress } from './progress';

export interface PoolCommandDeps {
  readonly connections: ClientProvider;
  readonly model: ExplorerModel;
  readonly log: vscode.LogOutputChannel;
}

type Action = 'open' | 'close' | 'archive' | 'clone';
const verbs: Record<Action, [string, string]> = { open: ['Opening', 'opened'], close: ['Closing', 'closed'], archive: ['Archiving', 'archived'], clone: ['Cloning', 'cloned'] };

type PoolNode = Extract<Node, { kind: 'pool' }>;

function poolOf(arg: unknown): PoolNode | undefined {
  return arg && typeof arg === 'object' && (arg as Node).kind === 'pool' ? (arg as PoolNode) : undefined;
}

/** Runs a pool operation with a cancellable notification, a spinner on the row, and a refresh at the end. */
async function runPoolAction(deps: PoolCommandDeps, action: Action, node: PoolNode): Promise<Operation | undefined> {
  const { pool } = node;
  const [doing, done] = verbs[action];
  return await withCancellableProgress(
    `${doing} pool "${pool.private_name}" (${pool.id})`,
    async (signal, progress) => {
      deps.model.setBusy(pool.id, true);
      try {
        const { client } = await deps.connections.connection();
        const started = action === 'clone' ? await client.pools.clone(pool.id, { signal }) : await client.pools[action](pool.id, { signal });
        if (!started) {
          void vscode.window.showInformationMessage(`Pool ${pool.id} is already ${done}.`);
          return undefined;
        }
        deps.log.info(`${doing} pool ${pool.id}: operation ${started.id}`);
        let last = 0;
        const op = await client.operations.wait(started, {
          signal,
          onProgress: (o) => {
            const p = o.progress ?? 0;
            progress.report({ increment: p - last, message: o.status.toLowerCase() });
            last = p;
          },
        });
        if (op.status === 'FAIL') throw new Error(`the ${op.type} operation ${op.id} failed${op.details?.['error'] ? `: ${String(op.details['error'])}` : ''}`);
        if (action === 'clone') {
          deps.model.refresh(`project/${pool.project_id}`);
          void vscode.window.showInformationMessage(`Pool ${pool.id} cloned: the copy is pool ${String(op.details?.['pool_id'])}.`);
        }
        return op;
      } catch (err) {
        if (signal.aborted || isTolokaError(err, 'cancelled')) {
          void vscode.window.showInformationMessage(`Stopped waiting for pool ${pool.id}; an operation already started goes on in Toloka.`);
        } else {
          const message = describeError(err);
          deps.log.error(`${doing} pool ${pool.id} failed: ${message}`);
          void vscode.window.showErrorMessage(`Could not ${action} pool "${pool.private_name}": ${message}`);
        }
        return undefined;
      } finally {
        deps.model.setBusy(pool.id, false);
        await deps.model.reloadPool(pool.id).catch(() => deps.model.refresh(`project/${pool.project_id}`));
      }
    },
  );
}

/**
 * `toloka-pool:/<environment>/<id>.pool.json`: a pool as an editable JSON document. Saving
 * validates it, shows the change against the server's copy, and updates the pool only when
 * the user agrees.
 */
class PoolFileSystem implements vscode.FileSystemProvider {
  private readonly emitter = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.emitter.event;
  /** The server's copy at the time of reading, for the diff on save. */
  private readonly serverCopies = new Map<string, string>();

  constructor(private readonly deps: PoolCommandDeps) {}

  static uri(environment: string, poolId: string): vscode.Uri {
    return vscode.Uri.from({ scheme: 'toloka-pool', path: `/${environment}/${poolId}.pool.json` });
  }

  serverCopyUri(uri: vscode.Uri): vscode.Uri {
    return uri.with({ scheme: 'toloka-pool-server' });
  }

  serverCopy(uri: vscode.Uri): string {
    return this.serverCopies.get(uri.with({ scheme: 'toloka-pool' }).toString()) ?? '';
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

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const { client } = await this.deps.connections.connection();
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
      throw vscode.FileSystemError.NoPermissions(`Not saved: the document is not valid JSON (${err instanceof Error ? err.message : String(err)})`);
    }
    // The same check as Validate Payload: the model, and no unknown fields.
    const problems = validatePayload('pool', body);
    if (problems.length > 0) {
      throw vscode.FileSystemError.NoPermissions(`Not saved: ${problems.slice(0, 3).map((p) => `${formatPath(p.path)}: ${p.message}`).join('; ')}${problems.length > 3 ? ` and ${problems.length - 3} more` : ''}`);
    }
    const parsed = Pool.parse(body);
    await vscode.commands.executeCommand('vscode.diff', this.serverCopyUri(uri), uri, `Pool ${id}: Toloka ↔ your change`, { preview: true });
    const update = 'Update Pool';
    const answer = await vscode.window.showWarningMessage(`Update pool ${id} on Toloka with your change?`, { modal: true, detail: 'The diff shows what changes. A pool must be closed to be updated.' }, update);
    if (answer !== update) throw vscode.FileSystemError.NoPermissions('Not saved: the update was not confirmed');
    const { client } = await this.deps.connections.connection();
    try {
      const saved = await client.pools.update(id, parsed);
      this.serverCopies.set(uri.toString(), `${JSON.stringify(saved, null, 2)}\n`);
      this.deps.log.info(`Pool ${id} updated from the editor`);
      await this.deps.model.reloadPool(id);
      this.emitter.fire([{ type: vscode.FileChangeType.Changed, uri }]);
    } catch (err) {
      throw vscode.FileSystemError.NoPermissions(`Not saved: ${describeError(err)}`);
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

export function registerPoolCommands(context: vscode.ExtensionContext, deps: PoolCommandDeps): void {
  const fs = new PoolFileSystem(deps);
  const action = (name: Action) => async (arg?: unknown, options?: { confirmed?: boolean }) => {
    const node = poolOf(arg);
    if (!node) {
      void vscode.window.showInformationMessage(`Choose a pool in the Toloka explorer to ${name} it.`);
      return undefined;
    }
    if (name === 'archive' && !options?.confirmed) {
      const archive = 'Archive';
      const answer = await vscode.window.showWarningMessage(`Archive pool "${node.pool.private_name}" (${node.pool.id})?`, { modal: true, detail: 'An archived pool cannot be opened again; clone it to reuse its settings.' }, archive);
      if (answer !== archive) return undefined;
    }
    return runPoolAction(deps, name, node);
  };
  context.subscriptions.push(
    vscode.workspace.registerFileSystemProvider('toloka-pool', fs, { isCaseSensitive: true }),
    vscode.workspace.registerTextDocumentContentProvider('toloka-pool-server', { provideTextDocumentContent: (uri) => fs.serverCopy(uri) }),
    vscode.commands.registerCommand(Commands.openPool, action('open')),
    vscode.commands.registerCommand(Commands.closePool, action('close')),
    vscode.commands.registerCommand(Commands.archivePool, action('archive')),
    vscode.commands.registerCommand(Commands.clonePool, action('clone')),
    vscode.commands.registerCommand(Commands.openPoolAsJson, async (arg?: unknown) => {
      const id = typeof arg === 'string' ? arg : poolOf(arg)?.pool.id;
      if (!id) return undefined;
      const uri = PoolFileSystem.uri(deps.connections.settings().environment, id);
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.languages.setTextDocumentLanguage(doc, 'json');
      return vscode.window.showTextDocument(doc, { preview: false });
    }),
  );
}
