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
import { repoRoot } from '../runners/provision';
import { harness } from './fixtures';

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

/** YAML reads an unquoted date-time as a Date; in JSON it is the string Toloka sends. */
function asJson(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString().replace('Z', '');
  if (Array.isArray(v)) return v.map(asJson);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, asJson(x)]));
  return v;
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
      const difference = known.find((k) => k.schema === name);
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

describe('fidelity found by running Toloka’s documentation examples', () => {
  const pool = { project_id: '1', private_name: 'x', will_expire: '2030-01-01T00:00', reward_per_assignment: 0.01, assignment_max_duration_seconds: 60, defaults: { default_overlap_for_new_task_suites: 1 } };

  it('takes a pool filter with a numeric skill key, as the docs write it, and keeps it as the id string', () => {
    const r = m.Pool.parse({ ...pool, filter: { and: [{ category: 'skill', key: 1124, operator: 'GTE', value: 80 }] } });
    assert.deepEqual(r.filter, { and: [{ category: 'skill', key: '1124', operator: 'GTE', value: 80 }] });
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
