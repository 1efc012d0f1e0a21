/** Template Builder: every component of the reference has a model, and the models accept, refuse and locate as a requester expects. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { tbConfigAsString } from '../../src/toloka/models/fieldSpec';
import { catalog } from '../../src/tb/catalog';
import { checkTbComponent, checkTbConfig } from '../../src/tb/check';
import { condition, hotkeysOf, resolve, runAction, sampleInput, validateTask, writeData, type TaskData } from '../../src/tb/evaluate';
import { templates } from '../../src/tb/templates';
import Ajv from 'ajv';
import { jsonSchemaFor, validatePayload } from '../../src/toloka/schemas';
import { tbJsonSchema } from '../../src/tb/schema';
import type { PropDef } from '../../src/tb/types';
import { repoRoot } from '../runners/provision';

/** The reference, `shared/reference/template-builder` beside the repository or above it. */
function findReference(): string | undefined {
  for (let dir = repoRoot; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'shared', 'reference', 'template-builder');
    if (fs.existsSync(path.join(candidate, 'reference'))) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}
const reference = process.env['TOLOKA_TB_REFERENCE'] ?? findReference();
const skip = reference ? false : 'the Template Builder reference (shared/reference/template-builder) is not on this machine';

interface Row {
  readonly name: string;
  readonly required: boolean;
}
/** The property rows of a reference page's table. */
function rowsOf(text: string): Row[] {
  const table = text.slice(text.indexOf('#|'), text.indexOf('|#'));
  return [...table.matchAll(/^\s*\|\| `([^`]+)`(<span[^>]*>\\\*<\/span>)? \|/gm)].map((m) => ({ name: (m[1] ?? '').replace(/\\\|/g, '|'), required: Boolean(m[2]) }));
}
function typeOf(text: string): string {
  const m = /\|\| `type`<span[^>]*>\\\*<\/span> \| "([^"]+)"/.exec(text);
  assert.ok(m, 'the page has a type row');
  return m[1] ?? '';
}
/** The definition at a row's dotted path (`options[].label`). */
function defAt(props: Readonly<Record<string, PropDef>>, name: string): PropDef | undefined {
  let node: PropDef | undefined = { t: 'object', props };
  for (const seg of name.replace(/\[\]/g, '.[]').split('.').filter(Boolean)) {
    node = seg === '[]' ? node?.items : node?.props?.[seg];
  }
  return node;
}
const pages = reference ? fs.readdirSync(path.join(reference, 'reference')).filter((f) => /^[a-z]+\..+\.md$/.test(f)).sort() : [];

describe('Template Builder models', () => {
  it('covers every component page of the reference with its properties and required flags', { skip }, () => {
    assert.ok(pages.length >= 80, `${pages.length} component pages`);
    for (const file of pages) {
      const text = fs.readFileSync(path.join(reference ?? '', 'reference', file), 'utf8');
      const type = typeOf(text);
      const def = catalog[type];
      assert.ok(def, `${file}: no model for ${type}`);
      assert.equal(def.page, file.replace(/\.md$/, ''), type);
      for (const row of rowsOf(text)) {
        if (row.name === 'type' || row.name.includes('|')) continue;
        const prop = defAt(def.props, row.name);
        assert.ok(prop, `${type}: property ${row.name} has no model`);
        if (!row.name.includes('.') && !row.name.includes('[]')) assert.equal(prop.req === true, row.required, `${type}.${row.name} required`);
      }
    }
  });

  it('accepts the configs and components the reference shows as examples', { skip }, () => {
    let checked = 0;
    const walk = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith('.md') ? [path.join(dir, e.name)] : []));
    for (const file of walk(reference ?? '')) {
      for (const m of fs.readFileSync(file, 'utf8').matchAll(/```json\n([\s\S]*?)```/g)) {
        let value: unknown;
        try {
          value = JSON.parse(m[1] ?? '');
        } catch {
          continue; // fragments with "..." in them
        }
        if (typeof value !== 'object' || value === null || Array.isArray(value)) continue;
        const v = value as Record<string, unknown>;
        const problems = 'view' in v ? checkTbConfig(v) : typeof v['type'] === 'string' && v['type'] in catalog ? checkTbComponent(v) : undefined;
        if (!problems) continue;
        checked++;
        assert.deepEqual(problems, [], `${path.relative(reference ?? '', file)}: ${JSON.stringify(v).slice(0, 200)}`);
      }
    }
    assert.ok(checked >= 20, `${checked} examples checked`);
  });

  /** A value of a property's type, for building the smallest valid component. */
  function sample(def: PropDef): unknown {
    switch (def.t) {
      case 'string':
        return def.enum?.[0] ?? 'x';
      case 'number':
      case 'integer':
        return 1;
      case 'boolean':
        return true;
      case 'array':
        return def.items ? [sample(def.items)] : [];
      case 'object':
        return Object.fromEntries(Object.entries(def.props ?? {}).filter(([, p]) => p.req).map(([k, p]) => [k, sample(p)]));
      case 'writable':
        return { type: 'data.output', path: 'result' };
      case 'condition':
        return { type: 'condition.required' };
      case 'view':
        return { type: 'view.text', content: 'x' };
      case 'action':
        return { type: 'action.notify', payload: { content: 'x', theme: 'info' } };
      default:
        return 'x';
    }
  }
  const minimal = (type: string) => ({ type, ...Object.fromEntries(Object.entries(catalog[type]?.props ?? {}).filter(([, p]) => p.req).map(([k, p]) => [k, sample(p)])) });

  for (const type of Object.keys(catalog)) {
    it(`${type}: accepts its required properties, refuses an unknown one, a missing one and a wrong type`, () => {
      const def = catalog[type];
      assert.ok(def);
      assert.deepEqual(checkTbComponent(minimal(type)), [], 'the minimal component');
      if (!def.keys) assert.match(checkTbComponent({ ...minimal(type), colour: 'red' }).map((p) => p.message).join(), /Unrecognized key/);
      const required = Object.entries(def.props).find(([, p]) => p.req);
      if (required) {
        const { [required[0]]: _dropped, ...rest } = minimal(type) as Record<string, unknown>;
        assert.ok(checkTbComponent(rest).some((p) => p.path.join('.') === required[0]), `without ${required[0]}`);
      }
      const typed = Object.entries(def.props).find(([, p]) => p.t === 'string' || p.t === 'boolean' || p.t === 'number');
      if (typed) {
        const wrong = typed[1].t === 'string' ? 7 : 'seven';
        assert.ok(checkTbComponent({ ...minimal(type), [typed[0]]: wrong }).some((p) => p.path.join('.') === typed[0]), `${typed[0]} of the wrong type`);
      }
    });
  }

  it('names where a nested problem is: an unknown type, a wrong property deep in a list', () => {
    const problems = checkTbConfig({ view: { type: 'view.list', items: [{ type: 'field.radio-group', label: 5, data: { type: 'data.output', path: 'r' }, options: [{ label: 'a', value: 'a' }] }, { type: 'field.nope' }] } });
    assert.deepEqual(
      problems.map((p) => [p.path.join('.'), p.severity]),
      [
        ['view.items.0.label', 'error'],
        ['view.items.1.type', 'error'],
      ],
    );
    assert.match(problems[1]?.message ?? '', /Unknown component type "field.nope"/);
  });

  it('warns of an output path not in output_spec and a required output nobody writes', () => {
    const config = { view: { type: 'view.list', items: [{ type: 'view.image', url: { type: 'data.input', path: 'image' } }, { type: 'field.radio-group', data: { type: 'data.output', path: 'reslt' }, options: [{ label: 'Cat', value: 'cat' }] }] } };
    const problems = checkTbConfig(config, { input: { image: { type: 'url' } }, output: { result: { type: 'string' }, comment: { type: 'string', required: false } } });
    assert.deepEqual(
      problems.map((p) => [p.path.join('.'), p.severity]),
      [
        ['view.items.1.data.path', 'warning'],
        ['view', 'warning'],
      ],
    );
    assert.match(problems[0]?.message ?? '', /"reslt" is not in the project's output_spec \(it has "result", "comment"\)/);
    assert.match(problems[1]?.message ?? '', /Output "result" is required/);
  });

  it('a project holds the config as an object or as Toloka\'s string, and sends the string', () => {
    const config = { view: { type: 'view.text', content: 'Hi' } };
    const project = { public_name: 'P', task_spec: { input_spec: {}, output_spec: {}, view_spec: { type: 'tb' as const, config, lock: { core: '1.0.0' } } } };
    assert.deepEqual(validatePayload('project', project), []);
    assert.deepEqual(validatePayload('project', { ...project, task_spec: { ...project.task_spec, view_spec: { ...project.task_spec.view_spec, config: JSON.stringify(config) } } }), []);
    const sent = tbConfigAsString(project);
    assert.equal(sent.task_spec.view_spec.config, JSON.stringify(config));
    assert.equal(tbConfigAsString(sent), sent, 'a string stays as it is');
    const referenced = { ...project, task_spec: { ...project.task_spec, view_spec: { ...project.task_spec.view_spec, config: { $file: './x.tb.json' } } } };
    assert.throws(() => tbConfigAsString(referenced), /config is a reference to \.\/x\.tb\.json/);
  });

  it('the generated JSON Schemas (what the editor checks with) agree with the models', () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    const tb = ajv.compile(tbJsonSchema());
    const good = { view: { type: 'view.list', items: [{ type: 'field.radio-group', data: { type: 'data.output', path: 'r' }, options: [{ label: 'A', value: 'a' }], validation: { type: 'condition.required' } }] } };
    assert.ok(tb(good), ajv.errorsText(tb.errors));
    for (const t of templates) assert.ok(tb(t.config), `${t.id}: ${ajv.errorsText(tb.errors)}`);
    const withTypo = { view: { type: 'field.radio-group', data: { type: 'data.output', path: 'r' }, options: [], lable: 'A' } };
    assert.equal(tb(withTypo), false, 'an unknown property');
    assert.equal(checkTbConfig(withTypo).length > 0, true);
    assert.equal(tb({ view: { type: 'field.radio-group', data: { type: 'data.output', path: 'r' } } }), false, 'a missing required property');
    assert.equal(tb({ view: { type: 'field.nope' } }), false, 'an unknown type');
    const project = ajv.compile(jsonSchemaFor('project'));
    const p = (config: unknown) => ({ public_name: 'P', task_spec: { input_spec: {}, output_spec: {}, view_spec: { type: 'tb', config, lock: { core: '1.0.0' } } } });
    for (const config of [good, JSON.stringify(good), { $file: './x.tb.json' }]) assert.ok(project(p(config)), `${JSON.stringify(config).slice(0, 40)}: ${ajv.errorsText(project.errors)}`);
    assert.equal(project(p(withTypo)), false, 'the object config is checked inside a project file too');
  });

  it('the JSON Schema chooses the properties by type and lists every type', () => {
    const schema = tbJsonSchema() as { definitions: { tbComponent: { properties: { type: { enum: string[] } }; allOf: Array<{ if: { properties: { type: { const: string } } }; then: { properties: Record<string, unknown>; additionalProperties: boolean } }> } } };
    const component = schema.definitions.tbComponent;
    assert.deepEqual(component.properties.type.enum, Object.keys(catalog));
    const radio = component.allOf.find((b) => b.if.properties.type.const === 'field.radio-group');
    assert.deepEqual(Object.keys(radio?.then.properties ?? {}).sort(), ['data', 'disabled', 'hint', 'label', 'options', 'type', 'validation']);
    assert.equal(radio?.then.additionalProperties, false);
  });
});

describe('Template Builder at run time (the preview)', () => {
  const playground = JSON.parse(fs.readFileSync(path.join(repoRoot, 'playground', 'animals.project.json'), 'utf8')) as { task_spec: { input_spec: Record<string, never>; output_spec: Record<string, { type: string }>; view_spec: { config: unknown } } };
  const config = playground.task_spec.view_spec.config;
  const task = (): TaskData => ({ input: { image: 'https://example.com/1.jpg' }, output: {}, internal: {}, vars: {} });

  it('the playground project is a valid config whose output paths are all in output_spec', () => {
    assert.deepEqual(checkTbConfig(config, { input: playground.task_spec.input_spec, output: playground.task_spec.output_spec }), []);
  });

  it('Submit with the required answer missing gives its hint; a hotkey answers it', () => {
    const data = task();
    assert.deepEqual(validateTask(config, data), [{ at: 'view.items.1', label: 'Which animal is in the picture?', hint: 'Choose an animal' }]);
    const keys = hotkeysOf(config);
    assert.deepEqual(keys.map((k) => k.key), ['1', '2', '3']);
    const plugin = (config as { plugins: Array<Record<string, unknown>> }).plugins[1];
    runAction(plugin?.['2'], data, { notify: () => undefined, open: () => undefined });
    assert.deepEqual(data.output, { result: 'dog' });
    assert.deepEqual(validateTask(config, data), []);
  });

  it('conditional fields are checked only when shown, as helper.if decides', () => {
    const moderation = templates.find((t) => t.id === 'moderation');
    assert.ok(moderation);
    const data = task();
    writeData({ type: 'data.output', path: 'verdict' }, data, 'ok');
    assert.deepEqual(validateTask(moderation.config, data), []);
    writeData({ type: 'data.output', path: 'verdict' }, data, 'violation');
    assert.deepEqual(validateTask(moderation.config, data).map((m) => m.hint), ['Choose a rule']);
    writeData({ type: 'data.output', path: 'reason' }, data, 'other');
    assert.deepEqual(validateTask(moderation.config, data).map((m) => m.hint), ['Say what is wrong']);
  });

  it('every template we offer is a valid config that writes each required output', () => {
    for (const t of templates) assert.deepEqual(checkTbConfig(t.config, { input: t.inputSpec, output: t.outputSpec }), [], t.id);
  });

  it('helpers and conditions compute as the reference says', () => {
    const data: TaskData = { input: { a: 'x', list: ['p', 'q'] }, output: { n: 'Hi' }, internal: {}, vars: { sep: ', ' } };
    assert.equal(resolve({ type: 'helper.join', items: { type: 'data.input', path: 'list' }, by: { $ref: 'vars.sep' } }, data), 'p, q');
    assert.equal(resolve({ type: 'helper.if', condition: { type: 'condition.equals', data: { type: 'data.input', path: 'a' }, to: 'x' }, then: 'yes', else: 'no' }, data), 'yes');
    assert.equal(resolve({ type: 'helper.text-transform', data: { type: 'data.output', path: 'n' }, transformation: 'uppercase' }, data), 'HI');
    assert.deepEqual(condition({ type: 'condition.not', condition: { type: 'condition.empty', data: { type: 'data.output', path: 'n' } }, hint: 'h' }, data), { ok: true });
    assert.deepEqual(condition({ type: 'condition.schema', data: { type: 'data.output', path: 'n' }, schema: { minLength: 3 }, hint: 'Too short' }, data), { ok: false, hint: 'Too short' });
  });

  it('an input made from input_spec has a value of each field\'s type', () => {
    assert.deepEqual(sampleInput({ image: { type: 'url' }, n: { type: 'integer' }, label: { type: 'string', allowed_values: ['a'] } }), { image: 'https://example.com/image.jpg', n: 1, label: 'a' });
  });
});
