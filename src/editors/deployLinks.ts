import * as path from 'node:path';
import * as vscode from 'vscode';
import { findNodeAtOffset, getLocation, parseTree } from 'jsonc-parser';
import { deployKindOf, referenceKindFor, type DeployKind } from '../deploy/kinds';
import { analyzeFile, type DeployFile } from '../deploy/workspace';

/** The deploy files of the workspace. */
export const DEPLOY_GLOB = '**/*.{skill,project,training,pool}.json';
export const deploySelector: vscode.DocumentSelector = [{ scheme: 'file', pattern: DEPLOY_GLOB }];

async function workspaceDeployFiles(): Promise<vscode.Uri[]> {
  return vscode.workspace.findFiles(DEPLOY_GLOB, '{**/node_modules/**,**/.git/**,**/.toloka/**}');
}

/** A document's analysis from its current text (unsaved edits included). */
async function analyze(uri: vscode.Uri): Promise<DeployFile | undefined> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  const text = open ? open.getText() : Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
  return analyzeFile(uri.fsPath, text);
}

/** The `"$file"` reference under the cursor, if any. */
function referenceAt(doc: vscode.TextDocument, pos: vscode.Position) {
  const analyzed = analyzeFile(doc.uri.fsPath, doc.getText());
  const offset = doc.offsetAt(pos);
  return analyzed?.references.find((r) => offset >= r.offset && offset <= r.offset + r.length);
}

/** The kind a `"$file"` value being typed should name, from where it stands. */
function expectedKind(doc: vscode.TextDocument, pos: vscode.Position): DeployKind | undefined {
  const loc = getLocation(doc.getText(), doc.offsetAt(pos));
  const p = loc.path;
  if (p[p.length - 1] !== '$file' || loc.isAtPropertyKey) return undefined;
  return referenceKindFor(p[p.length - 2]);
}

function relativeRef(from: vscode.Uri, to: vscode.Uri): string {
  const rel = path.relative(path.dirname(from.fsPath), to.fsPath).split(path.sep).join('/');
  return rel.startsWith('.') ? rel : `./${rel}`;
}

/** Completion of file names in `{"$file": "…"}`, Go to Definition on them, and Find All References of a file. */
export function registerDeployLinks(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.languages.registerCompletionItemProvider(deploySelector, {
      async provideCompletionItems(doc, pos) {
        const kind = expectedKind(doc, pos);
        if (!kind) return undefined;
        const files = (await workspaceDeployFiles()).filter((u) => deployKindOf(u.fsPath) === kind && u.fsPath !== doc.uri.fsPath);
        // Replace the whole text between the quotes, whatever part of it is typed.
        const tree = parseTree(doc.getText());
        const node = tree ? findNodeAtOffset(tree, doc.offsetAt(pos)) : undefined;
        const closed = node?.type === 'string' && doc.getText().charAt(node.offset + node.length - 1) === '"' && node.length > 1;
        const range = node?.type === 'string' ? new vscode.Range(doc.positionAt(node.offset + 1), doc.positionAt(node.offset + node.length - (closed ? 1 : 0))) : undefined;
        return files.map((u) => {
          const ref = relativeRef(doc.uri, u);
          const item = new vscode.CompletionItem(ref, vscode.CompletionItemKind.File);
          item.detail = `Toloka ${kind} file`;
          if (range) item.range = range;
          return item;
        });
      },
    }, '"', '/', '.'),
    vscode.languages.registerDefinitionProvider(deploySelector, {
      provideDefinition(doc, pos) {
        const ref = referenceAt(doc, pos);
        return ref ? new vscode.Location(vscode.Uri.file(ref.target), new vscode.Position(0, 0)) : undefined;
      },
    }),
    vscode.languages.registerReferenceProvider(deploySelector, {
      async provideReferences(doc, pos) {
        // On a reference: every reference to its target; elsewhere in a file: every reference to this file.
        const target = referenceAt(doc, pos)?.target ?? doc.uri.fsPath;
        const out: vscode.Location[] = [];
        for (const uri of await workspaceDeployFiles()) {
          const analyzed = await analyze(uri);
          if (!analyzed) continue;
          const refs = analyzed.references.filter((r) => r.target === target);
          if (refs.length === 0) continue;
          const d = await vscode.workspace.openTextDocument(uri);
          for (const r of refs) out.push(new vscode.Location(uri, new vscode.Range(d.positionAt(r.offset), d.positionAt(r.offset + r.length))));
        }
        return out;
      },
    }),
  );
}

export function isDeployFile(uri: vscode.Uri): boolean {
  return uri.scheme === 'file' && deployKindOf(uri.fsPath) !== undefined;
}
