/**
 * `/message-threads`: compose (ALL, DIRECT, FILTER), list by folders, reply, add to and remove
 * from folders. A simulated Toloker answers an answerable message a moment later, so the
 * sandbox's inbox has something in it; `receiveMessage` lets tests and demos write one.
 */
import { MessageCompose, MessageFolders, MessageReply, type MessageThread } from '../../toloka/models';
import { notFound } from '../apiError';
import { listGeneric } from '../listing';
import { liveQc } from '../qc/live';
import { now, type SandboxState } from '../state';
import { tolokerData } from '../tolokerState';
import { parseBody } from '../validation';
import { created, ok, type RouteContext } from './context';

type Thread = ReturnType<typeof tolokerData>['threads'] extends Map<string, infer T> ? T : never;

const REPLY_MS = 100;

function requester(state: SandboxState) {
  return { id: state.requester.id, role: 'REQUESTER', myself: true };
}

/** A Toloker's message to the requester: a new thread, or a reply in one; it lands in INBOX, UNREAD. */
export function receiveMessage(state: SandboxState, from: string, text: string, threadId?: string, topic = 'A question'): Thread {
  const d = tolokerData(state);
  const message = { text: { EN: text }, from: { id: from, role: 'USER', myself: false }, created: now() };
  const existing = threadId ? d.threads.get(threadId) : undefined;
  if (existing) {
    existing.messages.unshift(message);
    existing.folders = [...new Set([...existing.folders, 'INBOX', 'UNREAD'])];
    state.touch();
    return existing;
  }
  const id = String(5_000 + ++d.threadCounter);
  const thread: Thread = {
    id, topic: { EN: topic }, answerable: true, folders: ['INBOX', 'UNREAD'], created: message.created,
    interlocutors_inlined: true, interlocutors: [requester(state), message.from].sort((a, b) => (a.id < b.id ? -1 : 1)), messages_inlined: true, messages: [message],
  };
  d.threads.set(id, thread);
  state.touch();
  return thread;
}

export function registerMessageRoutes({ router, state }: RouteContext, everyone: () => string[]): { stop(): void } {
  const d = tolokerData(state);
  const timers = new Set<NodeJS.Timeout>();
  const find = (id: string | undefined): Thread => {
    const t = d.threads.get(id ?? '');
    if (!t) throw notFound();
    return t;
  };

  router.on('POST', '/api/v1/message-threads/compose', ({ body }) => {
    const m = parseBody(MessageCompose, body);
    const qc = liveQc(state);
    const recipients =
      m.recipients_select_type === 'DIRECT'
        ? [...new Set(m.recipients_ids ?? [])]
        : m.recipients_select_type === 'FILTER'
          ? everyone().filter((u) => qc.matches(m.recipients_filter as Parameters<typeof qc.matches>[0], u))
          : everyone();
    const id = String(5_000 + ++d.threadCounter);
    const at = now();
    const thread: Thread = {
      id, topic: m.topic, answerable: m.answerable, folders: ['OUTBOX'], created: at,
      compose_details: { recipients_select_type: m.recipients_select_type, ...(m.recipients_ids ? { recipients_ids: m.recipients_ids } : {}), ...(m.recipients_filter ? { recipients_filter: m.recipients_filter } : {}) },
      interlocutors_inlined: true,
      interlocutors: [requester(state), ...recipients.map((r) => ({ id: r, role: 'USER', myself: false }))].sort((a, b) => (a.id < b.id ? -1 : 1)),
      messages_inlined: true,
      messages: [{ text: m.text, from: requester(state), created: at }],
    };
    d.threads.set(id, thread);
    const first = recipients[0];
    if (m.answerable && first) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        receiveMessage(state, first, 'Thank you, I have read your message.', id);
      }, REPLY_MS);
      timer.unref();
      timers.add(timer);
    }
    return created(thread);
  });

  router.on('GET', '/api/v1/message-threads', ({ query }) => {
    const inAny = (query.get('folder') ?? '').split(',').filter(Boolean);
    const inNone = (query.get('folder_ne') ?? '').split(',').filter(Boolean);
    return ok(listGeneric<MessageThread & { folders: string[] }>(d.threads.values(), query, {
      sortable: ['id', 'created'],
      ranges: ['id', 'created'],
      maxLimit: 300,
      where: (t) => (inAny.length === 0 || inAny.some((f) => t.folders.includes(f))) && !inNone.some((f) => t.folders.includes(f)),
    }));
  });

  router.on('POST', '/api/v1/message-threads/:id/reply', ({ params, body }) => {
    const t = find(params['id']);
    const r = parseBody(MessageReply, body);
    t.messages.unshift({ text: r.text, from: requester(state), created: now() });
    t.folders = [...new Set([...t.folders, 'OUTBOX'])];
    return created(t);
  });

  router.on('POST', '/api/v1/message-threads/:id/add-to-folders', ({ params, body }) => {
    const t = find(params['id']);
    t.folders = [...new Set([...t.folders, ...parseBody(MessageFolders, body).folders])];
    return created(t);
  });

  router.on('POST', '/api/v1/message-threads/:id/remove-from-folders', ({ params, body }) => {
    const t = find(params['id']);
    const drop = new Set<string>(parseBody(MessageFolders, body).folders);
    t.folders = t.folders.filter((f) => !drop.has(f));
    return created(t);
  });

  return {
    stop: () => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}
