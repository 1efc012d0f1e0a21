/**
 * Reads the deploy files of a folder (or one file and what it references): their JSON with
 * positions, their references to each other, and every problem found on the exact JSON node.
 * Nothing is sent anywhere from here. No `vscode` import.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { findNodeAtLocation, parseTree, printParseErrorCode, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import { formatPath, validatePayload } from '../toloka/schemas';
import { isRecord } from './canonical';
import { deployKindOf, deployKinds, referenceKindFor, serverOwned, type DeployKind } from './kinds';

export type JsonPath = ReadonlyArray<string | number>;

export interface Problem {
  readonly file: string;
  /** 1-based, as editors and `file:line:` print them. */
  readonly line: number;
  readonly column: number;
  readonly offset: number;
  readonly length: number;
  readonly field: string;
  readonly message: string;
  readonly severity: 'error' | 'warning';
}

export interface Reference {
  /** Where the `{"$file": …}` object stands in the referring document. */
  readonly path: JsonPath;
  /** As written, e.g. `./classify.project.json`. */
  readonly written: string;
  /** Absolute path of the file it names. */
  readonly target: string;
  readonly kind: DeployKind;
  /** The `"$file"` value's position, for links and Go to Definition. */
  readonly offset: number;
  readonly length: number;
}

export interface DeployFile {
  readonly file: string;
  readonly kind: DeployKind;
  readonly text: string;
  /** The parsed object; undefined when the file is not a JSON object. */
  readonly body: Record<string, unknown> | undefined;
  readonly references: readonly Reference[];
  readonly problems: readonly Problem[];
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return { line, column: offset - last };
}

/** The node a path reaches, or the deepest one on the way (a missing field is reported on the object lacking it). */
function nodeAt(tree: JsonNode | undefined, p: JsonPath): JsonNode | undefined {
  if (!tree) return undefined;
  for (let n = p.length; n >= 0; n--) {
    const node = findNodeAtLocation(tree, [...p.slice(0, n)]);
    if (node) return node;
  }
  return tree;
}

export function problemAt(file: string, text: string, tree: JsonNode | undefined, p: JsonPath, message: string, severity: Problem['severity'] = 'error', onKey = false): Problem {
  const node = nodeAt(tree, p);
  const target = onKey && node?.parent?.type === 'property' ? node.parent.children?.[0] ?? node : node;
  const offset = target?.offset ?? 0;
  return { file, ...lineColumn(text, offset), offset, length: target?.length ?? 1, field: formatPath(p), message, severity };
}

/** `file:line:column: field: message`, as the command line prints a problem. */
export function formatProblem(p: Problem, base?: string): string {
  return `${base ? path.relative(base, p.file) || p.file : p.file}:${p.line}:${p.column}: ${p.field}: ${p.message}${p.severity === 'warning' ? ' (warning)' : ''}`;
}

function findReferences(value: unknown, at: Array<string | number>, out: Array<{ path: JsonPath; written: string }>): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => findReferences(v, [...at, i], out));
    return;
  }
  if (!isRecord(value)) return;
  if ('$file' in value) {
    out.push({ path: at, written: typeof value['$file'] === 'string' ? value['$file'] : '' });
    return;
  }
  for (const [k, v] of Object.entries(value)) findReferences(v, [...at, k], out);
}

/** One deploy file, from its text: its kind, body, references and own problems (those that need no other file). */
export function analyzeFile(file: string, text: string): DeployFile | undefined {
  const kind = deployKindOf(file);
  if (!kind) return undefined;
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  const problems: Problem[] = [];
  if (errors.length > 0 || !tree) {
    for (const e of errors) problems.push({ file, ...lineColumn(text, e.offset), offset: e.offset, length: Math.max(1, e.length), field: '(document)', message: `not valid JSON: ${printParseErrorCode(e.error)}`, severity: 'error' });
    return { file, kind, text, body: undefined, references: [], problems };
  }
  const value: unknown = JSON.parse(text);
  if (!isRecord(value)) return { file, kind, text, body: undefined, references: [], problems: [problemAt(file, text, tree, [], `a ${kind} file holds one JSON object`)] };
  const found: Array<{ path: JsonPath; written: string }> = [];
  findReferences(value, [], found);
  const references: Reference[] = [];
  for (const r of found) {
    const field = r.path[r.path.length - 1];
    const expected = referenceKindFor(field);
    const node = findNodeAtLocation(tree, [...r.path, '$file']);
    if (!expected) {
      problems.push(problemAt(file, text, tree, r.path, 'a {"$file": …} reference may stand only for project_id, training_pool_id or a skill id'));
      continue;
    }
    const obj = findNodeAtLocation(tree, [...r.path]);
    if (!r.written || (obj?.children?.length ?? 0) !== 1) {
      problems.push(problemAt(file, text, tree, r.path, 'a reference is {"$file": "./relative/path.<kind>.json"} and nothing else'));
      continue;
    }
    const targetKind = deployKindOf(r.written);
    if (targetKind !== expected) {
      problems.push(problemAt(file, text, tree, [...r.path, '$file'], `${String(field)} names a ${expected}: a *.${expected}.json file, not ${r.written}`));
      continue;
    }
    references.push({ path: r.path, written: r.written, target: path.resolve(path.dirname(file), r.written), kind: expected, offset: node?.offset ?? 0, length: node?.length ?? 1 });
  }
  for (const field of serverOwned[kind]) {
    if (field in value) problems.push(problemAt(file, text, tree, [field], `"${field}" is set by Toloka: it is ignored when the file is applied`, 'warning', true));
  }
  for (const p of validatePayload(kind, value)) {
    if (serverOwned[kind].includes(String(p.path[0]))) continue;
    problems.push(problemAt(file, text, tree, p.path, p.message, 'error', p.unknownField === true));
  }
  return { file, kind, text, body: value, references, problems };
}

export interface Workspace {
  /** Every file read, in dependency order: skills, projects, trainings, pools, each after what it references. */
  readonly files: readonly DeployFile[];
  /** Every file's problems, and those between files (missing targets, cycles). */
  readonly problems: readonly Problem[];
}

const skipped = new Set(['node_modules', '.git', '.toloka', '.vscode-test', 'out', 'dist']);

/** The deploy files under a folder, in path order. */
export async function listDeployFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    const entries = await fs.readdir(d, { withFileTypes: true });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) {
        if (!skipped.has(e.name) && !e.name.startsWith('.')) await walk(full);
      } else if (e.isFile() && deployKindOf(e.name)) out.push(full);
    }
  };
  await walk(dir);
  return out;
}

/**
 * Reads the targets (folders and files) and every file they reference, transitively, and
 * orders them so that each comes after what it references. A reference to a missing file,
 * or a cycle, is a problem on the reference.
 */
export async function loadWorkspace(targets: readonly string[], readText: (file: string) => Promise<string> = (f) => fs.readFile(f, 'utf8')): Promise<Workspace> {
  const queue: string[] = [];
  for (const t of targets) {
    const abs = path.resolve(t);
    const stat = await fs.stat(abs);
    if (stat.isDirectory()) queue.push(...(await listDeployFiles(abs)));
    else if (deployKindOf(abs)) queue.push(abs);
    else throw new Error(`${t}: not a folder or a *.skill.json, *.project.json, *.training.json or *.pool.json file`);
  }
  const byFile = new Map<string, DeployFile>();
  const problems: Problem[] = [];
  for (let i = 0; i < queue.length; i++) {
    const file = queue[i] ?? '';
    if (byFile.has(file)) continue;
    const analyzed = analyzeFile(file, await readText(file));
    if (!analyzed) continue;
    byFile.set(file, analyzed);
    problems.push(...analyzed.problems);
    for (const r of analyzed.references) {
      if (byFile.has(r.target) || queue.includes(r.target)) continue;
      try {
        await fs.access(r.target);
        queue.push(r.target);
      } catch {
        problems.push({ ...problemAt(file, analyzed.text, parseTree(analyzed.text), [...r.path, '$file'], `${r.written}: no such file`), offset: r.offset, length: r.length });
      }
    }
  }
  // Depth-first in kind order, so that each file follows what it references; a back edge is a cycle.
  const ordered: DeployFile[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (f: DeployFile): void => {
    state.set(f.file, 'visiting');
    for (const r of f.references) {
      const target = byFile.get(r.target);
      if (!target) continue;
      const s = state.get(target.file);
      if (s === 'visiting') {
        problems.push({ ...problemAt(f.file, f.text, parseTree(f.text), [...r.path, '$file'], `${r.written}: a cycle of references (${path.basename(target.file)} comes back to ${path.basename(f.file)})`), offset: r.offset, length: r.length });
      } else if (s === undefined) visit(target);
    }
    state.set(f.file, 'done');
    ordered.push(f);
  };
  const all = [...byFile.values()].sort((a, b) => deployKinds.indexOf(a.kind) - deployKinds.indexOf(b.kind) || a.file.localeCompare(b.file));
  for (const f of all) if (!state.has(f.file)) visit(f);
  return { files: ordered, problems };
}

export function hasErrors(problems: readonly Problem[]): boolean {
  return problems.some((p) => p.severity === 'error');
}
