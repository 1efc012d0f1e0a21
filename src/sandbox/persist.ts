/**
 * Saves and loads the sandbox state as JSON lines (one record per line, so a million tasks
 * never become one giant string), written to a temporary file and renamed over the old one.
 * Besides SandboxState: the requester's balance, bonuses, webhook subscriptions and the events
 * each has had, message threads, Tolokers' skills, the live quality control's figures and the
 * tasks whose dynamic overlap is complete. A file from before those were saved loads as well
 * (they are simply absent).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { liveQc, type LiveQcPoolSnapshot, type UserSkillRec } from './qc/live';
import { now, PoolData, SandboxState, type PoolRec } from './state';
import { tolokerData, type DynamicOverlapCompletion, type TolokerData } from './tolokerState';
import { giveBack } from './tolokers';

type Bonus = TolokerData['bonuses'] extends Map<string, infer T> ? T : never;
type Webhook = TolokerData['webhooks'] extends Map<string, infer T> ? T : never;
type Thread = TolokerData['threads'] extends Map<string, infer T> ? T : never;

/** Settled webhook events are written this many to a line. */
const KEYS_PER_LINE = 1000;

type Line =
  | { k: 'meta'; v: { version: 1; counters: SandboxState['counters'] } }
  | { k: 'project' | 'skill' | 'restriction' | 'appProject'; v: { id: string } & Record<string, unknown> }
  | { k: 'pool'; v: PoolRec['api']; kind: PoolRec['kind'] }
  | { k: 'task' | 'suite'; v: { id: string } & Record<string, unknown>; w?: string[] }
  | { k: 'assignment'; v: { id: string } & Record<string, unknown> }
  | { k: 'operation'; v: { id: string } & Record<string, unknown>; log?: unknown[] }
  | { k: 'attachment'; v: { id: string } & Record<string, unknown>; b64: string }
  | { k: 'appItem'; v: { id: string; app_project_id: string } & Record<string, unknown> }
  | { k: 'appBatch'; v: { id: string } & Record<string, unknown> }
  | { k: 'aggregation'; id: string; v: unknown[] }
  | { k: 'requester'; v: { balance: number } }
  | { k: 'tolokerCounters'; v: { bonus: number; webhook: number; thread: number; userSkill: number } }
  | { k: 'bonus'; v: Bonus }
  | { k: 'webhook'; v: Webhook }
  | { k: 'webhookDone'; id: string; keys: string[] }
  | { k: 'thread'; v: Thread }
  | { k: 'userSkill'; v: UserSkillRec }
  | { k: 'qcPool'; v: LiveQcPoolSnapshot }
  | { k: 'dynamicOverlap'; v: DynamicOverlapCompletion };

export async function saveState(state: SandboxState, file: string): Promise<void> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  const out = fs.createWriteStream(tmp, { encoding: 'utf8' });
  const write = (line: Line): Promise<void> | undefined => {
    if (!out.write(`${JSON.stringify(line)}\n`)) return new Promise((r) => out.once('drain', r));
    return undefined;
  };
  await write({ k: 'meta', v: { version: 1, counters: state.counters } });
  for (const p of state.projects.values()) await write({ k: 'project', v: p });
  for (const s of state.skills.values()) await write({ k: 'skill', v: s });
  for (const r of state.restrictions.values()) await write({ k: 'restriction', v: r });
  for (const pool of state.pools.values()) {
    await write({ k: 'pool', v: pool.api, kind: pool.kind });
    for (const t of pool.data.tasks) await write({ k: 'task', v: t.api, ...(t.workers ? { w: t.workers } : {}) });
    for (const s of pool.data.suites) await write({ k: 'suite', v: s.api, ...(s.workers ? { w: s.workers } : {}) });
    for (const a of pool.data.assignments) await write({ k: 'assignment', v: a as { id: string } & Record<string, unknown> });
  }
  for (const id of state.operationOrder) {
    const op = state.operations.get(id);
    if (op) await write({ k: 'operation', v: op.api as { id: string } & Record<string, unknown>, ...(op.log ? { log: op.log } : {}) });
  }
  for (const a of state.attachments.values()) await write({ k: 'attachment', v: a.api as { id: string } & Record<string, unknown>, b64: a.content.toString('base64') });
  for (const p of state.appProjects.values()) await write({ k: 'appProject', v: p });
  for (const items of state.appItems.values()) for (const i of items) await write({ k: 'appItem', v: i.api });
  for (const b of state.appBatches.values()) await write({ k: 'appBatch', v: b.api });
  for (const [id, v] of state.aggregations) await write({ k: 'aggregation', id, v });
  const d = tolokerData(state);
  const qc = liveQc(state);
  await write({ k: 'requester', v: { balance: state.requester.balance } });
  await write({ k: 'tolokerCounters', v: { bonus: d.bonusCounter, webhook: d.webhookCounter, thread: d.threadCounter, userSkill: qc.counter } });
  for (const b of d.bonuses.values()) await write({ k: 'bonus', v: b });
  for (const w of d.webhooks.values()) await write({ k: 'webhook', v: w });
  for (const [id, done] of d.webhookDone) {
    const keys = [...done];
    for (let i = 0; i < keys.length; i += KEYS_PER_LINE) await write({ k: 'webhookDone', id, keys: keys.slice(i, i + KEYS_PER_LINE) });
  }
  for (const t of d.threads.values()) await write({ k: 'thread', v: t });
  for (const u of qc.userSkills.values()) await write({ k: 'userSkill', v: u });
  for (const p of qc.poolSnapshots()) await write({ k: 'qcPool', v: p });
  for (const tasks of d.dynamicOverlap.values()) for (const c of tasks.values()) await write({ k: 'dynamicOverlap', v: c });
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  fs.renameSync(tmp, file);
}

export async function loadState(file: string): Promise<SandboxState> {
  const state = new SandboxState();
  const d = tolokerData(state);
  const qc = liveQc(state);
  const rl = readline.createInterface({ input: fs.createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let lineNo = 0;
  for await (const text of rl) {
    lineNo++;
    if (!text.trim()) continue;
    let line: Line;
    try {
      line = JSON.parse(text) as Line;
    } catch {
      throw new Error(`${file}:${lineNo}: not valid JSON`);
    }
    switch (line.k) {
      case 'meta':
        state.counters = { ...state.counters, ...line.v.counters };
        break;
      case 'project':
        state.projects.set(line.v.id, line.v as never);
        break;
      case 'skill':
        state.skills.set(line.v.id, line.v as never);
        break;
      case 'restriction':
        state.restrictions.set(line.v.id, line.v as never);
        break;
      case 'pool':
        state.pools.set(line.v.id, { api: line.v, kind: line.kind, data: new PoolData() });
        break;
      case 'task': {
        const pool = state.poolOfItem(line.v.id);
        if (!pool) throw new Error(`${file}:${lineNo}: task ${line.v.id} of an unknown pool`);
        const rec = { api: line.v as never, workers: line.w, active: 0 };
        pool.data.tasks.push(rec);
        if (Array.isArray(line.v['known_solutions']) && line.v['known_solutions'].length > 0) pool.data.golden.push(rec);
        break;
      }
      case 'suite':
        state.poolOfItem(line.v.id)?.data.suites.push({ api: line.v as never, workers: line.w, active: 0 });
        break;
      case 'assignment': {
        const a = line.v as never as { id: string; status: string; expired?: string; tasks?: { id?: string }[] };
        // An assignment in progress when the sandbox stopped was abandoned: it expired, and its tasks want that answer from someone else.
        if (a.status === 'ACTIVE') {
          a.status = 'EXPIRED';
          a.expired = now();
          giveBack((a.tasks ?? []).flatMap((t) => (t.id ? (state.findTask(t.id) ?? []) : [])));
        }
        state.poolOfItem(a.id)?.data.assignments.push(a as never);
        break;
      }
      case 'operation':
        state.addOperation(line.v as never, line.log as never);
        break;
      case 'attachment':
        state.attachments.set(line.v.id, { api: line.v as never, content: Buffer.from(line.b64, 'base64') });
        break;
      case 'appProject':
        state.appProjects.set(line.v.id, line.v as never);
        break;
      case 'appItem': {
        const list = state.appItems.get(line.v.app_project_id) ?? [];
        list.push({ api: line.v as never, doneAt: 0 });
        state.appItems.set(line.v.app_project_id, list);
        break;
      }
      case 'appBatch':
        state.appBatches.set(line.v.id, { api: line.v as never });
        break;
      case 'aggregation':
        state.aggregations.set(line.id, line.v as never);
        break;
      case 'requester':
        state.requester.balance = line.v.balance;
        break;
      case 'tolokerCounters':
        d.bonusCounter = line.v.bonus;
        d.webhookCounter = line.v.webhook;
        d.threadCounter = line.v.thread;
        qc.counter = line.v.userSkill;
        break;
      case 'bonus':
        d.bonuses.set(line.v.id, line.v);
        break;
      case 'webhook':
        d.webhooks.set(line.v.id, line.v);
        break;
      case 'webhookDone': {
        let done = d.webhookDone.get(line.id);
        if (!done) d.webhookDone.set(line.id, (done = new Set()));
        for (const key of line.keys) done.add(key);
        break;
      }
      case 'thread':
        d.threads.set(line.v.id, line.v);
        break;
      case 'userSkill':
        qc.userSkills.set(`${line.v.user_id}/${line.v.skill_id}`, line.v);
        break;
      case 'qcPool':
        qc.restorePool(line.v);
        break;
      case 'dynamicOverlap': {
        let tasks = d.dynamicOverlap.get(line.v.pool_id);
        if (!tasks) d.dynamicOverlap.set(line.v.pool_id, (tasks = new Map()));
        tasks.set(line.v.task_id, line.v);
        break;
      }
    }
  }
  return state;
}
