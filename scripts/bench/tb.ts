/**
 * Template Builder: checking a config of 5,000+ lines (the models, then the data paths against
 * the specs, and the JSON parse the editor does first), and the preview's refresh after a
 * keystroke: the extension's share (parse, find, check) and the webview's render, timed in
 * Chromium on the bundled preview script.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseTree } from 'jsonc-parser';
import { launchChromium } from '../../test/runners/browser';
import { repoRoot } from '../../test/runners/provision';
import { checkTbConfig } from '../../src/tb/check';
import { findConfig } from '../../src/tb/locate';
import { figure } from './report';

/** A moderation-like config: many questions, each an alert, a radio group with a required check, and a conditional comment. */
function largeConfig(questions: number): { config: unknown; specs: { input: Record<string, { type: string }>; output: Record<string, { type: string; required?: boolean }> } } {
  const items: unknown[] = [];
  const input: Record<string, { type: string }> = {};
  const output: Record<string, { type: string; required?: boolean }> = {};
  for (let i = 0; i < questions; i++) {
    input[`text${i}`] = { type: 'string' };
    output[`q${i}`] = { type: 'string' };
    output[`c${i}`] = { type: 'string', required: false };
    items.push(
      { type: 'view.alert', theme: 'info', content: { type: 'view.text', content: { type: 'data.input', path: `text${i}` } } },
      {
        type: 'field.radio-group',
        label: `Question ${i}`,
        data: { type: 'data.output', path: `q${i}` },
        options: [
          { label: 'Yes', value: 'yes' },
          { label: 'No', value: 'no' },
        ],
        validation: { type: 'condition.required', hint: 'Answer the question' },
      },
      { type: 'helper.if', condition: { type: 'condition.equals', data: { type: 'data.output', path: `q${i}` }, to: 'no' }, then: { type: 'field.textarea', label: 'Why?', data: { type: 'data.output', path: `c${i}` } } },
    );
  }
  return { config: { view: { type: 'view.list', items }, plugins: [{ type: 'plugin.toloka', layout: { kind: 'scroll', taskWidth: 600 } }] }, specs: { input, output } };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

function time(runs: number, f: () => void): number {
  f(); // warm: the models compile on first use
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    f();
    out.push(performance.now() - t);
  }
  return median(out);
}

export async function benchTb(): Promise<void> {
  const { config, specs } = largeConfig(100);
  const text = JSON.stringify(config, null, 2);
  const lines = text.split('\n').length;
  const problems = checkTbConfig(config, specs);
  if (problems.length > 0) throw new Error(`the benchmark config should be valid: ${problems[0]?.message ?? ''}`);
  figure('tb', 'config_lines', lines, 'lines');
  figure('tb', 'validate_ms', time(20, () => checkTbConfig(config, specs)), 'ms', { lines });
  figure('tb', 'parse_and_validate_ms', time(20, () => checkTbConfig(JSON.parse(text) as unknown, specs)), 'ms', { lines });

  // The preview's refresh: the extension reads the project document as typed and checks it...
  const projectFile = path.join(repoRoot, 'playground', 'animals.project.json');
  const projectText = fs.readFileSync(projectFile, 'utf8');
  const host = time(50, () => {
    parseTree(projectText, [], { allowTrailingComma: true });
    const found = findConfig(projectFile, JSON.parse(projectText) as unknown);
    checkTbConfig(found?.config, found?.specs);
  });
  figure('tb', 'preview_host_ms', host, 'ms', { file: 'playground/animals.project.json' });

  // ...and the webview draws it again.
  const script = fs.readFileSync(path.join(repoRoot, 'dist', 'webviews', 'tb-preview.js'), 'utf8');
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.setContent('<main id="preview" data-file="animals.project.json"></main>');
    await page.evaluate(() => {
      const w = window as unknown as { renders: number[]; acquireVsCodeApi: () => unknown };
      w.renders = [];
      w.acquireVsCodeApi = () => ({ postMessage: (m: { type: string; ms?: number }) => m.type === 'rendered' && w.renders.push(m.ms ?? NaN), getState: () => undefined, setState: () => undefined });
    });
    await page.addScriptTag({ content: script });
    const playground = (JSON.parse(projectText) as { task_spec: { view_spec: { config: unknown } } }).task_spec.view_spec.config;
    const render = async (cfg: unknown, n: number): Promise<number> => {
      const ms = await page.evaluate(
        async ({ cfg, n }) => {
          const w = window as unknown as { renders: number[] };
          const out: number[] = [];
          for (let i = 0; i < n; i++) {
            const before = w.renders.length;
            const t = performance.now();
            window.postMessage({ type: 'render', file: 'x.tb.json', config: cfg, input: { image: 'https://example.com/1.jpg' }, inputSource: 'bench', problems: [], reset: false }, '*');
            while (w.renders.length === before) await new Promise((r) => setTimeout(r, 0));
            out.push(performance.now() - t);
          }
          return out.sort((a, b) => a - b)[Math.floor(out.length / 2)] ?? NaN;
        },
        { cfg, n },
      );
      return ms;
    };
    await render(playground, 3);
    figure('tb', 'preview_render_ms', await render(playground, 30), 'ms', { config: 'playground' });
    figure('tb', 'preview_render_large_ms', await render(config, 10), 'ms', { lines });
  } finally {
    await browser.close();
  }
}
