/** A separate process that runs an upload, so a test can kill it in the middle like a crash, or run two at once. */
import { uploadTasks } from '../../../src/files/upload';
import { TolokaClient } from '../../../src/toloka/client';
import type { TaskSpec } from '../../../src/toloka/models';

const [apiRoot = '', file = '', poolId = '', specJson = '{}', batch = '500'] = process.argv.slice(2);
const client = new TolokaClient({ baseUrl: apiRoot, credential: 't', baseDelayMs: 5, maxDelayMs: 200, maxAttempts: 50 });
uploadTasks({ client, file, format: 'jsonl', poolId, spec: JSON.parse(specJson) as TaskSpec, batchSize: Number(batch), inFlight: 2, tasksPerMinute: 0 }).then(
  (r) => {
    process.stdout.write(`${JSON.stringify({ created: r.created, resumed: r.resumed })}\n`);
    process.exit(0);
  },
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}\n`);
    process.exit(err instanceof Error && err.name === 'UploadLocked' ? 4 : 1);
  },
);
