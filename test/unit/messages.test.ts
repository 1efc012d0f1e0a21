/** Messages to Tolokers in the client and the sandbox: compose, inbox by folders, reply, read, archive. */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { receiveMessage } from '../../src/sandbox/routes/messages';
import { isTolokaError } from '../../src/toloka/errors';
import { harness, until, type Harness } from './fixtures';

describe('message threads', () => {
  let h: Harness;
  let workers: string[] = [];
  before(async () => {
    h = await harness({ quotas: false, tolokers: { assignmentsPerSecond: 0, count: 4 } });
    workers = h.sandbox.tolokers.workers.map((w) => w.id);
  });
  after(() => h.stop());

  const inbox = async (folders: Array<'INBOX' | 'UNREAD'>) => {
    const out = [];
    for await (const t of h.client.messages.all({ folder: folders })) out.push(t);
    return out;
  };

  it('composes to Tolokers by id with a topic and text per language, and the answer lands in the inbox unread', async () => {
    const t = await h.client.messages.compose({ topic: { EN: 'Hello', DE: 'Hallo' }, text: { EN: 'A question', DE: 'Eine Frage' }, answerable: true, recipients_select_type: 'DIRECT', recipients_ids: [workers[0] ?? ''] });
    assert.deepEqual(t.folders, ['OUTBOX']);
    assert.deepEqual(t.topic, { EN: 'Hello', DE: 'Hallo' });
    assert.ok(t.interlocutors?.some((i) => i.id === workers[0] && i.role === 'USER'));
    const unread = await until('the answer', async () => (await inbox(['UNREAD'])).find((x) => x.id === t.id));
    assert.equal(unread.messages?.[0]?.from?.id, workers[0]);
    const replied = await h.client.messages.reply(t.id, { EN: 'Thanks!' });
    assert.equal(replied.messages?.[0]?.text['EN'], 'Thanks!');
    await h.client.messages.removeFromFolders(t.id, ['UNREAD']);
    assert.equal((await inbox(['UNREAD'])).some((x) => x.id === t.id), false, 'marked read');
    await h.client.messages.removeFromFolders(t.id, ['INBOX']);
    assert.equal((await inbox(['INBOX'])).some((x) => x.id === t.id), false, 'archived');
    const important = await h.client.messages.addToFolders(t.id, ['IMPORTANT']);
    assert.ok(important.folders?.includes('IMPORTANT'));
  });

  it('sends a FILTER message to exactly the Tolokers its filter admits (here, by skill)', async () => {
    const skill = await h.client.skills.create({ name: 'Message skill', hidden: false });
    await h.client.userSkills.set({ skill_id: skill.id ?? '', user_id: workers[1] ?? '', value: 80 });
    await h.client.userSkills.set({ skill_id: skill.id ?? '', user_id: workers[2] ?? '', value: 20 });
    const t = await h.client.messages.compose({
      topic: { EN: 'Skilled only' }, text: { EN: 'Hi' }, answerable: false, recipients_select_type: 'FILTER',
      recipients_filter: { and: [{ category: 'skill', key: skill.id ?? '', operator: 'GTE', value: 50 }] },
    });
    assert.deepEqual(t.interlocutors?.filter((i) => i.role === 'USER').map((i) => i.id), [workers[1]]);
  });

  it("lists by folder and folder_ne, and refuses a DIRECT message without recipients or to more than 100", async () => {
    const from = receiveMessage(h.sandbox.state, workers[1] ?? '', 'Why was my answer rejected?');
    const notOutbox = [];
    for await (const t of h.client.messages.all({ folder: ['INBOX'], folder_ne: ['OUTBOX'] })) notOutbox.push(t.id);
    assert.ok(notOutbox.includes(from.id));
    await assert.rejects(h.client.messages.compose({ topic: { EN: 'x' }, text: { EN: 'y' }, answerable: false, recipients_select_type: 'DIRECT' }), (e) => isTolokaError(e, 'validation') && e.fieldErrors.some((f) => f.field === 'recipients_ids'));
    await assert.rejects(h.client.messages.compose({ topic: { EN: 'x' }, text: { EN: 'y' }, answerable: false, recipients_select_type: 'DIRECT', recipients_ids: Array.from({ length: 101 }, (_, i) => String(i)) }), (e) => isTolokaError(e, 'validation'));
    const all = await h.client.messages.compose({ topic: { EN: 'To all' }, text: { EN: 'News' }, answerable: false, recipients_select_type: 'ALL' });
    assert.equal(all.interlocutors?.filter((i) => i.role === 'USER').length, workers.length);
  });
});
