// Builds the extension bundle (dist/) and the test and tool entry points (out/).
//   node esbuild.js               development build of everything, with source maps
//   node esbuild.js --production  minified extension bundle, no source maps (used by `vsce package`)
//   node esbuild.js --watch       rebuild the extension on change
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** @type {import('esbuild').BuildOptions} */
const extension = {
  entryPoints: ['src/extension.ts'],
  outfile: 'dist/extension.js',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
  // Prefer ES module builds: jsonc-parser's UMD build loads its parts with a dynamic require.
  mainFields: ['module', 'main'],
  sourcemap: !production,
  minify: production,
  metafile: true,
  logLevel: 'warning',
};

/** Every test file, runner and tool script, one output file per entry, dependencies left in node_modules. */
function toolEntries() {
  const found = [];
  const walk = (dir) => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) found.push(full);
    }
  };
  walk('test');
  walk('scripts');
  return found;
}

/** @type {import('esbuild').BuildOptions} */
const tools = {
  entryPoints: toolEntries(),
  outdir: 'out',
  outbase: '.',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  packages: 'external',
  external: ['vscode'],
  mainFields: ['module', 'main'],
  sourcemap: 'inline',
  logLevel: 'warning',
};

/**
 * The `toloka` command line: ES modules split per subcommand, so `toloka sandbox` never loads
 * aggregation and `--help` loads almost nothing. `require` is given to the bundled CommonJS
 * dependencies (axios' helpers ask for Node's own modules).
 */
const cli = {
  entryPoints: { toloka: 'src/cli/bin.ts' },
  outdir: 'dist/cli',
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outExtension: { '.js': '.mjs' },
  mainFields: ['module', 'main'],
  sourcemap: !production,
  minify: production,
  banner: { js: "import { createRequire as __tolokaCreateRequire } from 'node:module'; const require = __tolokaCreateRequire(import.meta.url);" },
  define: { TOLOKA_VERSION: JSON.stringify(require('./package.json').version) },
  logLevel: 'warning',
};

/** The webviews' scripts and styles: browser bundles, no Node, no remote code (their CSP allows only these files). */
const webviews = {
  entryPoints: { dashboard: 'src/webviews/dashboard/main.ts', 'tb-preview': 'src/webviews/tb/main.ts', dryrun: 'src/webviews/dryrun/main.ts' },
  outdir: 'dist/webviews',
  bundle: true,
  platform: 'browser',
  format: 'iife',
  target: 'es2022',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
};

/** The JSON Schemas ship in dist/schemas, generated from the zod models at every build. */
async function buildSchemas() {
  const outfile = path.join('out', 'write-schemas.js');
  await esbuild.build({ entryPoints: ['scripts/writeSchemas.ts'], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning' });
  delete require.cache[path.resolve(outfile)];
  const files = require(path.resolve(outfile)).writeSchemas(path.join('dist', 'schemas'));
  console.log(`[esbuild] dist/schemas: ${files.length} JSON Schemas`);
}

async function main() {
  if (watch) {
    const ctx = await esbuild.context({ ...extension, logLevel: 'info' });
    await ctx.watch();
    console.log('[esbuild] watching src/ for changes');
    return;
  }
  const result = await esbuild.build(extension);
  // The aggregation worker and the sandbox process are files of their own: a thread and a
  // child process start from a script.
  await esbuild.build({ ...extension, entryPoints: ['src/aggregation/worker.ts'], outfile: 'dist/aggregationWorker.js', metafile: false });
  await esbuild.build({ ...extension, entryPoints: ['src/sandbox/processMain.ts'], outfile: 'dist/sandbox.js', metafile: false });
  await esbuild.build({ ...extension, entryPoints: ['src/insights/worker.ts'], outfile: 'dist/statsWorker.js', metafile: false });
  await esbuild.build(webviews);
  fs.rmSync('dist/cli', { recursive: true, force: true });
  await esbuild.build(cli);
  fs.chmodSync('dist/cli/toloka.mjs', 0o755);
  await buildSchemas();
  const bytes = fs.statSync(extension.outfile).size;
  console.log(`[esbuild] ${extension.outfile} ${(bytes / 1024).toFixed(1)} KiB${production ? ' (production)' : ''}`);
  if (!production) await esbuild.build(tools);
  return result;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
