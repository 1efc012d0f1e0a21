import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseSettings, type Settings } from './settingsSchema';

export { EnvironmentName, type Settings } from './settingsSchema';

/** Problems already reported, so one wrong value is not announced on every read. */
const reported = new Set<string>();

/** The extension's settings; a wrong value is reported (once) and replaced by its default alone. */
export function readSettings(log: vscode.LogOutputChannel): Settings {
  const c = vscode.workspace.getConfiguration('toloka');
  const { settings, problems } = parseSettings((key) => c.get(key));
  for (const p of problems) {
    const text = `${p.setting}: ${p.message}`;
    if (reported.has(text)) continue;
    reported.add(text);
    log.warn(`Invalid setting ${text}`);
    void vscode.window.showWarningMessage(`Toloka: invalid setting ${text}.`, 'Open Settings').then((a) => {
      if (a) void vscode.commands.executeCommand('workbench.action.openSettings', p.setting);
    });
  }
  return settings;
}

/** `toloka.local.crowd` as an absolute path (relative to the first workspace folder), or undefined when unset. */
export function localCrowdFile(s: Settings): string | undefined {
  const file = s.localCrowd.trim();
  if (!file) return undefined;
  const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  return path.isAbsolute(file) || !root ? file : path.join(root, file);
}
