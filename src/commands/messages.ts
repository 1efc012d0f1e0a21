import * as vscode from 'vscode';
import type { ClientProvider } from '../environment/clientProvider';
import { Commands } from '../ids';
import { localized, MessageThread, type MessageCompose } from '../toloka/models';
import { InboxView } from '../views/messages';
import type { Prompter } from './prompter';
import { pickPool } from './pick';
import { registerCommand, type CommandServices } from './registerCommand';

export interface MessageDeps extends CommandServices {
  readonly connections: ClientProvider;
}

const WORKER = /^[0-9a-f]{32}$/;
const LANGS = /^[A-Z]{2}(-[A-Z]{2,4})?$/;

/** The topic and text in each language asked for. */
async function texts(prompter: Prompter, what: string, withTopic: boolean): Promise<{ topic: Record<string, string>; text: Record<string, string> }> {
  const langs = (await prompter.input({ title: `${what}: in which languages? (codes such as EN, DE, PT-BR)`, value: 'EN', validate: (v) => (v.split(/[\s,]+/).filter(Boolean).every((l) => LANGS.test(l)) ? undefined : 'upper-case language codes, separated by commas') }))
    .split(/[\s,]+/)
    .filter(Boolean);
  const topic: Record<string, string> = {};
  const text: Record<string, string> = {};
  for (const l of langs) {
    if (withTopic) topic[l] = (await prompter.input({ title: `${what}: the topic in ${l}`, validate: (v) => (v.trim() ? undefined : 'a topic') })).trim();
    text[l] = (await prompter.input({ title: `${what}: the text in ${l}`, validate: (v) => (v.trim() ? undefined : 'a text') })).trim();
  }
  return { topic, text };
}

function threadOf(arg: unknown): MessageThread | undefined {
  const t = MessageThread.safeParse(arg);
  return t.success ? t.data : undefined;
}

/** Compose, read, reply, mark read and archive messages; the Messages view (the inbox). */
export function registerMessageCommands(context: vscode.ExtensionContext, deps: MessageDeps): void {
  const inbox = new InboxView(deps.connections);
  context.subscriptions.push(inbox);
  registerCommand(context, deps, Commands.refreshMessages, () => inbox.refresh(), { quiet: true });

  const pickThread = async (prompter: Prompter, arg: unknown): Promise<MessageThread> => {
    const t = threadOf(arg);
    if (t) return t;
    const items = inbox.items.length ? inbox.items : await inbox.load();
    if (items.length === 0) throw new Error('there are no messages in the inbox');
    return prompter.pick(items.map((x) => ({ label: localized(x.topic), description: x.folders?.includes('UNREAD') ? 'unread' : undefined, value: x })), { title: 'Which message thread?' });
  };

  registerCommand(
    context,
    deps,
    Commands.composeMessage,
    async ({ prompter, log }) => {
      const how = await prompter.pick<'direct' | 'pool' | 'filter' | 'all'>(
        [
          { label: 'Tolokers by id', value: 'direct' },
          { label: 'Everyone who worked in a pool', value: 'pool' },
          { label: 'Tolokers matching a filter (JSON, as in a pool filter)', value: 'filter' },
          { label: 'Every Toloker who ever did my tasks', detail: 'Toloka allows this once a day', value: 'all' },
        ],
        { title: 'Send a message to whom?' },
      );
      const { client } = await deps.connections.connection();
      let recipients: string[] = [];
      let filter: Record<string, unknown> | undefined;
      if (how === 'direct') {
        recipients = (await prompter.input({ title: 'Toloker ids, separated by spaces or commas', validate: (v) => (v.split(/[\s,]+/).filter(Boolean).every((id) => WORKER.test(id)) && v.trim() ? undefined : 'Toloker ids: 32 hexadecimal digits each') })).split(/[\s,]+/).filter(Boolean);
      } else if (how === 'pool') {
        const poolId = await pickPool(prompter, deps.connections, 'Message the Tolokers of which pool?');
        const set = new Set<string>();
        for await (const a of client.assignments.all({ pool_id: poolId })) if (a.user_id) set.add(a.user_id);
        recipients = [...set];
        if (recipients.length === 0) throw new Error(`nobody has worked in pool ${poolId} yet`);
      } else if (how === 'filter') {
        const raw = await prompter.input({ title: 'The filter, as JSON', placeHolder: '{"and":[{"or":[{"category":"profile","key":"languages","operator":"IN","value":"DE"}]}]}', validate: (v) => { try { return JSON.parse(v) && typeof JSON.parse(v) === 'object' ? undefined : 'a JSON object'; } catch { return 'a JSON object'; } } });
        filter = JSON.parse(raw) as Record<string, unknown>;
      }
      const { topic, text } = await texts(prompter, 'The message', true);
      const answerable = await prompter.pick([{ label: 'They may answer', value: true }, { label: 'They may not answer', value: false }], { title: 'May the Tolokers answer?' });
      const whom = how === 'all' ? 'every Toloker who did your tasks' : how === 'filter' ? 'the Tolokers matching the filter' : `${recipients.length} Toloker(s)`;
      await prompter.confirm({ message: `Send "${localized(topic)}" to ${whom}?`, detail: `In ${Object.keys(text).join(', ')}.`, action: 'Send' });
      const base = { topic, text, answerable };
      const bodies: MessageCompose[] = how === 'all' ? [{ ...base, recipients_select_type: 'ALL' }] : how === 'filter' ? [{ ...base, recipients_select_type: 'FILTER', recipients_filter: filter ?? {} }] : [];
      for (let i = 0; i < recipients.length; i += 100) bodies.push({ ...base, recipients_select_type: 'DIRECT', recipients_ids: recipients.slice(i, i + 100) });
      const ids: string[] = [];
      for (const b of bodies) ids.push((await client.messages.compose(b)).id);
      log.info(`message "${localized(topic)}" sent to ${whom} (thread(s) ${ids.join(', ')})`);
      void prompter.message('info', `Message sent to ${whom}.`);
      return ids;
    },
    { failure: 'Could not send the message' },
  );

  registerCommand(context, deps, Commands.readThread, async ({ prompter }, arg) => {
    const t = await pickThread(prompter, arg);
    const lines = [`# ${localized(t.topic)}`, ''];
    for (const m of [...(t.messages ?? [])].reverse()) lines.push(`**${m.from?.myself ? 'You' : `Toloker ${m.from?.id ?? '?'}`}** · ${m.created?.slice(0, 16).replace('T', ' ') ?? ''} UTC`, '', ...Object.entries(m.text).map(([l, s]) => `${Object.keys(m.text).length > 1 ? `[${l}] ` : ''}${s}`), '');
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: lines.join('\n') });
    await vscode.window.showTextDocument(doc, { preview: true });
    if (t.folders?.includes('UNREAD')) {
      const { client } = await deps.connections.connection();
      await client.messages.removeFromFolders(t.id, ['UNREAD']);
      inbox.refresh();
    }
    return t.id;
  });

  registerCommand(
    context,
    deps,
    Commands.replyThread,
    async ({ prompter }, arg) => {
      const t = await pickThread(prompter, arg);
      if (t.answerable === false) throw new Error('this thread cannot be answered');
      const { text } = await texts(prompter, `Reply to "${localized(t.topic)}"`, false);
      const { client } = await deps.connections.connection();
      const r = await client.messages.reply(t.id, text);
      if (t.folders?.includes('UNREAD')) await client.messages.removeFromFolders(t.id, ['UNREAD']);
      inbox.refresh();
      return r.id;
    },
    { failure: 'Could not reply' },
  );

  const folderCommand = (id: string, drop: Array<'UNREAD' | 'INBOX'>, failure: string): void =>
    registerCommand(
      context,
      deps,
      id,
      async ({ prompter }, arg) => {
        const t = await pickThread(prompter, arg);
        const { client } = await deps.connections.connection();
        await client.messages.removeFromFolders(t.id, drop);
        inbox.refresh();
        return t.id;
      },
      { failure },
    );
  folderCommand(Commands.markThreadRead, ['UNREAD'], 'Could not mark the thread read');
  folderCommand(Commands.archiveThread, ['INBOX', 'UNREAD'], 'Could not archive the thread');
}
