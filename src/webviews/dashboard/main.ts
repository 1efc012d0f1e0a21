/**
 * The pool dashboard, in the webview: renders what the extension sends (a summary from
 * Toloka's analytics first, then the details computed from assignments), in the editor's theme
 * colours, and sends back what the user asks for. Keeps its pool over a reload.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { DashboardDetails, DashboardState, DashboardSummary, ToWebview, type FromWebview, type Profile } from './protocol';
import { card, el, redrawOnThemeChange, theme } from '../shared/dom';

interface VsCodeApi {
  postMessage(message: FromWebview): void;
  getState(): unknown;
  setState(state: DashboardState & { summary?: DashboardSummary; details?: DashboardDetails }): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const root = document.getElementById('dashboard') as HTMLElement;
const initial = DashboardState.safeParse(vscode.getState());
let poolId = initial.success ? initial.data.poolId : (root.dataset['poolId'] ?? '');
let summary: DashboardSummary | undefined;
let details: DashboardDetails | undefined;
let profiles: Record<string, Profile> = {};
let sortKey: 'assignments' | 'goldenAccuracy' | 'majorityAgreement' | 'medianSeconds' = 'assignments';
let chart: uPlot | undefined;

function button(label: string, message: FromWebview, className = ''): HTMLButtonElement {
  const b = el('button', { className, text: label });
  b.type = 'button';
  b.addEventListener('click', () => vscode.postMessage(message));
  return b;
}

const pct = (v: number | undefined): string => (v === undefined ? '–' : `${(v * 100).toFixed(1)}%`);
const money = (v: number | undefined): string => (v === undefined ? '–' : v !== 0 && Math.abs(v) < 0.01 ? `$${v.toFixed(4)}` : `$${v.toFixed(2)}`);
const count = (v: number | undefined): string => (v === undefined ? '–' : v.toLocaleString('en-US'));
const seconds = (v: number | undefined): string => (v === undefined ? '–' : v < 90 ? `${Math.round(v)} s` : `${(v / 60).toFixed(1)} min`);
const hours = (v: number | undefined): string => (v === undefined ? 'no submissions in the last hour' : v === 0 ? 'done' : v < 1 ? `${Math.round(v * 60)} min` : v < 48 ? `${v.toFixed(1)} h` : `${(v / 24).toFixed(1)} days`);

function renderChart(host: HTMLElement, perHour: ReadonlyArray<readonly [number, number]>): void {
  chart?.destroy();
  chart = undefined;
  if (perHour.length === 0) {
    host.append(el('p', { className: 'empty', text: 'No submissions yet.' }));
    return;
  }
  // uPlot widens the range of a lone point to 86,400 of its units (years, in seconds): an empty hour
  // either side keeps a pool's first hour to a day's scale.
  const hours = perHour.length === 1 && perHour[0] ? [[perHour[0][0] - 3_600_000, 0] as const, perHour[0], [perHour[0][0] + 3_600_000, 0] as const] : perHour;
  const xs = hours.map(([t]) => t / 1000);
  const ys = hours.map(([, n]) => n);
  const stroke = theme('--vscode-charts-blue', '#3794ff');
  const grid = theme('--vscode-editorWidget-border', '#8884');
  const text = theme('--vscode-foreground', '#ccc');
  const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } };
  const bars = uPlot.paths.bars?.({ size: [0.8, 40] });
  chart = new uPlot(
    {
      width: Math.max(320, Math.min(900, host.clientWidth || 600)),
      height: 200,
      legend: { show: false },
      cursor: { show: true },
      // Half an hour either side, so the first and last bars are whole.
      scales: { x: { time: true, range: (_u, min, max) => [min - 1800, max + 1800] } },
      axes: [axis, { ...axis, label: 'per hour' }],
      series: [{}, { label: 'Submitted', stroke, fill: `${stroke}33`, width: 2, ...(bars ? { paths: bars } : {}) }],
    },
    [xs, ys],
    host,
  );
  chart.root.setAttribute('role', 'img');
  chart.root.setAttribute('aria-label', `Submissions per hour, the last at ${ys[ys.length - 1] ?? 0}`);
}

function renderFields(d: DashboardDetails): HTMLElement {
  const box = el('section', { className: 'panel' }, el('h2', { text: 'Answers' }));
  if (d.fields.length === 0) box.append(el('p', { className: 'empty', text: 'No output field with a fixed set of values.' }));
  for (const f of d.fields) {
    const total = f.counts.reduce((n, [, c]) => n + c, 0);
    const list = el('dl', { className: 'bars' });
    for (const [value, c] of f.counts.slice(0, 12)) {
      const bar = el('span', { className: 'bar' });
      bar.style.width = `${total ? (100 * c) / total : 0}%`;
      list.append(el('dt', { text: value.replace(/^"|"$/g, '') }), el('dd', {}, bar, el('span', { className: 'bar-label', text: `${count(c)} · ${pct(total ? c / total : 0)}` })));
    }
    box.append(el('h3', { text: f.field }), list);
  }
  return box;
}

/** A Toloker's values of the pool's skills, "name 80 · other –". */
function skillsCell(s: DashboardSummary, workerId: string): HTMLElement {
  const mine = s.skillValues[workerId] ?? {};
  const text = s.skills.map((k) => `${k.name} ${mine[k.id] === undefined ? '–' : String(Math.round((mine[k.id] ?? 0) * 100) / 100)}`).join(' · ');
  return el('td', { className: 'skills', text });
}

function renderTolokers(d: DashboardDetails, s: DashboardSummary | undefined): HTMLElement {
  const banned = new Set(s?.banned ?? []);
  const fast = s?.fastSeconds;
  const box = el('section', { className: 'panel wide' }, el('h2', { text: `Tolokers (${count(d.tolokers.length)})` }));
  const table = el('table', { className: 'tolokers' });
  const head = el('tr');
  const columns: Array<[string, typeof sortKey | undefined]> = [['Toloker', undefined], ['Suites', 'assignments'], ['Control tasks right', 'goldenAccuracy'], ['Agrees with majority', 'majorityAgreement'], ['Median time', 'medianSeconds'], ...(s?.skills.length ? [['Skills', undefined] as [string, undefined]] : []), ['', undefined]];
  for (const [label, key] of columns) {
    const th = el('th', {});
    th.scope = 'col';
    if (key) {
      const b = el('button', { className: 'sort', text: `${label}${sortKey === key ? ' ▾' : ''}` });
      b.type = 'button';
      b.addEventListener('click', () => {
        sortKey = key;
        render();
      });
      th.append(b);
    } else th.textContent = label;
    head.append(th);
  }
  table.append(el('thead', {}, head));
  const rows = [...d.tolokers].sort((a, b) => (b[sortKey] ?? -1) - (a[sortKey] ?? -1));
  const body = el('tbody');
  for (const t of rows.slice(0, 500)) {
    const isFast = fast !== undefined && t.medianSeconds !== undefined && t.medianSeconds < fast;
    const isBanned = banned.has(t.workerId);
    const tr = el('tr', { className: `${isFast ? 'fast' : ''} ${isBanned ? 'banned' : ''}`.trim() });
    tr.dataset['worker'] = t.workerId;
    const who = el('td', { className: 'who', title: t.workerId, text: t.workerId.length > 14 ? `${t.workerId.slice(0, 12)}…` : t.workerId });
    if (isFast) who.append(el('span', { className: 'badge warn', text: 'fast', title: `median under ${seconds(fast)}` }));
    if (isBanned) who.append(el('span', { className: 'badge', text: 'banned' }));
    const profile = profiles[t.workerId];
    const where = [profile?.country, profile?.languages?.join(', ')].filter(Boolean).join(' · ');
    if (where) who.append(el('span', { className: 'profile', text: where }));
    tr.append(
      who,
      el('td', { className: 'num', text: count(t.assignments) }),
      el('td', { className: 'num', text: t.goldenAnswers ? `${pct(t.goldenAccuracy)} of ${count(t.goldenAnswers)}` : '–' }),
      el('td', { className: 'num', text: pct(t.majorityAgreement) }),
      el('td', { className: 'num', text: seconds(t.medianSeconds) }),
      ...(s?.skills.length ? [skillsCell(s, t.workerId)] : []),
      el('td', { className: 'actions' }, button('Bonus', { type: 'bonus', workerId: t.workerId }), isBanned ? button('Unban', { type: 'unban', workerId: t.workerId }) : button('Ban', { type: 'ban', workerId: t.workerId }, 'danger')),
    );
    body.append(tr);
  }
  table.append(body);
  box.append(table);
  if (rows.length > 500) box.append(el('p', { className: 'note', text: `The first 500 of ${count(rows.length)} by the chosen column.` }));
  return box;
}

function render(): void {
  root.replaceChildren();
  const s = summary;
  if (!s) {
    root.append(el('p', { className: 'empty', text: 'Loading…' }));
    return;
  }
  const m = s.metrics;
  const header = el('header', {}, el('h1', { text: s.name }), el('span', { className: `status status-${s.status.toLowerCase()}`, text: `${s.status.toLowerCase()}${s.closeReason ? ` (${s.closeReason.toLowerCase().replace(/_/g, ' ')})` : ''}` }));
  const actions = el('div', { className: 'toolbar' });
  if (s.status === 'OPEN') actions.append(button('Close Pool', { type: 'close' }));
  if (s.status === 'CLOSED') actions.append(button('Open Pool', { type: 'open' }));
  actions.append(button('Refresh', { type: 'refresh' }));
  actions.append(el('span', { className: 'note', text: `${s.live ? `Live, every ${s.refreshSeconds} s` : 'Not refreshing: the pool is not open'} · ${s.projectName} · pool ${s.poolId} · ${new Date(s.refreshedAt).toLocaleTimeString()}` }));
  root.append(header, actions);
  const total = m['real_tasks_count'];
  const cards = el(
    'div',
    { className: 'cards' },
    card('Progress', `${(m['completion_percentage'] ?? 0).toFixed(1)}%`, `${count(total)} tasks · ${count(m['estimated_assignments_count'])} suites to go`, 'progress'),
    card('Assignments', count((m['approved_assignments_count'] ?? 0) + (m['submitted_assignments_count'] ?? 0)), `${count(m['approved_assignments_count'])} accepted · ${count(m['submitted_assignments_count'])} to review · ${count(m['rejected_assignments_count'])} rejected · ${count(m['skipped_assignments_count'])} skipped`, 'assignments'),
    card('Spent', money(s.spent), `with Toloka's fee · ${money(s.reward)} a suite`, 'spent'),
    card('Estimated total', money(s.estimatedTotal), `${money(s.remaining)} still to spend`, 'total'),
    card('Done in', hours(s.etaHours), `${count(s.perHour)} suites in the last hour`, 'eta'),
    card('Balance', money(s.balance), 'the requester account', 'balance'),
    card('Tolokers', count(m['unique_submitters_count']), `${count(m['unique_workers_count'])} took suites · ${seconds((m['avg_submit_assignment_millis'] ?? 0) / 1000)} a suite on average`, 'tolokers'),
  );
  root.append(cards);
  const progress = el('div', { className: 'progress', title: 'completion' });
  const fill = el('span');
  fill.style.width = `${Math.min(100, m['completion_percentage'] ?? 0)}%`;
  progress.append(fill);
  progress.setAttribute('role', 'progressbar');
  progress.setAttribute('aria-valuenow', String(m['completion_percentage'] ?? 0));
  root.append(progress);
  const d = details;
  if (!d) {
    root.append(el('p', { className: 'empty', text: 'Reading the assignments…' }));
    return;
  }
  const chartBox = el('section', { className: 'panel wide' }, el('h2', { text: 'Submissions per hour' }));
  const chartHost = el('div', { className: 'chart' });
  chartBox.append(chartHost);
  const quality = el(
    'section',
    { className: 'panel' },
    el('h2', { text: 'Agreement' }),
    el('div', { className: 'value', text: pct(d.agreement) }),
    el('div', { className: 'note', text: `the majority answer's share per task${d.mainField ? ` (${d.mainField})` : ''}, over tasks with two or more answers` }),
    el('div', { className: 'value small', text: seconds(d.medianSeconds) }),
    el('div', { className: 'note', text: 'median time per task suite' }),
  );
  root.append(chartBox, el('div', { className: 'row' }, renderFields(d), quality), renderTolokers(d, s));
  if (d.partial) root.append(el('p', { className: 'note', text: `Still reading assignments: ${count(d.assignments)} so far.` }));
  renderChart(chartHost, d.perHour);
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const m = ToWebview.safeParse(event.data);
  if (!m.success) return;
  const msg = m.data;
  if (msg.type === 'summary') {
    summary = msg.summary;
    poolId = msg.summary.poolId;
  } else if (msg.type === 'details') details = msg.details;
  else if (msg.type === 'profiles') profiles = { ...profiles, ...msg.profiles };
  else if (msg.type === 'error') {
    root.prepend(el('div', { className: 'error', text: msg.message }));
    return;
  } else {
    document.body.classList.toggle('busy', msg.busy);
    return;
  }
  vscode.setState({ poolId, ...(summary ? { summary } : {}), ...(details ? { details } : {}) });
  render();
});

redrawOnThemeChange(render);

// Shown at once from the last state, then refreshed.
const saved = (vscode.getState() ?? {}) as { summary?: unknown; details?: unknown };
const savedSummary = DashboardSummary.safeParse(saved.summary);
const savedDetails = DashboardDetails.safeParse(saved.details);
if (savedSummary.success && savedSummary.data.poolId === poolId) summary = savedSummary.data;
if (savedDetails.success && summary) details = savedDetails.data;
render();
vscode.postMessage({ type: 'ready' });
