import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Sandbox } from '../../src/sandbox/server';
import { tolokerData } from '../../src/sandbox/tolokerState';
import type { TolokaTestApi } from '../../src/testSeam';
import { eventually, withTestSandbox } from './extension';
import { answering } from './prompter';

describe('Messages', function () {
  this.timeout(60_000);
  let sandbox: Sandbox;
  let api: TolokaTestApi;

  withTestSandbox({ quotas: false, tolokers: { assignmentsPerSecond: 0, count: 3 } }, (t) => {
    ({ sandbox, api } = t);
  });

  it('sends a message in two languages to a Toloker, and answers their reply, which is then read', async () => {
    const worker = sandbox.tolokers.workers[0]?.id ?? '';
    const [id] = await answering(
      api,
      [
        { title: /^Send a message to whom\?$/, answer: { pick: 'Tolokers by id' } },
        { title: /Toloker ids/, answer: { input: worker } },
        { title: /in which languages/, answer: { input: 'EN, DE' } },
        { title: /topic in EN/, answer: { input: 'About your answers' } },
        { title: /text in EN/, answer: { input: 'Please look at the pictures closely.' } },
        { title: /topic in DE/, answer: { input: 'Zu Ihren Antworten' } },
        { title: /text in DE/, answer: { input: 'Bitte sehen Sie genau hin.' } },
        { title: /May the Tolokers answer/, answer: { pick: 'They may answer' } },
        { title: /^Send "About your answers" to 1 Toloker\(s\)\?$/, answer: { confirm: true } },
      ],
      () => vscode.commands.executeCommand<string[]>('toloka.messages.compose'),
    );
    const thread = tolokerData(sandbox.state).threads.get(id ?? '');
    assert.deepEqual(thread?.topic, { EN: 'About your answers', DE: 'Zu Ihren Antworten' });
    await eventually('their reply, unread in the inbox', () => thread?.folders.includes('UNREAD'));
    await answering(
      api,
      [
        { title: /^Which message thread\?$/, answer: { pick: 'About your answers' } },
        { title: /in which languages/, answer: { input: 'EN' } },
        { title: /text in EN/, answer: { input: 'Thank you!' } },
      ],
      () => vscode.commands.executeCommand('toloka.messages.reply'),
    );
    assert.equal(thread?.messages[0]?.text['EN'], 'Thank you!');
    assert.equal(thread?.messages[0]?.from?.myself, true);
    assert.equal(thread?.folders.includes('UNREAD'), false, 'answering reads it');
    await answering(api, [{ title: /^Which message thread\?$/, answer: { pick: 'About your answers' } }], () => vscode.commands.executeCommand('toloka.messages.archive'));
    assert.equal(thread?.folders.includes('INBOX'), false);
  });
});
