/**
 * A dry-run's report, in the webview: the figures of a `*.dry-run.json` (cost, duration,
 * assignments by status, rules fired, bans per archetype, accuracy by aggregation method,
 * findings) as cards, bar charts and lists, in the editor's theme colours. Keeps its file and
 * its last report over a reload.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { ReportData, ReportState, ToWebview, type FromWebview } from './protocol';
import { card, el, redrawOnThemeChange, theme } from '../shared/dom';

interface VsCodeApi {
  postMessage(message: FromWebview): void;
  getState(): unknown;
  setState(state: ReportState & { name?: string; report?: ReportData }): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const root = document.getElementById('dry-run') as HTMLElement;
const initial = ReportState.safeParse(vscode.getState());
const file = initial.success ? initial.data.file : (root.dataset['file'] ?? '');
let name = '';
let report: ReportData | undefined;
let error: string | undefined;
const charts: uPlot[] = [];

/** Suites per archetype below this accuracy are the ones a rule should catch. */
const WANTED_ACCURACY = 0.75;

function button(label: string, message: FromWebview): HTMLButtonElement {
  const b = el('button', { text: label });
  b.type = 'button';
  b.addEventListener('click', () => vscode.postMessage(message));
  return b;
}

const pct = (v: number | null | undefined): string => (v === null || v === undefined ? '–' : `${(v * 100).toFixed(1)}%`);
const money = (v: number): string => (v !== 0 && Math.abs(v) < 0.01 ? `$${v.toFixed(4)}` : `$${v.toFixed(2)}`);
const count = (v: number): string => v.toLocaleString('en-US');
const hours = (v: number): string => (v < 1 ? `${Math.round(v * 60)} min` : v < 48 ? `${v.toFixed(1)} h` : `${(v / 24).toFixed(1)} days`);

/** A bar list (HTML, readable by a screen reader as it is): label, bar, figure. */
function bars(rows: ReadonlyArray<readonly [string, number, string]>, max: number, id: string): HTMLElement {
  const list = el('dl', { className: 'bars' });
  list.dataset['figure'] = id;
  for (const [label, value, text] of rows) {
    const bar = el('span', { className: 'bar' });
    bar.style.width = `${max > 0 ? (100 * value) / max : 0}%`;
    list.append(el('dt', { text: label }), el('dd', {}, bar, el('span', { className: 'bar-label', text })));
  }
  return list;
}

/** `ASSIGNMENT_SUBMIT_TIME #2.1` → `ASSIGNMENT_\nSUBMIT_TIME\n#2.1`: lines of at most 12 characters where the name allows. */
function wrap(name: string): string {
  const out: string[] = [];
  for (const part of name.split(/(?<=[_ ])/)) {
    const last = out.length - 1;
    if (last >= 0 && ((out[last] ?? '') + part).trim().length <= 12) out[last] = (out[last] ?? '') + part;
    else out.push(part);
  }
  return out.map((l) => l.trim()).join('\n');
}

interface Series {
  readonly label: string;
  readonly colour: string;
  readonly values: ReadonlyArray<number | null>;
}

/**
 * A bar chart over named categories (uPlot: the x axis is the categories' index). The chart is
 * an image to a screen reader; the table beside it carries the same figures.
 */
function barChart(host: HTMLElement, names: readonly string[], series: readonly Series[], label: string, yLabel: string): void {
  if (names.length === 0) {
    host.append(el('p', { className: 'empty', text: 'Nothing to chart.' }));
    return;
  }
  const grid = theme('--vscode-editorWidget-border', '#8884');
  const text = theme('--vscode-foreground', '#ccc');
  const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } };
  const paths = uPlot.paths.bars?.({ size: [0.7, 60] });
  const xs = names.map((_, i) => i);
  const wrapped = names.map(wrap);
  const lines = Math.max(1, ...wrapped.map((w) => w.split('\n').length));
  const chart = new uPlot(
    {
      width: Math.max(320, Math.min(900, host.clientWidth || 600)),
      height: 220,
      legend: { show: series.length > 1, live: false },
      cursor: { show: true },
      scales: { x: { time: false, range: () => [-0.5, names.length - 0.5] }, y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] } },
      axes: [
        // Long names (a collector and its place) wrap at their underscores and spaces, so neighbours do not overlap.
        { ...axis, splits: () => xs, values: (_u, splits) => splits.map((i) => wrapped[i] ?? ''), size: 20 + 17 * lines },
        { ...axis, label: yLabel },
      ],
      series: [{ label: '' }, ...series.map((s) => ({ label: s.label, stroke: s.colour, fill: `${s.colour}99`, width: 1, ...(paths ? { paths } : {}), points: { show: false } }))],
    },
    [xs, ...series.map((s) => [...s.values])],
    host,
  );
  chart.root.setAttribute('role', 'img');
  chart.root.setAttribute('aria-label', label);
  host.tabIndex = 0;
  host.title = label;
  charts.push(chart);
}

/** A table of figures; the columns from `numeric` on are numbers, aligned right. */
function table(head: readonly string[], rows: ReadonlyArray<ReadonlyArray<string>>, id: string, numeric = 1): HTMLElement {
  const t = el('table', { className: 'figures' });
  t.dataset['figure'] = id;
  const tr = el('tr');
  for (const h of head) {
    const th = el('th', { text: h });
    th.scope = 'col';
    tr.append(th);
  }
  const body = el('tbody');
  for (const r of rows) body.append(el('tr', {}, ...r.map((c, i) => el('td', { className: i >= numeric ? 'num' : '', text: c }))));
  t.append(el('thead', {}, tr), body);
  return t;
}

function panel(title: string, ...children: Node[]): HTMLElement {
  return el('section', { className: 'panel' }, el('h2', { text: title }), ...children);
}

function render(): void {
  for (const c of charts.splice(0)) c.destroy();
  root.replaceChildren();
  if (error) root.append(el('div', { className: 'error', text: error }));
  const r = report;
  if (!r) {
    if (!error) root.append(el('p', { className: 'empty', text: 'Loading…' }));
    return;
  }
  const header = el('header', {}, el('h1', { text: `Dry-run of ${r.pool.name}` }), el('span', { className: `status status-${r.pool.status.toLowerCase()}`, text: r.cancelled ? 'cancelled' : r.pool.status === 'CLOSED' ? 'completed' : r.pool.status.toLowerCase() }));
  const toolbar = el('div', { className: 'toolbar' }, button('Open Markdown Report', { type: 'openMarkdown' }), button('Reload', { type: 'reload' }), el('span', { className: 'note', text: `${name} · seed ${r.seed} · ${count(r.crowd)} simulated Tolokers` }));
  root.append(header, toolbar);

  const a = r.assignments;
  const totalAssignments = Object.values(a).reduce((n, v) => n + v, 0);
  root.append(
    el(
      'div',
      { className: 'cards' },
      card('Cost', money(r.cost.total), `${money(r.cost.rewards)} rewards + ${money(r.cost.fee)} Toloka's fee`, 'cost'),
      card('Duration', hours(r.simulatedHours), `simulated${r.medianSecondsPerSuite === null ? '' : ` · median ${r.medianSecondsPerSuite.toFixed(1)} s a suite`}`, 'duration'),
      card('Assignments', count(totalAssignments), `${count(r.pool.tasks)} tasks · ${count(r.pool.controlTasks)} control tasks${r.pool.tasksUnfinished ? ` · ${count(r.pool.tasksUnfinished)} unfinished` : ''}`, 'assignments'),
      card('Tolokers banned', count(r.bans.tolokers), `of ${count(r.crowd)}`, 'banned'),
      card('Recompleted suites', count(r.recompletions.suites), `${count(r.recompletions.reopenedPool)} reopened the pool · ${count(r.recompletions.lost)} lost`, 'recompletions'),
      ...(r.training ? [card('Training', `${count(r.training.passed)} passed`, `${count(r.training.failed)} failed`, 'training')] : []),
    ),
  );

  const statuses = Object.entries(a).sort((x, y) => y[1] - x[1]);
  const statusBox = panel('Assignments by status', bars(statuses.map(([s, n]) => [s.toLowerCase(), n, `${count(n)} · ${pct(totalAssignments ? n / totalAssignments : 0)}`] as const), Math.max(0, ...statuses.map(([, n]) => n)), 'statuses'));
  const methods = Object.entries(r.accuracy.methods);
  const accuracyBox = panel(
    'Accuracy by aggregation method',
    methods.length === 0 ? el('p', { className: 'empty', text: 'No output field to score.' }) : bars(methods.map(([m, v]) => [m, v, pct(v)] as const), 1, 'accuracy'),
    el('div', { className: 'note', text: `${r.accuracy.field ? `field ${r.accuracy.field} · ` : ''}single answers ${pct(r.accuracy.answers)} right` }),
  );
  root.append(el('div', { className: 'row' }, statusBox, accuracyBox));

  const rules = r.rules;
  const ruleNames = rules.map((x) => `${x.pool === 'training' ? 'training ' : ''}${x.collector} #${x.config + 1}.${x.rule + 1}`);
  const rulesChart = el('div', { className: 'chart' });
  rulesChart.dataset['chart'] = 'rules';
  root.append(
    panel(
      'Rules fired',
      rulesChart,
      table(['Rule', 'Conditions → action', 'Fired', 'Acted on'], rules.map((x, i) => [ruleNames[i] ?? '', `${x.conditions} → ${x.action}`, count(x.fired), count(x.subjects)]), 'rules', 2),
    ),
  );

  const arch = r.archetypes;
  const wanted = (x: (typeof arch)[number]): boolean => x.accuracy !== null && x.accuracy >= WANTED_ACCURACY;
  const trained = r.training !== undefined;
  const bansChart = el('div', { className: 'chart' });
  bansChart.dataset['chart'] = 'bans';
  root.append(
    panel(
      'Bans per archetype',
      bansChart,
      el('div', { className: 'note', text: `An archetype whose answers are ${pct(WANTED_ACCURACY)} right or better is one a rule should keep: its bans are wrongly banned careful Tolokers.` }),
      trained
        ? table(['Archetype', 'Tolokers', 'Banned', 'Failed training', 'Suites', 'Skipped', 'Accuracy'], arch.map((x) => [x.archetype, count(x.tolokers), count(x.banned), count(x.failedTraining ?? 0), count(x.submitted), count(x.skipped), pct(x.accuracy)]), 'archetypes')
        : table(['Archetype', 'Tolokers', 'Banned', 'Suites', 'Skipped', 'Accuracy'], arch.map((x) => [x.archetype, count(x.tolokers), count(x.banned), count(x.submitted), count(x.skipped), pct(x.accuracy)]), 'archetypes'),
    ),
  );

  const findings = el('ul', { className: 'findings' });
  for (const f of r.findings) findings.append(el('li', { text: f }));
  root.append(panel(`Findings (${r.findings.length})`, r.findings.length ? findings : el('p', { className: 'empty', text: 'Nothing to report: every rule fired and every threshold can be met.' })));
  if (r.skills.length) root.append(panel('Skills given', table(['Skill', 'Tolokers', 'Mean'], r.skills.map((s) => [s.skillId, count(s.tolokers), s.mean.toFixed(2)]), 'skills')));

  barChart(rulesChart, ruleNames, [{ label: 'Fired', colour: theme('--vscode-charts-blue', '#3794ff'), values: rules.map((x) => x.fired) }], `Rules fired: ${rules.map((x, i) => `${ruleNames[i] ?? ''} ${x.fired}`).join(', ')}`, 'times fired');
  barChart(
    bansChart,
    arch.map((x) => x.archetype),
    [
      // Drawn first, from 0 to banned + failed: above each ban bar, the part the training kept out.
      ...(trained ? [{ label: 'Failed the training (above the bans)', colour: theme('--vscode-charts-yellow', '#cca700'), values: arch.map((x) => x.banned + (x.failedTraining ?? 0)) }] : []),
      { label: 'Caught (spammers, careless)', colour: theme('--vscode-charts-green', '#89d185'), values: arch.map((x) => (wanted(x) ? null : x.banned)) },
      { label: 'Wrongly banned (careful)', colour: theme('--vscode-charts-red', '#f14c4c'), values: arch.map((x) => (wanted(x) ? x.banned : null)) },
    ],
    `Bans per archetype: ${arch.map((x) => `${x.archetype} ${x.banned} of ${x.tolokers}${trained ? `, ${x.failedTraining ?? 0} failed the training` : ''}`).join(', ')}`,
    trained ? 'Tolokers kept out' : 'Tolokers banned',
  );
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const m = ToWebview.safeParse(event.data);
  if (!m.success) return;
  if (m.data.type === 'error') error = m.data.message;
  else {
    error = undefined;
    report = m.data.report;
    name = m.data.file;
    vscode.setState({ file, name, report });
  }
  render();
});

redrawOnThemeChange(render);

// Shown at once from the last state, then read from the file again.
const saved = (vscode.getState() ?? {}) as { name?: unknown; report?: unknown };
const savedReport = ReportData.safeParse(saved.report);
if (savedReport.success) {
  report = savedReport.data;
  name = typeof saved.name === 'string' ? saved.name : '';
}
vscode.setState({ file, ...(report ? { name, report } : {}) });
render();
vscode.postMessage({ type: 'ready' });
