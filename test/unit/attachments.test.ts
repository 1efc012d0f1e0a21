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
    ['invoice\u202Efdp.exe', 'invoicefdp.exe'],
    ['\u2067name\u2069.txt', 'name.txt'],
  ];
  for (const [original, expected] of cases) {
    it(`${JSON.stringify(original)} becomes ${JSON.stringify(expected)}`, () => assert.equal(sanitizeFileName(original), expected));
  }

  it('shortens long names to 120 bytes, keeping the extension', () => {
    const name = sanitizeFileName(`${'я'.repeat(200)}.jpeg`);
    assert.ok(Buffer.byteLength(name) <= 120, name);
    assert.ok(name.endsWith('я.jpeg'));
  });

  it('prefixes the whole id, and refuses an id that is not one rather than reshaping it', () => {
    assert.equal(attachmentFileName({ id: '0a1b-2c3d', name: '../../x' }), '0a1b-2c3d-x');
    const long = `${'a'.repeat(64)}`;
    assert.notEqual(attachmentFileName({ id: `${long}1`, name: 'y' }), attachmentFileName({ id: `${long}2`, name: 'y' }), 'ids longer than 64 characters do not collide');
    for (const bad of ['..', '../..', 'a/b', '', 'x'.repeat(129)]) assert.throws(() => attachmentFileName({ id: bad, name: 'y.txt' }), /not one/, bad);
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
      // An id that is a path: never requested as /v1/attachments/../download, never a file name.
      h.sandbox.state.attachments.set('..', {
        api: { id: '..', attachment_type: 'ASSIGNMENT_ATTACHMENT', name: 'x.txt', media_type: 'text/plain', details: { pool_id: '777' } },
        content: Buffer.from('dot dot'),
      });
      h.sandbox.state.attachments.set('other', {
        api: { id: 'other', attachment_type: 'ASSIGNMENT_ATTACHMENT', name: 'other.txt', media_type: 'text/plain', details: { pool_id: '888' } },
        content: Buffer.from('another pool'),
      });
      const parent = fs.mkdtempSync(path.join(dir, 'pool-'));
      const folder = path.join(parent, 'attachments');
      const first = await downloadAttachments({ client: h.client, poolId: '777', folder });
      assert.equal(first.downloaded, 5);
      assert.deepEqual(first.failures.map((f) => [f.id, f.error]), [['..', 'not a valid attachment id: neither requested nor written']]);
      await assert.rejects(h.client.attachments.download('..'), /refusing to request \/v1\/attachments\/\.\.\/download/);
      assert.deepEqual(fs.readdirSync(folder).sort(), ['att-0-escaped.txt', 'att-1-passwd', 'att-2-evil.exe', 'att-3-bell.txt', 'att-4-file']);
      assert.deepEqual(fs.readdirSync(parent), ['attachments'], 'nothing written beside the folder');
      assert.equal(fs.readFileSync(path.join(folder, 'att-0-escaped.txt'), 'utf8'), 'content 0');

      fs.rmSync(path.join(folder, 'att-2-evil.exe'));
      const second = await downloadAttachments({ client: h.client, poolId: '777', folder });
      assert.deepEqual([second.downloaded, second.skipped, second.failed], [1, 4, 1]);
    } finally {
      await h.stop();
    }
  });
});
