/** A separate process that runs an upload, so a test can kill it in the middle like a crash. */
import { uploadTasks } from '../../../src/files/upload';
import { TolokaClient } from '../../../src/toloka/client';
import type { TaskSpec } from '../../../src/toloka/models';

const [apiRoot = '', file = '', poolId = '', specJson = '{}'] = process.argv.slice(2);
const client = new TolokaClient({ baseUrl: apiRoot, credential: 't', baseDelayMs: 5 });
uploadTasks({ client, file, format: 'jsonl', poolId, spec: JSON.parse(specJson) as TaskSpec, batchSize: 500, inFlight: 2, tasksPerMinute: 0 }).then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
