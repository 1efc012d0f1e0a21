/**
 * The rows of a results TSV that a command acts on (Ban Tolokers…, Pay Bonus to Toloker in Row…):
 * each row's Toloker and assignment, from our columns (`worker_id`, `assignment_id`) or Toloka's
 * (`ASSIGNMENT:worker_id`, `ASSIGNMENT:assignment_id`).
 */
import * as vscode from 'vscode';

const WORKER = /^[0-9a-f]{32}$/;

export interface ResultRow {
  /** 0-based, as the editor counts lines (the header is line 0). */
  readonly line: number;
  readonly workerId: string;
  readonly assignmentId?: string | undefined;
}

/** The rows with a Toloker id among `lines` (0-based; every row when undefined). */
export function rowsInTsv(text: string, lines: ReadonlySet<number> | undefined): ResultRow[] {
  const all = text.split('\n');
  const header = (all[0] ?? '').replace(/^\uFEFF/, '').replace(/\r$/, '').split('\t');
  const col = header.findIndex((h) => h === 'worker_id' || h === 'ASSIGNMENT:worker_id');
  if (col < 0) throw new Error('the file has no worker_id (or ASSIGNMENT:worker_id) column');
  const assignmentCol = header.findIndex((h) => h === 'assignment_id' || h === 'ASSIGNMENT:assignment_id');
  const rows: ResultRow[] = [];
  all.forEach((l, i) => {
    if (i === 0 || (lines && !lines.has(i))) return;
    const cells = l.replace(/\r$/, '').split('\t');
    const workerId = (cells[col] ?? '').trim();
    const assignmentId = assignmentCol < 0 ? '' : (cells[assignmentCol] ?? '').trim();
    if (WORKER.test(workerId)) rows.push({ line: i, workerId, ...(assignmentId ? { assignmentId } : {}) });
  });
  return rows;
}

/** The lines an editor's selections cover (0-based). */
function selectedLines(editor: vscode.TextEditor): Set<number> {
  return new Set(editor.selections.flatMap((s) => Array.from({ length: s.end.line - s.start.line + 1 }, (_, k) => s.start.line + k)));
}

/**
 * The results TSV a command was run on (its URI from a menu, else the active editor's TSV) and
 * the rows it means: the selected lines when the file is in the active editor. With an empty
 * selection `whole: 'file'` takes every row and `whole: 'cursor'` the cursor's line. Undefined
 * when there is no such file.
 */
export async function resultRowsFrom(arg: unknown, whole: 'file' | 'cursor'): Promise<{ uri: vscode.Uri; doc: vscode.TextDocument; rows: ResultRow[]; selected: boolean } | undefined> {
  const active = vscode.window.activeTextEditor;
  const activeTsv = active && active.document.uri.path.endsWith('.tsv') && (whole === 'cursor' || !active.selection.isEmpty) ? active.document.uri : undefined;
  const uri = arg instanceof vscode.Uri ? arg : activeTsv;
  if (!uri) return undefined;
  const editor = active?.document.uri.toString() === uri.toString() ? active : undefined;
  const doc = editor?.document ?? (await vscode.workspace.openTextDocument(uri));
  const lines = editor && (!editor.selection.isEmpty || whole === 'cursor') ? selectedLines(editor) : undefined;
  return { uri, doc, rows: rowsInTsv(doc.getText(), lines), selected: lines !== undefined };
}
