/** `npm run bench -- <name>`: runs one benchmark (or all with no name), one JSON line per figure. */
import { benchAggregate } from './bench/aggregate';
import { benchAggregation } from './bench/aggregation';
import { benchDashboard } from './bench/dashboard';
import { benchDeploy } from './bench/deploy';
import { benchDownload } from './bench/download';
import { benchDryRun } from './bench/dryrun';
import { benchExplorer } from './bench/explorer';
import { benchSandbox } from './bench/sandbox';
import { benchTb } from './bench/tb';
import { benchUpload } from './bench/upload';

const benches: Record<string, () => Promise<void>> = {
  sandbox: benchSandbox,
  explorer: benchExplorer,
  upload: benchUpload,
  aggregate: benchAggregate,
  aggregation: benchAggregation,
  download: benchDownload,
  dashboard: benchDashboard,
  deploy: benchDeploy,
  dryrun: benchDryRun,
  tb: benchTb,
};

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((w) => !(w in benches));
  if (unknown.length > 0) throw new Error(`unknown benchmark ${unknown.join(', ')}; there are: ${Object.keys(benches).join(', ')}`);
  for (const name of wanted.length > 0 ? wanted : Object.keys(benches)) await benches[name]?.();
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
