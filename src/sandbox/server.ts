/**
 * The local Toloka: an HTTP server on loopback serving `/api/v1/...` and `/api/app/v0/...`
 * like Toloka does, with simulated Tolokers, faults on demand and optional persistence.
 * No `vscode` import: tests, the command line and the extension host all start it the same way.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { makeRequestListener, noFaults, Router, type Faults } from './http';
import { OperationEngine } from './operations';
import { loadState, saveState } from './persist';
import { objectCreationQuotas, taskCreationQuota, TOLOKA_QUOTA_WINDOWS, type QuotaWindows } from './quotas';
import { registerAggregationRoutes } from './routes/aggregation';
import { registerAnalyticsRoutes } from './routes/analytics';
import { processAppItems, registerAppRoutes } from './routes/apps';
import { registerAssignmentRoutes } from './routes/assignments';
import { registerDryRunRoutes } from './routes/dryRuns';
import { registerTolokerRoutes } from './routes/tolokers';
import { registerMiscRoutes } from './routes/misc';
import { registerSkillRoutes } from './routes/skills';
import { registerOperationRoutes } from './routes/operations';
import { registerPoolRoutes } from './routes/pools';
import { registerProjectRoutes } from './routes/projects';
import { registerTaskRoutes } from './routes/tasks';
import { SandboxState } from './state';
import { defaultTolokerOptions, SimulatedTolokers, type TolokerOptions } from './tolokers';

export interface SandboxOptions {
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  readonly host?: string;
  /** Credentials accepted (with either scheme); any non-empty one when omitted. */
  readonly tokens?: readonly string[];
  readonly seed?: number;
  readonly tolokers?: Partial<TolokerOptions>;
  readonly faults?: Partial<Faults>;
  /** Enforce Toloka's quotas (task creation: 200,000 a minute, 4,000,000 a day). Default true. */
  readonly quotas?: boolean;
  /** Shorter quota windows and smaller limits, for tests that must not wait a real minute. */
  readonly quotaWindows?: Partial<QuotaWindows>;
  readonly taskQuota?: { readonly perMinute?: number; readonly perDay?: number };
  /**
   * Enforce the quotas of creating projects, pools, trainings and skills (each its own; `{}` for
   * Toloka's 20 or 10 a minute and 100 a day). Off when omitted: fixtures create hundreds of pools.
   */
  readonly objectQuota?: { readonly perMinute?: number; readonly perDay?: number };
  /** Persist the state to this JSON-lines file: loaded at start, saved after changes and at stop. */
  readonly dataFile?: string;
  /** How long after a change the state is written (at most once per this interval). Default 10 s. */
  readonly saveIntervalMs?: number;
  /** Where the sandbox reports what it does (saves, failures); silent when omitted. */
  readonly onLog?: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;
  /** Delay before an operation starts running. */
  readonly operationDelayMs?: number;
}

export interface Sandbox {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** `<origin>/api`, the base URL for the client. */
  readonly apiRoot: string;
  readonly port: number;
  readonly state: SandboxState;
  readonly tolokers: SimulatedTolokers;
  /** Current faults; change them at any time. */
  faults: Faults;
  /** Task-creation quotas on or off. */
  quotas: boolean;
  save(): Promise<void>;
  stop(): Promise<void>;
}


export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const seed = options.seed ?? 1;
  const state = options.dataFile && fs.existsSync(options.dataFile) ? await loadState(options.dataFile) : new SandboxState();
  const router = new Router();
  const ops = new OperationEngine(state, options.operationDelayMs ?? 10, () => tolokers.start());
  const tolokerOptions: TolokerOptions = { ...defaultTolokerOptions, seed, ...options.tolokers };
  const tolokers = new SimulatedTolokers(state, tolokerOptions, (t) => processAppItems(state, t, tolokers.options.appItemMs, seed));
  const ctx = { router, state, ops, onPoolOpened: () => tolokers.start() };
  const log = options.onLog ?? ((): void => undefined);
  registerProjectRoutes(ctx);
  registerPoolRoutes(ctx);
  registerTaskRoutes(ctx);
  registerAssignmentRoutes(ctx);
  registerOperationRoutes(ctx);
  registerMiscRoutes(ctx);
  registerSkillRoutes(ctx);
  registerAggregationRoutes(ctx);
  registerAnalyticsRoutes(ctx);
  registerAppRoutes(ctx);
  registerDryRunRoutes(ctx);
  // A Toloker is the crowd's, or one who has worked here (a dry-run's simulated crowd): gathered
  // once per change of the state, not once per id asked about (a bonus file asks for every row).
  let worked: { revision: number; users: Set<string> } | undefined;
  const hasWorked = (id: string): boolean => {
    if (worked?.revision !== state.revision) {
      const users = new Set<string>();
      for (const p of state.pools.values()) for (const a of p.data.assignments) users.add(a.user_id);
      worked = { revision: state.revision, users };
    }
    return worked.users.has(id);
  };
  const tolokerRoutes = registerTolokerRoutes(ctx, (id) => tolokers.workers.some((w) => w.id === id) || hasWorked(id), () => tolokers.workers.map((w) => w.id));

  const windows: QuotaWindows = { ...TOLOKA_QUOTA_WINDOWS, ...options.quotaWindows };
  const taskQuota = taskCreationQuota(windows, options.taskQuota);
  const objectQuotas = options.objectQuota ? objectCreationQuotas(windows, options.objectQuota) : undefined;
  const sandbox = {
    faults: { ...noFaults, ...options.faults },
    quotas: options.quotas ?? true,
  };

  const listener = makeRequestListener({
    router,
    tokens: options.tokens,
    faults: () => sandbox.faults,
    seed,
    afterChange: () => {
      state.touch();
      tolokers.start();
    },
    admit: (req) => {
      if (!sandbox.quotas || req.method !== 'POST') return;
      if (req.path === '/api/v1/tasks' || req.path === '/api/v1/task-suites') taskQuota.take(Array.isArray(req.body) ? req.body.length : 1);
      else objectQuotas?.get(req.path)?.take(1);
    },
  });
  const server = http.createServer({ keepAliveTimeout: 30_000 }, listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://${options.host ?? '127.0.0.1'}:${port}`;
  tolokers.start();

  // Written only after a change, at most once per interval, atomically (see saveState).
  const interval = options.saveIntervalMs ?? 10_000;
  let savedRevision = state.revision;
  let saveTimer: NodeJS.Timeout | undefined;
  let saving: Promise<void> | undefined;
  const save = async (): Promise<void> => {
    if (!options.dataFile) return;
    const revision = state.revision;
    const started = Date.now();
    await saveState(state, options.dataFile);
    savedRevision = revision;
    log('debug', `state saved to ${options.dataFile} in ${Date.now() - started} ms`);
  };
  const scheduleSave = (): void => {
    if (!options.dataFile || saveTimer || saving) return;
    saveTimer = setTimeout(() => {
      saveTimer = undefined;
      saving = save()
        .catch((err: unknown) => log('error', `could not save the sandbox state to ${options.dataFile}: ${err instanceof Error ? err.message : String(err)}`))
        .finally(() => {
          saving = undefined;
          if (state.revision !== savedRevision) scheduleSave();
        });
    }, interval);
    saveTimer.unref();
  };
  state.onChange = scheduleSave;

  return Object.assign(sandbox, {
    origin,
    apiRoot: `${origin}/api`,
    port,
    state,
    tolokers,
    save,
    async stop() {
      state.onChange = undefined;
      if (saveTimer) clearTimeout(saveTimer);
      tolokers.stop();
      ops.stop();
      // Deliveries under way are awaited, so the data file knows what subscribers have had.
      await tolokerRoutes.stop();
      await saving;
      if (state.revision !== savedRevision) await save();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  });
}
