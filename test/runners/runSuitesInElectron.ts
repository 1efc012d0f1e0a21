/**
 * Runs the same extension-host suites in desktop VS Code through @vscode/test-electron, for
 * a developer's laptop or a CI with internet. Uses VSCODE_EXECUTABLE_PATH when set,
 * otherwise lets test-electron download a build into .vscode-test/.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { repoRoot } from './provision';
import type { LayerReport } from './report';
import { artifactsDir, freshWorkspace } from './workspace';

export async function runSuitesInElectron(say: (line: string) => void): Promise<LayerReport> {
  const reportFile = path.join(artifactsDir('suite'), 'report.json');
  fs.rmSync(reportFile, { force: true });
  const workspace = freshWorkspace('suite');
  const executable = process.env['VSCODE_EXECUTABLE_PATH'];
  say(`running the suites in desktop VS Code${executable ? ` at ${executable}` : ''}`);
  let code: number;
  try {
    code = await runTests({
      ...(executable ? { vscodeExecutablePath: executable } : {}),
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: path.join(repoRoot, 'out', 'test', 'suite', 'index'),
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
      extensionTestsEnv: { TOLOKA_TEST_REPORT: reportFile },
    });
  } catch {
    code = 1;
  }
  if (fs.existsSync(`${reportFile}.log`)) for (const line of fs.readFileSync(`${reportFile}.log`, 'utf8').trimEnd().split('\n')) say(line);
  if (!fs.existsSync(reportFile)) {
    return { layer: 'extension host', passed: 0, failed: 1, failures: [{ title: 'desktop VS Code run', message: `exit code ${code}, no report` }] };
  }
  return JSON.parse(fs.readFileSync(reportFile, 'utf8')) as LayerReport;
}
