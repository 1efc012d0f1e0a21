/** Listing pages split into items without parsing them whole, and paged that way. */
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { Rng } from '../../src/sandbox/rng';
import { TolokaClient } from '../../src/toloka/client';
import { isTolokaError } from '../../src/toloka/errors';
import { splitListing } from '../../src/toloka/jsonListing';

/** The items of a split listing, each parsed on its own. */
function itemsOf(body: string): unknown[] | undefined {
  const split = splitListing(Buffer.from(body, 'utf8'), 'items');
  if (!split) return undefined;
  const out: unknown[] = [];
  for (let i = 0; i < split.bounds.length; i += 2) out.push(JSON.parse(split.bytes.toString('utf8', split.bounds[i], split.bounds[i + 1])));
  return out;
}

/** Characters that trip a careless scanner: quotes, backslashes, brackets, separators, non-ASCII. */
const tricky = ['"', '\\', '\\"', '{', '}', '[', ']', ',', ':', ' ', '\n', '\t', 'é', '日本', '🐱', 'a', 'items', '\u0000', '\u2028'];

function randomValue(rng: Rng, depth: number): unknown {
  const kind = rng.int(depth > 3 ? 4 : 7);
  if (kind === 0) return rng.int(3) === 0 ? null : rng.int(2) === 0;
  if (kind === 1) return rng.pick([0, -1.5e-7, 42, 1e21, 3.25]);
  if (kind <= 3) return Array.from({ length: rng.int(5) }, () => rng.pick(tricky)).join('');
  if (kind === 4) return Array.from({ length: rng.int(4) }, () => randomValue(rng, depth + 1));
  const o: Record<string, unknown> = {};
  for (let k = rng.int(5); k > 0; k--) o[`${rng.pick(tricky)}${k}`] = randomValue(rng, depth + 1);
  return o;
}

describe('Listing pages split into items', () => {
  it('finds every item exactly as JSON.parse reads it, whatever the strings hold and however the body is spaced', () => {
    const rng = new Rng(7);
    for (let n = 0; n < 300; n++) {
      const items = Array.from({ length: rng.int(6) }, () => ({ id: String(n), value: randomValue(rng, 0) }));
      const listing = rng.int(2) === 0 ? { items, has_more: true } : { has_more: false, note: randomValue(rng, 0), items };
      for (const body of [JSON.stringify(listing), JSON.stringify(listing, null, 2), ` \n${JSON.stringify(listing, null, '\t')}\r\n`]) {
        assert.deepEqual(itemsOf(body), items, body);
        assert.equal(splitListing(Buffer.from(body), 'items')?.fields['has_more'], listing.has_more);
      }
    }
  });

  it('ends a string only at a quote with an even number of backslashes before it', () => {
    const items = [{ a: 'ends in a backslash \\' }, { b: '\\\\"}]' }, { c: '"' }];
    assert.deepEqual(itemsOf(JSON.stringify({ items, has_more: false })), items);
  });

  it('gives up on bodies that are not a listing object, for the caller to parse and report', () => {
    for (const body of ['', '[1,2]', '{}', '{"has_more":true}', '{"items":3,"has_more":false}', '{"items":[{"a":1}', '{"items":[1 2],"has_more":false}', '{"items":[],"has_more":false} trailing', '{"items":[],"has_more":tru', 'not json']) {
      assert.equal(splitListing(Buffer.from(body), 'items'), undefined, body);
    }
  });

  it('takes the last of repeated keys, as JSON.parse does', () => {
    assert.deepEqual(itemsOf('{"items":[1],"items":[2,3],"has_more":false}'), [2, 3]);
    assert.equal(itemsOf('{"items":[1],"items":null,"has_more":false}'), undefined);
  });
});

/** A server that answers GET /api/v1/assignments with the given bodies in turn. */
async function serving(bodies: string[]): Promise<{ client: TolokaClient; close: () => Promise<void> }> {
  let n = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(bodies[Math.min(n++, bodies.length - 1)]);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const client = new TolokaClient({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`, credential: 't', maxAttempts: 1 });
  return {
    client,
    close: () => new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}

const assignment = (id: string, user_id: unknown = 'w1'): Record<string, unknown> => ({ id, task_suite_id: `s${id}`, pool_id: 'p', user_id, status: 'ACCEPTED', tasks: [{ id: `t${id}`, input_values: { x: `{"${id}"}` } }] });

async function pagesOf(client: TolokaClient): Promise<Array<{ ids: string[]; hasMore: boolean; next: string | undefined }>> {
  const out = [];
  for await (const page of client.assignments.resultPages({ pool_id: 'p' }, { limit: 2 })) out.push({ ids: [...page.items()].map((a) => a.id), hasMore: page.hasMore, next: page.next });
  return out;
}

describe('Pages read an item at a time', () => {
  it('pages pretty-printed bodies with has_more first, continuing from the last id', async () => {
    const s = await serving([JSON.stringify({ has_more: true, items: [assignment('1'), assignment('2')] }, null, 2), JSON.stringify({ items: [assignment('3')], has_more: false })]);
    try {
      assert.deepEqual(await pagesOf(s.client), [
        { ids: ['1', '2'], hasMore: true, next: '2' },
        { ids: ['3'], hasMore: false, next: undefined },
      ]);
    } finally {
      await s.close();
    }
  });

  it('hands over the good items before a malformed one, then names the bad item', async () => {
    const s = await serving([`{"items":[${JSON.stringify(assignment('1'))},{"id":"2","user_id":tru}],"has_more":false}`]);
    try {
      const seen: string[] = [];
      await assert.rejects(
        (async () => {
          for await (const page of s.client.assignments.resultPages({ pool_id: 'p' })) for (const a of page.items()) seen.push(a.id);
        })(),
        (e: unknown) => isTolokaError(e) && e.kind === 'bad-response' && /items\.1 is not valid JSON/.test(e.message) && /GET \/v1\/assignments/.test(e.message),
      );
      assert.deepEqual(seen, ['1']);
    } finally {
      await s.close();
    }
  });

  it('names the item and field that do not fit the model', async () => {
    const s = await serving([JSON.stringify({ items: [assignment('1'), assignment('2', 42)], has_more: false })]);
    try {
      await assert.rejects(pagesOf(s.client), (e: unknown) => isTolokaError(e) && e.kind === 'bad-response' && /items\.1\.user_id/.test(e.message));
    } finally {
      await s.close();
    }
  });

  it('reports a body that is not JSON, or not a listing, as a bad response', async () => {
    for (const [body, reason] of [
      ['<html>gateway</html>', /not valid JSON/],
      ['{"items":[],"has_more":"no"}', /has_more/],
      ['{"items":{},"has_more":false}', /items/],
    ] as const) {
      const s = await serving([body]);
      try {
        await assert.rejects(pagesOf(s.client), (e: unknown) => isTolokaError(e) && e.kind === 'bad-response' && reason.test(e.message), body);
      } finally {
        await s.close();
      }
    }
  });
});
