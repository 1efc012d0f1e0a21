import * as vscode from 'vscode';
import { findNodeAtLocation, getLocation, parseTree, type Node as JsonNode } from 'jsonc-parser';
import { Commands } from '../ids';
import { checkTbConfig, type TbProblem } from '../tb/check';
import { isObj } from '../tb/evaluate';
import { CONFIG_PATH, findConfig, isProjectFile, isTbFile } from '../tb/locate';
import { formatPath } from '../toloka/schemas';

const STRING_CONFIG = 'tb-config-string';
const selector: vscode.DocumentSelector = [
  { language: 'json', pattern: '**/*.tb.json' },
  { language: 'json', pattern: '**/*.project.json' },
  { language: 'jsonc', pattern: '**/*.tb.json' },
  { language: 'jsonc', pattern: '**/*.project.json' },
];

const isConfigFile = (doc: vscode.TextDocument) => isTbFile(doc.fileName) || isProjectFile(doc.fileName);

function rangeAt(doc: vscode.TextDocument, tree: JsonNode, path: ReadonlyArray<string | number>): vscode.Range {
  for (let n = path.length; n >= 0; n--) {
    const node = findNodeAtLocation(tree, [...path.slice(0, n)]);
    if (!node) continue;
    const start = doc.positionAt(node.offset);
    return new vscode.Range(start, n === path.length ? doc.positionAt(node.offset + node.length) : start.translate(0, 1));
  }
  return new vscode.Range(0, 0, 0, 1);
}

/**
 * Problems of a config the JSON Schema cannot see: data paths against the project's specs, and
 * everything inside Toloka's string form (reported on the string, with a fix to make it an object).
 */
export function tbDiagnostics(doc: vscode.TextDocument): vscode.Diagnostic[] {
  const tree = parseTree(doc.getText(), [], { allowTrailingComma: true });
  if (!tree) return [];
  const found = findConfig(doc.fileName, nodeValue(tree));
  if (!found) return [];
  const out: vscode.Diagnostic[] = [];
  const problems: TbProblem[] = found.stringError ? [{ path: [], message: `The config string is not JSON: ${found.stringError}`, severity: 'error' }] : checkTbConfig(found.config, found.specs);
  for (const p of problems) {
    // An object config's model errors are the JSON Schema's to report; ours are the spec warnings.
    if (!found.asString && p.severity === 'error') continue;
    const range = found.asString ? rangeAt(doc, tree, found.at) : rangeAt(doc, tree, [...found.at, ...p.path]);
    const d = new vscode.Diagnostic(range, found.asString ? `config ${formatPath(p.path)}: ${p.message}` : p.message, p.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
    d.source = 'Toloka Template Builder';
    out.push(d);
  }
  if (found.asString && !found.stringError) {
    const d = new vscode.Diagnostic(rangeAt(doc, tree, found.at), 'The config is a JSON string, as Toloka stores it: convert it to an object for completion and checks (it is still sent as a string).', vscode.DiagnosticSeverity.Information);
    d.source = 'Toloka Template Builder';
    d.code = STRING_CONFIG;
    out.push(d);
  }
  return out;
}

function nodeValue(node: JsonNode): unknown {
  switch (node.type) {
    case 'object':
      return Object.fromEntries((node.children ?? []).map((p) => [String(p.children?.[0]?.value), p.children?.[1] ? nodeValue(p.children[1]) : undefined]));
    case 'array':
      return (node.children ?? []).map(nodeValue);
    default:
      return node.value as unknown;
  }
}

/** `"path": "|"` inside a data.input or data.output: the field names of the project's specs. */
class PathCompletion implements vscode.CompletionItemProvider {
  provideCompletionItems(doc: vscode.TextDocument, position: vscode.Position): vscode.CompletionItem[] | undefined {
    const text = doc.getText();
    const offset = doc.offsetAt(position);
    const loc = getLocation(text, offset);
    if (loc.isAtPropertyKey || loc.path[loc.path.length - 1] !== 'path') return undefined;
    const tree = parseTree(text, [], { allowTrailingComma: true });
    if (!tree) return undefined;
    const owner = findNodeAtLocation(tree, loc.path.slice(0, -1));
    const type = owner ? findNodeAtLocation(owner, ['type'])?.value : undefined;
    if (type !== 'data.input' && type !== 'data.output') return undefined;
    const found = findConfig(doc.fileName, nodeValue(tree));
    const spec = type === 'data.input' ? found?.specs?.input : found?.specs?.output;
    if (!spec) return undefined;
    const node = findNodeAtLocation(tree, loc.path);
    const range = node && node.type === 'string' ? new vscode.Range(doc.positionAt(node.offset), doc.positionAt(node.offset + node.length)) : undefined;
    return Object.entries(spec).map(([name, field]) => {
      const item = new vscode.CompletionItem(name, vscode.CompletionItemKind.Field);
      item.detail = `${type === 'data.input' ? 'input_spec' : 'output_spec'}: ${field.type ?? '?'}${field.required === false ? ', optional' : ''}`;
      item.insertText = JSON.stringify(name);
      if (range) item.range = range;
      item.filterText = JSON.stringify(name);
      item.sortText = `0${name}`;
      return item;
    });
  }
}

/** Converts a project's config between Toloka's string and an object: a quick fix on the string, a refactoring on the object. */
class ConfigConversion implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix, vscode.CodeActionKind.RefactorRewrite];

  provideCodeActions(doc: vscode.TextDocument, range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    if (!isProjectFile(doc.fileName)) return [];
    const tree = parseTree(doc.getText(), [], { allowTrailingComma: true });
    const node = tree ? findNodeAtLocation(tree, [...CONFIG_PATH]) : undefined;
    if (!node) return [];
    const nodeRange = new vscode.Range(doc.positionAt(node.offset), doc.positionAt(node.offset + node.length));
    if (!nodeRange.intersection(range) && !context.diagnostics.some((d) => d.code === STRING_CONFIG)) return [];
    const indent = doc.lineAt(nodeRange.start.line).firstNonWhitespaceCharacterIndex;
    const edit = new vscode.WorkspaceEdit();
    if (node.type === 'string' && typeof node.value === 'string') {
      let value: unknown;
      try {
        value = JSON.parse(node.value);
      } catch {
        return [];
      }
      const body = JSON.stringify(value, null, 2).split('\n').join(`\n${' '.repeat(indent)}`);
      edit.replace(doc.uri, nodeRange, body);
      const action = new vscode.CodeAction('Convert the config to an object', vscode.CodeActionKind.QuickFix);
      action.diagnostics = context.diagnostics.filter((d) => d.code === STRING_CONFIG);
      action.isPreferred = true;
      action.edit = edit;
      return [action];
    }
    if (node.type !== 'object') return [];
    const value = nodeValue(node);
    if (isObj(value) && '$file' in value) return [];
    edit.replace(doc.uri, nodeRange, JSON.stringify(JSON.stringify(value)));
    const action = new vscode.CodeAction("Convert the config to Toloka's JSON string", vscode.CodeActionKind.RefactorRewrite);
    action.edit = edit;
    return [action];
  }
}

/** "Preview Task" above a tb file, and above a project's config. */
class PreviewLens implements vscode.CodeLensProvider {
  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const command = { title: '$(preview) Preview Task', command: Commands.previewTask, arguments: [doc.uri] };
    if (isTbFile(doc.fileName)) return [new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), command)];
    if (!isProjectFile(doc.fileName)) return [];
    const tree = parseTree(doc.getText(), [], { allowTrailingComma: true });
    const node = tree ? findNodeAtLocation(tree, ['task_spec', 'view_spec']) : undefined;
    if (!node || findNodeAtLocation(node, ['type'])?.value !== 'tb') return [];
    const at = doc.positionAt(node.parent?.offset ?? node.offset);
    return [new vscode.CodeLens(new vscode.Range(at, at), command)];
  }
}

/** Template Builder in the editor: the problems only we see, path completion, conversion, the Preview lens. */
export function registerTbEditorFeatures(context: vscode.ExtensionContext): vscode.DiagnosticCollection {
  const collection = vscode.languages.createDiagnosticCollection('toloka-tb');
  const timers = new Map<string, NodeJS.Timeout>();
  const check = (doc: vscode.TextDocument) => {
    if (!isConfigFile(doc)) return;
    collection.set(doc.uri, tbDiagnostics(doc));
  };
  const later = (doc: vscode.TextDocument) => {
    const key = doc.uri.toString();
    clearTimeout(timers.get(key));
    timers.set(key, setTimeout(() => check(doc), 250));
  };
  context.subscriptions.push(
    collection,
    vscode.workspace.onDidOpenTextDocument(check),
    vscode.workspace.onDidChangeTextDocument((e) => later(e.document)),
    vscode.workspace.onDidCloseTextDocument((doc) => collection.delete(doc.uri)),
    vscode.languages.registerCompletionItemProvider(selector, new PathCompletion(), '"'),
    vscode.languages.registerCodeActionsProvider(selector, new ConfigConversion(), { providedCodeActionKinds: ConfigConversion.kinds }),
    vscode.languages.registerCodeLensProvider(selector, new PreviewLens()),
    { dispose: () => timers.forEach((t) => clearTimeout(t)) },
  );
  vscode.workspace.textDocuments.forEach(check);
  return collection;
}
