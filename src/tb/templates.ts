/**
 * Task interfaces to start from (New Task Interface…): ours, each a project file with its specs
 * and a Template Builder config that the models accept.
 */
type Obj = Record<string, unknown>;

const out = (path: string): Obj => ({ type: 'data.output', path });
const inp = (path: string): Obj => ({ type: 'data.input', path });
const required = (hint: string): Obj => ({ type: 'condition.required', hint });
const options = (...pairs: Array<[string, string]>) => pairs.map(([label, value]) => ({ label, value }));
const hotkeys = (path: string, values: string[]): Obj => ({ type: 'plugin.hotkeys', ...Object.fromEntries(values.map((v, i) => [String(i + 1), { type: 'action.set', data: out(path), payload: v }])) });
const toloka = (taskWidth: number): Obj => ({ type: 'plugin.toloka', layout: { kind: 'scroll', taskWidth } });

type FieldSpecs = Record<string, { readonly type: string; readonly required?: boolean; readonly allowed_values?: readonly string[] }>;

export interface TaskTemplate {
  readonly id: string;
  readonly label: string;
  readonly detail: string;
  readonly inputSpec: FieldSpecs;
  readonly outputSpec: FieldSpecs;
  readonly config: Obj;
}

export const templates: readonly TaskTemplate[] = [
  {
    id: 'text-classification',
    label: 'Text classification',
    detail: 'A text and one category out of several, with hotkeys 1–3.',
    inputSpec: { text: { type: 'string', required: true } },
    outputSpec: { category: { type: 'string', required: true, allowed_values: ['positive', 'neutral', 'negative'] } },
    config: {
      view: { type: 'view.list', items: [{ type: 'view.text', label: 'Text', content: inp('text') }, { type: 'field.radio-group', label: 'What is the tone of the text?', data: out('category'), options: options(['Positive', 'positive'], ['Neutral', 'neutral'], ['Negative', 'negative']), validation: required('Choose a tone') }] },
      plugins: [toloka(600), hotkeys('category', ['positive', 'neutral', 'negative'])],
    },
  },
  {
    id: 'image-classification',
    label: 'Image classification',
    detail: 'An image and buttons for its class, with hotkeys 1–3.',
    inputSpec: { image: { type: 'url', required: true } },
    outputSpec: { result: { type: 'string', required: true, allowed_values: ['cat', 'dog', 'other'] } },
    config: {
      view: { type: 'view.list', items: [{ type: 'view.image', url: inp('image'), ratio: [4, 3] }, { type: 'field.button-radio-group', label: 'Who is in the picture?', data: out('result'), options: options(['Cat', 'cat'], ['Dog', 'dog'], ['Other', 'other']), validation: required('Choose one') }] },
      plugins: [toloka(500), hotkeys('result', ['cat', 'dog', 'other'])],
    },
  },
  {
    id: 'side-by-side',
    label: 'Side-by-side comparison',
    detail: 'Two images side by side; the Toloker picks the better one.',
    inputSpec: { image_left: { type: 'url', required: true }, image_right: { type: 'url', required: true } },
    outputSpec: { choice: { type: 'string', required: true, allowed_values: ['left', 'right'] } },
    config: {
      view: {
        type: 'layout.side-by-side',
        items: [{ type: 'view.image', url: inp('image_left'), label: 'A' }, { type: 'view.image', url: inp('image_right'), label: 'B' }],
        controls: { type: 'field.button-radio-group', label: 'Which image is better?', data: out('choice'), options: options(['A', 'left'], ['B', 'right']), validation: required('Choose A or B') },
      },
      plugins: [toloka(900), hotkeys('choice', ['left', 'right'])],
    },
  },
  {
    id: 'moderation',
    label: 'Moderation with conditional fields',
    detail: 'Is the comment acceptable? If not, a reason and, for "other", a text.',
    inputSpec: { comment: { type: 'string', required: true } },
    outputSpec: { verdict: { type: 'string', required: true, allowed_values: ['ok', 'violation'] }, reason: { type: 'string', required: false }, details: { type: 'string', required: false } },
    config: {
      view: {
        type: 'view.list',
        items: [
          { type: 'view.alert', theme: 'info', content: { type: 'view.text', content: inp('comment') } },
          { type: 'field.radio-group', label: 'Is the comment acceptable?', data: out('verdict'), options: options(['Acceptable', 'ok'], ['Breaks the rules', 'violation']), validation: required('Choose a verdict') },
          {
            type: 'helper.if',
            condition: { type: 'condition.equals', data: out('verdict'), to: 'violation' },
            then: {
              type: 'view.list',
              items: [
                { type: 'field.select', label: 'Which rule?', data: out('reason'), options: options(['Insults', 'insult'], ['Spam', 'spam'], ['Other', 'other']), validation: required('Choose a rule') },
                { type: 'helper.if', condition: { type: 'condition.equals', data: out('reason'), to: 'other' }, then: { type: 'field.textarea', label: 'Describe it', data: out('details'), validation: required('Say what is wrong') } },
              ],
            },
          },
        ],
      },
      plugins: [toloka(600)],
    },
  },
  {
    id: 'object-detection',
    label: 'Object detection (boxes and polygons)',
    detail: 'Outline every car and person in an image with rectangles or polygons.',
    inputSpec: { image: { type: 'url', required: true } },
    outputSpec: { areas: { type: 'json', required: true } },
    config: {
      view: {
        type: 'field.image-annotation',
        label: 'Outline every car and person',
        image: inp('image'),
        data: out('areas'),
        shapes: { rectangle: true, polygon: true },
        labels: options(['Car', 'car'], ['Person', 'person']),
        validation: required('Outline at least one object'),
      },
      plugins: [toloka(800), { type: 'plugin.field.image-annotation.hotkeys', modes: { rectangle: 'r', polygon: 'p' }, labels: ['1', '2'], confirm: 'Enter', cancel: 'Escape' }],
    },
  },
];

/** A project file's content for a template: the config as an object (sent to Toloka as a string). */
export function projectFileFor(t: TaskTemplate, name: string): Obj {
  return {
    public_name: name,
    public_description: t.detail,
    task_spec: { input_spec: t.inputSpec, output_spec: t.outputSpec, view_spec: { type: 'tb', config: t.config, lock: { core: '1.0.0' } } },
  };
}
