/** Ready skeletons offered by completion (`defaultSnippets`), in VS Code's snippet syntax. */
type Snippet = { label: string; description: string; body: unknown };

const goldenSetRule: Snippet = {
  label: 'Golden set: ban Tolokers with too many wrong control answers',
  description: 'GOLDEN_SET collector; RESTRICTION_V2 when correct_answers_rate < 60 after 5 answers',
  body: {
    collector_config: { type: 'GOLDEN_SET', parameters: { history_size: '^${1:10}' } },
    rules: [{
      conditions: [
        { key: 'total_answers_count', operator: 'GTE', value: '^${2:5}' },
        { key: 'correct_answers_rate', operator: 'LT', value: '^${3:60}' },
      ],
      action: { type: 'RESTRICTION_V2', parameters: { scope: 'PROJECT', duration: '^${4:1}', duration_unit: 'DAYS', private_comment: '${5:Too many mistakes on control tasks}' } },
    }],
  },
};

const recompletionRule: Snippet = {
  label: 'Recompletion: re-issue a suite when a Toloker loses access (SKILL_CHANGE)',
  description: 'USERS_ASSESSMENT collector; CHANGE_OVERLAP by 1 and reopen the pool',
  body: {
    collector_config: { type: 'USERS_ASSESSMENT' },
    rules: [{
      conditions: [
        { key: 'pool_access_revoked_reason', operator: 'EQ', value: 'SKILL_CHANGE' },
        { key: 'skill_id', operator: 'EQ', value: '${1:skill id}' },
      ],
      action: { type: 'CHANGE_OVERLAP', parameters: { delta: 1, open_pool: true } },
    }],
  },
};

const minimalPool = {
  project_id: '${1:project id}',
  private_name: '${2:My pool}',
  may_contain_adult_content: false,
  will_expire: '${3:2030-01-01T00:00:00}',
  reward_per_assignment: '^${4:0.02}',
  assignment_max_duration_seconds: '^${5:600}',
  defaults: { default_overlap_for_new_task_suites: '^${6:3}', default_overlap_for_new_tasks: '^${6:3}' },
  mixer_config: { real_tasks_count: '^${7:4}', golden_tasks_count: '^${8:1}', training_tasks_count: 0 },
};

export const snippets: Record<string, Snippet[]> = {
  pool: [
    { label: 'Minimal pool', description: 'The required fields with smart mixing', body: minimalPool },
    { label: 'Pool with golden-set quality control', description: 'Bans Tolokers who fail control tasks', body: { ...minimalPool, quality_control: { configs: [goldenSetRule.body] } } },
    {
      label: 'Pool with dynamic overlap',
      description: 'Adds Tolokers until the answers agree with 80% confidence',
      body: {
        ...minimalPool,
        auto_close_after_complete_delay_seconds: 60,
        dynamic_overlap_config: { type: 'BASIC', max_overlap: '^${9:5}', min_confidence: '^${10:0.8}', answer_weight_skill_id: '${11:skill id}', fields: [{ name: '${12:result}' }] },
      },
    },
  ],
  qc: [
    { label: 'Quality control with a golden set', description: 'GOLDEN_SET rule', body: { configs: [goldenSetRule.body] } },
    { label: 'Quality control with recompletion on SKILL_CHANGE', description: 'USERS_ASSESSMENT rule', body: { configs: [recompletionRule.body] } },
  ],
  project: [{
    label: 'Classification project',
    description: 'An image and a choice among labels',
    body: {
      public_name: '${1:Is it a cat?}',
      public_description: '${2:Look at the picture and choose what it shows.}',
      public_instructions: '${3:<p>Choose the animal you see.</p>}',
      task_spec: {
        input_spec: { image: { type: 'url', required: true } },
        output_spec: { result: { type: 'string', required: true, allowed_values: ['cat', 'dog', 'other'] } },
        view_spec: { type: 'classic', markup: '<img src="{{img url=image}}" width="400">' },
      },
    },
  }],
  task: [
    { label: 'Task', description: 'A general task', body: { pool_id: '${1:pool id}', input_values: { '${2:image}': '${3:https://example.com/1.jpg}' }, overlap: '^${4:3}' } },
    { label: 'Control task with a known solution', description: 'A golden task', body: { pool_id: '${1:pool id}', input_values: { '${2:image}': '${3:https://example.com/control.jpg}' }, known_solutions: [{ output_values: { '${4:result}': '${5:cat}' }, correctness_weight: 1 }] } },
  ],
  tasks: [{ label: 'Tasks', description: 'An array of tasks', body: [{ pool_id: '${1:pool id}', input_values: { '${2:image}': '${3:https://example.com/1.jpg}' }, overlap: '^${4:3}' }] }],
  suite: [{ label: 'Task suite', description: 'Tasks shown together', body: { pool_id: '${1:pool id}', overlap: '^${2:3}', tasks: [{ input_values: { '${3:image}': '${4:https://example.com/1.jpg}' } }] } }],
  training: [{ label: 'Training pool', description: 'The required fields', body: { project_id: '${1:project id}', private_name: '${2:Training}', inherited_instructions: true, training_tasks_in_task_suite_count: '^${3:5}', task_suites_required_to_pass: '^${4:2}' } }],
  'app-items': [{ label: 'App items', description: 'Inputs for the app project', body: [{ '${1:text}': '${2:The first item}' }] }],
};

/** Skeletons offered inside arrays of the models, by object title and property. */
export const nestedSnippets: Record<string, Record<string, Snippet[]>> = {
  QualityControl: { configs: [goldenSetRule, recompletionRule] },
};

/** A snippet body as a plain document: placeholders become their defaults, `^${n:5}` the number 5. */
export function materialize(body: unknown): unknown {
  if (typeof body === 'string') {
    const m = /^(\^?)\$\{\d+:(.*)\}$/.exec(body);
    if (!m) return body.replace(/\$\{\d+:([^}]*)\}/g, '$1');
    return m[1] === '^' ? Number(m[2]) : m[2];
  }
  if (Array.isArray(body)) return body.map(materialize);
  if (body && typeof body === 'object') return Object.fromEntries(Object.entries(body).map(([k, v]) => [String(materialize(k)), materialize(v)]));
  return body;
}
