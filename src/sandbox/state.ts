/**
 * The sandbox's data, in memory. Tasks, task suites and assignments live per pool in arrays
 * kept sorted by id (ids embed the pool id and a growing counter), so paging by `id_gt` is a
 * binary search and no global index of millions of entries is needed.
 */
import type {
  AggregatedSolution, AppItem, AppProject, Assignment, Attachment, Operation, OperationLogItem, Pool, Project, Skill, Task, TaskSuite, TrainingPool, UserRestriction,
} from '../toloka/models';
import { formatDateTime } from '../toloka/models/common';

export interface TaskRec {
  readonly api: Task & { id: string; created: string };
  /** Tolokers who were issued this task, so none gets it twice. */
  workers: string[] | undefined;
  /** Assignments issued and not yet ended (ACTIVE). */
  active: number;
}

export interface SuiteRec {
  readonly api: TaskSuite & { id: string; created: string };
  workers: string[] | undefined;
  active: number;
}

export interface AttachmentRec {
  readonly api: Attachment;
  readonly content: Buffer;
}

export class PoolData {
  readonly tasks: TaskRec[] = [];
  readonly suites: SuiteRec[] = [];
  readonly assignments: Assignment[] = [];
  /** Position of the first task that may still need answers; moves forward as tasks fill. */
  cursor = 0;
  /** Tasks with known solutions (control tasks), for mixing into suites. */
  readonly golden: TaskRec[] = [];
}

export type PoolKind = 'pool' | 'training';

export interface PoolRec {
  api: (Pool | TrainingPool) & { id: string };
  readonly kind: PoolKind;
  readonly data: PoolData;
  /** An operation on this pool that has not finished: another one is refused. */
  lockedBy?: string | undefined;
}

export interface OperationRec {
  api: Operation;
  log?: OperationLogItem[];
}

/** An app project's batch: what Toloka stores; its status and counts are worked out from its items. */
export interface AppBatchRec {
  api: {
    id: string;
    app_project_id: string;
    name: string;
    priority_order: 'ONE' | 'TWO' | 'THREE' | 'FOUR' | 'FIVE';
    created_at: string;
    started_at: string | null;
    /** Stopped (until resumed): its unfinished items wait as STOPPED. Not one of Toloka's fields: the view leaves it out. */
    stopped?: boolean;
    /** Archived (until unarchived): the status is ARCHIVE, and the one before comes back on unarchive. Left out of the view. */
    archived?: boolean;
  };
}

export interface AppItemRec {
  api: AppItem & { app_project_id: string };
  /** When a simulated solution finishes it. */
  doneAt: number;
}

export function now(): string {
  return formatDateTime(new Date());
}

export function binarySearchAfter<T>(items: readonly T[], key: (t: T) => string, after: string): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const item = items[mid] as T;
    if (key(item) <= after) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The record with this id in an array sorted by id. */
function findById<T>(items: readonly T[] | undefined, key: (t: T) => string, id: string): T | undefined {
  if (!items) return undefined;
  const rec = items[binarySearchAfter(items, key, id) - 1];
  return rec !== undefined && key(rec) === id ? rec : undefined;
}

export class SandboxState {
  /** Grows with every change, so the state is written only when something changed. */
  revision = 0;
  /** Called on every change (the server schedules a save). */
  onChange: (() => void) | undefined;
  counters = { project: 0, pool: 0, item: 0, skill: 0, apps: 0, restriction: 0 };
  readonly projects = new Map<string, Project & { id: string }>();
  readonly pools = new Map<string, PoolRec>();
  readonly operations = new Map<string, OperationRec>();
  /** Operation ids in creation order. */
  readonly operationOrder: string[] = [];
  readonly attachments = new Map<string, AttachmentRec>();
  readonly skills = new Map<string, Skill & { id: string }>();
  /** Bans, by id; one per (scope, user, project or pool). */
  readonly restrictions = new Map<string, UserRestriction & { id: string }>();
  readonly appProjects = new Map<string, AppProject & { id: string }>();
  readonly appItems = new Map<string, AppItemRec[]>();
  /** App batches, by id. */
  readonly appBatches = new Map<string, AppBatchRec>();
  /** Results of aggregation operations, by operation id, sorted by task id. */
  readonly aggregations = new Map<string, AggregatedSolution[]>();
  readonly requester = {
    id: 'a3b5c7d9e1f3a5b7c9d1e3f5a7b9c1d3',
    balance: 1000,
    public_name: { EN: 'Local sandbox requester' },
    company: { id: '1', superintendent_id: 'a3b5c7d9e1f3a5b7c9d1e3f5a7b9c1d3' },
  };

  /** The `owner` of what the requester makes (projects, pools, assignments). */
  owner(): { id: string; myself: true; company_id: string } {
    return { id: this.requester.id, myself: true, company_id: this.requester.company.id };
  }

  /**
   * Puts a ban: one per scope, Toloker and project or pool, so a second of the same kind replaces
   * the first and keeps its id and creation time (as Toloka's PUT /user-restrictions does).
   */
  putRestriction(input: UserRestriction, created = now()): UserRestriction & { id: string } {
    const same = [...this.restrictions.values()].find((r) => r.scope === input.scope && r.user_id === input.user_id && r.project_id === input.project_id && r.pool_id === input.pool_id);
    const id = same?.id ?? String(++this.counters.restriction);
    const restriction = { ...input, id, created: same?.created ?? created };
    this.restrictions.set(id, restriction);
    return restriction;
  }

  /** Marks the state changed. */
  touch(): void {
    this.revision++;
    this.onChange?.();
  }

  nextProjectId(): string {
    return String(100_000 + ++this.counters.project);
  }

  nextPoolId(): string {
    return String(1_000_000 + ++this.counters.pool);
  }

  nextSkillId(): string {
    return String(50_000 + ++this.counters.skill);
  }

  /** `<10 hex of the pool id>--<24 hex counter>`: sorted by creation within a pool. */
  nextItemId(poolId: string): string {
    return `${Number(poolId).toString(16).padStart(10, '0')}--${(++this.counters.item).toString(16).padStart(24, '0')}`;
  }

  /** The pool a task, suite or assignment id belongs to. */
  poolOfItem(id: string): PoolRec | undefined {
    const m = /^([0-9a-f]{10})--[0-9a-f]{24}$/.exec(id);
    return m ? this.pools.get(String(parseInt(m[1] ?? '', 16))) : undefined;
  }

  nextAppId(): string {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    let n = ++this.counters.apps;
    let s = '';
    for (let i = 0; i < 20; i++) {
      s = alphabet[n % alphabet.length] + s;
      n = Math.floor(n / alphabet.length);
    }
    return s;
  }

  findTask(id: string): TaskRec | undefined {
    return findById(this.poolOfItem(id)?.data.tasks, (t) => t.api.id, id);
  }

  findSuite(id: string): SuiteRec | undefined {
    return findById(this.poolOfItem(id)?.data.suites, (s) => s.api.id, id);
  }

  findAssignment(id: string): Assignment | undefined {
    return findById(this.poolOfItem(id)?.data.assignments, (a) => a.id, id);
  }

  addOperation(op: Operation, log?: OperationLogItem[]): OperationRec {
    const rec: OperationRec = log ? { api: op, log } : { api: op };
    this.operations.set(op.id, rec);
    this.operationOrder.push(op.id);
    return rec;
  }
}
