/** Helpers for suites that edit files: open one, find a place in it, ask for completion there. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { eventually } from './extension';

export async function open(uri: vscode.Uri): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc);
  return doc;
}

export function positionAfter(doc: vscode.TextDocument, marker: string): vscode.Position {
  const i = doc.getText().indexOf(marker);
  assert.ok(i >= 0, `${marker} is in the document`);
  return doc.positionAt(i + marker.length);
}

/** The labels completion offers at a place, once they include `expect` (the JSON server loads schemas lazily). */
export async function completionLabels(doc: vscode.TextDocument, at: vscode.Position, expect: string): Promise<string[]> {
  let last: string[] = [];
  try {
    return await eventually(`completion to offer ${expect}`, async () => {
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, at);
      last = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label).replace(/"/g, ''));
      return last.includes(expect) ? last : undefined;
    }, 20_000);
  } catch (err) {
    throw new Error(`${err instanceof Error ? err.message : String(err)}; offered: ${last.slice(0, 40).join(', ') || 'nothing'}`, { cause: err });
  }
}
