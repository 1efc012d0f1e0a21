/** `npm run provision`: installs code-server, Node 24 and Chromium for the tests, once, saying what first. */
import { ensureChromium, ensureCodeServer, provisionPlan } from '../test/runners/provision';

try {
  const plan = provisionPlan();
  if (plan.length === 0) console.log('Everything the tests need is installed already.');
  else {
    console.log('Installing, once:');
    for (const item of plan) console.log(`  - ${item}`);
  }
  const cs = ensureCodeServer();
  const chromium = ensureChromium();
  console.log(`code-server ${cs.version}: ${cs.entry}`);
  console.log(`node for code-server: ${cs.node}`);
  console.log(`chromium: ${chromium}`);
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
}
