/** The payload JSON Schemas against the zod models they are generated from. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import Ajv from 'ajv';
import { repoRoot } from '../runners/provision';
import { formatPath, jsonSchemaFor, kindOfFile, payloadKindNames, undocumentedProperties, validatePayload, type PayloadKind } from '../../src/toloka/schemas';

const pool = {
  project_id: '100001',
  private_name: 'Cats',
  may_contain_adult_content: false,
  will_expire: '2030-01-01T12:00:00',
  reward_per_assignment: 0.02,
  assignment_max_duration_seconds: 600,
  defaults: { default_overlap_for_new_task_suites: 3 },
};
const rule = (collector: Record<string, unknown>, conditions: unknown[], action: unknown) => ({ ...pool, quality_control: { configs: [{ collector_config: collector, rules: [{ conditions, action }] }] } });
const project = {
  public_name: 'Cats',
  public_description: 'Is it a cat?',
  task_spec: { input_spec: { image: { type: 'url' } }, output_spec: { result: { type: 'string', allowed_values: ['cat', 'dog'] } }, view_spec: { type: 'classic', markup: '<img>' } },
};
const task = { pool_id: '1', input_values: { image: 'https://example.com/1.jpg' }, overlap: 3 };

/** [kind, name, payload, valid?] */
const fixtures: Array<[PayloadKind, string, unknown, boolean]> = [
  ['pool', 'minimal pool', pool, true],
  ['pool', 'will_expire with minutes only, as the docs write it', { ...pool, will_expire: '2030-01-01T13:00' }, true],
  ['pool', 'read-only fields are accepted', { ...pool, id: '7', status: 'OPEN', created: '2026-01-01T00:00:00', last_close_reason: 'MANUAL' }, true],
  ['pool', 'missing will_expire', { ...pool, will_expire: undefined }, false],
  ['pool', 'reward as text', { ...pool, reward_per_assignment: 'cheap' }, false],
  ['pool', 'negative reward', { ...pool, reward_per_assignment: -1 }, false],
  ['pool', 'overlap 0', { ...pool, defaults: { default_overlap_for_new_task_suites: 0 } }, false],
  ['pool', 'a typo in a field name', { ...pool, reward_per_assigment: 0.02 }, false],
  ['pool', 'a typo inside a nested object', { ...pool, defaults: { default_overlap_for_new_task_suites: 3, default_overlap_for_new_task: 3 } }, false],
  ['pool', 'golden-set rule', rule({ type: 'GOLDEN_SET', parameters: { history_size: 10 } }, [{ key: 'correct_answers_rate', operator: 'LT', value: 60 }], { type: 'RESTRICTION_V2', parameters: { scope: 'PROJECT', duration: 1, duration_unit: 'DAYS' } }), true],
  ['pool', 'recompletion on SKILL_CHANGE (seed 002)', rule({ type: 'USERS_ASSESSMENT' }, [{ key: 'pool_access_revoked_reason', operator: 'EQ', value: 'SKILL_CHANGE' }, { key: 'skill_id', operator: 'EQ', value: '2626' }], { type: 'CHANGE_OVERLAP', parameters: { delta: 1, open_pool: true } }), true],
  ['pool', 'CHANGE_OVERLAP without delta', rule({ type: 'ASSIGNMENTS_ASSESSMENT' }, [{ key: 'assessment_event', operator: 'EQ', value: 'REJECT' }], { type: 'CHANGE_OVERLAP', parameters: { open_pool: true } }), false],
  ['pool', 'REJECT_ALL_ASSIGNMENTS without public_comment', rule({ type: 'GOLDEN_SET', parameters: {} }, [{ key: 'correct_answers_rate', operator: 'LT', value: 60 }], { type: 'REJECT_ALL_ASSIGNMENTS', parameters: {} }), false],
  ['pool', 'SET_SKILL without skill_value', rule({ type: 'GOLDEN_SET', parameters: {} }, [{ key: 'total_answers_count', operator: 'GT', value: 5 }], { type: 'SET_SKILL', parameters: { skill_id: '1' } }), false],
  ['pool', 'a key of another collector', rule({ type: 'GOLDEN_SET', parameters: {} }, [{ key: 'skipped_in_row_count', operator: 'GT', value: 3 }], { type: 'APPROVE_ALL_ASSIGNMENTS' }), false],
  ['pool', 'MAJORITY_VOTE without answer_threshold', rule({ type: 'MAJORITY_VOTE', parameters: { history_size: 5 } }, [{ key: 'correct_answers_rate', operator: 'LT', value: 50 }], { type: 'RESTRICTION_V2', parameters: { scope: 'POOL', duration_unit: 'PERMANENT' } }), false],
  ['pool', 'ASSIGNMENT_SUBMIT_TIME without parameters', rule({ type: 'ASSIGNMENT_SUBMIT_TIME' }, [{ key: 'fast_submitted_count', operator: 'GT', value: 1 }], { type: 'RESTRICTION_V2', parameters: { scope: 'POOL', duration_unit: 'PERMANENT' } }), false],
  ['pool', 'an unknown action', rule({ type: 'GOLDEN_SET', parameters: {} }, [{ key: 'correct_answers_rate', operator: 'LT', value: 60 }], { type: 'SEND_FLOWERS' }), false],
  ['pool', 'dynamic pricing', { ...pool, dynamic_pricing_config: { type: 'SKILL', skill_id: '1289', intervals: [{ from: 0, to: 60, reward_per_assignment: 0.03 }] } }, true],
  ['pool', 'dynamic pricing without skill_id', { ...pool, dynamic_pricing_config: { type: 'SKILL', intervals: [{ from: 0, to: 60, reward_per_assignment: 0.03 }] } }, false],
  ['pool', 'dynamic overlap', { ...pool, dynamic_overlap_config: { type: 'BASIC', max_overlap: 5, min_confidence: 0.8, answer_weight_skill_id: '1', fields: [{ name: 'result' }] } }, true],
  ['pool', 'dynamic overlap with confidence above 1', { ...pool, dynamic_overlap_config: { type: 'BASIC', max_overlap: 5, min_confidence: 80, answer_weight_skill_id: '1', fields: [{ name: 'result' }] } }, false],
  ['pool', 'mixer', { ...pool, mixer_config: { real_tasks_count: 4, golden_tasks_count: 1, training_tasks_count: 0 } }, true],
  ['pool', 'mixer without training_tasks_count', { ...pool, mixer_config: { real_tasks_count: 4, golden_tasks_count: 1 } }, false],
  ['pool', 'filter', { ...pool, filter: { and: [{ or: [{ category: 'profile', key: 'languages', operator: 'IN', value: 'EN' }] }, { category: 'skill', key: '1124', operator: 'GTE', value: 80 }] } }, true],
  ['pool', 'filter with a lower-case operator', { ...pool, filter: { and: [{ category: 'profile', key: 'languages', operator: 'in', value: 'EN' }] } }, false],
  ['pool', 'selective review', { ...pool, quality_control: { checkpoints_config: { real_settings: { target_overlap: 5, task_distribution_function: { scope: 'PROJECT', distribution: 'UNIFORM', window_days: 5, intervals: [{ from: 1, to: 100, frequency: 5 }] } } } } }, true],
  ['pool', 'selective review without target_overlap', { ...pool, quality_control: { checkpoints_config: { real_settings: { task_distribution_function: { scope: 'PROJECT', distribution: 'UNIFORM', intervals: [{ frequency: 5 }] } } } } }, false],
  ['project', 'classification project', project, true],
  ['project', 'an unknown field type', { ...project, task_spec: { ...project.task_spec, input_spec: { image: { type: 'picture' } } } }, false],
  ['project', 'a Template Builder view', { ...project, task_spec: { ...project.task_spec, view_spec: { type: 'tb', config: '{"view": {}}', lock: { core: '1.0.0' } } } }, true],
  ['project', 'a Template Builder view without lock', { ...project, task_spec: { ...project.task_spec, view_spec: { type: 'tb', config: '{}' } } }, false],
  ['project', 'no task_spec', { public_name: 'x' }, false],
  ['task', 'task', task, true],
  ['task', 'control task', { ...task, overlap: undefined, known_solutions: [{ output_values: { result: 'cat' }, correctness_weight: 1 }] }, true],
  ['task', 'correctness weight above 1', { ...task, known_solutions: [{ output_values: { result: 'cat' }, correctness_weight: 2 }] }, false],
  ['task', 'no input_values', { pool_id: '1' }, false],
  ['tasks', 'tasks', [task, task], true],
  ['tasks', 'one bad task in the array', [task, { pool_id: '1' }], false],
  ['suite', 'suite', { pool_id: '1', overlap: 2, tasks: [{ input_values: { a: 1 } }] }, true],
  ['suite', 'empty suite', { pool_id: '1', tasks: [] }, false],
  ['training', 'training pool', { project_id: '1', private_name: 'T', inherited_instructions: true, training_tasks_in_task_suite_count: 3 }, true],
  ['training', 'training pool without inherited_instructions', { project_id: '1', private_name: 'T', training_tasks_in_task_suite_count: 3 }, false],
  ['qc', 'quality control block', { configs: [{ collector_config: { type: 'SKIPPED_IN_ROW_ASSIGNMENTS' }, rules: [{ conditions: [{ key: 'skipped_in_row_count', operator: 'GTE', value: 10 }], action: { type: 'RESTRICTION_V2', parameters: { scope: 'PROJECT', duration: 1, duration_unit: 'DAYS' } } }] }] }, true],
  ['qc', 'rule without conditions', { configs: [{ collector_config: { type: 'SKIPPED_IN_ROW_ASSIGNMENTS' }, rules: [{ conditions: [], action: { type: 'APPROVE_ALL_ASSIGNMENTS' } }] }] }, false],
  ['app-items', 'app items', [{ text: 'a' }, { text: 'b' }], true],
  ['app-items', 'an item that is not an object', [{ text: 'a' }, 'b'], false],
];

describe('Payload JSON Schemas', () => {
  it('document every property of every payload kind', () => {
    for (const kind of payloadKindNames) assert.deepEqual(undocumentedProperties(kind), [], `${kind}: undocumented properties`);
  });

  it('ship in the bundle exactly as the models generate them', () => {
    for (const kind of payloadKindNames) {
      const file = path.join(repoRoot, 'dist', 'schemas', `${kind}.schema.json`);
      assert.ok(fs.existsSync(file), `${file} is built`);
      assert.deepEqual(JSON.parse(fs.readFileSync(file, 'utf8')), jsonSchemaFor(kind), `${kind}.schema.json drifted from the models: rebuild`);
    }
  });

  it('accept exactly what the models accept, on every fixture', () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    for (const [kind, name, payload, valid] of fixtures) {
      const clean: unknown = JSON.parse(JSON.stringify(payload));
      const modelProblems = validatePayload(kind, clean);
      const schemaOk = ajv.validate(jsonSchemaFor(kind), clean);
      assert.equal(modelProblems.length === 0, valid, `${kind} / ${name}: the model says ${modelProblems.map((p) => `${formatPath(p.path)}: ${p.message}`).join('; ') || 'valid'}`);
      assert.equal(schemaOk, valid, `${kind} / ${name}: the schema says ${ajv.errorsText()}`);
    }
  });

  it('name the field of a problem by its JSON path, as the API does', () => {
    const problems = validatePayload('pool', { ...pool, defaults: { default_overlap_for_new_task_suites: 0 }, reward_per_assigment: 1 });
    assert.deepEqual(problems.map((p) => formatPath(p.path)).sort(), ['defaults.default_overlap_for_new_task_suites', 'reward_per_assigment']);
    assert.match(problems.find((p) => p.path[0] === 'reward_per_assigment')?.message ?? '', /Unknown field/);
  });

  it('tell the payload kind from the file name', () => {
    assert.equal(kindOfFile('/w/cats.pool.json'), 'pool');
    assert.equal(kindOfFile('batch.tasks.json'), 'tasks');
    assert.equal(kindOfFile('one.task.json'), 'task');
    assert.equal(kindOfFile('x.app-items.json'), 'app-items');
    assert.equal(kindOfFile('package.json'), undefined);
  });

  it('offer completion help: descriptions, enum descriptions, read-only marks and snippets', () => {
    const s = jsonSchemaFor('pool') as { properties: Record<string, { markdownDescription?: string }>; defaultSnippets?: unknown[] };
    assert.match(s.properties['will_expire']?.markdownDescription ?? '', /UTC/);
    assert.match(s.properties['status']?.markdownDescription ?? '', /^\*\*Read-only\*\*/);
    assert.ok((s.defaultSnippets?.length ?? 0) >= 3);
    const text = JSON.stringify(s);
    assert.ok(text.includes('"markdownEnumDescriptions"'));
    assert.ok(text.includes('Recompletion: re-issue a suite when a Toloker loses access (SKILL_CHANGE)'));
  });
});
