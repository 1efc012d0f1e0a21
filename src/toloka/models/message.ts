import { z } from 'zod';
import { DateTime, LocalizedText } from './common';

export const MessageFolder = z.enum(['AUTOMATIC_NOTIFICATION', 'IMPORTANT', 'INBOX', 'OUTBOX', 'UNREAD']);
export type MessageFolder = z.infer<typeof MessageFolder>;

export const RecipientsSelectType = z.enum(['ALL', 'DIRECT', 'FILTER']);

/** `MessageThreadComposeFormV1`: a message to Tolokers, its topic and text per language. */
export const MessageCompose = z
  .looseObject({
    topic: LocalizedText,
    text: LocalizedText,
    answerable: z.boolean(),
    recipients_select_type: RecipientsSelectType,
    recipients_ids: z.array(z.string()).max(100).optional(),
    recipients_filter: z.record(z.string(), z.unknown()).optional(),
  })
  .superRefine((m, ctx) => {
    if (m.recipients_select_type === 'DIRECT' && !m.recipients_ids?.length) ctx.addIssue({ code: 'custom', path: ['recipients_ids'], message: 'DIRECT messages need recipients_ids' });
    if (m.recipients_select_type === 'FILTER' && !m.recipients_filter) ctx.addIssue({ code: 'custom', path: ['recipients_filter'], message: 'FILTER messages need recipients_filter' });
  });
export type MessageCompose = z.infer<typeof MessageCompose>;

/** `MessageThreadFoldersFormV1`: the folders to add a thread to or take it out of. */
export const MessageFolders = z.strictObject({ folders: z.array(MessageFolder).min(1) });

/** `MessageThreadReplyFormV1`: a reply's text per language. */
export const MessageReply = z.looseObject({ text: LocalizedText });

export const Interlocutor = z.looseObject({ id: z.string(), role: z.string(), myself: z.boolean().optional() });
export type Interlocutor = z.infer<typeof Interlocutor>;

export const Message = z.looseObject({ text: LocalizedText, from: Interlocutor.optional(), created: DateTime.optional() });
export type Message = z.infer<typeof Message>;

/** `MessageThreadViewV1`. Messages newest first. */
export const MessageThread = z.looseObject({
  id: z.string(),
  parent_id: z.string().optional(),
  topic: LocalizedText,
  interlocutors_inlined: z.boolean().optional(),
  interlocutors: z.array(Interlocutor).optional(),
  messages_inlined: z.boolean().optional(),
  messages: z.array(Message).optional(),
  compose_details: z.looseObject({ recipients_select_type: z.string().optional(), recipients_ids: z.array(z.string()).optional(), recipients_filter: z.unknown().optional() }).optional(),
  meta: z.looseObject({ pool_id: z.string().optional(), project_id: z.string().optional(), assignment_id: z.string().optional() }).optional(),
  folders: z.array(z.union([MessageFolder, z.string()])).optional(),
  answerable: z.boolean().optional(),
  created: DateTime.optional(),
});
export type MessageThread = z.infer<typeof MessageThread>;

/** The text of a localized map in the language asked for, or in English, or the first there is. */
export function localized(text: Record<string, string> | undefined, lang = 'EN'): string {
  if (!text) return '';
  return text[lang] ?? text['EN'] ?? Object.values(text)[0] ?? '';
}
