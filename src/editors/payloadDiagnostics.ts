import * as vscode from 'vscode';
import { findNodeAtLocation, parseTree, printParseErrorCode, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import { formatPath, kindOfFile, payloadKindNames, validatePayload, type PayloadKind, type PayloadProblem } from '../toloka/schemas';

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

/**
 * Problems of payload files in the Problems panel: found on request (Validate Payload), kept
 * current as the file is saved, gone when it is closed.
 */
export class PayloadDiagnostics {
  readonly collection = vscode.languages.createDiagnosticCollection('toloka');

  register(context: vscode.ExtensionContext): void {
    context.subscriptions.push(
      this.collection,
      vscode.workspace.onDidSaveTextDocument((doc) => {
        if (this.collection.has(doc.uri)) this.validate(doc);
      }),
      vscode.workspace.onDidCloseTextDocument((doc) => this.collection.delete(doc.uri)),
    );
  }

  /** Checks a document and publishes its problems; undefined when it is not a Toloka payload. */
  validate(doc: vscode.TextDocument): { kind: PayloadKind; count: number } | undefined {
    const { kind, diagnostics } = problemsOf(doc);
    if (!kind) return undefined;
    this.collection.set(doc.uri, diagnostics);
    return { kind, count: diagnostics.length };
  }
}
