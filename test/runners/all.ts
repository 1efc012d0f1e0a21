/**
 * `npm test`: the whole pyramid in one command.
 *   0. static checks: tsc --noEmit and ESLint with type information (the layer rules included);
 *   1. unit tests of the vscode-free folders, in plain Node;
 *   2. extension-host suites, inside a real VS Code (code-server here; desktop VS Code via
 *      @vscode/test-electron when VSCODE_EXECUTABLE_PATH is set or TOLOKA_TEST_HOST=electron);
 *   3. UI tests, playwright-core driving Chromium against the workbench.
 * Ends with one line `N passed, N failed` over all three layers; exits non-zero on any failure.
 *
 * Options: --only static|unit|suite|ui (repeatable), --grep <pattern>.
 */
import { ensureChromium, ensureCodeServer, provisionPlan } from './provision';
import { crashedReport, type LayerReport } from './report';
import { runSuitesInCodeServer } from './runSuitesInCodeServer';
import { runSuitesInElectron } from './runSuitesInElectron';
import { runLint } from './runLint';
import { runUi } from './runUi';
import { runUnit } from './runUnit';

type Layer = 'static' | 'unit' | 'suite' | 'ui';
const layers: readonly Layer[] = ['static', 'unit', 'suite', 'ui'];

function parseArgs(argv: string[]): { only: Set<Layer>; grep?: string } {
  const only = new Set<Layer>();
  let grep: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--only') {
      const v = argv[++i];
      const layer = layers.find((l) => l === v);
      if (!layer) throw new Error(`--only takes ${layers.join(', ')}, not ${String(v)}`);
      only.add(layer);
    } else if (a === '--grep') {
      grep = argv[++i];
    } else {
      throw new Error(`unknown argument ${String(a)}; use --only ${layers.join('|')} and --grep <pattern>`);
    }
  }
  if (only.size === 0) for (const l of layers) only.add(l);
  return grep === undefined ? { only } : { only, grep };
}

async function layer(name: string, run: () => Promise<LayerReport>): Promise<LayerReport> {
  const started = Date.now();
  console.log(`\n=== ${name} ===`);
  let report: LayerReport;
  try {
    report = await run();
  } catch (err) {
    report = crashedReport(name, err);
    console.log(`  ✗ ${name} layer crashed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  }
  console.log(`--- ${name}: ${report.passed} passed, ${report.failed} failed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return report;
}

async function main(): Promise<number> {
  const started = Date.now();
  const { only, grep } = parseArgs(process.argv.slice(2));
  if (grep) process.env['TOLOKA_TEST_GREP'] = grep;
  const say = (line: string): void => console.log(line);
  const reports: LayerReport[] = [];
  if (only.has('static') && !grep) reports.push(await layer('static checks', () => runLint(say)));
  if (only.has('unit')) reports.push(await layer('unit', () => runUnit(say)));
  if (only.has('suite') || only.has('ui')) {
    const provisioned = await layer('provision', async () => {
      const plan = provisionPlan();
      if (plan.length > 0) {
        say('  The extension-host and UI tests run in a real VS Code and Chromium. Installing, once:');
        for (const item of plan) say(`    - ${item}`);
      }
      ensureCodeServer();
      ensureChromium();
      return { layer: 'provision', passed: 0, failed: 0, failures: [] };
    });
    if (provisioned.failed > 0) reports.push(provisioned);
    else {
      const electron = Boolean(process.env['VSCODE_EXECUTABLE_PATH']) || process.env['TOLOKA_TEST_HOST'] === 'electron';
      if (only.has('suite')) {
        reports.push(await layer('extension host', () => (electron ? runSuitesInElectron(say) : runSuitesInCodeServer(say))));
      }
      if (only.has('ui')) reports.push(await layer('ui', () => runUi(say)));
    }
  }
  const passed = reports.reduce((n, r) => n + r.passed, 0);
  const failed = reports.reduce((n, r) => n + r.failed, 0);
  const failures = reports.flatMap((r) => r.failures.map((f) => `  [${r.layer}] ${f.title}`));
  if (failures.length > 0) console.log(`\nFailures:\n${failures.join('\n')}`);
  console.log(`\nAll layers finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed > 0 || passed === 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
