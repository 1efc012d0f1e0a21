/**
 * The task preview, in the webview: renders a Template Builder config with a task's input as a
 * Toloker sees it, lets the fields be filled, and on Submit shows the output and the messages
 * the config's conditions decide. Plain DOM, the editor's theme colours, every control a native
 * one (keyboard reachable). A component not rendered yet shows a labelled placeholder.
 */
import { activity, chosenBranch, condition, getPath, hotkeysOf, isObj, readData, resolve, runAction, validateTask, writeData, type FieldMessage, type Obj, type TaskData } from '../../tb/evaluate';
import { PreviewState, ToWebview, type FromWebview } from './protocol';

interface VsCodeApi {
  postMessage(message: FromWebview): void;
  getState(): unknown;
  setState(state: PreviewState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const root = document.getElementById('preview') as HTMLElement;
const saved = PreviewState.safeParse(vscode.getState());

let file = saved.success ? saved.data.file : (root.dataset['file'] ?? '');
let config: unknown;
let inputSource = '';
let problems: string[] = [];
let data: TaskData = { input: {}, output: saved.success ? (saved.data.output ?? {}) : {}, internal: saved.success ? (saved.data.internal ?? {}) : {}, vars: {} };
let messages: FieldMessage[] = [];
let submitted: Obj | undefined;
let placeholders = new Set<string>();
const viewState = new Map<string, boolean>();
const triggerSeen = new Map<string, string>();

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: Array<Node | string>): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v);
  }
  e.append(...children);
  return e;
}

const text = (v: unknown): string => (v === undefined || v === null ? '' : typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v));
const r = (c: Obj, key: string, local: TaskData = data): unknown => resolve(c[key], local, c['data']);

function save(): void {
  vscode.setState({ file, output: data.output, internal: data.internal });
}

/** After a change of data: triggers fire, the view is drawn again with the focus where it was. */
function changed(): void {
  runTriggers();
  save();
  draw();
}

function runTriggers(): void {
  const plugins = isObj(config) && Array.isArray(config['plugins']) ? config['plugins'] : [];
  plugins.forEach((p, i) => {
    if (!isObj(p) || p['type'] !== 'plugin.trigger') return;
    const now = JSON.stringify(resolve(p['onChangeOf'], data) ?? null);
    const key = String(i);
    const before = triggerSeen.get(key);
    triggerSeen.set(key, now);
    if ((before === undefined && p['fireImmediately'] !== true) || before === now) return;
    if ('condition' in p && !condition(p['condition'], data).ok) return;
    runAction(p['action'], data, effects);
  });
}

const effects = {
  notify(message: string, theme: string): void {
    const note = document.getElementById('notice');
    if (note) {
      note.textContent = message;
      note.className = `notice theme-${theme}`;
    }
  },
  open(url: string): void {
    const note = document.getElementById('notice');
    if (note) {
      note.textContent = `Opens ${url} in a new tab (not in the preview).`;
      note.className = 'notice theme-info';
    }
  },
};

function wrap(c: Obj, at: string, body: HTMLElement): HTMLElement {
  const label = text(r(c, 'label'));
  const hint = text(r(c, 'hint'));
  const box = el('div', { class: `tb tb-${text(c['type']).replace(/[^a-z0-9-]/gi, '-')}`, 'data-at': at });
  if (label) box.append(el('div', { class: 'tb-label', id: `${at}-label`, text: label }));
  box.append(body);
  if (hint) box.append(el('div', { class: 'tb-hint', text: hint }));
  const failing = messages.find((m) => m.at === at);
  if (failing) box.append(el('div', { class: 'tb-error', role: 'alert', text: failing.hint }));
  return box;
}

function setValue(c: Obj, value: unknown, redraw = true): void {
  writeData(c['data'], data, value);
  if (submitted) messages = validateTask(config, data);
  if (redraw) changed();
  else save();
}

function choice(c: Obj, at: string, kind: 'radio' | 'button'): HTMLElement {
  const current = readData(c['data'], data);
  const options = r(c, 'options');
  const group = el('div', { class: kind === 'button' ? 'tb-buttons' : 'tb-options', role: 'radiogroup' });
  if (text(r(c, 'label'))) group.setAttribute('aria-labelledby', `${at}-label`);
  (Array.isArray(options) ? options : []).forEach((o, i) => {
    if (!isObj(o)) return;
    const value = resolve(o['value'], data);
    const checked = JSON.stringify(current) === JSON.stringify(value);
    const id = `${at}-${i}`;
    const input = el('input', { type: 'radio', name: at, id, 'data-at': id });
    input.checked = checked;
    if (r(c, 'disabled') === true) input.disabled = true;
    input.addEventListener('change', () => setValue(c, value));
    const label = el('label', { for: id, class: checked ? 'checked' : '' }, input, text(resolve(o['label'], data)));
    group.append(label);
  });
  return wrap(c, at, group);
}

function textInput(c: Obj, at: string, type: string, multiline = false): HTMLElement {
  const current = readData(c['data'], data);
  const input = multiline ? el('textarea', { rows: text(r(c, 'rows') ?? 3) }) : el('input', { type });
  input.id = `${at}-input`;
  input.setAttribute('data-at', `${at}-input`);
  input.value = text(current);
  const placeholder = text(r(c, 'placeholder'));
  if (placeholder) input.placeholder = placeholder;
  if (text(r(c, 'label'))) input.setAttribute('aria-labelledby', `${at}-label`);
  if (r(c, 'disabled') === true) input.disabled = true;
  input.addEventListener('input', () => setValue(c, input.value === '' ? undefined : type === 'number' ? Number(input.value) : input.value, false));
  input.addEventListener('change', () => changed());
  return wrap(c, at, input);
}

function checkbox(c: Obj, at: string): HTMLElement {
  const input = el('input', { type: 'checkbox', id: `${at}-input`, 'data-at': `${at}-input` });
  input.checked = readData(c['data'], data) === true;
  input.addEventListener('change', () => setValue(c, input.checked));
  const label = text(r(c, 'label'));
  const box = el('div', { class: 'tb tb-field-checkbox', 'data-at': at }, el('label', { for: input.id }, input, label));
  const failing = messages.find((m) => m.at === at);
  if (failing) box.append(el('div', { class: 'tb-error', role: 'alert', text: failing.hint }));
  return box;
}

function checkboxGroup(c: Obj, at: string): HTMLElement {
  const current = readData(c['data'], data);
  const values: Obj = isObj(current) ? { ...current } : {};
  const group = el('div', { class: 'tb-options', role: 'group' });
  const options = r(c, 'options');
  (Array.isArray(options) ? options : []).forEach((o, i) => {
    if (!isObj(o)) return;
    const key = text(resolve(o['value'], data));
    const input = el('input', { type: 'checkbox', id: `${at}-${i}`, 'data-at': `${at}-${i}` });
    input.checked = values[key] === true;
    input.addEventListener('change', () => setValue(c, { ...values, [key]: input.checked }));
    group.append(el('label', { for: input.id }, input, text(resolve(o['label'], data))));
  });
  return wrap(c, at, group);
}

function select(c: Obj, at: string): HTMLElement {
  const current = JSON.stringify(readData(c['data'], data));
  const s = el('select', { id: `${at}-input`, 'data-at': `${at}-input` });
  s.append(el('option', { value: '', text: text(r(c, 'placeholder')) || '—' }));
  const options = r(c, 'options');
  const list = (Array.isArray(options) ? options : []).filter(isObj);
  list.forEach((o, i) => {
    const opt = el('option', { value: String(i), text: text(resolve(o['label'], data)) });
    if (JSON.stringify(resolve(o['value'], data)) === current) opt.selected = true;
    s.append(opt);
  });
  s.addEventListener('change', () => setValue(c, s.value === '' ? undefined : resolve(list[Number(s.value)]?.['value'], data)));
  return wrap(c, at, s);
}

type Shape = { shape: 'rectangle'; left: number; top: number; width: number; height: number; label?: string } | { shape: 'point'; left: number; top: number; label?: string } | { shape: 'polygon'; points: Array<{ left: number; top: number }>; label?: string };

/** Points, rectangles and polygons over an image, in shares of its width and height. */
function imageAnnotation(c: Obj, at: string): HTMLElement {
  const current = readData(c['data'], data);
  const shapes: Shape[] = Array.isArray(current) ? (current as Shape[]) : [];
  // All three modes by default; with `shapes`, only those set to true.
  const allowed = isObj(c['shapes']) ? c['shapes'] : { point: true, rectangle: true, polygon: true };
  const modes = (['rectangle', 'polygon', 'point'] as const).filter((m) => allowed[m] === true);
  const labels = (Array.isArray(c['labels']) ? c['labels'] : []).filter(isObj);
  const modeKey = `${at}:mode`;
  const mode = [...modes].find((m) => viewState.get(`${modeKey}:${m}`)) ?? modes[0] ?? 'rectangle';
  const labelKey = `${at}:label`;
  const activeLabel = labels.map((l) => text(l['value'])).find((v) => viewState.get(`${labelKey}:${v}`)) ?? (labels[0] ? text(labels[0]['value']) : undefined);
  const toolbar = el('div', { class: 'tb-toolbar', role: 'toolbar', 'aria-label': 'Annotation tools' });
  for (const m of modes) {
    const b = el('button', { type: 'button', 'aria-pressed': String(m === mode), 'data-at': `${at}-mode-${m}`, text: m });
    b.addEventListener('click', () => {
      for (const x of modes) viewState.set(`${modeKey}:${x}`, x === m);
      draw();
    });
    toolbar.append(b);
  }
  for (const l of labels) {
    const v = text(l['value']);
    const b = el('button', { type: 'button', class: 'secondary', 'aria-pressed': String(v === activeLabel), 'data-at': `${at}-label-${v}`, text: text(resolve(l['label'], data)) });
    b.addEventListener('click', () => {
      for (const x of labels) viewState.set(`${labelKey}:${text(x['value'])}`, text(x['value']) === v);
      draw();
    });
    toolbar.append(b);
  }
  const undo = el('button', { type: 'button', class: 'secondary', 'data-at': `${at}-undo`, text: 'Remove last' });
  undo.addEventListener('click', () => setValue(c, shapes.length > 1 ? shapes.slice(0, -1) : undefined));
  toolbar.append(undo);
  const stage = el('div', { class: 'tb-stage', tabindex: '0', 'aria-label': `Image to annotate: ${mode} mode, ${shapes.length} areas`, 'data-at': `${at}-stage` });
  const src = text(r(c, 'image'));
  const img = el('img', { src, alt: src, draggable: 'false' });
  const svgNs = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(svgNs, 'svg');
  svg.setAttribute('viewBox', '0 0 1 1');
  svg.setAttribute('preserveAspectRatio', 'none');
  const shapeEl = (s: Shape): SVGElement => {
    if (s.shape === 'rectangle') {
      const e = document.createElementNS(svgNs, 'rect');
      e.setAttribute('x', String(s.left));
      e.setAttribute('y', String(s.top));
      e.setAttribute('width', String(s.width));
      e.setAttribute('height', String(s.height));
      return e;
    }
    if (s.shape === 'polygon') {
      const e = document.createElementNS(svgNs, 'polygon');
      e.setAttribute('points', s.points.map((p) => `${p.left},${p.top}`).join(' '));
      return e;
    }
    const e = document.createElementNS(svgNs, 'circle');
    e.setAttribute('cx', String(s.left));
    e.setAttribute('cy', String(s.top));
    e.setAttribute('r', '0.008');
    return e;
  };
  for (const s of shapes) svg.append(shapeEl(s));
  stage.append(img, svg);
  const at01 = (ev: MouseEvent) => {
    const box = stage.getBoundingClientRect();
    const clamp = (n: number) => Math.min(1, Math.max(0, Math.round(n * 10000) / 10000));
    return { left: clamp((ev.clientX - box.left) / box.width), top: clamp((ev.clientY - box.top) / box.height) };
  };
  const withLabel = <T extends Shape>(s: T): T => (activeLabel !== undefined ? { ...s, label: activeLabel } : s);
  if (r(c, 'disabled') !== true) {
    let start: { left: number; top: number } | undefined;
    let polygon: Array<{ left: number; top: number }> = [];
    stage.addEventListener('mousedown', (ev) => {
      if (mode === 'rectangle') start = at01(ev);
    });
    stage.addEventListener('mouseup', (ev) => {
      const p = at01(ev);
      if (mode === 'rectangle' && start) {
        const s = start;
        start = undefined;
        const width = Math.abs(p.left - s.left);
        const height = Math.abs(p.top - s.top);
        if (width > 0.005 && height > 0.005) setValue(c, [...shapes, withLabel({ shape: 'rectangle' as const, left: Math.min(s.left, p.left), top: Math.min(s.top, p.top), width, height })]);
      } else if (mode === 'point') setValue(c, [...shapes, withLabel({ shape: 'point' as const, ...p })]);
      else if (mode === 'polygon') {
        polygon = [...polygon, p];
        svg.append(shapeEl({ shape: 'point', ...p }));
      }
    });
    const closePolygon = () => {
      if (polygon.length >= 3) setValue(c, [...shapes, withLabel({ shape: 'polygon' as const, points: polygon })]);
      polygon = [];
    };
    stage.addEventListener('dblclick', closePolygon);
    stage.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter') closePolygon();
    });
  }
  return wrap(c, at, el('div', {}, toolbar, stage, el('div', { class: 'tb-note', text: mode === 'polygon' ? 'Click the corners; double-click or Enter closes the polygon.' : mode === 'rectangle' ? 'Drag to draw a rectangle.' : 'Click to place a point.' })));
}

/** Parts of a text selected and given a category: `{start, end, content, label}` each. */
function textAnnotation(c: Obj, at: string): HTMLElement {
  const content = text(r(c, 'content'));
  const current = readData(c['data'], data);
  const marks = (Array.isArray(current) ? current : []).filter(isObj).map((m) => ({ start: Number(m['start']), end: Number(m['end']), label: text(m['label']) })).sort((a, b) => a.start - b.start);
  const body = el('div', { class: 'tb-annotated', 'data-at': `${at}-text` });
  let pos = 0;
  for (const m of marks) {
    if (m.start < pos) continue;
    body.append(content.slice(pos, m.start), el('mark', { title: m.label, text: content.slice(m.start, m.end) }));
    pos = m.end;
  }
  body.append(content.slice(pos));
  const offsetIn = (node: Node, offset: number): number => {
    let total = 0;
    const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n === node) return total + offset;
      total += n.textContent?.length ?? 0;
    }
    return total;
  };
  const labels = (Array.isArray(c['labels']) ? c['labels'] : []).filter(isObj);
  const toolbar = el('div', { class: 'tb-toolbar', role: 'toolbar', 'aria-label': 'Categories' });
  for (const l of labels) {
    const b = el('button', { type: 'button', 'data-at': `${at}-label-${text(l['value'])}`, text: text(resolve(l['label'], data)) });
    b.addEventListener('mousedown', (ev) => ev.preventDefault()); // keep the selection
    b.addEventListener('click', () => {
      const sel = window.getSelection();
      if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return;
      const range = sel.getRangeAt(0);
      if (!body.contains(range.startContainer) || !body.contains(range.endContainer)) return;
      const start = offsetIn(range.startContainer, range.startOffset);
      const end = offsetIn(range.endContainer, range.endOffset);
      setValue(c, [...marks.map((m) => ({ ...m, content: content.slice(m.start, m.end) })), { start, end, content: content.slice(start, end), label: text(l['value']) }]);
    });
    toolbar.append(b);
  }
  return wrap(c, at, el('div', {}, body, toolbar, el('div', { class: 'tb-note', text: 'Select a part of the text, then a category.' })));
}

function children(list: unknown, at: string, local: TaskData = data): HTMLElement[] {
  const items = resolve(list, local);
  return (Array.isArray(items) ? items : []).map((item, i) => component(item, `${at}.${i}`, local));
}

function media(c: Obj, at: string, tag: 'audio' | 'video'): HTMLElement {
  const url = text(r(c, 'url'));
  const m = el(tag, { src: url, controls: '', preload: 'none', 'data-at': `${at}-media` });
  m.addEventListener('play', () => activity.played.add(url));
  m.addEventListener('ended', () => activity.playedFully.add(url));
  return wrap(c, at, m);
}

/** One component as a DOM element; `at` is its path in the config. */
function component(node: unknown, at: string, local: TaskData = data): HTMLElement {
  if (typeof node === 'string' || typeof node === 'number') return el('span', { text: String(node) });
  if (!isObj(node)) return el('span');
  if (typeof node['$ref'] === 'string') return component(getPath({ vars: data.vars }, node['$ref']), at, local);
  const c = node;
  const type = text(c['type']);
  const branch = chosenBranch(c, local);
  if (branch) return component(branch.node, `${at}.${branch.key}`, local);
  if (type === 'helper.if' || type === 'helper.switch') return el('span');
  if (type.startsWith('helper.') || type.startsWith('data.')) return el('span', { text: text(resolve(c, local)) });
  switch (type) {
    case 'view.text':
      return wrap(c, at, el('div', { class: 'tb-text', text: text(r(c, 'content', local)) }));
    case 'view.markdown':
      return wrap(c, at, el('div', { class: 'tb-text tb-markdown', text: text(r(c, 'content', local)) }));
    case 'view.image': {
      const src = text(r(c, 'url', local));
      return wrap(c, at, el('img', { src, alt: text(r(c, 'label', local)) || src, class: 'tb-image' }));
    }
    case 'view.list':
      return wrap(c, at, el('div', { class: `tb-list ${r(c, 'direction', local) === 'horizontal' ? 'horizontal' : ''}` }, ...children(c['items'], `${at}.items`, local)));
    case 'view.labeled-list': {
      const items = resolve(c['items'], local);
      const dl = el('dl', { class: 'tb-labeled' });
      (Array.isArray(items) ? items : []).forEach((it, i) => {
        if (isObj(it)) dl.append(el('dt', { text: text(resolve(it['label'], local)) }), el('dd', {}, component(it['content'], `${at}.items.${i}.content`, local)));
      });
      return wrap(c, at, dl);
    }
    case 'view.group':
      return wrap(c, at, el('div', { class: 'tb-group' }, component(c['content'], `${at}.content`, local)));
    case 'view.alert':
      return wrap(c, at, el('div', { class: `tb-alert theme-${text(r(c, 'theme', local)) || 'info'}`, role: 'note' }, component(c['content'], `${at}.content`, local)));
    case 'view.divider':
      return wrap(c, at, el('hr'));
    case 'view.link': {
      const url = text(r(c, 'url', local));
      const a = el('a', { href: url, text: text(r(c, 'content', local)) || url });
      a.addEventListener('click', (ev) => {
        ev.preventDefault();
        activity.opened.add(url);
        effects.open(url);
        changed();
      });
      return wrap(c, at, a);
    }
    case 'view.collapse': {
      const key = `${at}:open`;
      const open = viewState.get(key) ?? r(c, 'defaultOpened', local) === true;
      const b = el('button', { type: 'button', class: 'secondary', 'aria-expanded': String(open), 'data-at': `${at}-toggle`, text: `${open ? '▾' : '▸'} ${text(r(c, 'label', local))}` });
      b.addEventListener('click', () => {
        viewState.set(key, !open);
        draw();
      });
      return el('div', { class: 'tb tb-view-collapse', 'data-at': at }, b, ...(open ? [component(c['content'], `${at}.content`, local)] : []));
    }
    case 'view.action-button': {
      const b = el('button', { type: 'button', 'data-at': `${at}-button`, text: text(r(c, 'label', local)) || 'Action' });
      b.addEventListener('click', () => {
        runAction(c['action'], data, effects);
        changed();
      });
      return el('div', { class: 'tb tb-view-action-button', 'data-at': at }, b);
    }
    case 'view.audio':
      return media(c, at, 'audio');
    case 'view.video':
      return media(c, at, 'video');
    case 'layout.columns':
    case 'layout.side-by-side':
    case 'layout.compare': {
      const row = el('div', { class: 'tb-columns' }, ...children(c['items'], `${at}.items`, local).map((e) => el('div', { class: 'tb-column' }, e)));
      const controls = 'controls' in c ? [component(c['controls'], `${at}.controls`, local)] : 'commonControls' in c ? [component(c['commonControls'], `${at}.commonControls`, local)] : [];
      return wrap(c, at, el('div', {}, row, ...controls));
    }
    case 'layout.sidebar':
      return wrap(c, at, el('div', { class: 'tb-columns tb-sidebar' }, el('div', { class: 'tb-column' }, component(c['content'], `${at}.content`, local)), el('div', { class: 'tb-side' }, component(c['controls'], `${at}.controls`, local))));
    case 'layout.bars':
      return wrap(c, at, el('div', {}, ...(c['barBefore'] ? [component(c['barBefore'], `${at}.barBefore`, local)] : []), component(c['content'], `${at}.content`, local), ...(c['barAfter'] ? [component(c['barAfter'], `${at}.barAfter`, local)] : [])));
    case 'field.radio-group':
      return choice(c, at, 'radio');
    case 'field.button-radio-group':
      return choice(c, at, 'button');
    case 'field.button-radio': {
      const value = r(c, 'valueToSet', local);
      const b = el('button', { type: 'button', 'aria-pressed': String(JSON.stringify(readData(c['data'], data)) === JSON.stringify(value)), 'data-at': `${at}-button`, text: text(r(c, 'label', local)) });
      b.addEventListener('click', () => setValue(c, value));
      return el('div', { class: 'tb', 'data-at': at }, b);
    }
    case 'field.checkbox':
      return checkbox(c, at);
    case 'field.checkbox-group':
      return checkboxGroup(c, at);
    case 'field.text':
      return textInput(c, at, 'text');
    case 'field.email':
      return textInput(c, at, 'email');
    case 'field.phone-number':
      return textInput(c, at, 'tel');
    case 'field.number':
      return textInput(c, at, 'number');
    case 'field.date':
      return textInput(c, at, r(c, 'format', local) === 'date-time' ? 'datetime-local' : 'date');
    case 'field.textarea':
      return textInput(c, at, 'text', true);
    case 'field.select':
      return select(c, at);
    case 'field.image-annotation':
      return imageAnnotation(c, at);
    case 'field.text-annotation':
      return textAnnotation(c, at);
    default:
      placeholders.add(type || '(no type)');
      return el('div', { class: 'tb tb-placeholder', 'data-at': at, role: 'note', text: `${type || 'A component without a type'}: not shown in the preview yet` });
  }
}

function submit(): void {
  messages = validateTask(config, data);
  submitted = JSON.parse(JSON.stringify(data.output)) as Obj;
  vscode.postMessage({ type: 'submitted', output: submitted, messages });
  draw();
  document.getElementById(messages.length > 0 ? 'messages' : 'output')?.focus();
}

function draw(): void {
  const started = performance.now();
  const focused = document.activeElement instanceof HTMLElement ? document.activeElement.getAttribute('data-at') : null;
  placeholders = new Set();
  const header = el('header', {}, el('h1', { text: file.split(/[\\/]/).pop() ?? 'Task preview' }), el('span', { class: 'note', text: `Input: ${inputSource}` }));
  const change = el('button', { type: 'button', class: 'secondary', 'data-at': 'choose-input', text: 'Change Input…' });
  change.addEventListener('click', () => vscode.postMessage({ type: 'chooseInput' }));
  const reset = el('button', { type: 'button', class: 'secondary', 'data-at': 'reset', text: 'Clear Answers' });
  reset.addEventListener('click', () => {
    data = { ...data, output: {}, internal: {} };
    messages = [];
    submitted = undefined;
    changed();
  });
  header.append(change, reset);
  const parts: HTMLElement[] = [header];
  if (problems.length > 0) parts.push(el('details', { class: 'problems' }, el('summary', { text: `${problems.length} problem${problems.length === 1 ? '' : 's'} in the config (see the Problems panel)` }), el('ul', {}, ...problems.slice(0, 20).map((p) => el('li', { text: p })))));
  const task = el('section', { class: 'task', 'aria-label': 'Task' }, isObj(config) ? component(config['view'], 'view') : el('div', { class: 'tb-placeholder', text: 'The config has no view yet.' }));
  parts.push(task);
  const submitButton = el('button', { type: 'button', id: 'submit', 'data-at': 'submit', text: 'Submit' });
  submitButton.addEventListener('click', submit);
  parts.push(el('div', { class: 'toolbar' }, submitButton), el('div', { id: 'notice', class: 'notice', 'aria-live': 'polite' }));
  if (submitted) {
    const msgs = el('section', { id: 'messages', tabindex: '-1', class: messages.length > 0 ? 'messages failing' : 'messages', 'aria-live': 'polite' }, el('h2', { text: messages.length > 0 ? 'Not accepted' : 'Accepted' }));
    if (messages.length > 0) msgs.append(el('ul', {}, ...messages.map((m) => el('li', { text: m.label ? `${m.label}: ${m.hint}` : m.hint }))));
    parts.push(msgs, el('section', { id: 'output', tabindex: '-1', 'aria-label': 'Output' }, el('h2', { text: 'Output' }), el('pre', { class: 'json', text: JSON.stringify(submitted, null, 2) })));
  }
  const keys = hotkeysOf(config);
  if (keys.length > 0) parts.push(el('section', { class: 'hotkeys', 'aria-label': 'Hotkeys' }, el('h2', { text: 'Hotkeys' }), el('dl', {}, ...keys.flatMap((k) => [el('dt', {}, el('kbd', { text: k.key })), el('dd', { text: k.does })]))));
  parts.push(el('section', { class: 'input', 'aria-label': 'Input data' }, el('h2', { text: 'Input' }), el('pre', { class: 'json', text: JSON.stringify(data.input, null, 2) })));
  root.replaceChildren(...parts);
  if (focused) (root.querySelector(`[data-at="${CSS.escape(focused)}"]`) as HTMLElement | null)?.focus();
  vscode.postMessage({ type: 'rendered', ms: performance.now() - started, placeholders: [...placeholders] });
}

document.addEventListener('keydown', (ev) => {
  const t = ev.target;
  if (t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement || ev.ctrlKey || ev.metaKey || ev.altKey) return;
  const key = ev.key === 'ArrowUp' ? 'up' : ev.key === 'ArrowDown' ? 'down' : ev.key.toLowerCase();
  const plugins = isObj(config) && Array.isArray(config['plugins']) ? config['plugins'] : [];
  for (const p of plugins) {
    if (isObj(p) && p['type'] === 'plugin.hotkeys' && isObj(p[key])) {
      ev.preventDefault();
      runAction(p[key], data, effects);
      if (submitted) messages = validateTask(config, data);
      changed();
      return;
    }
  }
});

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const m = ToWebview.safeParse(event.data);
  if (!m.success) return;
  if (m.data.type === 'submit') return submit();
  const msg = m.data;
  file = msg.file;
  config = msg.config;
  inputSource = msg.inputSource;
  problems = msg.problems;
  const vars = isObj(config) && isObj(config['vars']) ? config['vars'] : {};
  data = msg.reset ? { input: msg.input, output: {}, internal: {}, vars } : { ...data, input: msg.input, vars };
  if (msg.reset) {
    messages = [];
    submitted = undefined;
    triggerSeen.clear();
  } else if (submitted) messages = validateTask(config, data);
  runTriggers();
  save();
  draw();
});

vscode.postMessage({ type: 'ready' });
