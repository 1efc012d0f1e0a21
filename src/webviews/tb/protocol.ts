/**
 * What the task preview's webview and the extension say to each other, checked on arrival on
 * both sides (zod/mini keeps the webview's bundle small). No vscode import.
 */
import * as z from 'zod/mini';

const Json = z.record(z.string(), z.unknown());

export const ToWebview = z.union([
  z.object({
    type: z.literal('render'),
    /** The file previewed, for the title and the state kept over a reload. */
    file: z.string(),
    config: z.unknown(),
    input: Json,
    /** Where the input came from, in words: "first task of animals.tasks.json", "pasted", "generated from input_spec". */
    inputSource: z.string(),
    /** Problems of the config (the editor shows them too); the preview still renders what it can. */
    problems: z.array(z.string()),
    /** A new config keeps what the Toloker filled in; a new input starts over. */
    reset: z.boolean(),
  }),
  z.object({ type: z.literal('submit') }),
]);
export type ToWebview = z.infer<typeof ToWebview>;

export const FieldMessage = z.object({ at: z.string(), label: z.string(), hint: z.string() });

export const FromWebview = z.union([
  z.object({ type: z.literal('ready') }),
  /** After each render: how long it took, and the component types shown as placeholders. */
  z.object({ type: z.literal('rendered'), ms: z.number(), placeholders: z.array(z.string()) }),
  z.object({ type: z.literal('submitted'), output: Json, messages: z.array(FieldMessage) }),
  z.object({ type: z.literal('chooseInput') }),
]);
export type FromWebview = z.infer<typeof FromWebview>;

/** What the webview keeps over a reload (vscode.setState), and the serializer restores the panel from. */
export const PreviewState = z.object({ file: z.string(), output: z.optional(Json), internal: z.optional(Json) });
export type PreviewState = z.infer<typeof PreviewState>;
