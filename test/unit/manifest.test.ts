/** The extension manifest: what VS Code reads before any of our code runs. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { AppBatchStatus } from '../../src/toloka/models';
import type { Node } from '../../src/views/explorer/model';
import { contextValueOf, copyableId } from '../../src/views/explorer/nodes';
import { repoRoot } from '../runners/provision';

interface Manifest {
  name: string;
  publisher: string;
  displayName: string;
  main: string;
  icon: string;
  license: string;
  engines: { vscode: string };
  repository: { url: string };
  activationEvents: string[];
  dependencies: Record<string, string>;
  contributes: {
    commands: Array<{ command: string; title: string; category?: string }>;
    views: Record<string, Array<{ id: string; name: string }>>;
    viewsContainers: { activitybar: Array<{ id: string; icon: string }> };
    viewsWelcome: Array<{ view: string; contents: string }>;
    menus: Record<string, Array<{ command: string; when?: string }>>;
  };
}

const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as Manifest;
const viewIds = Object.values(manifest.contributes.views).flat().map((v) => v.id);

describe('package.json manifest', () => {
  it('has the fields the Marketplace requires', () => {
    for (const key of ['name', 'publisher', 'displayName', 'main', 'icon', 'license'] as const) {
      assert.ok(manifest[key], `${key} is set`);
    }
    assert.match(manifest.engines.vscode, /^\^1\.\d+\.\d+$/);
    assert.ok(manifest.repository.url.startsWith('https://'));
    assert.ok(fs.existsSync(path.join(repoRoot, manifest.icon)), `${manifest.icon} exists`);
  });

  it('activates lazily, never on "*" or on every start-up', () => {
    assert.ok(manifest.activationEvents.length > 0);
    for (const event of manifest.activationEvents) {
      assert.notEqual(event, '*');
      assert.notEqual(event, 'onStartupFinished');
    }
  });

  it('ships axios and zod as runtime dependencies, bundled', () => {
    assert.ok(manifest.dependencies['axios']);
    assert.ok(manifest.dependencies['zod']);
  });

  it('gives every command a title and the Toloka category, and an implementation', () => {
    const source = fs.readFileSync(path.join(repoRoot, 'src', 'ids.ts'), 'utf8');
    for (const c of manifest.contributes.commands) {
      assert.ok(c.title, `${c.command} has a title`);
      assert.equal(c.category, 'Toloka', `${c.command} is in the Toloka category`);
      assert.ok(source.includes(`'${c.command}'`), `${c.command} is declared in src/ids.ts`);
    }
  });

  it('points welcome content and activation events at views that exist', () => {
    for (const w of manifest.contributes.viewsWelcome) assert.ok(viewIds.includes(w.view), `${w.view} is a contributed view`);
    for (const e of manifest.activationEvents.filter((a) => a.startsWith('onView:'))) {
      assert.ok(viewIds.includes(e.slice('onView:'.length)), `${e} names a contributed view`);
    }
    for (const c of manifest.contributes.viewsContainers.activitybar) {
      assert.ok(fs.existsSync(path.join(repoRoot, c.icon)), `${c.icon} exists`);
    }
  });

  it('welcome links only to commands the extension contributes', () => {
    const commands = new Set(manifest.contributes.commands.map((c) => c.command));
    for (const w of manifest.contributes.viewsWelcome) {
      for (const m of w.contents.matchAll(/\(command:([\w.]+)/g)) assert.ok(commands.has(m[1] ?? ''), `${m[1]} is contributed`);
    }
  });

  it("offers Copy ID and Open in Toloka on exactly the rows they can handle", () => {
    const rows: Node[] = [
      { kind: 'project', key: 'project/1', project: { id: '1', public_name: 'p', task_spec: { input_spec: {}, output_spec: {} } } as never },
      ...(['OPEN', 'CLOSED', 'ARCHIVED', 'LOCKED'] as const).map((status): Node => ({ kind: 'pool', key: `pool/${status}`, pool: { id: '2', status } as never, busy: false })),
      ...(['OPEN', 'CLOSED'] as const).map((status): Node => ({ kind: 'training', key: `training/${status}`, pool: { id: '3', status } as never, busy: false })),
      { kind: 'trainings', key: 'trainings/1', projectId: '1' },
      { kind: 'appProjects', key: 'appProjects' },
      { kind: 'appProject', key: 'appProject/4', appProject: { id: '4', name: 'a', app_id: 'x' } as never },
      { kind: 'appBatches', key: 'appBatches/4', appProjectId: '4' },
      { kind: 'appBatch', key: 'appBatch/5', appProjectId: '4', batch: { id: '5', status: 'NEW' } },
      { kind: 'detail', key: 'detail/1', label: 'Status', value: 'OPEN' },
      { kind: 'loadMore', key: 'more/1', parentKey: 'root' },
      { kind: 'error', key: 'error/1', parentKey: 'root', message: 'x' },
    ];
    const clause = (command: string): RegExp => {
      const when = manifest.contributes.menus['view/item/context']?.find((m) => m.command === command)?.when ?? '';
      const m = /viewItem =~ \/(.+)\/$/.exec(when);
      assert.ok(m?.[1], `${command} has a viewItem clause: ${when}`);
      return new RegExp(m[1]);
    };
    const copy = clause('toloka.copyId');
    const openInToloka = clause('toloka.openInToloka');
    for (const row of rows) {
      const value = contextValueOf(row);
      assert.equal(copy.test(value), copyableId(row) !== undefined, `Copy ID on ${value}`);
      assert.equal(openInToloka.test(value), row.kind === 'project' || row.kind === 'pool', `Open in Toloka on ${value}`);
    }
  });

  it('offers each app batch action only on the statuses Toloka allows it from', () => {
    const offered = (command: string): string[] => {
      const clauses = (manifest.contributes.menus['view/item/context'] ?? []).filter((m) => m.command === command).map((m) => m.when ?? '');
      assert.ok(clauses.length > 0, `${command} is on explorer rows`);
      return AppBatchStatus.options.filter((status) => {
        const value = contextValueOf({ kind: 'appBatch', key: 'appBatch/1', appProjectId: '1', batch: { id: '1', status } });
        const on = clauses.map((when) => {
          const m = /viewItem (==|=~) (\S+)$/.exec(when);
          assert.ok(m?.[2], `${command}: ${when}`);
          return m[1] === '==' ? m[2] === value : new RegExp(m[2].slice(1, -1)).test(value);
        });
        assert.ok(on.every((x) => x === on[0]), `${command}'s menu entries agree on ${status}`);
        return on[0];
      });
    };
    assert.deepEqual(offered('toloka.apps.startBatch'), ['NEW']);
    assert.deepEqual(offered('toloka.apps.stopBatch'), ['PROCESSING']);
    assert.deepEqual(offered('toloka.apps.resumeBatch'), ['STOPPING', 'STOPPED']);
    assert.deepEqual(offered('toloka.apps.archiveBatch'), ['NEW', 'COMPLETED', 'ERROR', 'CANCELLED', 'NO_MONEY', 'STOPPED']);
    assert.deepEqual(offered('toloka.apps.unarchiveBatch'), ['ARCHIVE']);
    assert.deepEqual(offered('toloka.apps.editBatch'), AppBatchStatus.options.filter((s) => s !== 'ARCHIVE'));
  });
});
