/**
 * Every Template Builder component: its properties, their types, required flags, enums and defaults, as the
 * reference pages give them (`page`: its page in the reference; core data components are on work-with-data).
 * The descriptions are ours. Types: string, number, integer, boolean, any, object, array, and
 * `writable` (a data.* target), `condition`, `view`, `action`, `ref` (components).
 */
import type { ComponentDef } from './types';

export const catalog: Record<string, ComponentDef> = {
  'data.input': {
    page: '',
    doc: 'Reads a field of the task input (input_spec).',
    props: {
      path: { t: 'string' },
      default: { t: 'any' },
    },
  },
  'data.output': {
    page: '',
    doc: 'Reads and writes a field of the answer (output_spec).',
    props: {
      path: { t: 'string' },
      default: { t: 'any' },
    },
  },
  'data.internal': {
    page: '',
    doc: 'Task-local data, not saved to the results.',
    props: {
      path: { t: 'string' },
      default: { t: 'any' },
    },
  },
  'data.local': {
    page: '',
    doc: 'Data local to a component, such as the item in helper.transform.',
    props: {
      path: { t: 'string' },
      default: { t: 'any' },
    },
  },
  'data.relative': {
    page: '',
    doc: 'Data relative to the current item of field.list.',
    props: {
      path: { t: 'string' },
      default: { t: 'any' },
    },
  },
  'action.bulk': {
    page: 'action.bulk',
    doc: 'Runs several actions one after another.',
    props: {
      payload: { t: 'array', items: { t: 'array' } },
    },
  },
  'action.notify': {
    page: 'action.notify',
    doc: 'Shows a pop-up message to the Toloker.',
    props: {
      payload: { t: 'object', req: true, props: { content: { t: 'string', req: true }, delay: { t: 'number' }, duration: { t: 'number' }, theme: { t: 'string', req: true, enum: ['info', 'success', 'warning', 'danger'] } } },
    },
  },
  'action.open-close': {
    page: 'action.open-close',
    doc: 'Expands or collapses a component such as an image.',
    props: {
      view: { t: 'ref' },
    },
  },
  'action.open-link': {
    page: 'action.open-link',
    doc: 'Opens a URL in a new browser tab.',
    props: {
      payload: { t: 'string' },
    },
  },
  'action.play-pause': {
    page: 'action.play-pause',
    doc: 'Starts or pauses an audio or video component.',
    props: {
      view: { t: 'ref' },
    },
  },
  'action.rotate': {
    page: 'action.rotate',
    doc: 'Turns a component by 90 degrees left or right.',
    props: {
      payload: { t: 'string', enum: ['right', 'left'], def: 'right' },
      view: { t: 'ref' },
    },
  },
  'action.set': {
    page: 'action.set',
    doc: 'Writes a value into data (output, internal or local).',
    props: {
      data: { t: 'writable' },
      payload: { t: 'any' },
    },
  },
  'action.toggle': {
    page: 'action.toggle',
    doc: 'Flips a boolean in data between true and false.',
    props: {
      data: { t: 'writable' },
    },
  },
  'condition.all': {
    page: 'condition.all',
    doc: 'True when every nested condition is true.',
    props: {
      conditions: { t: 'array', items: { t: 'condition' } },
      hint: { t: 'string' },
    },
  },
  'condition.any': {
    page: 'condition.any',
    doc: 'True when at least one nested condition is true.',
    props: {
      conditions: { t: 'array', items: { t: 'condition' } },
      hint: { t: 'string' },
    },
  },
  '@toloka/condition.distance': {
    page: 'condition.distance',
    doc: 'Compares the distance between two coordinates with a maximum.',
    props: {
      from: { t: 'string' },
      hint: { t: 'string' },
      max: { t: 'number' },
      to: { t: 'string' },
    },
  },
  'condition.empty': {
    page: 'condition.empty',
    doc: 'True when the data is absent or empty.',
    props: {
      data: { t: 'any' },
      hint: { t: 'string' },
    },
  },
  'condition.equals': {
    page: 'condition.equals',
    doc: 'True when the data equals a given value.',
    props: {
      data: { t: 'any' },
      hint: { t: 'string' },
      to: { t: 'any', req: true },
    },
  },
  'condition.link-opened': {
    page: 'condition.link-opened',
    doc: 'True once the Toloker has opened a given link.',
    props: {
      hint: { t: 'string' },
      url: { t: 'string' },
    },
  },
  'condition.not': {
    page: 'condition.not',
    doc: 'Negates a nested condition.',
    props: {
      condition: { t: 'condition' },
      hint: { t: 'string' },
    },
  },
  'condition.played-fully': {
    page: 'condition.played-fully',
    doc: 'True once the audio or video was played to the end.',
    props: {
      hint: { t: 'string' },
    },
  },
  'condition.played': {
    page: 'condition.played',
    doc: 'True once the audio or video has been started.',
    props: {
      hint: { t: 'string' },
    },
  },
  'condition.required': {
    page: 'condition.required',
    doc: 'True when the data is filled in; used to make a field mandatory.',
    props: {
      data: { t: 'any' },
      hint: { t: 'string' },
    },
  },
  'condition.same-domain': {
    page: 'condition.same-domain',
    doc: 'True when two URLs share a domain.',
    props: {
      data: { t: 'any' },
      hint: { t: 'string' },
      original: { t: 'any', req: true },
    },
  },
  'condition.schema': {
    page: 'condition.schema',
    doc: 'Checks data against a JSON Schema (draft 7).',
    props: {
      data: { t: 'any' },
      hint: { t: 'string' },
      schema: { t: 'object', props: { maxLength: { t: 'integer' }, minLength: { t: 'integer' }, pattern: { t: 'string' }, type: { t: 'string', enum: ['string', 'integer', 'object', 'array', 'boolean', 'null'] } } },
    },
  },
  'condition.sub-array': {
    page: 'condition.sub-array',
    doc: 'True when every element of one array is in another.',
    props: {
      data: { t: 'any' },
      hint: { t: 'string' },
      parent: { t: 'any' },
    },
  },
  '@toloka/data.assignment-id': {
    page: 'data.assignment-id',
    doc: 'Gives the current assignment id.',
    props: {
    },
  },
  '@toloka/data.location': {
    page: 'data.location',
    doc: "Gives the coordinates of the Toloker's device.",
    props: {
    },
  },
  'field.audio': {
    page: 'field.audio',
    doc: 'Records audio from the microphone or takes an uploaded file.',
    props: {
      data: { t: 'writable', req: true },
      label: { t: 'string' },
      hint: { t: 'string' },
      multiple: { t: 'boolean', def: false },
      validation: { t: 'condition' },
    },
  },
  'field.button-radio-group': {
    page: 'field.button-radio-group',
    doc: 'Pick one option from a row of buttons.',
    props: {
      data: { t: 'writable', req: true },
      label: { t: 'string' },
      disabled: { t: 'boolean' },
      hint: { t: 'string' },
      options: { t: 'array', req: true, items: { t: 'object', props: { hint: { t: 'string' }, label: { t: 'string', req: true }, value: { t: 'any', req: true } } } },
      rtl: { t: 'object', props: { mode: { t: 'string', enum: ['ltr', 'rtl'] } } },
      validation: { t: 'condition' },
    },
  },
  'field.button-radio': {
    page: 'field.button-radio',
    doc: 'A single button that writes its value when pressed.',
    props: {
      data: { t: 'writable', req: true },
      label: { t: 'string' },
      disabled: { t: 'boolean' },
      hint: { t: 'string' },
      rtl: { t: 'object', props: { mode: { t: 'string', enum: ['ltr', 'rtl'] } } },
      validation: { t: 'condition' },
      valueToSet: { t: 'string' },
    },
  },
  'field.checkbox-group': {
    page: 'field.checkbox-group',
    doc: 'Tick any number of options; writes an object of booleans.',
    props: {
      data: { t: 'writable', req: true },
      label: { t: 'string' },
      disabled: { t: 'boolean' },
      hint: { t: 'string' },
      options: { t: 'array', req: true, items: { t: 'object', props: { hint: { t: 'string' }, label: { t: 'string', req: true }, value: { t: 'string', req: true } } } },
      preserveFalse: { t: 'boolean' },
      validation: { t: 'condition' },
    },
  },
  'field.checkbox': {
    page: 'field.checkbox',
    doc: 'A single checkbox that writes true or false.',
    props: {
      data: { t: 'writable', req: true },
      label: { t: 'string' },
      disabled: { t: 'boolean' },
      hint: { t: 'string' },
      preserveFalse: { t: 'boolean' },
      validation: { t: 'condition' },
    },
  },
  'field.date': {
    page: 'field.date',
    doc: 'Enter a date, or a date and time.',
    props: {
      data: { t: 'writable', req: true },
      label: { t: 'string' },
      blockList: { t: 'array', items: { t: 'string' } },
      format: { t: 'string', req: true, enum: ['date-time', 'date'] },
      hint: { t: 'string' },
      max: { t: 'string' },
      min: { t: 'string' },
      placeholder: { t: 'string' },
      validation: { t: 'condition' },
    },
  },
  'field.email': {
    page: 'field.email',
    doc: 'Enter an e-mail address.',
    props: {
      data: { t: 'writable', req: true },
      label: { t: 'string' },
      hint: { t: 'string' },
      placeholder: { t: 'string' },
      validation: { t: 'condition' },
    },
  },
  'field.file': {
    page: 'field.file',
    doc: 'Upload a file.',
    props: {
      data: { t: 'writable', req: true },
      label: { t: 'string' },
      accept: { t: 'array', items: { t: 'string' } },
      hint: { t: 'string' },
      multiple: { t: 'boolean', def: false },
      validation: { t: 'condition' },
    },
  },
  'field.image-annotation': {
    page: 'field.image-annotation',
    doc: 'Mark points, rectangles and polygons on an image.',
    props: {
      data: { t: 'writable', req: true },
      label: { t: 'string' },
      disabled: { t: 'boolean', def: false },
      fullHeight: { t: 'boolean' },
      hint: { t: 'string' },
      image: { t: 'string', req: true },
      labels: { t: 'array', items: { t: 'object', props: { label: { t: 'string', req: true }, value: { t: 'string', req: true } } } },
      minWidth: { t: 'number' },
      ratio: { t: 'array', items: { t: 'number' } },
      shapes: { t: 'object', props: { point: { t: 'boolean' }, polygon: { t: 'boolean' }, rectangle: { t: 'boolean' } } },
      validation: { t: 'condition' },
    },
  },
  'field.list': {
    page: 'field.list',
    doc: 'A list whose items the Toloker adds and removes, each made of fields.',
    props: {
      data: { t: 'writable', req: true },
      label: { t: 'string' },
      addedItems: { t: 'array', items: { t: 'view' } },
      buttonLabel: { t: 'string' },
      direction: { t: 'string', enum: ['vertical', 'horizontal'], def: 'vertical' },
      editable: { t: 'boolean' },
      hint: { t: 'string' },
      maxLength: { t: 'number' },
      minLength: { t: 'number' },
      removeVariant: { t: 'string' },
      render: { t: 'view', req: true },
      size: { t: 'string' },
      validation: { t: 'condition' },
    },
  },
  'field.map': {
    page: 'field.map',
    doc: 'Pick a point on a map.',
    props: {
      data: { t: 'writable', req: true },
      label: { t: 'string' },
      center: { t: 'string', req: true },
      editableMarkerLabel: { t: 'string' },
      hint: { t: 'string' },
      markers: { t: 'array', items: { t: 'object', props: { color: { t: 'string' }, label: { t: 'string' }, position: { t: 'string', req: true } } } },
      polygons: { t: 'array', items: { t: 'object', props: { color: { t: 'string' }, points: { t: 'array', items: { t: 'string' } } } } },
      validation: { t: 'condition' },
      zoom: { t: 'integer' },
    },
  },
  'field.media-file': {
    page: 'field.media-file',
    doc: 'Upload a photo, video or other media, or take one with the camera.',
    props: {
      data: { t: 'writable', req: true },
      label: { t: 'string' },
      accept: { t: 'object', req: true, props: { fileSystem: { t: 'boolean' }, gallery: { t: 'boolean' }, photo: { t: 'boolean' }, video: { t: 'boolean' } } },
      hint: { t: 'string' },
      multiple: { t: 'boolean', def: false },
      requiredCoordinates: { t: 'boolean' },
      validation: { t: 'condition' },
    },
  },
  'field.number': {
    page: 'field.number',
    doc: 'Enter a number, optionally within bounds.',
    props: {
      data: { t: 'writable', req: true },
      label: { t: 'string' },
      hint: { t: 'string' },
      maximum: { t: 'integer' },
      minimum: { t: 'integer' },
      placeholder: { t: 'string' },
      validation: { t: 'condition' },
    },
  },
  'field.phone-number': {
    page: 'field.phone-number',
    doc: 'Enter a phone number.',
    props: {
      data: { t: 'writable', req: true },
      label: { t: 'string' },
      hint: { t: 'string' },
      placeholder: { t: 'string' },
      validation: { t: 'condition' },
    },
  },
  'field.quiz': {
    page: 'field.quiz',
    doc: 'A set of questions with right answers, checked in the task.',
    props: {
      data: { t: 'writable', req: true },
      label: { t: 'string' },
      hint: { t: 'string' },
      instruction: { t: 'string' },
      options: { t: 'array', req: true, items: { t: 'object', props: { border: { t: 'boolean' }, disabled: { t: 'boolean' }, key: { t: 'string', req: true }, label: { t: 'string' }, options: { t: 'array', req: true, items: { t: 'object', props: { correct: { t: 'boolean' }, hint: { t: 'string' }, label: { t: 'string', req: true }, value: { t: 'any', req: true } } } } } } },
      validation: { t: 'condition' },
    },
  },
  'field.radio-group': {
    page: 'field.radio-group',
    doc: 'Pick one option from a vertical list of radio buttons.',
    props: {
      data: { t: 'writable', req: true },
      label: { t: 'string' },
      disabled: { t: 'boolean' },
      hint: { t: 'string' },
      options: { t: 'array', req: true, items: { t: 'object', props: { hint: { t: 'string' }, label: { t: 'string', req: true }, value: { t: 'any', req: true } } } },
      validation: { t: 'condition' },
    },
  },
  'field.select': {
    page: 'field.select',
    doc: 'Pick one option from a drop-down list.',
    props: {
      data: { t: 'writable', req: true },
      label: { t: 'string' },
      hint: { t: 'string' },
      options: { t: 'array', req: true, items: { t: 'object', props: { label: { t: 'string', req: true }, value: { t: 'any', req: true } } } },
      placeholder: { t: 'string' },
      validation: { t: 'condition' },
    },
  },
  'field.text-annotation': {
    page: 'field.text-annotation',
    doc: 'Select parts of a text and give each a category.',
    props: {
      data: { t: 'writable', req: true },
      label: { t: 'string' },
      adjust: { t: 'string' },
      content: { t: 'string', req: true },
      disabled: { t: 'boolean', def: false },
      hint: { t: 'string' },
      labels: { t: 'array', req: true, items: { t: 'object', props: { label: { t: 'string', req: true }, value: { t: 'string', req: true } } } },
      validation: { t: 'condition' },
    },
  },
  'field.text': {
    page: 'field.text',
    doc: 'Enter one line of text.',
    props: {
      data: { t: 'writable', req: true },
      label: { t: 'string' },
      disabled: { t: 'boolean' },
      hint: { t: 'string' },
      placeholder: { t: 'string' },
      requiredMark: { t: 'boolean' },
      rtl: { t: 'object', props: { mode: { t: 'string', enum: ['ltr', 'rtl'] } } },
      validation: { t: 'condition' },
    },
  },
  'field.textarea': {
    page: 'field.textarea',
    doc: 'Enter several lines of text.',
    props: {
      data: { t: 'writable', req: true },
      label: { t: 'string' },
      disabled: { t: 'boolean' },
      hint: { t: 'string' },
      placeholder: { t: 'string' },
      requiredMark: { t: 'boolean' },
      resizable: { t: 'boolean' },
      rows: { t: 'number' },
      rtl: { t: 'object', props: { mode: { t: 'string', enum: ['ltr', 'rtl'] } } },
      validation: { t: 'condition' },
    },
  },
  'helper.concat-arrays': {
    page: 'helper.concat-arrays',
    doc: 'Joins several arrays into one.',
    props: {
      items: { t: 'array', items: { t: 'any' } },
    },
  },
  'helper.entries2object': {
    page: 'helper.entries2object',
    doc: 'Turns an array of key/value pairs into an object.',
    props: {
      entries: { t: 'array', items: { t: 'object', props: { key: { t: 'string', req: true }, value: { t: 'any', req: true } } } },
    },
  },
  'helper.if': {
    page: 'helper.if',
    doc: 'Gives one value when a condition holds and another when it does not.',
    props: {
      condition: { t: 'condition', req: true },
      else: { t: 'any' },
      then: { t: 'any', req: true },
    },
  },
  'helper.join': {
    page: 'helper.join',
    doc: 'Joins array items into a string with a separator.',
    props: {
      by: { t: 'any' },
      items: { t: 'array', req: true, items: { t: 'string' } },
    },
  },
  'helper.object2entries': {
    page: 'helper.object2entries',
    doc: 'Turns an object into an array of key/value pairs.',
    props: {
      data: { t: 'any' },
    },
  },
  '@toloka/helper.proxy': {
    page: 'helper.proxy',
    doc: 'Runs a request through the Toloka proxy and gives the answer.',
    props: {
      path: { t: 'string', req: true },
    },
  },
  'helper.replace': {
    page: 'helper.replace',
    doc: 'Replaces a part of a string.',
    props: {
      data: { t: 'any', req: true },
      find: { t: 'string', req: true },
      replace: { t: 'string', req: true },
    },
  },
  'helper.search-query': {
    page: 'helper.search-query',
    doc: 'Builds a search engine URL for a query.',
    props: {
      engine: { t: 'any' },
      query: { t: 'string', req: true },
    },
  },
  'helper.switch': {
    page: 'helper.switch',
    doc: 'Gives the result of the first case whose condition holds.',
    props: {
      cases: { t: 'array', req: true, items: { t: 'object', props: { condition: { t: 'condition', req: true }, result: { t: 'any', req: true } } } },
      default: { t: 'any' },
    },
  },
  'helper.text-transform': {
    page: 'helper.text-transform',
    doc: 'Changes the case of a string.',
    props: {
      data: { t: 'any', req: true },
      transformation: { t: 'string', req: true, enum: ['uppercase', 'lowercase', 'capitalize'] },
    },
  },
  'helper.transform': {
    page: 'helper.transform',
    doc: 'Maps every item of an array through a template.',
    props: {
      into: { t: 'any' },
      items: { t: 'array', items: { t: 'any' } },
    },
  },
  'helper.translate': {
    page: 'helper.translate',
    doc: "Gives the translation of a key in the Toloker's language.",
    props: {
      key: { t: 'string', req: true },
    },
  },
  'layout.bars': {
    page: 'layout.bars',
    doc: 'Puts bars above and below the content.',
    props: {
      barAfter: { t: 'view' },
      barBefore: { t: 'view' },
      content: { t: 'view', req: true },
      validation: { t: 'condition' },
    },
  },
  'layout.columns': {
    page: 'layout.columns',
    doc: 'Lays out components in columns.',
    props: {
      fullHeight: { t: 'boolean' },
      items: { t: 'array', req: true, items: { t: 'view' } },
      minWidth: { t: 'number' },
      ratio: { t: 'array', items: { t: 'number' } },
      validation: { t: 'condition' },
      verticalAlign: { t: 'string', enum: ['top', 'middle', 'bottom'] },
    },
  },
  'layout.compare': {
    page: 'layout.compare',
    doc: 'Shows items side by side to compare, each with its controls.',
    props: {
      commonControls: { t: 'view' },
      items: { t: 'array', req: true, items: { t: 'object', props: { content: { t: 'view' }, controls: { t: 'view' } } } },
      minWidth: { t: 'number' },
      validation: { t: 'condition' },
      wideCommonControls: { t: 'boolean' },
    },
  },
  'layout.side-by-side': {
    page: 'layout.side-by-side',
    doc: 'Shows two or more items side by side with shared controls below.',
    props: {
      controls: { t: 'view', req: true },
      items: { t: 'array', req: true, items: { t: 'view' } },
      minItemWidth: { t: 'number' },
      validation: { t: 'condition' },
    },
  },
  'layout.sidebar': {
    page: 'layout.sidebar',
    doc: 'Puts controls in a sidebar beside the content.',
    props: {
      content: { t: 'view', req: true },
      controls: { t: 'view', req: true },
      controlsWidth: { t: 'number' },
      extraControls: { t: 'view' },
      minWidth: { t: 'number' },
      validation: { t: 'condition' },
    },
  },
  'plugin.field.image-annotation.hotkeys': {
    page: 'plugin.field.image-annotation.hotkeys',
    doc: 'Keyboard shortcuts for image annotation modes and labels.',
    props: {
      cancel: { t: 'string' },
      confirm: { t: 'string' },
      labels: { t: 'array', items: { t: 'string' } },
      modes: { t: 'object', props: { point: { t: 'string' }, polygon: { t: 'string' }, rectangle: { t: 'string' }, select: { t: 'string' } } },
    },
  },
  'plugin.field.text-annotation.hotkeys': {
    page: 'plugin.field.text-annotation.hotkeys',
    doc: 'Keyboard shortcuts for text annotation labels.',
    props: {
      labels: { t: 'array', items: { t: 'string' } },
      remove: { t: 'string' },
    },
  },
  'plugin.hotkeys': {
    page: 'plugin.hotkeys',
    doc: 'Binds keys (a-z, 0-9, up, down) to actions.',
    keys: '^([a-z0-9]|up|down)$',
    props: {
    },
  },
  'plugin.toloka': {
    page: 'plugin.toloka',
    doc: 'Toloka task layout settings: width, layout kind.',
    props: {
      layout: { t: 'object', req: true, props: { kind: { t: 'string', req: true, enum: ['scroll', 'pager'], def: 'scroll' }, taskWidth: { t: 'number' } } },
      notifications: { t: 'array', items: { t: 'view' } },
    },
  },
  'plugin.trigger': {
    page: 'plugin.trigger',
    doc: 'Runs an action when data changes or a condition becomes true.',
    props: {
      action: { t: 'action' },
      condition: { t: 'condition' },
      fireImmediately: { t: 'boolean' },
      onChangeOf: { t: 'any' },
    },
  },
  'view.action-button': {
    page: 'view.action-button',
    doc: 'A button that runs an action.',
    props: {
      label: { t: 'string' },
      action: { t: 'action' },
      hint: { t: 'string' },
      validation: { t: 'condition' },
    },
  },
  'view.alert': {
    page: 'view.alert',
    doc: 'A coloured block for important information.',
    props: {
      label: { t: 'string' },
      content: { t: 'view' },
      hint: { t: 'string' },
      theme: { t: 'string', enum: ['info', 'success', 'warning', 'danger'], def: 'info' },
      validation: { t: 'condition' },
    },
  },
  'view.audio': {
    page: 'view.audio',
    doc: 'Plays an audio file.',
    props: {
      label: { t: 'string' },
      hint: { t: 'string' },
      loop: { t: 'boolean' },
      url: { t: 'string', req: true },
      validation: { t: 'condition' },
    },
  },
  'view.collapse': {
    page: 'view.collapse',
    doc: 'A section that expands when clicked.',
    props: {
      label: { t: 'string', req: true },
      content: { t: 'view', req: true },
      defaultOpened: { t: 'boolean', def: false },
      hint: { t: 'string' },
      validation: { t: 'condition' },
    },
  },
  'view.device-frame': {
    page: 'view.device-frame',
    doc: 'Shows the content inside a phone frame.',
    props: {
      label: { t: 'string' },
      content: { t: 'view' },
      fullHeight: { t: 'boolean' },
      hint: { t: 'string' },
      maxWidth: { t: 'number' },
      minWidth: { t: 'number' },
      ratio: { t: 'array', items: { t: 'number' } },
      validation: { t: 'condition' },
    },
  },
  'view.divider': {
    page: 'view.divider',
    doc: 'A horizontal line between components.',
    props: {
      label: { t: 'string' },
      hint: { t: 'string' },
      validation: { t: 'condition' },
    },
  },
  'view.group': {
    page: 'view.group',
    doc: 'Groups components in a frame with a label.',
    props: {
      label: { t: 'string' },
      content: { t: 'view' },
      hint: { t: 'string' },
      validation: { t: 'condition' },
    },
  },
  'view.iframe': {
    page: 'view.iframe',
    doc: 'Embeds a web page.',
    props: {
      label: { t: 'string' },
      fullHeight: { t: 'boolean' },
      hint: { t: 'string' },
      maxWidth: { t: 'number' },
      minWidth: { t: 'number' },
      ratio: { t: 'array', items: { t: 'number' } },
      url: { t: 'string', req: true },
      validation: { t: 'condition' },
    },
  },
  'view.image': {
    page: 'view.image',
    doc: 'Shows an image.',
    props: {
      label: { t: 'string' },
      fullHeight: { t: 'boolean' },
      hint: { t: 'string' },
      maxWidth: { t: 'number' },
      minWidth: { t: 'number' },
      noBorder: { t: 'boolean', def: true },
      noLazyLoad: { t: 'boolean', def: false },
      popup: { t: 'boolean' },
      ratio: { t: 'array', items: { t: 'number' } },
      rotatable: { t: 'boolean' },
      scrollable: { t: 'boolean' },
      url: { t: 'string', req: true },
      validation: { t: 'condition' },
    },
  },
  'view.labeled-list': {
    page: 'view.labeled-list',
    doc: 'A list of components, each with a label on the left.',
    props: {
      label: { t: 'string' },
      hint: { t: 'string' },
      items: { t: 'array', req: true, items: { t: 'object', props: { centerLabel: { t: 'boolean', def: false }, content: { t: 'view', req: true }, hint: { t: 'string' }, label: { t: 'string', req: true } } } },
      minWidth: { t: 'number' },
      validation: { t: 'condition' },
    },
  },
  'view.link-group': {
    page: 'view.link-group',
    doc: 'Several links, as buttons.',
    props: {
      label: { t: 'string' },
      hint: { t: 'string' },
      links: { t: 'array', req: true, items: { t: 'object', props: { content: { t: 'string', req: true }, theme: { t: 'string' }, url: { t: 'string', req: true } } } },
      validation: { t: 'condition' },
    },
  },
  'view.link': {
    page: 'view.link',
    doc: 'A link that opens in a new tab.',
    props: {
      label: { t: 'string' },
      content: { t: 'string' },
      hint: { t: 'string' },
      url: { t: 'string', req: true },
      validation: { t: 'condition' },
    },
  },
  'view.list': {
    page: 'view.list',
    doc: 'A list of components, one after another.',
    props: {
      label: { t: 'string' },
      direction: { t: 'string', enum: ['vertical', 'horizontal'], def: 'vertical' },
      hint: { t: 'string' },
      items: { t: 'array', req: true, items: { t: 'view' } },
      rtl: { t: 'object', props: { mode: { t: 'string', enum: ['ltr', 'rtl'] } } },
      size: { t: 'string' },
      validation: { t: 'condition' },
    },
  },
  'view.map': {
    page: 'view.map',
    doc: 'Shows a map with markers.',
    props: {
      label: { t: 'string' },
      center: { t: 'string', req: true },
      hint: { t: 'string' },
      markers: { t: 'array', items: { t: 'object', props: { color: { t: 'string' }, label: { t: 'string' }, position: { t: 'string', req: true } } } },
      polygons: { t: 'array', items: { t: 'object', props: { color: { t: 'string' }, points: { t: 'array', items: { t: 'string' } } } } },
      validation: { t: 'condition' },
      zoom: { t: 'integer' },
    },
  },
  'view.markdown': {
    page: 'view.markdown',
    doc: 'Shows text formatted as Markdown.',
    props: {
      label: { t: 'string' },
      content: { t: 'string' },
      hint: { t: 'string' },
      validation: { t: 'condition' },
    },
  },
  'view.text': {
    page: 'view.text',
    doc: 'Shows a piece of text.',
    props: {
      label: { t: 'string' },
      content: { t: 'string' },
      hint: { t: 'string' },
      rtl: { t: 'object', props: { mode: { t: 'string', enum: ['ltr', 'rtl'] } } },
      validation: { t: 'condition' },
    },
  },
  'view.video': {
    page: 'view.video',
    doc: 'Plays a video.',
    props: {
      label: { t: 'string' },
      fullHeight: { t: 'boolean' },
      hint: { t: 'string' },
      maxWidth: { t: 'number' },
      minWidth: { t: 'number' },
      ratio: { t: 'array', items: { t: 'number' } },
      url: { t: 'string', req: true },
      validation: { t: 'condition' },
    },
  },
};
