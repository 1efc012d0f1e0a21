/** The shape of the component catalog: what a reference page says of a component's properties. */
export type PropType = 'string' | 'number' | 'integer' | 'boolean' | 'any' | 'object' | 'array' | 'writable' | 'condition' | 'view' | 'action' | 'ref';

export interface PropDef {
  readonly t: PropType;
  readonly req?: boolean;
  readonly enum?: readonly string[];
  readonly def?: unknown;
  /** Properties of an object (closed to others). */
  readonly props?: Readonly<Record<string, PropDef>>;
  /** The item of an array. */
  readonly items?: PropDef;
}

export interface ComponentDef {
  /** The reference page (file name without .md), empty for the core data components. */
  readonly page: string;
  /** Our one-line description, shown on hover and in completion. */
  readonly doc: string;
  /** A pattern for property names beyond `props` (plugin.hotkeys: the keys), each an action. */
  readonly keys?: string;
  readonly props: Readonly<Record<string, PropDef>>;
}
