/** A pool file's cost estimate and hourly check, against a hand-worked example. */
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { countTasks } from '../../src/files/taskCount';
import { median } from '../../src/aggregation/median';
import { checkHourlyReward, estimatePoolCost, suiteSeconds } from '../../src/insights/poolCost';

async function tmpFile(name: string, text: string): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'pool-cost-'));
  const file = path.join(dir, name);
  await fs.writeFile(file, text);
  return file;
}

const pool = { reward_per_assignment: 0.05, defaults: { default_overlap_for_new_tasks: 3 }, mixer_config: { real_tasks_count: 4, golden_tasks_count: 1 } };

describe('Cost estimate of a pool file', () => {
  it('counts real tasks, control tasks and own overlaps in JSON Lines, JSON and TSV alike', async () => {
    const jsonl = ['{"input_values":{"u":"1"}}', '{"input_values":{"u":"2"},"overlap":5}', '{"input_values":{"u":"3"},"known_solutions":[{"output_values":{"r":"a"}}]}', '{bad', '{"input_values":{"u":"4"}}'].join('\n');
    const c = await countTasks(await tmpFile('a.tasks.jsonl', jsonl));
    assert.deepEqual({ real: c.real, golden: c.golden, own: c.ownOverlap, unreadable: c.unreadable }, { real: 3, golden: 1, own: { tasks: 1, sum: 5 }, unreadable: 1 });

    const json = JSON.stringify([{ input_values: { u: '1' } }, { input_values: { u: '2' }, known_solutions: [{ output_values: { r: 'a' } }] }]);
    const j = await countTasks(await tmpFile('a.tasks.json', json));
    assert.deepEqual([j.real, j.golden], [1, 1]);

    const tsv = ['INPUT:u\tGOLDEN:r\tTASK:overlap', '1\t\t', '2\ta\t', '3\t\t7', ''].join('\n');
    const t = await countTasks(await tmpFile('a.tasks.tsv', tsv));
    assert.deepEqual({ real: t.real, golden: t.golden, own: t.ownOverlap }, { real: 2, golden: 1, own: { tasks: 1, sum: 7 } });
  });

  it('works out reward, overlap, the mixer and the fee as a requester would by hand', () => {
    // 10 real tasks, one of them with overlap 5: 5 + 9 × 3 = 32 answers, 4 real tasks a suite → 8 suites,
    // 8 × $0.05 = $0.40 in rewards, 8 × 30% × $0.05 = $0.12 fee, $0.52 in all.
    const e = estimatePoolCost(pool, { real: 10, golden: 2, ownOverlap: { tasks: 1, sum: 5 }, source: 'a.tasks.jsonl' });
    assert.equal(e.suites, 8);
    assert.ok(Math.abs(e.rewards - 0.4) < 1e-9 && Math.abs(e.fee - 0.12) < 1e-9 && Math.abs(e.total - 0.52) < 1e-9, JSON.stringify(e));
    assert.equal(e.headline, '≈ $0.52 for 10 tasks');
    assert.match(e.explanation.join('\n'), /10 real tasks and 2 control tasks, from a\.tasks\.jsonl/);
    assert.match(e.explanation.join('\n'), /4 real \+ 1 control/);
  });

  it("takes dynamic overlap's maximum over tasks' own overlaps, and the $0.005 minimum fee on cheap suites", () => {
    const e = estimatePoolCost({ reward_per_assignment: 0.01, dynamic_overlap_config: { max_overlap: 5 }, defaults: { default_overlap_for_new_tasks: 3 } }, { real: 10, ownOverlap: { tasks: 1, sum: 9 }, source: 'x' });
    // 10 × 5 = 50 suites of one task; the fee is max(30% × $0.01, $0.005) = $0.005 a suite.
    assert.equal(e.suites, 50);
    assert.ok(Math.abs(e.total - (50 * 0.01 + 50 * 0.005)) < 1e-9, String(e.total));
    assert.equal(e.dynamic, true);
  });

  it('warns when the reward pays under the minimum by the hour at the median suite time', () => {
    const times = suiteSeconds(
      [
        { created: '2026-12-01T12:00:00', submitted: '2026-12-01T12:00:20' },
        { created: '2026-12-01T12:00:00', submitted: '2026-12-01T12:00:30' },
        { created: '2026-12-01T12:00:00', submitted: '2026-12-01T12:01:00' },
        { created: '2026-12-01T12:00:00' },
      ],
    );
    assert.deepEqual(times, [20, 30, 60]);
    const m = median(times);
    assert.equal(m, 30);
    // $0.05 a suite at 30 s a suite = $6.00 an hour.
    const low = checkHourlyReward(0.05, m, 8, 'test');
    assert.equal(low?.tooLow, true);
    assert.match(low?.message ?? '', /\$6\.00 an hour .*under your minimum of \$8\.00/);
    assert.equal(checkHourlyReward(0.05, m, 5, 'test')?.tooLow, false);
    assert.equal(checkHourlyReward(0.05, m, 0, 'test')?.tooLow, false, 'a minimum of 0 turns the warning off');
    assert.equal(checkHourlyReward(0.05, undefined, 8, 'test'), undefined, 'no time, no claim');
  });
});
