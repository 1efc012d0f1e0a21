/**
 * Entry point that a real VS Code extension host calls (`extensionTestsPath`): runs every
 * `*.test.js` beside it with Mocha, with the real `vscode` API, under code-server or
 * @vscode/test-electron alike. Results go to the file named by TOLOKA_TEST_REPORT so the
 * launcher can count them; progress lines go to the same file with `.log` appended.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runMocha } from '../runners/mochaRun';

export async function run(): Promise<void> {
  const reportFile = process.env['TOLOKA_TEST_REPORT'];
  const grep = process.env['TOLOKA_TEST_GREP'];
  const logFile = reportFile ? `${reportFile}.log` : undefined;
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .sort()
    .map((f) => path.join(__dirname, f));
  const report = await runMocha({
    layer: 'extension host',
    files,
    timeoutMs: 30_000,
    ...(grep ? { grep } : {}),
    onLine: (line) => {
      console.log(line);
      if (logFile) fs.appendFileSync(logFile, `${line}\n`);
    },
  });
  if (reportFile) fs.writeFileSync(reportFile, JSON.stringify(report));
  if (report.failed > 0) {
    throw new Error(`${report.failed} extension-host test(s) failed`);
  }
}
