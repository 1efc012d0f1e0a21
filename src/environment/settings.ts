import * as vscode from 'vscode';
import { z } from 'zod';

export const EnvironmentName = z.enum(['production', 'sandbox', 'local', 'custom']);
export type EnvironmentName = z.infer<typeof EnvironmentName>;

/** The extension's settings, checked with zod: a wrong value is reported, never used. */
export const Settings = z.object({
  environment: EnvironmentName.default('local'),
  customUrl: z.string().default(''),
  localUrl: z.string().default(''),
  requestTimeoutSeconds: z.number().int().min(1).max(600).default(60),
});
export type Settings = z.infer<typeof Settings>;

export function readSettings(log: vscode.LogOutputChannel): Settings {
  const c = vscode.workspace.getConfiguration('toloka');
  const raw = {
    environment: c.get('environment'),
    customUrl: c.get('customUrl'),
    localUrl: c.get('local.url'),
    requestTimeoutSeconds: c.get('requestTimeoutSeconds'),
  };
  const parsed = Settings.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `toloka.${i.path.join('.')}: ${i.message}`).join('; ');
  log.warn(`Ignoring invalid settings (${problems}); using defaults for them`);
  void vscode.window.showWarningMessage(`Toloka: invalid settings, defaults used instead: ${problems}`);
  return Settings.parse({});
}
