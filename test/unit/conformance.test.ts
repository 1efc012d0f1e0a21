/**
 * Held to Toloka's own examples: every request and response schema of the OpenAPI files that we
 * model is turned into the payload its examples describe (each property's `example`, nested
 * objects and arrays built the same way), and our zod models (which the sandbox validates
 * requests with) must accept it. Then payloads generated from each schema (openapiPayloads.ts)
 * are held against our zod models, JSON Schemas and the sandbox's validation, and every request
 * form the sandbox has a route for is sent to one started here, over HTTP. Every component schema
 * of the files is walked, reached from one that is, or listed as not modelled. Where we knowingly
 * differ, test/fixtures/openapi/known-differences.json says why; an entry that no longer differs
 * fails the test, so the list stays true.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { z } from 'zod';
import * as m from '../../src/toloka/models';
import { contentPage, page } from '../../src/toloka/models/common';
import { SetUserSkill, UserSkill } from '../../src/toloka/models/userSkill';
import { BulkItems, CreateAppProject } from '../../src/sandbox/routes/apps';
import { repoRoot } from '../runners/provision';
import { harness, poolFor } from './fixtures';
import Ajv from 'ajv';
import { jsonSchemaFor, withReferencesAsIds, type PayloadKind } from '../../src/toloka/schemas';
import { parseBody } from '../../src/sandbox/validation';
import { asJson, PayloadGenerator, type OpenApiSchema, type Variant } from './openapiPayloads';

type Schema = {
  $ref?: string; example?: unknown; properties?: Record<string, Schema>; required?: string[]; items?: Schema; allOf?: Schema[]; oneOf?: Schema[];
  enum?: unknown[]; type?: string; format?: string; minimum?: number; additionalProperties?: unknown;
};

/** Toloka's OpenAPI files: TOLOKA_OPENAPI, or ../shared/reference/toloka-openapi beside the repository. */
const reference = path.resolve(repoRoot, process.env['TOLOKA_OPENAPI'] ?? path.join('..', 'shared', 'reference', 'toloka-openapi'));
const haveReference = fs.existsSync(path.join(reference, 'v1-fullApi.yaml'));
/** Without the files a user's clone skips these tests with the reason; CI=true requires them. */
const skipReference = !haveReference && process.env['CI'] !== 'true' ? `skipped: ${reference} not found` : false;
// js-yaml (a devDependency) reads the OpenAPI files; only this test reads YAML.
const yaml = createRequire(__filename)('js-yaml') as { load(text: string): unknown };

function load(file: string): Record<string, Schema> {
  const doc = yaml.load(fs.readFileSync(path.join(reference, file), 'utf8')) as { components?: { schemas?: Record<string, Schema> } };
  return doc.components?.schemas ?? {};
}

class Examples {
  constructor(private readonly schemas: Record<string, Schema>) {}

  private resolve(s: Schema | undefined): Schema | undefined {
    let r = s;
    for (let i = 0; r?.$ref && i < 10; i++) r = r.$ref.startsWith('#/components/schemas/') ? this.schemas[r.$ref.slice('#/components/schemas/'.length)] : undefined;
    return r;
  }

  /**
   * The payload a schema's examples describe: each property's example; a property without one
   * is made up from its type when the schema requires it (or, for a response, always).
   */
  of(schema: Schema | undefined, fill: boolean, depth = 0): unknown {
    const s = this.resolve(schema);
    if (!s || depth > 8) return undefined;
    if (s.example !== undefined) return asJson(s.example);
    if (s.allOf) {
      const parts = s.allOf.map((p) => this.of(p, fill, depth + 1)).filter((p): p is Record<string, unknown> => !!p && typeof p === 'object');
      return parts.length ? Object.assign({}, ...parts) : undefined;
    }
    if (s.oneOf) return this.of(s.oneOf[0], fill, depth + 1);
    if (s.properties) {
      const out: Record<string, unknown> = {};
      for (const [k, p] of Object.entries(s.properties)) {
        const v = this.of(p, fill, depth + 1) ?? (fill || s.required?.includes(k) ? this.madeUp(p, fill, depth + 1) : undefined);
        if (v !== undefined) out[k] = v;
      }
      return Object.keys(out).length ? out : undefined;
    }
    if (s.items) {
      const v = this.of(s.items, fill, depth + 1);
      return v === undefined ? undefined : [v];
    }
    return s.enum?.[0];
  }

  private madeUp(schema: Schema, fill: boolean, depth: number): unknown {
    const s = this.resolve(schema);
    if (!s) return undefined;
    if (s.enum) return s.enum[0];
    if (s.properties || s.allOf) return this.of(s, fill, depth) ?? {};
    if (s.type === 'array') return s.items ? [this.madeUp(s.items, fill, depth + 1)].filter((x) => x !== undefined) : [];
    if (s.type === 'integer' || s.type === 'number') return s.minimum ?? 1;
    if (s.type === 'boolean') return false;
    if (s.type === 'object') return {};
    return s.format === 'date-time' ? '2024-01-31T12:00:00' : 'x';
  }
}

/** The OpenAPI schemas we model, and the model that must take their examples. */
const modelled: Record<string, z.ZodType> = {
  UserBonusFormV1: m.UserBonusForm,
  UserBonusViewV1: m.UserBonus,
  UserMetadataViewV1: m.UserMetadata,
  UserRestrictionFormV1: m.UserRestriction,
  UserRestrictionViewV1: m.UserRestriction,
  WebhookSubscriptionFormV1: m.WebhookSubscriptionForm,
  WebhookSubscriptionViewV1: m.WebhookSubscription,
  MessageThreadComposeFormV1: m.MessageCompose,
  MessageThreadViewV1: m.MessageThread,
  SkillFormV1: m.Skill,
  ProjectFormV1: m.Project,
  PoolFormV1: m.Pool,
  TrainingFormV1: m.TrainingPool,
  TaskFormV1: m.Task,
  TaskSuiteFormV1: m.TaskSuite,
};

interface KnownDifference {
  readonly schema: string;
  /** Globs over the ids of generated variants (the generated-payload test below); without them or `required`, the schema's examples differ. */
  readonly variants?: readonly string[];
  /** Properties of the component `schema` that Toloka requires though the OpenAPI does not mark them required. */
  readonly required?: readonly string[];
  /** The `variants` differ only when sent to the sandbox: a rule of its route, beyond the model. */
  readonly http?: boolean;
  /** A component schema that none of our models corresponds to, deliberately. */
  readonly notModelled?: boolean;
  readonly reason: string;
}

const known = JSON.parse(fs.readFileSync(path.join(repoRoot, 'test', 'fixtures', 'openapi', 'known-differences.json'), 'utf8')) as KnownDifference[];

describe("Toloka's OpenAPI examples", { skip: skipReference }, () => {
  if (!haveReference) {
    it('needs the OpenAPI files', () => assert.fail(`${reference} not found: CI=true needs Toloka's OpenAPI files (set TOLOKA_OPENAPI to their folder)`));
    return;
  }
  const schemas = load('v1-fullApi.yaml');

  for (const [name, model] of Object.entries(modelled)) {
    it(`${name}: our model takes the payload its examples describe`, () => {
      assert.ok(schemas[name], `${name} is in v1-fullApi.yaml`);
      const example = new Examples(schemas).of(schemas[name], /View/.test(name));
      assert.ok(example !== undefined, `${name} has examples`);
      const r = model.safeParse(example);
      const difference = known.find((k) => k.schema === name && !k.variants && !k.required && !k.notModelled);
      if (difference) {
        assert.equal(r.success, false, `${name} is listed as a known difference (${difference.reason}) but is now accepted: take it off the list`);
        return;
      }
      assert.ok(r.success, `${name}: ${r.success ? '' : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}\n${JSON.stringify(example).slice(0, 600)}`);
    });
  }

  it('the sandbox takes the examples of the bans and skills it is sent, as Toloka does', async () => {
    const h = await harness({ quotas: false, tolokers: { assignmentsPerSecond: 0 } });
    try {
      const send = (method: string, url: string, body: unknown) =>
        fetch(`${h.sandbox.apiRoot}${url}`, { method, headers: { Authorization: 'OAuth x', 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      const examples = new Examples(schemas);
      for (const [name, method, url] of [['UserRestrictionFormV1', 'PUT', '/v1/user-restrictions'], ['SkillFormV1', 'POST', '/v1/skills']] as const) {
        const r = await send(method, url, examples.of(schemas[name], false));
        assert.ok(r.status < 300, `${name}: ${r.status} ${await r.text()}`);
      }
    } finally {
      await h.stop();
    }
  });
});

/**
 * Every OpenAPI schema we model, and what must take its payloads: the zod model, the JSON Schema
 * of the payload files (through Ajv) where there is one, and the sandbox's request validation
 * (`parseBody`) for requests. A request must be refused when the OpenAPI refuses it; a response
 * (`refuse: false`) only taken when it allows it, since a client reads what the server sends leniently.
 */
interface Target {
  readonly file: 'v1-fullApi.yaml' | 'v1-additional.yaml' | 'apps-v0-openapi.yaml';
  readonly model: z.ZodType;
  readonly kind?: PayloadKind;
  readonly request: boolean;
  /**
   * A form of a union told apart by one property (the aggregation forms share `type`, a discriminator
   * with no mapping): that property at this form's value; its other values make the other forms.
   */
  readonly pin?: readonly [string, string];
  /** A list page of this view: the view's known differences hold for the page's first item too. */
  readonly pageOf?: string;
}

function pinned(variants: readonly Variant[], pin: readonly [string, string] | undefined): Variant[] {
  if (!pin) return [...variants];
  const [key, value] = pin;
  return variants
    .filter((v) => !(v.valid && v.id.startsWith(`${key}=`)))
    .map((v) => (v.value && typeof v.value === 'object' && key in v.value && !v.id.startsWith(`${key}=`) ? { ...v, value: { ...v.value, [key]: value } } : v));
}
const full = 'v1-fullApi.yaml';
const apps = 'apps-v0-openapi.yaml';
const ownTargets: Record<string, Target> = {
  ProjectFormV1: { file: full, model: m.Project, kind: 'project', request: true },
  ProjectViewV1: { file: full, model: m.Project, request: false },
  PoolFormV1: { file: full, model: m.Pool, kind: 'pool', request: true },
  PoolViewV1: { file: full, model: m.Pool, request: false },
  TrainingFormV1: { file: full, model: m.TrainingPool, kind: 'training', request: true },
  TrainingViewV1: { file: full, model: m.TrainingPool, request: false },
  SkillFormV1: { file: full, model: m.Skill, kind: 'skill', request: true },
  SkillViewV1: { file: full, model: m.Skill, request: false },
  TaskFormV1: { file: full, model: m.Task, kind: 'task', request: true },
  TaskViewV1: { file: full, model: m.Task, request: false },
  TaskPatchV1: { file: full, model: m.TaskPatch, request: true },
  TaskSuiteFormV1: { file: full, model: m.TaskSuite, kind: 'suite', request: true },
  TaskSuiteViewV1: { file: full, model: m.TaskSuite, request: false },
  TaskSuitePatchV1: { file: full, model: m.TaskSuitePatch, request: true },
  TaskOverlapPatchV1: { file: full, model: m.OverlapPatch, request: true },
  TaskSuiteOverlapPatchV1: { file: full, model: m.OverlapPatch, request: true },
  PoolPatchFormV1: { file: full, model: m.PoolPatch, request: true },
  PoolQualityControl: { file: full, model: m.QualityControl, kind: 'qc', request: true },
  MixerConfig: { file: full, model: m.MixerConfig, request: true },
  DynamicPricingConfig: { file: full, model: m.DynamicPricingConfig, request: true },
  TaskDistributionFunction: { file: full, model: m.TaskDistributionFunction, request: true },
  AssignmentViewV1: { file: full, model: m.Assignment, request: false },
  AssignmentPatchV1: { file: full, model: m.AssignmentPatch, request: true },
  OperationViewV1: { file: full, model: m.Operation, request: false },
  AttachmentViewV1: { file: full, model: m.Attachment, request: false },
  RequesterViewV1: { file: full, model: m.Requester, request: false },
  AggregatedSolutionViewV1: { file: full, model: m.AggregatedSolution, request: false },
  Owner: { file: full, model: m.Owner, request: false },
  UserBonusFormV1: { file: full, model: m.UserBonusForm, request: true },
  UserBonusViewV1: { file: full, model: m.UserBonus, request: false },
  UserMetadataViewV1: { file: full, model: m.UserMetadata, request: false },
  UserRestrictionFormV1: { file: full, model: m.UserRestriction, request: true },
  UserRestrictionViewV1: { file: full, model: m.UserRestriction, request: false },
  UserSkillFormV1: { file: full, model: SetUserSkill, request: true },
  UserSkillViewV1: { file: full, model: UserSkill, request: false },
  WebhookSubscriptionFormV1: { file: full, model: m.WebhookSubscriptionForm, request: true },
  WebhookSubscriptionViewV1: { file: full, model: m.WebhookSubscription, request: false },
  MessageThreadComposeFormV1: { file: full, model: m.MessageCompose, request: true },
  MessageThreadViewV1: { file: full, model: m.MessageThread, request: false },
  MessageThreadFoldersFormV1: { file: full, model: m.MessageFolders, request: true },
  MessageThreadReplyFormV1: { file: full, model: m.MessageReply, request: true },
  DawidSkeneAggregatedSolutionFormV1: { file: full, model: m.AggregateByPoolRequest, request: true, pin: ['type', 'DAWID_SKENE'] },
  WeightedDynamicOverlapAggregatedSolutionFormV1: { file: full, model: m.AggregateByPoolRequest, request: true, pin: ['type', 'WEIGHTED_DYNAMIC_OVERLAP'] },
  WebhookPushResultView: { file: full, model: m.WebhookTestResult, request: false },
  PageOfTaskSuiteV1: { file: full, model: m.BatchCreateResult(m.TaskSuite), request: false },
  PageOfBonusV1: { file: full, model: m.BatchCreateResult(m.UserBonus), request: false },
  OperationLog: { file: 'v1-additional.yaml', model: m.OperationLogItem, request: false },
  Message: { file: full, model: m.Message, request: false },
  Interlocutor: { file: full, model: m.Interlocutor, request: false },
  TaskSpec: { file: 'v1-additional.yaml', model: m.TaskSpec, request: true },
  AppResult: { file: apps, model: m.App, request: false },
  AppListItem: { file: apps, model: m.App, request: false },
  AppListResult: { file: apps, model: contentPage(m.App), request: false },
  AppProject: { file: apps, model: m.AppProject, request: false },
  AppProjectListItem: { file: apps, model: m.AppProject, request: false },
  AppProjectListResult: { file: apps, model: contentPage(m.AppProject), request: false },
  AppProjectCreateForm: { file: apps, model: CreateAppProject, request: true },
  Item: { file: apps, model: m.AppItem, request: false },
  ItemListResult: { file: apps, model: contentPage(m.AppItem), request: false },
  ItemsBulkCreateForm: { file: apps, model: BulkItems, request: true },
  ItemsBulkCreateResponse: { file: apps, model: z.array(z.string()), request: false },
  Batch: { file: apps, model: m.AppBatch, request: false },
  BatchListResult: { file: apps, model: contentPage(m.AppBatch), request: false },
  BatchCreateForm: { file: apps, model: m.AppBatchCreate, request: true },
  RequestError: { file: apps, model: m.ErrorBody, request: false },
  ItemError: { file: apps, model: m.ErrorBody, request: false },
  BatchPatchForm: { file: apps, model: m.AppBatchPatch, request: true },
};
/** The views Toloka lists in pages (`PageOfV1<view>`: items and has_more), whose items the view's model reads. */
const pagedViews = ['AggregatedSolutionViewV1', 'AssignmentViewV1', 'AttachmentViewV1', 'MessageThreadViewV1', 'OperationViewV1', 'PoolViewV1', 'ProjectViewV1', 'SkillViewV1', 'TaskSuiteViewV1', 'TaskViewV1', 'TrainingViewV1', 'UserBonusViewV1', 'UserRestrictionViewV1', 'UserSkillViewV1', 'WebhookSubscriptionViewV1'] as const;
const targets: Readonly<Record<string, Target>> = {
  ...ownTargets,
  ...Object.fromEntries(
    pagedViews.map((view) => [`PageOfV1${view}`, { file: full, model: page(ownTargets[view]?.model ?? assert.fail(`no target ${view}`)), request: false, pageOf: view }]),
  ),
};

const files = new Map<string, Record<string, OpenApiSchema>>();
function schemasOf(file: string): Record<string, OpenApiSchema> {
  let s = files.get(file);
  // v1-fullApi.yaml refers to v1-additional.yaml's schemas (`./parts/api/additional.yaml#/…`), and so does the
  // apps file (`./parts/apps/additional.yaml#/…HasMore`); no name is in both.
  if (!s) files.set(file, (s = { ...load('v1-additional.yaml'), ...load(file) } as Record<string, OpenApiSchema>));
  return s;
}

/** Properties Toloka requires though the OpenAPI does not mark them, by component. */
const unmarkedRequired = Object.fromEntries(known.filter((k) => k.required).map((k) => [k.schema, k.required ?? []]));

/** The variants of one target: from its required fields (with those Toloka requires unmarked), so a variant changes one place only. */
function variantsOf(name: string, t: Target): Variant[] {
  return pinned(new PayloadGenerator(schemasOf(t.file), false, unmarkedRequired).variants({ $ref: `#/components/schemas/${name}` }), t.pin);
}

/** A glob over variant ids: `*` any run of characters. */
function matches(glob: string, id: string): boolean {
  return new RegExp(`^${glob.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(id);
}

describe('payloads generated from every OpenAPI schema we model', { skip: skipReference }, () => {
  if (!haveReference) {
    it('needs the OpenAPI files', () => assert.fail(`${reference} not found: CI=true needs Toloka's OpenAPI files (set TOLOKA_OPENAPI to their folder)`));
    return;
  }
  const ajv = new Ajv({ strict: false, allErrors: false, validateFormats: false });
  const listed = known.filter((k) => k.variants && !k.http);
  const unmarked = known.filter((k) => k.required);
  const used = new Set<KnownDifference>();
  let variantCount = 0;
  let invalidCount = 0;
  let differing = 0;

  for (const [name, t] of Object.entries(targets)) {
    it(`${name} (${t.file}): our model${t.kind ? ', JSON Schema' : ''}${t.request ? ' and sandbox' : ''} take what the OpenAPI allows${t.request ? ' and refuse what it refuses' : ''}`, () => {
      assert.ok(schemasOf(t.file)[name], `${name} is in ${t.file}`);
      const variants = variantsOf(name, t);
      variantCount += variants.length;
      invalidCount += variants.filter((v) => !v.valid && t.request).length;
      const schemaCheck = t.kind ? ajv.compile(jsonSchemaFor(t.kind)) : undefined;
      const verdicts = (v: Variant): Array<[string, boolean]> => {
        const out: Array<[string, boolean]> = [['zod', t.model.safeParse(v.value).success]];
        if (schemaCheck) out.push(['JSON Schema', schemaCheck(withReferencesAsIds(v.value)) === true]);
        if (t.request) {
          let ok = true;
          try {
            parseBody(t.model, v.value);
          } catch {
            ok = false;
          }
          out.push(['sandbox', ok]);
        }
        return out;
      };
      const wrong: string[] = [];
      for (const v of variants) {
        if (!v.valid && !t.request) continue;
        const differs = verdicts(v).filter(([, ok]) => ok !== v.valid).map(([who]) => who);
        const entry =
          unmarked.find((k) => k.required?.some((p) => `${k.schema}.${p}` === v.omits)) ??
          listed.find((k) => k.schema === name && k.variants?.some((g) => matches(g, v.id))) ??
          listed.find((k) => k.schema === t.pageOf && k.variants?.some((g) => matches(`items[0]${g.startsWith('=') || g.startsWith('*') ? '' : '.'}${g}`, v.id)));
        if (entry && differs.length) {
          used.add(entry);
          differing++;
        }
        if (differs.length && !entry) {
          const r = t.model.safeParse(v.value);
          const why = r.success ? '' : ` (${r.error.issues.slice(0, 2).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')})`;
          wrong.push(`${v.id || '(minimal)'}${v.omits ? ` [${v.omits}]` : ''}: ${v.valid ? 'refused' : 'taken'} by ${differs.join(', ')}${why} though the OpenAPI ${v.valid ? 'allows' : 'refuses'} it: ${JSON.stringify(v.value).slice(0, 300)}`);
        }
      }
      assert.deepEqual(wrong, [], `${name}: ${wrong.length} of ${variants.length} variants\n${wrong.join('\n')}`);
    });
  }

  it('walks every schema of the OpenAPI files: each is one we model, part of one, or listed as not modelled with its reason', (t) => {
    /** The names a schema refers to, and theirs in turn. */
    const reached = new Set<string>();
    const walk = (schemas: Record<string, OpenApiSchema>, name: string): void => {
      if (reached.has(name) || !schemas[name]) return;
      reached.add(name);
      for (const [, ref] of JSON.stringify(schemas[name]).matchAll(/"\$ref":"[^"]*#\/components\/schemas\/([^"]+)"/g)) walk(schemas, ref ?? '');
    };
    for (const [name, target] of Object.entries(targets)) walk(schemasOf(target.file), name);
    const notModelled = known.filter((k) => k.notModelled);
    const all = [...new Set([...Object.keys(schemasOf(full)), ...Object.keys(schemasOf(apps))])];
    const missing = all.filter((n) => !reached.has(n) && !notModelled.some((k) => k.schema === n));
    const stale = notModelled.filter((k) => reached.has(k.schema) || !all.includes(k.schema)).map((k) => k.schema);
    t.diagnostic(`${all.length} component schemas: ${Object.keys(targets).length} walked as our models' own, ${reached.size - Object.keys(targets).length} inside them, ${notModelled.length} not modelled (listed with reasons)`);
    assert.deepEqual(missing, [], 'schemas neither walked nor listed as not modelled in known-differences.json');
    assert.deepEqual(stale, [], 'listed as not modelled, but walked (or in no file): take them off the list');
    assert.equal(Object.keys(targets).length, 82, 'schemas walked as our models');
  });

  it('lists no known difference that no longer differs', (t) => {
    t.diagnostic(`${Object.keys(targets).length} schemas, ${variantCount} variants (${invalidCount} invalid requests checked refused), ${differing} differ as listed by ${used.size} entries`);
    const stale = [...listed, ...unmarked].filter((k) => !used.has(k));
    assert.deepEqual(stale.map((k) => `${k.schema}: ${(k.variants ?? k.required)?.join(', ')}`), [], 'stale entries in known-differences.json');
    assert.ok(variantCount > 0, `${variantCount} variants`);
  });
});

/** The entities made in the sandbox first, for the generated requests to refer to. */
interface Entities {
  readonly project: string;
  readonly pool: string;
  readonly training: string;
  readonly task: string;
  readonly suite: string;
  readonly skill: string;
  readonly thread: string;
  readonly appProject: string;
  readonly batch: string;
  readonly toloker: string;
  /** Edited by the PUT variants, apart from those the other forms refer to. */
  readonly edited: { readonly project: string; readonly pool: string; readonly skill: string };
}

/**
 * Where the sandbox takes a request form. `refs`: the top-level fields that refer to an entity (or
 * must be a loopback URL, the only webhooks the sandbox calls), pointed at the one made for them
 * unless the variant varies that field itself; `fit`: what else a payload needs to mean something
 * to the entities (an app's parameters and items as its specs ask, a bonus's message).
 */
interface Route {
  readonly method: 'POST' | 'PUT' | 'PATCH';
  readonly path: (e: Entities) => string;
  readonly refs?: Readonly<Record<string, (e: Entities) => string>>;
  readonly fit?: (body: Record<string, unknown>, id: string) => Record<string, unknown>;
  /** A PUT of a view is validated as the create form is: the form's known differences are the view's too. */
  readonly asForm?: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** The built-in app's items are texts. */
const withText = (items: unknown): unknown => (Array.isArray(items) ? items.map((i) => (isRecord(i) ? { text: 'A text', ...i } : i)) : items);
const appItems = (b: Record<string, unknown>): Record<string, unknown> => ('items' in b ? { ...b, items: withText(b['items']) } : b);

const routes: Readonly<Record<string, Route>> = {
  ProjectFormV1: { method: 'POST', path: () => '/v1/projects' },
  // A PUT takes the view (what a GET returned, edited).
  ProjectViewV1: { method: 'PUT', path: (e) => `/v1/projects/${e.edited.project}`, asForm: 'ProjectFormV1' },
  PoolViewV1: { method: 'PUT', path: (e) => `/v1/pools/${e.edited.pool}`, refs: { project_id: (e) => e.project }, asForm: 'PoolFormV1' },
  TrainingViewV1: { method: 'PUT', path: (e) => `/v1/trainings/${e.training}`, refs: { project_id: (e) => e.project }, asForm: 'TrainingFormV1' },
  SkillViewV1: { method: 'PUT', path: (e) => `/v1/skills/${e.edited.skill}`, asForm: 'SkillFormV1' },
  PoolFormV1: { method: 'POST', path: () => '/v1/pools', refs: { project_id: (e) => e.project } },
  PoolPatchFormV1: { method: 'PATCH', path: (e) => `/v1/pools/${e.pool}` },
  TrainingFormV1: { method: 'POST', path: () => '/v1/trainings', refs: { project_id: (e) => e.project } },
  SkillFormV1: { method: 'POST', path: () => '/v1/skills' },
  TaskFormV1: { method: 'POST', path: () => '/v1/tasks?allow_defaults=true', refs: { pool_id: (e) => e.pool } },
  TaskPatchV1: { method: 'PATCH', path: (e) => `/v1/tasks/${e.task}` },
  TaskOverlapPatchV1: { method: 'PATCH', path: (e) => `/v1/tasks/${e.task}/set-overlap-or-min` },
  TaskSuiteFormV1: { method: 'POST', path: () => '/v1/task-suites?allow_defaults=true', refs: { pool_id: (e) => e.pool } },
  TaskSuitePatchV1: { method: 'PATCH', path: (e) => `/v1/task-suites/${e.suite}` },
  TaskSuiteOverlapPatchV1: { method: 'PATCH', path: (e) => `/v1/task-suites/${e.suite}/set-overlap-or-min` },
  UserBonusFormV1: {
    method: 'POST',
    path: () => '/v1/user-bonuses',
    refs: { user_id: (e) => e.toloker },
    // Toloka needs a title and a message unless without_message: a variant that sends neither says so.
    fit: (b) => (b['public_title'] === undefined && b['public_message'] === undefined && b['without_message'] === undefined ? { ...b, without_message: true } : b),
  },
  UserRestrictionFormV1: { method: 'PUT', path: () => '/v1/user-restrictions', refs: { pool_id: (e) => e.pool, project_id: (e) => e.project } },
  UserSkillFormV1: { method: 'PUT', path: () => '/v1/user-skills', refs: { skill_id: (e) => e.skill } },
  MessageThreadComposeFormV1: { method: 'POST', path: () => '/v1/message-threads/compose' },
  MessageThreadReplyFormV1: { method: 'POST', path: (e) => `/v1/message-threads/${e.thread}/reply` },
  MessageThreadFoldersFormV1: { method: 'POST', path: (e) => `/v1/message-threads/${e.thread}/add-to-folders` },
  WebhookSubscriptionFormV1: { method: 'PUT', path: () => '/v1/webhook-subscriptions', refs: { pool_id: (e) => e.pool, webhook_url: () => 'http://127.0.0.1:9/toloka-webhook' } },
  DawidSkeneAggregatedSolutionFormV1: { method: 'POST', path: () => '/v1/aggregated-solutions/aggregate-by-pool', refs: { pool_id: (e) => e.pool } },
  WeightedDynamicOverlapAggregatedSolutionFormV1: {
    method: 'POST',
    path: () => '/v1/aggregated-solutions/aggregate-by-pool',
    refs: { pool_id: (e) => e.pool, answer_weight_skill_id: (e) => e.skill },
  },
  AppProjectCreateForm: {
    method: 'POST',
    path: () => '/app/v0/app-projects',
    refs: { app_id: () => 'text-classification' },
    // The built-in app's param_spec asks for two categories or more.
    fit: (b, id) => (isRecord(b['parameters']) && !id.startsWith('parameters=') ? { ...b, parameters: { categories: ['cat', 'dog'], ...b['parameters'] } } : b),
  },
  ItemsBulkCreateForm: { method: 'POST', path: (e) => `/app/v0/app-projects/${e.appProject}/items/bulk`, refs: { batch_id: (e) => e.batch }, fit: appItems },
  BatchCreateForm: { method: 'POST', path: (e) => `/app/v0/app-projects/${e.appProject}/batches`, fit: appItems },
  BatchPatchForm: { method: 'PATCH', path: (e) => `/app/v0/app-projects/${e.appProject}/batches/${e.batch}` },
};

/**
 * The request forms not sent on their own, and why: parts of a form that is (sent inside a pool or
 * a project), or one whose entity a test cannot simply make.
 */
const notSent: Readonly<Record<string, string>> = {
  PoolQualityControl: 'sent inside every pool and project variant',
  MixerConfig: 'sent inside every pool variant',
  DynamicPricingConfig: 'sent inside every pool variant',
  TaskDistributionFunction: 'sent inside every pool variant',
  TaskSpec: 'sent inside every project variant',
  AssignmentPatchV1: 'needs an assignment a Toloker has submitted; the accept/reject tests cover the route',
};

function modelTakes(model: z.ZodType, value: unknown): boolean {
  try {
    parseBody(model, value);
    return true;
  } catch {
    return false;
  }
}

/** The field a refused variant is about, as the sandbox's error payload names it: `a.b[0].c=…` is `a.b.0.c`, `a=-c` is `a.c`. */
function fieldOf(id: string): string {
  const at = id.indexOf('=');
  const where = at < 0 ? id : id.slice(0, at);
  const what = at < 0 ? '' : id.slice(at + 1);
  const field = what.startsWith('-') ? [where, what.slice(1)].filter(Boolean).join('.') : where;
  return field.replace(/\[(\d+)\]/g, '.$1');
}

/** Whether a payload key names the field: the field itself, a part of it, or the object it is in (a union that failed as a whole). */
function names(key: string, field: string): boolean {
  return key === field || key.startsWith(`${field}.`) || (key !== '(root)' && field.startsWith(`${key}.`));
}

describe('the sandbox over HTTP takes each generated request the OpenAPI allows and refuses what it refuses, naming the field', { skip: skipReference }, () => {
  if (!haveReference) {
    it('needs the OpenAPI files', () => assert.fail(`${reference} not found: CI=true needs Toloka's OpenAPI files (set TOLOKA_OPENAPI to their folder)`));
    return;
  }

  it('every request form the sandbox has a route for, every valid variant and every invalid one', async (t) => {
    const requests = Object.entries(targets).filter(([, target]) => target.request);
    assert.deepEqual(requests.map(([n]) => n).filter((n) => !routes[n] && !notSent[n]), [], 'request forms with neither a route here nor a reason not to send them');

    const h = await harness({ quotas: false, tolokers: { assignmentsPerSecond: 0 } });
    try {
      const send = async (method: string, url: string, body: unknown): Promise<{ status: number; body: unknown }> => {
        const r = await fetch(`${h.sandbox.apiRoot}${url}`, { method, headers: { Authorization: 'OAuth x', 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
        const text = await r.text();
        return { status: r.status, body: text ? (JSON.parse(text) as unknown) : undefined };
      };
      const make = async (url: string, body: unknown, method = 'POST'): Promise<string> => {
        const r = await send(method, url, body);
        assert.ok(r.status < 300, `${url}: ${r.status} ${JSON.stringify(r.body)}`);
        return String((r.body as { id: unknown }).id);
      };
      // Generated tasks carry no input values or any; known solutions any output: every field optional.
      const projectForm = {
        public_name: 'Conformance',
        task_spec: { input_spec: { text: { type: 'string', required: false } }, output_spec: { result: { type: 'string', required: false } }, view_spec: { type: 'classic', markup: '{{text}}' } },
      };
      const project = await make('/v1/projects', projectForm);
      const pool = await make('/v1/pools', poolFor(project));
      const training = await make('/v1/trainings', { project_id: project, private_name: 'Conformance', inherited_instructions: true, training_tasks_in_task_suite_count: 1 });
      const task = await make('/v1/tasks', { pool_id: pool, input_values: { text: 'x' }, overlap: 1 });
      const suite = await make('/v1/task-suites', { pool_id: pool, tasks: [{ input_values: { text: 'x' } }], overlap: 1 });
      const skill = await make('/v1/skills', { name: 'Conformance' });
      const thread = await make('/v1/message-threads/compose', { topic: { EN: 'Hello' }, text: { EN: 'Hello' }, answerable: true, recipients_select_type: 'ALL' });
      const appProject = await make('/app/v0/app-projects', { app_id: 'text-classification', name: 'Conformance', parameters: { categories: ['cat', 'dog'] } });
      const batch = await make(`/app/v0/app-projects/${appProject}/batches`, { name: 'Conformance' });
      const toloker = h.sandbox.tolokers.workers[0]?.id ?? assert.fail('the sandbox has simulated Tolokers');
      const edited = { project: await make('/v1/projects', projectForm), pool: await make('/v1/pools', poolFor(project)), skill: await make('/v1/skills', { name: 'Edited' }) };
      const e: Entities = { project, pool, training, task, suite, skill, thread, appProject, batch, toloker, edited };
      // Bonuses up to $100 each: enough money that no variant meets NOT_ENOUGH_BALANCE.
      h.sandbox.state.requester.balance = 1e9;

      const wrong: string[] = [];
      const used = new Set<KnownDifference>();
      const n = { sent: 0, taken: 0, refused: 0, refusedListed: 0, unknownReference: 0, skipped: 0 };
      const references = new Set<string>();
      for (const [name, route] of Object.entries(routes)) {
        const target = targets[name] ?? assert.fail(`no target ${name}`);
        for (const v of variantsOf(name, target)) {
          // A listed difference of the model is one of the sandbox too (it validates with the model): not sent.
          const entry =
            known.find((k) => (k.schema === name || k.schema === route.asForm) && k.variants?.some((g) => matches(g, v.id))) ??
            known.find((k) => k.required?.some((p) => `${k.schema}.${p}` === v.omits));
          if (entry && (entry.http || modelTakes(target.model, v.value) !== v.valid)) {
            used.add(entry);
            n.skipped++;
            continue;
          }
          let body = v.value;
          if (isRecord(body)) {
            const b: Record<string, unknown> = { ...body };
            for (const [key, to] of Object.entries(route.refs ?? {})) if (typeof b[key] === 'string' && !v.id.startsWith(`${key}=`)) b[key] = to(e);
            body = route.fit ? route.fit(b, v.id) : b;
          }
          const r = await send(route.method, route.path(e), body);
          n.sent++;
          const payload = isRecord(r.body) && isRecord(r.body['payload']) ? r.body['payload'] : {};
          const what = `${name} ${v.id || '(minimal)'}: ${r.status} ${JSON.stringify(r.body).slice(0, 240)} for ${JSON.stringify(body).slice(0, 240)}`;
          if (v.valid) {
            // A made-up id the variant itself varies is Toloka's ENTITY_DOES_NOT_EXIST, not a refusal of the form.
            const reference = r.status === 400 && Object.keys(payload).length > 0 && Object.values(payload).every((p) => isRecord(p) && p['code'] === 'ENTITY_DOES_NOT_EXIST');
            if (reference) {
              n.unknownReference++;
              references.add(`${name} ${v.id}`);
            }
            else if (r.status < 300) n.taken++;
            else wrong.push(`refused though the OpenAPI allows it: ${what}`);
          } else {
            const field = fieldOf(v.id);
            if (r.status === 400 && Object.keys(payload).some((k) => names(k, field))) n.refused++;
            // Where the variant's place is listed as a known difference (a view spec without `type`), its payload is
            // refused already for that: a 400, whichever field it names.
            else if (r.status === 400 && entry) n.refusedListed++;
            else wrong.push(`${r.status === 400 ? `a 400 not naming ${field}` : 'not refused'} though the OpenAPI refuses it: ${what}`);
          }
        }
      }
      t.diagnostic(
        `${n.sent} requests sent over HTTP for ${Object.keys(routes).length} forms: ${n.taken} valid taken (2xx), ${n.unknownReference} valid with a made-up id answered ENTITY_DOES_NOT_EXIST (${[...references].join(', ')}), ${n.refused} invalid refused with a 400 naming the field and ${n.refusedListed} with a 400 for a listed difference; ${n.skipped} listed as known differences not sent`,
      );
      assert.deepEqual(wrong, [], `${wrong.length} of ${n.sent} requests`);
      const stale = known.filter((k) => k.http && !used.has(k));
      assert.deepEqual(stale.map((k) => `${k.schema}: ${k.variants?.join(', ')}`), [], 'stale HTTP entries in known-differences.json');
    } finally {
      await h.stop();
    }
  });
});

describe('fidelity found by running Toloka’s documentation examples', () => {
  const pool = { project_id: '1', private_name: 'x', will_expire: '2030-01-01T00:00', reward_per_assignment: 0.01, assignment_max_duration_seconds: 60, defaults: { default_overlap_for_new_task_suites: 1 } };

  it('takes a pool filter with a numeric skill key, as the docs write it, and keeps it as the id string', () => {
    const r = m.Pool.parse({ ...pool, filter: { and: [{ category: 'skill', key: 1124, operator: 'GTE', value: 80 }] } });
    assert.deepEqual(r.filter, { and: [{ category: 'skill', key: '1124', operator: 'GTE', value: 80 }] });
  });

  it('takes a field spec type as Toloka does: lower-case only (`url`, not the `URL` of one doc example)', () => {
    const spec = (type: string) => ({ input_spec: { u: { type } }, output_spec: { r: { type: 'string' } } });
    for (const type of ['url', 'string', 'coordinates', 'array_url']) assert.ok(m.TaskSpec.safeParse(spec(type)).success, type);
    for (const type of ['URL', 'Url', 'STRING']) assert.equal(m.TaskSpec.safeParse(spec(type)).success, false, type);
  });

  it('takes a task with overlap 0 and the project-level fields of Toloka’s project examples', () => {
    assert.ok(m.Task.safeParse({ pool_id: '1', input_values: { a: 1 }, overlap: 0 }).success);
    const project = {
      public_name: 'x', public_description: 'y', assignments_automerge_enabled: true, max_active_assignments_count: 5, quality_control: { configs: [] },
      task_spec: { input_spec: { u: { type: 'url' } }, output_spec: { r: { type: 'string' } }, view_spec: { type: 'tb', config: '{}', lock: { core: '1.0.0' }, settings: { showSkip: true, permissions: {} } } },
    };
    assert.ok(m.Project.safeParse(project).success);
  });
});
