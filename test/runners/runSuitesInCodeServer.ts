/**
 * Runs the extension-host suites (test/suite) inside code-server: the workbench, opened in
 * Chromium with a development payload, loads this extension from the repository and calls
 * the suites' run(); it reports the outcome through window.codeAutomationExit(code).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { launchChromium } from './browser';
import { startCodeServer } from './codeServer';
import { repoRoot } from './provision';
import type { LayerReport } from './report';
import { artifactsDir, freshWorkspace } from './workspace';

const LAYER = 'extension host';

export async function runSuitesInCodeServer(say: (line: string) => void): Promise<LayerReport> {
  const artifacts = artifactsDir('suite');
  const reportFile = path.join(artifacts, 'report.json');
  fs.rmSync(reportFile, { force: true });
  fs.rmSync(`${reportFile}.log`, { force: true });
  const workspace = freshWorkspace('suite');
  const server = await startCodeServer({
    workspace,
    smokeTestDriver: true,
    env: {
      TOLOKA_TEST_REPORT: reportFile,
      ...(process.env['TOLOKA_TEST_GREP'] ? { TOLOKA_TEST_GREP: process.env['TOLOKA_TEST_GREP'] } : {}),
    },
  });
  const browser = await launchChromium();
  const consoleLines: string[] = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('console', (msg) => consoleLines.push(`[${msg.type()}] ${msg.text()}`));
    page.on('pageerror', (err) => consoleLines.push(`[pageerror] ${err.message}`));
    const exitCode = new Promise<number>((resolve) => {
      void page.exposeFunction('codeAutomationExit', (code: number) => {
        resolve(code);
      });
    });
    const testsPath = path.join(repoRoot, 'out', 'test', 'suite', 'index');
    await page.goto(
      server.workbenchUrl(workspace, [
        ['extensionDevelopmentPath', server.remoteUri(repoRoot)],
        ['extensionTestsPath', server.remoteUri(testsPath)],
      ]),
    );
    let lastLogLength = 0;
    const relay = setInterval(() => {
      // Relay progress lines as the suites write them.
      try {
        const text = fs.readFileSync(`${reportFile}.log`, 'utf8');
        if (text.length > lastLogLength) {
          for (const line of text.slice(lastLogLength).trimEnd().split('\n')) say(line);
          lastLogLength = text.length;
        }
      } catch {
        // not written yet
      }
    }, 250);
    const timeoutMs = Number(process.env['TOLOKA_SUITE_TIMEOUT_MS'] ?? 15 * 60_000);
    const code = await Promise.race([
      exitCode,
      new Promise<number>((_, reject) => setTimeout(() => reject(new Error(`the extension-host suites did not finish within ${timeoutMs} ms`)), timeoutMs)),
    ]).finally(() => clearInterval(relay));
    try {
      const text = fs.readFileSync(`${reportFile}.log`, 'utf8');
      for (const line of text.slice(lastLogLength).trimEnd().split('\n')) if (line) say(line);
    } catch {
      // no log
    }
    await page.screenshot({ path: path.join(artifacts, 'final.png') }).catch(() => undefined);
    if (fs.existsSync(reportFile)) {
      const report = JSON.parse(fs.readFileSync(reportFile, 'utf8')) as LayerReport;
      if (code !== 0 && report.failed === 0) {
        return { ...report, failed: 1, failures: [{ title: 'extension-host run', message: `exit code ${code}` }] };
      }
      return report;
    }
    // run() never reported: activation or loading failed before any test ran.
    const tail = consoleLines.filter((l) => /error|fail/i.test(l)).slice(-15).join('\n');
    return {
      layer: LAYER,
      passed: 0,
      failed: 1,
      failures: [{ title: 'extension-host suites did not run', message: `exit code ${code}\n${tail}` }],
    };
  } finally {
    fs.writeFileSync(path.join(artifacts, 'browser-console.log'), consoleLines.join('\n'));
    await browser.close().catch(() => undefined);
    await server.stop();
    for (const f of ['code-server.log']) {
      fs.copyFileSync(path.join(server.userDataDir, f), path.join(artifacts, f));
    }
    fs.rmSync(server.userDataDir, { recursive: true, force: true });
    fs.rmSync(server.extensionsDir, { recursive: true, force: true });
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}
