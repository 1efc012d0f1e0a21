/** The extension's settings as data: each checked with zod, each falling back on its own. No vscode import. */
import { z } from 'zod';
import { EnvironmentName } from '../toloka/client';

export { EnvironmentName } from '../toloka/client';

/** Each setting, its key under `toloka.`, its schema and its default. */
const fields = {
  environment: { key: 'environment', schema: EnvironmentName, fallback: 'local' as EnvironmentName },
  customUrl: { key: 'customUrl', schema: z.string(), fallback: '' },
  localUrl: { key: 'local.url', schema: z.string(), fallback: '' },
  localCrowd: { key: 'local.crowd', schema: z.string(), fallback: '' },
  requestTimeoutSeconds: { key: 'requestTimeoutSeconds', schema: z.number().int().min(1).max(600), fallback: 60 },
} as const;

export type Settings = { -readonly [K in keyof typeof fields]: z.infer<(typeof fields)[K]['schema']> };

/** The setting keys (below `toloka.`) read into Settings. */
export const settingKeys: ReadonlyArray<string> = Object.values(fields).map((f) => f.key);

export interface SettingProblem {
  /** `toloka.requestTimeoutSeconds` */
  readonly setting: string;
  readonly message: string;
}

/**
 * Settings from raw values (undefined where unset). A wrong value is reported and replaced by
 * that setting's default alone; the others keep their values.
 */
export function parseSettings(raw: (key: string) => unknown): { settings: Settings; problems: SettingProblem[] } {
  const problems: SettingProblem[] = [];
  const out: Record<string, unknown> = {};
  for (const [name, f] of Object.entries(fields)) {
    const value = raw(f.key);
    if (value === undefined || value === null) {
      out[name] = f.fallback;
      continue;
    }
    const parsed = (f.schema as z.ZodType).safeParse(value);
    if (parsed.success) out[name] = parsed.data;
    else {
      out[name] = f.fallback;
      problems.push({ setting: `toloka.${f.key}`, message: `${parsed.error.issues[0]?.message ?? 'invalid value'} (got ${JSON.stringify(value)}); using ${JSON.stringify(f.fallback)}` });
    }
  }
  return { settings: out as Settings, problems };
}
