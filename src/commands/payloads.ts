import * as vscode from 'vscode';
import { findNodeAtLocation, parseTree, printParseErrorCode, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import { formatPath, jsonSchemaFor, kindOfFile, payloadKindNames, validatePayload, type PayloadKind, type PayloadProblem } from '../toloka/schemas';
import { snippets } from '../toloka/schemaSnippets';
import { Commands } from './ids';

/** A snippet body as a plain document: placeholders become their defaults, `^${n:5}` the number 5. */
export function materialize(body: unknown): unknown {
  if (typeof body === 'string') {
    const m = /^(\^?)\$\{\d+:(.*)\}$/.exec(body);
    if (!m) return body.replace(/\$\{\d+:([^}]*)\}/g, '$1');
    return m[1] === '^' ? Number(m[2]) : m[2];
  }
  if (Array.isArray(body)) return body.map(materialize);
  if (body && typeof body === 'object') return Object.fromEntries(Object.entries(body).map(([k, v]) => [String(materialize(k)), materialize(v)]));
  return body;
}

/** `toloka-schema:/pool.schema.json`: the bundled schemas, for a `$schema` reference in any JSON file. */
class SchemaFileSystem implements vscode.FileSystemProvider {
  private readonly emitter = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.emitter.event;
  private kind(uri: vscode.Uri): PayloadKind {
    const name = uri.path.replace(/^\//, '').replace(/\.schema\.json$/, '');
    const kind = payloadKindNames.find((k) => k === name);
    if (!kind) throw vscode.FileSystemError.FileNotFound(uri);
    return kind;
  }
  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }
  stat(uri: vscode.Uri): vscode.FileStat {
    this.kind(uri);
    return { type: vscode.FileType.File, ctime: 0, mtime: 0, size: 0, permissions: vscode.FilePermission.Readonly };
  }
  readFile(uri: vscode.Uri): Uint8Array {
    return Buffer.from(JSON.stringify(jsonSchemaFor(this.kind(uri)), null, 1), 'utf8');
  }
  readDirectory(): [string, vscode.FileType][] {
    return payloadKindNames.map((k) => [`${k}.schema.json`, vscode.FileType.File]);
  }
  createDirectory(): void {
    throw vscode.FileSystemError.NoPermissions('read-only');
  }
  writeFile(): void {
    throw vscode.FileSystemError.NoPermissions('the Toloka schemas are read-only');
  }
  delete(): void {
    throw vscode.FileSystemError.NoPermissions('read-only');
  }
  rename(): void {
    throw vscode.FileSystemError.NoPermissions('read-only');
  }
}

/** The payload kind of a document: its file name's convention, else its `$schema`. */
function kindOf(doc: vscode.TextDocument, tree: JsonNode | undefined): PayloadKind | undefined {
  const byName = kindOfFile(doc.fileName);
  if (byName) return byName;
  const ref = tree ? findNodeAtLocation(tree, ['$schema'])?.value : undefined;
  const m = typeof ref === 'string' ? /toloka-schema:\/?([\w-]+)\.schema\.json$/.exec(ref) : null;
  return payloadKindNames.find((k) => k === m?.[1]);
}

function rangeOf(doc: vscode.TextDocument, tree: JsonNode | undefined, path: ReadonlyArray<string | number>, onKey: boolean): vscode.Range {
  if (!tree) return new vscode.Range(0, 0, 0, 1);
  // The deepest node the path reaches: a missing field is reported on the object that lacks it.
  for (let n = path.length; n >= 0; n--) {
    const node = findNodeAtLocation(tree, [...path.slice(0, n)]);
    if (!node) continue;
    const target = onKey && n === path.length && node.parent?.type === 'property' ? node.parent.children?.[0] ?? node : node;
    const start = doc.positionAt(target.offset);
    const end = n === path.length ? doc.positionAt(target.offset + target.length) : start.translate(0, 1);
    return new vscode.Range(start, end);
  }
  return new vscode.Range(0, 0, 0, 1);
}

export function problemsOf(doc: vscode.TextDocument): { kind: PayloadKind | undefined; diagnostics: vscode.Diagnostic[] } {
  const errors: ParseError[] = [];
  const tree = parseTree(doc.getText(), errors, { allowTrailingComma: false, disallowComments: true });
  const kind = kindOf(doc, tree);
  const diagnostics = errors.map((e) => {
    const d = new vscode.Diagnostic(new vscode.Range(doc.positionAt(e.offset), doc.positionAt(e.offset + Math.max(1, e.length))), `JSON: ${printParseErrorCode(e.error)}`, vscode.DiagnosticSeverity.Error);
    d.source = 'Toloka';
    return d;
  });
  if (!kind || errors.length > 0) return { kind, diagnostics };
  const value: unknown = JSON.parse(doc.getText());
  const problems: PayloadProblem[] = validatePayload(kind, value);
  for (const p of problems) {
    const d = new vscode.Diagnostic(rangeOf(doc, tree, p.path, p.unknownField === true), `${formatPath(p.path)}: ${p.message}`, vscode.DiagnosticSeverity.Error);
    d.source = 'Toloka';
    d.code = formatPath(p.path);
    diagnostics.push(d);
  }
  return { kind, diagnostics };
}

export function registerPayloadCommands(context: vscode.ExtensionContext): vscode.DiagnosticCollection {
  const collection = vscode.languages.createDiagnosticCollection('toloka');

  const validate = (doc: vscode.TextDocument, announce: boolean): number | undefined => {
    const { kind, diagnostics } = problemsOf(doc);
    if (!kind) {
      if (announce) void vscode.window.showWarningMessage(`Toloka: ${doc.uri.path.split('/').pop() ?? 'this file'} is not a Toloka payload. Name it *.pool.json, *.project.json, *.tasks.json… or give it a "$schema": "toloka-schema:/pool.schema.json".`);
      return undefined;
    }
    collection.set(doc.uri, diagnostics);
    if (announce) {
      if (diagnostics.length === 0) void vscode.window.showInformationMessage(`Toloka: no problems in this ${kind} payload.`);
      else void vscode.commands.executeCommand('workbench.actions.view.problems');
    }
    return diagnostics.length;
  };

  const newFile = (kind: 'pool' | 'project' | 'tasks', label: string) => async (given?: { folder?: vscode.Uri; name?: string }) => {
    const folder = given?.folder ?? vscode.workspace.workspaceFolders?.[0]?.uri;
    if (!folder) {
      void vscode.window.showWarningMessage(`Open a folder first: the new ${label} file is created in the workspace.`);
      return undefined;
    }
    const name = given?.name ?? (await vscode.window.showInputBox({ title: `New ${label} file`, prompt: `Name of the file (".${kind}.json" is added)`, value: `my-${kind}`, validateInput: (v) => (/^[\w.-]+$/.test(v.trim()) ? undefined : 'Letters, digits, ".", "-" and "_" only') }))?.trim();
    if (!name) return undefined;
    const uri = vscode.Uri.joinPath(folder, name.endsWith(`.${kind}.json`) ? name : `${name}.${kind}.json`);
    try {
      await vscode.workspace.fs.stat(uri);
      void vscode.window.showWarningMessage(`${uri.path.split('/').pop() ?? ''} already exists; nothing was overwritten.`);
      return undefined;
    } catch {
      // does not exist: create it
    }
    const template = materialize(snippets[kind]?.[0]?.body ?? {});
    await vscode.workspace.fs.writeFile(uri, Buffer.from(`${JSON.stringify(template, null, 2)}\n`, 'utf8'));
    await vscode.window.showTextDocument(uri);
    return uri;
  };

  context.subscriptions.push(
    collection,
    vscode.workspace.registerFileSystemProvider('toloka-schema', new SchemaFileSystem(), { isReadonly: true, isCaseSensitive: true }),
    vscode.commands.registerCommand(Commands.validatePayload, (uri?: vscode.Uri) => {
      const doc = uri ? vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString()) : vscode.window.activeTextEditor?.document;
      if (!doc) {
        void vscode.window.showWarningMessage('Open a Toloka payload file to validate it.');
        return undefined;
      }
      return validate(doc, true);
    }),
    vscode.commands.registerCommand(Commands.newPoolFile, newFile('pool', 'pool')),
    vscode.commands.registerCommand(Commands.newProjectFile, newFile('project', 'project')),
    vscode.commands.registerCommand(Commands.newTasksFile, newFile('tasks', 'tasks')),
    // Problems found once stay current as the file is saved, and go when it is closed.
    vscode.workspace.onDidSaveTextDocument((doc) => {
      if (collection.has(doc.uri)) validate(doc, false);
    }),
    vscode.workspace.onDidCloseTextDocument((doc) => collection.delete(doc.uri)),
  );
  return collection;
}
