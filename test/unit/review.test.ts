/** The review round trip: verdicts in a results TSV accept or reject assignments. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { downloadResults } from '../../src/files/results';
import { applyReview, readReviewFile } from '../../src/files/review';
import { classificationProject, harness, poolFor, tasks, until } from './fixtures';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tlk-review-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(lines: string[]): string {
  const f = path.join(dir, `review-${Math.random().toString(16).slice(2)}.tsv`);
  fs.writeFileSync(f, lines.join('\n') + '\n');
  return f;
}

describe('Review from a results file', () => {
  it('names the line of every bad verdict and sends nothing it cannot read', async () => {
    const f = write([
      'INPUT:x\tASSIGNMENT:assignment_id\tACCEPT:verdict\tACCEPT:comment',
      'a\tA1\t+\t',
      'b\tA1\t+\tGood',
      'c\tA2\t-\t',
      'd\tA3\tyes\t',
      'e\tA4\t\t',
      'f\tA1\t-\tno',
    ]);
    const r = await readReviewFile(f);
    assert.deepEqual(r.problems, [
      { line: 4, message: 'a rejection needs a comment in ACCEPT:comment: the Toloker sees it' },
      { line: 5, message: 'ACCEPT:verdict must be + (accept) or - (reject), not "yes"' },
      { line: 7, message: 'assignment A1 already has a different verdict or comment on line 2' },
    ]);
    assert.deepEqual(r.decisions, [{ assignmentId: 'A1', accept: true, comment: 'Good', line: 2 }]);
    assert.equal(r.undecided, 1);
    const none = await readReviewFile(write(['INPUT:x\tOUTPUT:y', 'a\tb']));
    assert.match(none.problems[0]?.message ?? '', /no column ASSIGNMENT:assignment_id or ACCEPT:verdict/);
  });

  it('accepts and rejects the assignments of a downloaded results file, and reports what changed', async () => {
    const h = await harness({ tolokers: { assignmentsPerSecond: 5000, thinkMs: [1, 3], count: 6 } });
    try {
      const project = await h.client.projects.create(classificationProject);
      const pool = await h.client.pools.create(poolFor(project.id ?? '', { auto_accept_solutions: false, mixer_config: { real_tasks_count: 2, golden_tasks_count: 0, training_tasks_count: 0 } }));
      const poolId = pool.id ?? '';
      await h.client.tasks.createMany(tasks(poolId, 6));
      await h.client.operations.wait(await h.client.pools.open(poolId), { firstDelayMs: 10, intervalMs: 20 });
      await until('the pool to complete', async () => (await h.client.pools.get(poolId)).status === 'CLOSED', 30_000);

      const file = path.join(dir, 'results.tsv');
      await downloadResults({ client: h.client, poolId, spec: project.task_spec, file, format: 'tsv', statuses: ['SUBMITTED'], columns: ['assignment_id'] });
      const [header, ...rows] = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
      const ids = [...new Set(rows.map((r) => r.split('\t').pop() ?? ''))];
      assert.equal(ids.length, 9); // 6 tasks × overlap 3 in suites of 2
      // Reject the first assignment, accept the rest (leaving the verdict on only one row of each is enough).
      const seen = new Set<string>();
      const reviewed = write([
        `${header}\tACCEPT:verdict\tACCEPT:comment`,
        ...rows.map((r) => {
          const id = r.split('\t').pop() ?? '';
          const first = !seen.has(id);
          seen.add(id);
          if (!first) return `${r}\t\t`;
          return id === ids[0] ? `${r}\t-\tThe picture shows a dog` : `${r}\t+\t`;
        }),
      ]);
      const review = await readReviewFile(reviewed);
      assert.deepEqual(review.problems, []);
      const applied = await applyReview({ client: h.client, decisions: review.decisions });
      assert.deepEqual(applied.counts, { accepted: 8, rejected: 1, unchanged: 0, refused: 0, failed: 0 });
      const rejected = await h.client.assignments.get(ids[0] ?? '');
      assert.equal(rejected.status, 'REJECTED');
      assert.equal(rejected.public_comment, 'The picture shows a dog');

      // Applying the same file again changes nothing; flipping an accepted one to rejected is refused.
      const again = await applyReview({ client: h.client, decisions: review.decisions });
      assert.deepEqual(again.counts, { accepted: 0, rejected: 0, unchanged: 9, refused: 0, failed: 0 });
      const flip = await applyReview({ client: h.client, decisions: [{ assignmentId: ids[1] ?? '', accept: false, comment: 'changed my mind', line: 3 }] });
      assert.equal(flip.counts.refused, 1);
      assert.match(flip.notes[0]?.message ?? '', /ACCEPTED cannot become REJECTED/);
      assert.equal(flip.notes[0]?.line, 3);
    } finally {
      await h.stop();
    }
  });
});
