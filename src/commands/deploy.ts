import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { applyPlan, TOLOKA_CREATE_PACING } from '../deploy/apply';
import { canonicalText } from '../deploy/canonical';
import { deployKindOf } from '../deploy/kinds';
import { canApply, changesCount, comparable, formatPlan, getRemote, makePlan, summary, toWire, type Plan } from '../deploy/plan';
import { idsToReferences, pull } from '../deploy/pull';
import { StateStore, stateRootFor } from '../deploy/state';
import { loadWorkspace, type Problem } from '../deploy/workspace';
import type { ClientProvider } from '../environment/clientProvider';
import { deploySelector, isDeployFile, registerDeployLinks } from '../editors/deployLinks';
import { Commands } from '../ids';
import { pickPool, uriOf } from './pick';
import type { Prompter } from './prompter';
import { registerCommand, type CommandServices } from './registerCommand';

export interface DeployDeps extends CommandServices {
  readonly connections: ClientProvider;
}

const DIFF_SCHEME = 'toloka-deploy';

/** What a Plan, Apply or Diff runs on: the Explorer's file or folder, else the active editor's file, else a workspace folder. */
async function targetOf(arg: unknown, prompter: Prompter): Promise<vscode.Uri> {
  const given = uriOf(arg);
  if (given) return given;
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active && isDeployFile(active)) return active;
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 1 && folders[0]) return folders[0].uri;
  if (folders.length === 0) throw new Error('open a folder with *.skill.json, *.project.json, *.training.json or *.pool.json files');
  return prompter.pick(folders.map((f) => ({ label: f.name, description: f.uri.fsPath, value: f.uri })), { title: 'Plan which folder?' });
}

/**
 * The folder whose `.toloka/` holds the state: the nearest one up with `.toloka/`, else the
 * workspace folder (where Apply and Save to Workspace create it), so that a plan from any
 * subfolder finds the same state.
 */
async function stateRootOf(target: string, create: boolean): Promise<string> {
  const found = await stateRootFor(target);
  const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(target))?.uri.fsPath;
  if (!folder || fs.existsSync(path.join(found, '.toloka')) || !(found + path.sep).startsWith(folder + path.sep)) return found;
  if (create) await fs.promises.mkdir(path.join(folder, '.toloka'), { recursive: true });
  return folder;
}

/** Problems of the files in the Problems panel, on the exact JSON node. */
function publish(collection: vscode.DiagnosticCollection, problems: readonly Problem[], files: readonly string[]): void {
  for (const f of files) collection.delete(vscode.Uri.file(f));
  const byFile = new Map<string, vscode.Diagnostic[]>();
  for (const p of problems) {
    const start = new vscode.Position(p.line - 1, p.column - 1);
    const d = new vscode.Diagnostic(new vscode.Range(start, start.translate(0, Math.max(1, p.length))), `${p.field}: ${p.message}`, p.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
    d.source = 'Toloka deploy';
    byFile.set(p.file, [...(byFile.get(p.file) ?? []), d]);
  }
  for (const [f, list] of byFile) collection.set(vscode.Uri.file(f), list);
}

/** Plan, Apply and Diff on files and folders; their CodeLens; and the links between files. */
export function registerDeploy(context: vscode.ExtensionContext, deps: DeployDeps): void {
  const problems = vscode.languages.createDiagnosticCollection('toloka-deploy');
  const documents = new Map<string, string>();
  const lensesChanged = new vscode.EventEmitter<void>();
  const documentChanged = new vscode.EventEmitter<vscode.Uri>();
  context.subscriptions.push(problems, lensesChanged, documentChanged, vscode.workspace.registerTextDocumentContentProvider(DIFF_SCHEME, { onDidChange: documentChanged.event, provideTextDocumentContent: (uri) => documents.get(uri.toString()) ?? '' }));
  registerDeployLinks(context);

  async function computePlan(target: vscode.Uri, signal?: AbortSignal, forApply = false): Promise<{ plan: Plan; store: StateStore; connection: Awaited<ReturnType<ClientProvider['connection']>> }> {
    for (const d of vscode.workspace.textDocuments) if (d.isDirty && isDeployFile(d.uri)) await d.save();
    const connection = await deps.connections.connection();
    const workspace = await loadWorkspace([target.fsPath]);
    publish(problems, workspace.problems, workspace.files.map((f) => f.file));
    const store = await StateStore.open(await stateRootOf(target.fsPath, forApply), connection.environment, connection.environment === 'local' ? undefined : connection.apiRoot);
    const plan = await makePlan(connection.client, workspace, store, connection.environment, { signal });
    return { plan, store, connection };
  }

  /** The plan as a read-only document beside the file, replaced by the next plan of the same environment. */
  async function showPlan(plan: Plan): Promise<void> {
    const uri = vscode.Uri.from({ scheme: DIFF_SCHEME, path: `/Toloka plan (${plan.environment}).md` });
    documents.set(uri.toString(), formatPlan(plan));
    documentChanged.fire(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(doc, 'markdown');
    await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside, preserveFocus: true });
  }

  registerCommand(context, deps, Commands.deployPlan, async ({ prompter, withProgress }, arg) => {
    const target = await targetOf(arg, prompter);
    const { plan } = await withProgress('Toloka: planning…', (signal) => computePlan(target, signal));
    await showPlan(plan);
    if (!canApply(plan)) void prompter.message('error', `Toloka plan: the files have problems (see Problems); nothing can be applied.`);
    return { summary: summary(plan), changes: changesCount(plan), items: plan.items.map((i) => ({ key: i.key, action: i.action, id: i.id, changes: i.changes.map((c) => c.path) })) };
  }, { retry: true });

  registerCommand(context, deps, Commands.deployApply, async ({ prompter, withProgress, log }, arg) => {
    const target = await targetOf(arg, prompter);
    const { plan, store, connection } = await withProgress('Toloka: planning…', (signal) => computePlan(target, signal, true));
    await showPlan(plan);
    if (!canApply(plan)) {
      void prompter.message('error', 'Toloka apply: the files have problems (see Problems); nothing was sent.');
      return { applied: false };
    }
    if (changesCount(plan) === 0) {
      void prompter.message('info', `Toloka ${connection.environment}: nothing to do, Toloka matches the files.`);
      return { applied: true, created: 0, updated: 0 };
    }
    const notes = plan.items.flatMap((i) => i.notes.map((n) => `${i.key}: ${n}`));
    await prompter.confirm({
      message: `Apply to Toloka ${connection.environment}? ${summary(plan)}`,
      detail: [`The plan is open beside. Nothing is deleted or archived.`, ...notes].join('\n'),
      action: 'Apply',
    });
    const result = await withProgress(`Toloka: applying to ${connection.environment}…`, (signal, report) =>
      applyPlan(connection.client, plan, store, { signal, pacing: connection.environment === 'local' ? undefined : TOLOKA_CREATE_PACING, onWait: (ms) => report.report({ message: `waiting ${Math.ceil(ms / 1000)} s: Toloka creates at most 20 projects, trainings and pools a minute` }), onEvent: (e) => {
        log.info(`apply ${e.item.key}: ${e.done}`);
        report.report({ message: `${e.item.key}: ${e.done}` });
      } }));
    lensesChanged.fire();
    void prompter.message('info', `Toloka ${connection.environment}: ${result.created} created, ${result.updated} updated, ${result.unchanged} unchanged${result.blocked ? `, ${result.blocked} blocked` : ''}. State: ${path.relative(store.root, store.file)}`);
    return { applied: true, created: result.created, updated: result.updated, state: store.file };
  });

  registerCommand(context, deps, Commands.deployDiff, async ({ prompter }, arg) => {
    const target = await targetOf(arg, prompter);
    const kind = deployKindOf(target.fsPath);
    if (!kind) throw new Error('Diff with Toloka runs on one *.skill.json, *.project.json, *.training.json or *.pool.json file');
    const { plan, store, connection } = await computePlan(target);
    const item = plan.items.find((i) => i.file === target.fsPath);
    const entry = store.entry(target.fsPath);
    if (!item || !entry) throw new Error(`${path.basename(target.fsPath)} has not been applied to Toloka ${connection.environment} yet: nothing to compare with`);
    const remote = await getRemote(connection.client, kind, entry.id);
    if (!remote) throw new Error(`${kind} ${entry.id} is gone from Toloka ${connection.environment}`);
    // References shown as the file names their ids stand for, the server's fields hidden, keys sorted.
    const byId = new Map(store.entries().map(([key, e]) => [`${e.kind}:${e.id}`, path.join(store.root, key)]));
    const asFiles = idsToReferences(comparable(kind, remote), target.fsPath, (k, id) => byId.get(`${k}:${id}`));
    const left = vscode.Uri.from({ scheme: DIFF_SCHEME, path: `/${connection.environment}/${entry.id}/${path.basename(target.fsPath)}` });
    const right = left.with({ path: `/file${left.path}` });
    documents.set(left.toString(), `${canonicalText(asFiles, 2)}\n`);
    documents.set(right.toString(), `${canonicalText(comparable(kind, toWire(kind, item.source.body)), 2)}\n`);
    await vscode.commands.executeCommand('vscode.diff', left, right, `${path.basename(target.fsPath)}: Toloka ${connection.environment} ↔ file`, { preview: true });
    return { id: entry.id, changes: item.changes.map((c) => c.path) };
  });

  registerCommand(context, deps, Commands.deployPull, async ({ prompter, withProgress }, arg) => {
    const node = arg && typeof arg === 'object' ? (arg as { kind?: unknown; pool?: { id?: unknown }; project?: { id?: unknown } }) : undefined;
    const picked = node?.kind === 'pool' || node?.kind === 'training' ? { kind: node.kind as 'pool' | 'training', id: node.pool?.id } : node?.kind === 'project' ? { kind: 'project' as const, id: node.project?.id } : undefined;
    const what = picked && typeof picked.id === 'string' ? { kind: picked.kind, id: picked.id } : { kind: 'pool' as const, id: await pickPool(prompter, deps.connections, 'Save which pool to the workspace?') };
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) throw new Error('open a folder to save into');
    const relative = await prompter.input({
      title: `Save ${what.kind} ${what.id} and what it references to which folder?`,
      prompt: `A folder of ${folder.name}; the files reference each other, and the state records them as applied`,
      value: `toloka/${what.kind}-${what.id}`,
      validate: (v) => (v.trim() === '' || path.isAbsolute(v) || v.split(/[\\/]/).includes('..') ? 'a folder inside the workspace' : undefined),
    });
    const dir = path.join(folder.uri.fsPath, relative.trim());
    const connection = await deps.connections.connection();
    const store = await StateStore.open(await stateRootOf(dir, true), connection.environment, connection.environment === 'local' ? undefined : connection.apiRoot);
    const files = await withProgress(`Toloka: saving ${what.kind} ${what.id}…`, (signal) => pull(connection.client, what.kind, what.id, dir, store, signal));
    const main = files.find((f) => f.id === what.id && f.kind === what.kind);
    if (main) await vscode.window.showTextDocument(vscode.Uri.file(main.file));
    lensesChanged.fire();
    void prompter.message('info', `Saved ${files.filter((f) => !f.existing).length} file(s) to ${relative.trim()}, recorded in ${path.relative(folder.uri.fsPath, store.file)}.`);
    return { files: files.map((f) => f.file), state: store.file };
  });

  // Plan · Apply · Diff on each deploy file, and Dashboard on a pool file applied in the current environment.
  const lenses: vscode.CodeLensProvider = {
    onDidChangeCodeLenses: lensesChanged.event,
    async provideCodeLenses(doc) {
      const kind = deployKindOf(doc.uri.fsPath);
      if (!kind || doc.uri.scheme !== 'file') return [];
      const top = new vscode.Range(0, 0, 0, 0);
      const out = [
        new vscode.CodeLens(top, { title: 'Plan', command: Commands.deployPlan, arguments: [doc.uri], tooltip: 'What Apply would change on Toloka' }),
        new vscode.CodeLens(top, { title: 'Apply', command: Commands.deployApply, arguments: [doc.uri], tooltip: 'Create or update this file (and what it references) on Toloka, after a plan and a confirmation' }),
        new vscode.CodeLens(top, { title: 'Diff', command: Commands.deployDiff, arguments: [doc.uri], tooltip: 'Compare with the object on Toloka' }),
      ];
      if (kind === 'pool') {
        try {
          const environment = deps.connections.settings().environment;
          const store = await StateStore.open(await stateRootOf(doc.uri.fsPath, false), environment);
          const id = store.entry(doc.uri.fsPath)?.id;
          if (id) out.push(new vscode.CodeLens(top, { title: 'Dashboard', command: Commands.poolDashboard, arguments: [{ kind: 'pool', pool: { id } }], tooltip: `Pool ${id} on Toloka ${environment}` }));
        } catch (err) {
          deps.log.debug(`no Dashboard lens for ${doc.uri.fsPath}: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
      return out;
    },
  };
  const states = vscode.workspace.createFileSystemWatcher('**/.toloka/*.state.json');
  context.subscriptions.push(
    states,
    states.onDidCreate(() => lensesChanged.fire()),
    states.onDidChange(() => lensesChanged.fire()),
    states.onDidDelete(() => lensesChanged.fire()),
    vscode.languages.registerCodeLensProvider(deploySelector, lenses),
    deps.connections.onDidChange(() => lensesChanged.fire()),
  );
}
