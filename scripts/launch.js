// @ts-check
/**
 * `node scripts/launch.js <script> [args…]`: runs scripts/<script>.ts as
 * plain JavaScript on node, with no tsx and no `@lianxin/source` condition.
 * `npm start` runs it (and `npm run embedded:snapshot`, the install's
 * `prepare`). Under tsx every module of the graph was compiled as it loaded,
 * by a loader that stayed in the process: on JavaScript made beforehand a
 * first start answers in about a third less time and CPU, with about a
 * fifth less memory (docs/performance.md).
 *
 * What runs always matches the current sources, without the minutes of a
 * type-checking `npm run build`: esbuild transpiles file by file (types are
 * only erased, which isolatedModules and verbatimModuleSyntax make safe),
 * and only what changed since the last time.
 *
 * - Each workspace package's `src/**\/*.ts` goes to `dist/**\/*.js`, the
 *   layout tsc gives it, so the packages' exports (`default`: ./dist/…)
 *   resolve to it and paths read relative to the code (../schema) hold. A
 *   stamp in `dist/.source-stamp` names the sources it was made from and the
 *   output it wrote; the package is transpiled again when either differs
 *   (an edit, a `git pull`, or `npm run build` and turbo's cache, which
 *   rewrite dist/ but leave the stamp). tsc's declarations are left alone.
 * - The script, bundled with the scripts it imports by relative path
 *   (packages stay imports), goes to `scripts/dist/<script>.js`, stamped
 *   beside it the same way. `npm run build` empties scripts/dist/: the next
 *   launch makes it again.
 *
 * Then it imports the script in this process: one node process stays
 * resident and a signal reaches the script's own handlers.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const STAMP = '.source-stamp';
/** The syntax the output keeps, as tsconfig.base.json's target. */
const TARGET = 'es2022';

/**
 * What every transpile depends on besides its own sources: esbuild's
 * version, this file (its options) and the shared compiler settings.
 */
function toolchain() {
  const hash = createHash('sha256');
  let manifest;
  try {
    manifest = createRequire(import.meta.url).resolve('esbuild/package.json');
  } catch {
    fail('esbuild is not installed: npm start runs from a development install (npm ci, with the development dependencies)');
  }
  hash.update(`esbuild ${JSON.parse(readFileSync(manifest, 'utf8')).version}\n`);
  for (const file of [fileURLToPath(import.meta.url), path.join(ROOT, 'tsconfig.base.json')]) hash.update(readFileSync(file));
  return hash.digest('hex');
}

/**
 * A hash of the files' paths (relative to `base`) and contents; null when
 * one of them cannot be read.
 * @param {string} base
 * @param {readonly string[]} files
 */
function hashFiles(base, files) {
  const hash = createHash('sha256');
  try {
    for (const file of files) {
      const contents = readFileSync(file);
      hash.update(`${path.relative(base, file)} ${contents.length}\n`).update(contents);
    }
  } catch {
    return null;
  }
  return hash.digest('hex');
}

/**
 * What the output files are on disk (size and modification time): what
 * this launch wrote, or something else since (tsc, turbo's cache), without
 * reading them. Null when one is missing.
 * @param {string} base
 * @param {readonly string[]} files
 */
function signature(base, files) {
  const hash = createHash('sha256');
  try {
    for (const file of files) {
      const { size, mtimeMs } = statSync(file);
      hash.update(`${path.relative(base, file)} ${size} ${mtimeMs}\n`);
    }
  } catch {
    return null;
  }
  return hash.digest('hex');
}

/**
 * The files under `folder` (their paths) whose names `keep` accepts, sorted.
 * @param {string} folder
 * @param {(name: string) => boolean} keep
 */
function filesUnder(folder, keep) {
  /** @type {string[]} */
  const found = [];
  /** @param {string} dir */
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (keep(entry.name)) found.push(file);
    }
  };
  if (existsSync(folder)) walk(folder);
  return found.sort();
}

/** @typedef {{ sources: string, output: string | null, inputs?: string[] }} Stamp */

/** @param {string} file @returns {Stamp | null} */
function readStamp(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

/**
 * Writes the output files, each under a temporary name and then renamed:
 * another start reading one meanwhile gets the old file or the new, never
 * half of one.
 * @param {readonly { path: string, contents: Uint8Array }[]} outputs
 */
function writeOutputs(outputs) {
  for (const output of outputs) {
    mkdirSync(path.dirname(output.path), { recursive: true });
    const staging = `${output.path}.${process.pid}.tmp`;
    writeFileSync(staging, output.contents);
    renameSync(staging, output.path);
  }
}

/** @typedef {typeof import('esbuild')} Esbuild */

/**
 * One workspace package: whether its dist/ is current, and how to make it so.
 * @param {string} dir the package's folder, relative to the root
 * @param {string} tools the toolchain's hash
 */
function workspacePackage(dir, tools) {
  const base = path.join(ROOT, dir);
  const src = path.join(base, 'src');
  const dist = path.join(base, 'dist');
  const stampFile = path.join(dist, STAMP);
  const sources = filesUnder(src, (name) => name.endsWith('.ts') && !name.endsWith('.d.ts'));
  // Where tsc would put each: src/a/b.ts → dist/a/b.js.
  const outputs = sources.map((file) => path.join(dist, path.relative(src, file)).replace(/\.ts$/, '.js'));
  const configs = ['tsconfig.json', 'tsconfig.build.json'].map((name) => path.join(base, name));
  const made = hashFiles(base, [...configs, ...sources]);
  const stamp = readStamp(stampFile);
  return {
    name: dir,
    fresh: made !== null && stamp?.sources === `${tools}:${made}` && stamp.output === signature(base, outputs),
    /** @param {Esbuild} esbuild */
    async transpile(esbuild) {
      const result = await esbuild.build({
        // Messages name files from the root (gateway/src/…).
        absWorkingDir: ROOT,
        entryPoints: sources,
        outbase: src,
        outdir: dist,
        bundle: false,
        format: 'esm',
        platform: 'node',
        target: TARGET,
        tsconfig: path.join(base, 'tsconfig.build.json'),
        write: false,
        logLevel: 'silent',
      });
      writeOutputs(result.outputFiles);
      // JavaScript of a source since removed or renamed: a stale module nothing should import. tsc's declarations stay.
      const current = new Set(outputs);
      for (const file of filesUnder(dist, (name) => name.endsWith('.js'))) if (!current.has(file)) rmSync(file);
      writeFileSync(stampFile, `${JSON.stringify({ sources: `${tools}:${made}`, output: signature(base, outputs) })}\n`);
    },
  };
}

/**
 * The script to run: scripts/<name>.ts and the scripts it imports, bundled
 * into one file. Its stamp lists the files the bundle was made from, as
 * only a build finds them.
 * @param {string} name
 * @param {string} tools
 */
function entryScript(name, tools) {
  const entry = path.join(ROOT, 'scripts', `${name}.ts`);
  const outfile = path.join(ROOT, 'scripts', 'dist', `${name}.js`);
  const stampFile = path.join(ROOT, 'scripts', 'dist', `.${name}${STAMP}`);
  /** @param {readonly string[]} inputs relative to the root */
  const sourcesHash = (inputs) => {
    const files = ['tsconfig.json', ...inputs].map((file) => path.join(ROOT, file));
    const made = hashFiles(ROOT, files);
    return made && `${tools}:${made}`;
  };
  const stamp = readStamp(stampFile);
  return {
    name: `scripts/${name}.ts`,
    outfile,
    exists: existsSync(entry),
    fresh: stamp?.inputs !== undefined && stamp.sources === sourcesHash(stamp.inputs) && stamp.output === signature(ROOT, [outfile]),
    /** @param {Esbuild} esbuild */
    async transpile(esbuild) {
      const result = await esbuild.build({
        absWorkingDir: ROOT,
        entryPoints: [entry],
        outfile,
        bundle: true,
        // Workspace packages and dependencies stay imports, resolved from node_modules: the packages' dist/, kept current above.
        packages: 'external',
        format: 'esm',
        platform: 'node',
        target: TARGET,
        tsconfig: path.join(ROOT, 'tsconfig.json'),
        metafile: true,
        write: false,
        logLevel: 'silent',
      });
      writeOutputs(result.outputFiles);
      const inputs = Object.keys(result.metafile.inputs).sort();
      writeFileSync(stampFile, `${JSON.stringify({ sources: sourcesHash(inputs), output: signature(ROOT, [outfile]), inputs })}\n`);
    },
  };
}

/** @param {string} message @returns {never} */
function fail(message) {
  process.stderr.write(`lianxin: ${message}\n`);
  process.exit(1);
}

/**
 * Transpiles what is stale, in parallel on one esbuild service, which is
 * stopped after so that its process does not stay resident beside the
 * script.
 * @param {readonly { name: string, fresh: boolean, transpile: (esbuild: Esbuild) => Promise<void> }[]} units
 */
async function transpileStale(units) {
  const stale = units.filter((unit) => !unit.fresh);
  if (stale.length === 0) return;
  // Loaded only here: a launch with nothing to transpile starts no esbuild.
  const esbuild = await import('esbuild');
  try {
    await Promise.all(
      stale.map((unit) =>
        unit.transpile(esbuild).catch(async (/** @type {unknown} */ error) => {
          const errors = error && typeof error === 'object' && 'errors' in error && Array.isArray(error.errors) ? error.errors : [];
          const details = errors.length > 0 ? (await esbuild.formatMessages(errors, { kind: 'error', color: false })).join('') : `${String(error)}\n`;
          fail(`cannot transpile ${unit.name} to run it (scripts/launch.js):\n${details.trimEnd()}`);
        }),
      ),
    );
  } finally {
    await esbuild.stop();
  }
}

const [name, ...args] = process.argv.slice(2);
if (!name) fail('usage: node scripts/launch.js <script in scripts/, without .ts> [arguments…]');
const tools = toolchain();
const subgraphs = readdirSync(path.join(ROOT, 'subgraphs')).filter((folder) => existsSync(path.join(ROOT, 'subgraphs', folder, 'package.json')));
const workspaces = ['shared', 'gateway', ...subgraphs.map((folder) => `subgraphs/${folder}`)];
const script = entryScript(name, tools);
if (!script.exists) fail(`no script scripts/${name}.ts`);
await transpileStale([...workspaces.map((dir) => workspacePackage(dir, tools)), script]);
// The script sees the command line it would have been given as `node scripts/dist/<name>.js [args…]`.
process.argv = [process.argv[0] ?? process.execPath, script.outfile, ...args];
await import(pathToFileURL(script.outfile).href);
