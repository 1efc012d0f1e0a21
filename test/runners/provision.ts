/**
 * Installs what the tests and the playground need on a fresh machine, the way
 * @vscode/test-electron caches its VS Code download: once, into a git-ignored folder,
 * reused by every later run.
 *
 * - code-server (the real VS Code workbench and extension host, from npm) with the Node 24
 *   it requires (npm package `node@24`), under `.vscode-test/`;
 * - Debian's Chromium, and libkrb5-dev for code-server's native modules, via apt-get when
 *   running as root; otherwise a message says what to install.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const CODE_SERVER_VERSION = '4.139.1';
const NODE_MAJOR = '24';

/** The folder holding this project's package.json, wherever the bundled script runs from. */
function findRepoRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && fs.readFileSync(manifest, 'utf8').includes('"name": "toloka-vscode"')) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no toloka-vscode package.json above ${start}`);
  }
}

export const repoRoot = findRepoRoot(__dirname);
export const cacheDir = process.env['TOLOKA_TEST_CACHE'] ?? path.join(repoRoot, '.vscode-test');

export interface CodeServerInstall {
  /** Node 24 binary that runs code-server. */
  readonly node: string;
  /** code-server's entry script. */
  readonly entry: string;
  readonly version: string;
}

function log(message: string): void {
  process.stderr.write(`[provision] ${message}\n`);
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function dpkgInstalled(pkg: string): boolean {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

let aptUpdated = false;
function aptInstall(packages: string[], why: string): void {
  if (!isRoot()) {
    throw new Error(`${why} needs the Debian packages ${packages.join(', ')}. Install them with: sudo apt-get install -y ${packages.join(' ')}`);
  }
  log(`installing ${packages.join(', ')} with apt-get (${why})`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) {
    execFileSync('apt-get', ['update', '-qq'], { stdio: ['ignore', 'ignore', 'inherit'], env });
    aptUpdated = true;
  }
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], { stdio: ['ignore', 'ignore', 'inherit'], env });
}

/** Where a Chromium binary already is, if anywhere. */
function chromiumOnMachine(): string | undefined {
  const fromEnv = process.env['CHROMIUM_PATH'];
  if (fromEnv) return fs.existsSync(fromEnv) ? fromEnv : undefined;
  return ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) => fs.existsSync(p));
}

/**
 * What provisioning would install on this machine, said before anything is installed: the
 * npm downloads into the cache, and the Debian packages apt-get will add when run as root.
 */
export function provisionPlan(): string[] {
  const plan: string[] = [];
  const codeServer = path.join(cacheDir, `code-server-${CODE_SERVER_VERSION}`);
  if (!fs.existsSync(path.join(codeServer, '.installed'))) {
    plan.push(`code-server ${CODE_SERVER_VERSION} (the VS Code workbench and extension host) with the Node ${NODE_MAJOR} it runs on, from npm into ${path.relative(repoRoot, cacheDir) || cacheDir}/ (about 600 MB, about 3 minutes, once)`);
    if (process.platform === 'linux' && fs.existsSync('/usr/bin/dpkg-query') && !dpkgInstalled('libkrb5-dev')) {
      plan.push(`the Debian package libkrb5-dev, with apt-get${isRoot() ? ' (running as root)' : ' (you are not root: you will be asked to install it)'}: code-server's kerberos module builds against its headers`);
    }
  }
  if (!chromiumOnMachine() && !process.env['CHROMIUM_PATH']) {
    plan.push(`the Debian package chromium, with apt-get${isRoot() ? ' (running as root)' : ' (you are not root: you will be asked to install it)'}: the extension-host and UI tests drive the workbench in it`);
  }
  return plan;
}

/** Path of a Chromium binary, installing Debian's package when missing. */
export function ensureChromium(): string {
  const fromEnv = process.env['CHROMIUM_PATH'];
  if (fromEnv && !fs.existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH points at ${fromEnv}, which does not exist`);
  const found = chromiumOnMachine();
  if (found) return found;
  aptInstall(['chromium'], 'The UI and extension-host tests drive the workbench in Chromium and');
  if (!fs.existsSync('/usr/bin/chromium')) throw new Error('apt-get installed chromium but /usr/bin/chromium is missing');
  return '/usr/bin/chromium';
}

/** npm's own CLI script, so that it can be run on a chosen Node binary. */
function npmCli(): string {
  const fromEnv = process.env['npm_execpath'];
  if (fromEnv && /npm-cli\.js$/.test(fromEnv)) return fromEnv;
  for (const dir of (process.env['PATH'] ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, 'npm');
    if (fs.existsSync(candidate)) {
      const real = fs.realpathSync(candidate);
      if (real.endsWith('.js')) return real;
      const beside = path.join(path.dirname(real), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js');
      if (fs.existsSync(beside)) return beside;
    }
  }
  throw new Error('cannot find npm-cli.js: is npm installed?');
}

/**
 * An environment for a child npm without the `npm_*` variables of the npm that runs us:
 * npm reads `npm_config_*` as its own configuration, and the outer `npm test` would pass
 * on, among others, a user agent naming the outer Node version.
 */
function cleanNpmEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) env[k] = v;
  return { ...env, ...extra };
}

function npmInstall(dir: string, manifest: object, spec: string, node: string, extraEnv: NodeJS.ProcessEnv): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  const r = spawnSync(node, [npmCli(), 'install', '--no-audit', '--no-fund', '--no-save', '--loglevel=error', spec], {
    cwd: dir,
    env: cleanNpmEnv(extraEnv),
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`npm install ${spec} failed in ${dir} (exit ${String(r.status)})`);
}

/** Node 24 from the npm package `node@24`: the binary and its headers for native modules. */
function ensureNode24(): { bin: string; home: string } {
  const dir = path.join(cacheDir, `node-${NODE_MAJOR}`);
  const home = path.join(dir, 'node_modules', 'node', 'node_modules', `node-${process.platform}-${process.arch}`);
  const bin = path.join(home, 'bin', 'node');
  if (fs.existsSync(bin) && fs.existsSync(path.join(home, 'include', 'node'))) return { bin, home };
  log(`installing Node ${NODE_MAJOR} into ${dir}`);
  // npm 11 runs a dependency's install scripts only when allowScripts names it.
  npmInstall(dir, { private: true, allowScripts: { node: true } }, `node@${NODE_MAJOR}`, process.execPath, {});
  if (!fs.existsSync(bin)) throw new Error(`node@${NODE_MAJOR} installed but ${bin} is missing`);
  return { bin, home };
}

/** code-server, installed once into the cache and reused by every later run. */
export function ensureCodeServer(): CodeServerInstall {
  const dir = path.join(cacheDir, `code-server-${CODE_SERVER_VERSION}`);
  const entry = path.join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  const marker = path.join(dir, '.installed');
  const node = ensureNode24();
  if (fs.existsSync(marker) && fs.existsSync(entry)) {
    return { node: node.bin, entry, version: CODE_SERVER_VERSION };
  }
  if (process.platform === 'linux' && fs.existsSync('/usr/bin/dpkg-query') && !dpkgInstalled('libkrb5-dev')) {
    aptInstall(['libkrb5-dev'], "code-server's native modules (kerberos) build against gssapi, so installing code-server");
  }
  log(`installing code-server ${CODE_SERVER_VERSION} into ${dir} (about 3 minutes, once)`);
  // npm itself runs on Node 24 (code-server's postinstall checks npm's user agent), and native
  // modules build against Node 24's headers, not the machine's Node.
  npmInstall(dir, { private: true, allowScripts: { 'code-server': true } }, `code-server@${CODE_SERVER_VERSION}`, node.bin, {
    PATH: `${path.dirname(node.bin)}${path.delimiter}${process.env['PATH'] ?? ''}`,
    npm_config_nodedir: node.home,
  });
  if (!fs.existsSync(entry)) throw new Error(`code-server installed but ${entry} is missing`);
  fs.writeFileSync(marker, new Date().toISOString());
  return { node: node.bin, entry, version: CODE_SERVER_VERSION };
}
