/** Fetching the files Tolokers uploaded: safe names, nothing outside the folder, no refetching. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { attachmentFileName, downloadAttachments, insideFolder, sanitizeFileName } from '../../src/files/attachments';
import { harness } from './fixtures';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tlk-attachments-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('Attachment names', () => {
  const cases: Array<[string, string]> = [
    ['photo.jpg', 'photo.jpg'],
    ['../../x', 'x'],
    ['..', 'file'],
    ['/etc/passwd', 'passwd'],
    ['C:\\Windows\\system32\\evil.exe', 'evil.exe'],
    ['a\u0000b\nc\r\t.txt', 'abc.txt'],
    ['\u001b[31mred.txt', '[31mred.txt'],
    ['.bashrc', 'bashrc'],
    ['what?<is>|this*.png', 'what__is__this_.png'],
    ['trailing. . ', 'trailing'],
    ['', 'file'],
  ];
  for (const [original, expected] of cases) {
    it(`${JSON.stringify(original)} becomes ${JSON.stringify(expected)}`, () => assert.equal(sanitizeFileName(original), expected));
  }

  it('shortens long names to 120 bytes, keeping the extension', () => {
    const name = sanitizeFileName(`${'я'.repeat(200)}.jpeg`);
    assert.ok(Buffer.byteLength(name) <= 120, name);
    assert.ok(name.endsWith('я.jpeg'));
  });

  it('prefixes the id, itself reduced to safe characters', () => {
    assert.equal(attachmentFileName({ id: '0a1b-2c3d', name: '../../x' }), '0a1b-2c3d-x');
    assert.equal(attachmentFileName({ id: '../..', name: 'y.txt' }), '_____-y.txt');
  });

  it('refuses any path that would leave the folder', () => {
    assert.throws(() => insideFolder(dir, '../x'), /outside/);
    assert.throws(() => insideFolder(dir, '/tmp/x'), /outside/);
    assert.throws(() => insideFolder(dir, 'a/b'), /outside/);
    assert.equal(insideFolder(dir, 'ok.txt'), path.join(dir, 'ok.txt'));
  });
});

describe('Downloading attachments', () => {
  it('fetches every file of the pool into the folder once, whatever names the server sends', async () => {
    const h = await harness();
    try {
      const hostile = ['../../escaped.txt', '/etc/passwd', 'C:\\evil.exe', 'bell\u0007.txt', '..'];
      hostile.forEach((name, i) => {
        const id = `att-${i}`;
        h.sandbox.state.attachments.set(id, {
          api: { id, attachment_type: 'ASSIGNMENT_ATTACHMENT', name, media_type: 'text/plain', details: { pool_id: '777', user_id: 'w1', assignment_id: 'a1' } },
          content: Buffer.from(`content ${i}`),
        });
      });
      h.sandbox.state.attachments.set('other', {
        api: { id: 'other', attachment_type: 'ASSIGNMENT_ATTACHMENT', name: 'other.txt', media_type: 'text/plain', details: { pool_id: '888' } },
        content: Buffer.from('another pool'),
      });
      const parent = fs.mkdtempSync(path.join(dir, 'pool-'));
      const folder = path.join(parent, 'attachments');
      const first = await downloadAttachments({ client: h.client, poolId: '777', folder });
      assert.equal(first.downloaded, 5);
      assert.deepEqual(fs.readdirSync(folder).sort(), ['att-0-escaped.txt', 'att-1-passwd', 'att-2-evil.exe', 'att-3-bell.txt', 'att-4-file']);
      assert.deepEqual(fs.readdirSync(parent), ['attachments'], 'nothing written beside the folder');
      assert.equal(fs.readFileSync(path.join(folder, 'att-0-escaped.txt'), 'utf8'), 'content 0');

      fs.rmSync(path.join(folder, 'att-2-evil.exe'));
      const second = await downloadAttachments({ client: h.client, poolId: '777', folder });
      assert.deepEqual([second.downloaded, second.skipped], [1, 4]);
    } finally {
      await h.stop();
    }
  });
});
