/**
 * What a pool file will cost, while it is edited: a CodeLens "≈ $X for N tasks" above the
 * reward, the working in a hover, and a warning when the reward pays less by the hour than the
 * user's minimum. The tasks come from a tasks file beside the pool file (`<name>.tasks.jsonl`,
 * `.json` or `.tsv`), else from the pool on Toloka; the time per suite from the pool's own
 * submitted assignments. Remote figures use only a connection made already: a lens never starts
 * the sandbox or asks to sign in.
 */
import * as path from 'node:path';
import { promises as fs } from 'node:fs';
import * as vscode from 'vscode';
import { z } from 'zod';
import { countTasks, type TaskCount } from '../files/taskCount';
import { median } from '../aggregation/median';
import { checkHourlyReward, estimatePoolCost, PoolCostFields, suiteSeconds, type HourlyCheck, type PoolCost, type TaskTotals } from '../insights/poolCost';
import type { ClientProvider } from '../environment/clientProvider';
import { Disposable } from '../util/disposable';
import { Commands } from '../ids';
import { POOL_SCHEME } from './poolFileSystem';

/** Tasks assumed when neither a tasks file nor the pool's count is known. */
const PER_TASKS = 1000;
const TIME_CACHE_MS = 10 * 60_000;
/** `toloka.costEstimate.minHourlyReward`: a wrong value turns the warning off rather than failing. */
const MinHourly = z.number().nonnegative().catch(0);
const TASK_FILE_EXTENSIONS = ['.tasks.jsonl', '.tasks.json', '.tasks.tsv'] as const;

export interface Estimate {
  readonly cost: PoolCost;
  readonly hourly: HourlyCheck | undefined;
  /** Where `reward_per_assignment`'s value is, for the lens, the hover and the warning. */
  readonly rewardRange: vscode.Range;
}

interface CountCacheEntry {
  readonly key: string;
  readonly count: Promise<TaskCount>;
}

function rewardRange(doc: vscode.TextDocument): vscode.Range {
  const m = /"reward_per_assignment"\s*:\s*([^,}\s]+)/.exec(doc.getText());
  if (!m) return new vscode.Range(0, 0, 0, 0);
  const start = m.index + m[0].length - (m[1]?.length ?? 0);
  return new vscode.Range(doc.positionAt(start), doc.positionAt(m.index + m[0].length));
}

/** The pool id a document stands for: a pool opened from Toloka, or a file's own `id`. */
function poolIdOf(doc: vscode.TextDocument, fields: PoolCostFields): string | undefined {
  if (doc.uri.scheme === POOL_SCHEME) return /\/([^/]+)\.pool\.json$/.exec(doc.uri.path)?.[1];
  return fields.id;
}

export class CostEstimates extends Disposable implements vscode.CodeLensProvider, vscode.HoverProvider {
  readonly #changed = this.own(new vscode.EventEmitter<void>());
  readonly onDidChangeCodeLenses = this.#changed.event;
  readonly #diagnostics = this.own(vscode.languages.createDiagnosticCollection('toloka-cost'));
  readonly #counts = new Map<string, CountCacheEntry>();
  readonly #times = new Map<string, { at: number; seconds: Promise<number | undefined> }>();
  readonly #last = new Map<string, Estimate>();

  constructor(
    private readonly connections: ClientProvider,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    const refresh = () => this.#changed.fire();
    const watcher = this.own(vscode.workspace.createFileSystemWatcher('**/*.tasks.{json,jsonl,tsv}'));
    this.own(watcher.onDidChange(refresh));
    this.own(watcher.onDidCreate(refresh));
    this.own(watcher.onDidDelete(refresh));
    this.own(connections.onDidChange(refresh));
    this.own(vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('toloka.costEstimate') && refresh()));
    this.own(vscode.workspace.onDidCloseTextDocument((d) => {
      this.#diagnostics.delete(d.uri);
      this.#last.delete(d.uri.toString());
    }));
  }

  register(context: vscode.ExtensionContext): void {
    const selector: vscode.DocumentSelector = [
      { scheme: 'file', pattern: '**/*.pool.json' },
      { scheme: 'untitled', pattern: '**/*.pool.json' },
      { scheme: POOL_SCHEME },
    ];
    context.subscriptions.push(this, vscode.languages.registerCodeLensProvider(selector, this), vscode.languages.registerHoverProvider(selector, this));
  }

  /** The last estimate shown for a document (the lens's command explains it). */
  last(uri: vscode.Uri): Estimate | undefined {
    return this.#last.get(uri.toString());
  }

  async provideCodeLenses(doc: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    const e = await this.estimate(doc, token);
    if (!e || token.isCancellationRequested) return [];
    const title = e.hourly?.tooLow ? `${e.cost.headline} · $(warning) ${e.hourly.hourly.toFixed(2)} $/h` : e.cost.headline;
    return [new vscode.CodeLens(e.rewardRange, { title, tooltip: e.cost.explanation.join('\n'), command: Commands.explainCost, arguments: [doc.uri] })];
  }

  async provideHover(doc: vscode.TextDocument, pos: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    const range = doc.getWordRangeAtPosition(pos, /"reward_per_assignment"\s*:\s*[^,}\s]+|"reward_per_assignment"/);
    if (!range) return undefined;
    const e = await this.estimate(doc, token);
    if (!e) return undefined;
    const md = new vscode.MarkdownString(`**${e.cost.headline}**\n\n${e.cost.explanation.map((l) => `- ${l}`).join('\n')}`);
    if (e.hourly) md.appendMarkdown(`\n\n${e.hourly.tooLow ? '$(warning) ' : ''}${e.hourly.message}`);
    md.supportThemeIcons = true;
    return new vscode.Hover(md, range);
  }

  /** The estimate for a pool document, or undefined when it is not (yet) a pool with a reward. */
  async estimate(doc: vscode.TextDocument, token?: vscode.CancellationToken): Promise<Estimate | undefined> {
    let raw: unknown;
    try {
      raw = JSON.parse(doc.getText());
    } catch {
      return undefined; // the schema's own checks say what is wrong
    }
    const parsed = PoolCostFields.safeParse(raw);
    if (!parsed.success) {
      this.#diagnostics.delete(doc.uri);
      return undefined;
    }
    const fields = parsed.data;
    const controller = new AbortController();
    const sub = token?.onCancellationRequested(() => controller.abort());
    try {
      const poolId = poolIdOf(doc, fields);
      const tasks = await this.tasksFor(doc, poolId, controller.signal);
      const cost = estimatePoolCost(fields, tasks ?? { real: PER_TASKS, source: 'no tasks file beside it: per 1,000 tasks' });
      const minimum = MinHourly.parse(vscode.workspace.getConfiguration('toloka').get<unknown>('costEstimate.minHourlyReward', 0));
      const seconds = poolId ? await this.medianSeconds(doc, poolId) : undefined;
      const hourly = checkHourlyReward(fields.reward_per_assignment, seconds, minimum, 'from the pool\'s submitted assignments');
      const e: Estimate = { cost, hourly, rewardRange: rewardRange(doc) };
      this.#last.set(doc.uri.toString(), e);
      this.#diagnostics.set(
        doc.uri,
        hourly?.tooLow ? [Object.assign(new vscode.Diagnostic(e.rewardRange, hourly.message, vscode.DiagnosticSeverity.Warning), { source: 'Toloka cost' })] : [],
      );
      return e;
    } catch (err) {
      if (!controller.signal.aborted) this.log.warn(`cost estimate of ${doc.uri.toString(true)}: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    } finally {
      sub?.dispose();
    }
  }

  private async tasksFor(doc: vscode.TextDocument, poolId: string | undefined, signal: AbortSignal): Promise<TaskTotals | undefined> {
    if (doc.uri.scheme === 'file') {
      const base = doc.uri.fsPath.replace(/\.pool\.json$/, '');
      for (const ext of TASK_FILE_EXTENSIONS) {
        const file = base + ext;
        const stat = await fs.stat(file).catch(() => undefined);
        if (!stat?.isFile()) continue;
        const key = `${stat.size}:${stat.mtimeMs}`;
        let entry = this.#counts.get(file);
        if (entry?.key !== key) {
          entry = { key, count: countTasks(file) };
          this.#counts.set(file, entry);
          entry.count.catch(() => this.#counts.delete(file));
        }
        const c = await entry.count;
        if (signal.aborted) return undefined;
        return { real: c.real, golden: c.golden, ownOverlap: c.ownOverlap, source: path.basename(file) + (c.unreadable ? ` (${c.unreadable} unreadable left out)` : '') };
      }
    }
    if (!poolId) return undefined;
    const connection = await this.connectionFor(doc);
    if (!connection) return undefined;
    const figures = await connection.client.analytics.pool(poolId, ['real_tasks_count'], { signal });
    const real = figures.real_tasks_count;
    return real === undefined ? undefined : { real, source: `pool ${poolId} on Toloka ${connection.environment}` };
  }

  /** The connection made already, when it is to the server a pool document came from (its URI's authority). */
  private async connectionFor(doc: vscode.TextDocument) {
    const connection = await this.connections.existing()?.catch(() => undefined);
    if (!connection) return undefined;
    if (doc.uri.scheme === POOL_SCHEME && doc.uri.authority && doc.uri.authority !== new URL(connection.apiRoot).host.toLowerCase()) return undefined;
    return connection;
  }

  /** The median seconds a suite took in the pool, from up to 1,000 submitted assignments; cached 10 minutes. */
  private async medianSeconds(doc: vscode.TextDocument, poolId: string): Promise<number | undefined> {
    const connection = await this.connectionFor(doc);
    if (!connection) return undefined;
    const key = `${connection.apiRoot} ${poolId}`;
    const cached = this.#times.get(key);
    if (cached && Date.now() - cached.at < TIME_CACHE_MS) return cached.seconds;
    const seconds = connection.client.assignments
      .page({ pool_id: poolId, status: ['SUBMITTED', 'ACCEPTED', 'REJECTED'] }, { limit: 1000 })
      .then((p) => median(suiteSeconds(p.items)));
    this.#times.set(key, { at: Date.now(), seconds });
    seconds.catch(() => this.#times.delete(key));
    return seconds;
  }
}
