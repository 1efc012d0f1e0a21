/**
 * Held to Toloka's own examples: every request and response schema of the OpenAPI files that we
 * model is turned into the payload its examples describe (each property's `example`, nested
 * objects and arrays built the same way), and our zod models (which the sandbox validates
 * requests with) must accept it. Where we knowingly differ, test/fixtures/openapi/known-differences.json
 * says why; an entry that no longer differs fails the test, so the list stays true.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { z } from 'zod';
import * as m from '../../src/toloka/models';
import { SetUserSkill, UserSkill } from '../../src/toloka/models/userSkill';
import { repoRoot } from '../runners/provision';
import { harness } from './fixtures';
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
      const difference = known.find((k) => k.schema === name && !k.variants && !k.required);
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
}
const full = 'v1-fullApi.yaml';
const apps = 'apps-v0-openapi.yaml';
const targets: Record<string, Target> = {
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
  Message: { file: full, model: m.Message, request: false },
  Interlocutor: { file: full, model: m.Interlocutor, request: false },
  TaskSpec: { file: 'v1-additional.yaml', model: m.TaskSpec, request: true },
  AppResult: { file: apps, model: m.App, request: false },
  AppProject: { file: apps, model: m.AppProject, request: false },
  Item: { file: apps, model: m.AppItem, request: false },
  Batch: { file: apps, model: m.AppBatch, request: false },
  BatchCreateForm: { file: apps, model: m.AppBatchCreate, request: true },
  BatchPatchForm: { file: apps, model: m.AppBatchPatch, request: true },
};

/** A glob over variant ids: `*` any run of characters. */
function matches(glob: string, id: string): boolean {
  return new RegExp(`^${glob.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(id);
}

describe('payloads generated from every OpenAPI schema we model', { skip: skipReference }, () => {
  if (!haveReference) {
    it('needs the OpenAPI files', () => assert.fail(`${reference} not found: CI=true needs Toloka's OpenAPI files (set TOLOKA_OPENAPI to their folder)`));
    return;
  }
  const files = new Map<string, Record<string, OpenApiSchema>>();
  const schemasOf = (file: string) => {
    let s = files.get(file);
    // v1-fullApi.yaml refers to v1-additional.yaml's schemas (`./parts/api/additional.yaml#/…`); no name is in both.
    if (!s) files.set(file, (s = (file === apps ? load(file) : { ...load('v1-additional.yaml'), ...load(full) }) as Record<string, OpenApiSchema>));
    return s;
  };
  const ajv = new Ajv({ strict: false, allErrors: false, validateFormats: false });
  const listed = known.filter((k) => k.variants);
  const unmarked = known.filter((k) => k.required);
  const required = Object.fromEntries(unmarked.map((k) => [k.schema, k.required ?? []]));
  const used = new Set<KnownDifference>();
  let variantCount = 0;
  let invalidCount = 0;
  let differing = 0;

  for (const [name, t] of Object.entries(targets)) {
    it(`${name} (${t.file}): our model${t.kind ? ', JSON Schema' : ''}${t.request ? ' and sandbox' : ''} take what the OpenAPI allows${t.request ? ' and refuse what it refuses' : ''}`, () => {
      const schemas = schemasOf(t.file);
      assert.ok(schemas[name], `${name} is in ${t.file}`);
      // Each starts from its required fields (with those Toloka requires unmarked), so a variant changes one place only.
      const variants = new PayloadGenerator(schemas, false, required).variants({ $ref: `#/components/schemas/${name}` });
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
          unmarked.find((k) => k.required?.some((p) => `${k.schema}.${p}` === v.omits)) ?? listed.find((k) => k.schema === name && k.variants?.some((g) => matches(g, v.id)));
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

  it('lists no known difference that no longer differs', (t) => {
    t.diagnostic(`${Object.keys(targets).length} schemas, ${variantCount} variants (${invalidCount} invalid requests checked refused), ${differing} differ as listed by ${used.size} entries`);
    const stale = [...listed, ...unmarked].filter((k) => !used.has(k));
    assert.deepEqual(stale.map((k) => `${k.schema}: ${(k.variants ?? k.required)?.join(', ')}`), [], 'stale entries in known-differences.json');
    assert.ok(variantCount > 0, `${variantCount} variants`);
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
