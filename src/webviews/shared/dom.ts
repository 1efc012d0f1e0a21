/** What the webviews' pages build their DOM with: elements, the theme's colours, a redraw when the theme changes. */

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: { className?: string; text?: string; title?: string } = {}, ...children: Array<Node | string>): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (props.className) e.className = props.className;
  if (props.text !== undefined) e.textContent = props.text;
  if (props.title) e.title = props.title;
  for (const c of children) e.append(c);
  return e;
}

/** A figure: a title, a large value and a note; `id` names it for tests (`data-figure`). */
export function card(title: string, value: string, note = '', id = ''): HTMLElement {
  const c = el('section', { className: 'card' }, el('h2', { text: title }), el('div', { className: 'value', text: value }), el('div', { className: 'note', text: note }));
  if (id) c.dataset['figure'] = id;
  return c;
}

/** A theme colour (`--vscode-charts-blue`), for what CSS does not paint (a chart's canvas). */
export function theme(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

/**
 * Calls `render` when the theme changes (its colours are read from the theme's variables again).
 * The body's other classes (busy) change often and need no redraw.
 */
export function redrawOnThemeChange(render: () => void): void {
  const themeOf = () => [...document.body.classList].filter((c) => c.startsWith('vscode-')).sort().join(' ');
  let shown = themeOf();
  new MutationObserver(() => {
    if (themeOf() === shown) return;
    shown = themeOf();
    render();
  }).observe(document.body, { attributes: true, attributeFilter: ['class'] });
}
