/** `npm run provision`: installs code-server, Node 24 and Chromium for the tests, once. */
import { ensureChromium, ensureCodeServer } from '../test/runners/provision';

try {
  const cs = ensureCodeServer();
  const chromium = ensureChromium();
  console.log(`code-server ${cs.version}: ${cs.entry}`);
  console.log(`node for code-server: ${cs.node}`);
  console.log(`chromium: ${chromium}`);
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
}
