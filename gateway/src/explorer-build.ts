/**
 * Builds the explorer (gateway/explorer/: GraphiQL, React and our page) into
 * static files with esbuild: `npm run build:explorer`, and automatically when
 * a development gateway starts without a current build, or (`npm start`) when
 * the explorer is first asked for (prepareExplorer).
 *
 * The output, gateway/explorer/dist/, is generated and not checked in. It is
 * stamped with a hash of what went into it (the page's sources, the versions
 * of the bundled packages, the build options), so a checkout whose sources or
 * lock file moved on is rebuilt rather than served stale. esbuild, GraphiQL
 * and React are development dependencies, loaded only to build: a production
 * gateway serves a bundle built beforehand and never imports them.
 */
import { createHash, randomUUID } from 'node:crypto';
import { access, copyFile, mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { DEMO_SAMPLE_PERSON_ID } from '@lianxin/shared/demo';

/** The page's sources: main.ts, examples.ts, style.css, index.html. */
export const EXPLORER_SOURCE_DIR = fileURLToPath(new URL('../explorer/', import.meta.url));
/** Where the built page is served from. */
export const EXPLORER_DIST_DIR = fileURLToPath(new URL('../explorer/dist/', import.meta.url));
/** The file in the output holding the stamp of the build. */
const STAMP_FILE = 'build-stamp.txt';

/** Packages whose code ends up in the bundle, or that make it. */
const BUNDLED_PACKAGES = [
  'graphiql',
  '@graphiql/react',
  '@graphiql/toolkit',
  '@graphiql/plugin-doc-explorer',
  '@graphiql/plugin-history',
  'react',
  'react-dom',
  'graphql',
  'esbuild',
];

/** Constants the page's code is compiled with. */
const DEFINE = {
  'process.env.NODE_ENV': JSON.stringify('production'),
  LIANXIN_DEMO_PERSON_ID: JSON.stringify(DEMO_SAMPLE_PERSON_ID),
};

/** Browsers the bundle's syntax targets: those of the last few years. */
const TARGET = ['chrome111', 'edge111', 'firefox114', 'safari16.4'];

/**
 * The stamp of a build from the current sources, or null when it cannot be
 * known here (a production install without the development dependencies).
 */
export async function explorerStamp(): Promise<string | null> {
  const hash = createHash('sha256');
  const require = createRequire(import.meta.url);
  try {
    for (const name of BUNDLED_PACKAGES) {
      const { version } = JSON.parse(await readFile(require.resolve(`${name}/package.json`), 'utf8')) as { version: string };
      hash.update(`${name}@${version}\n`);
    }
    const files = (await readdir(EXPLORER_SOURCE_DIR, { withFileTypes: true })).filter((entry) => entry.isFile()).map((entry) => entry.name);
    for (const file of files.sort()) hash.update(`${file}\n`).update(await readFile(`${EXPLORER_SOURCE_DIR}${file}`));
  } catch {
    return null;
  }
  hash.update(JSON.stringify({ DEFINE, TARGET }));
  return hash.digest('hex');
}

/** The stamp of the build in `dir`: null when there is no build, '' for a build made without one. */
export async function builtStamp(dir = EXPLORER_DIST_DIR): Promise<string | null> {
  try {
    await access(`${dir}/index.html`);
  } catch {
    return null;
  }
  return (await readFile(`${dir}/${STAMP_FILE}`, 'utf8').catch(() => '')).trim();
}

export interface ExplorerBuild {
  /** Milliseconds the build took. */
  durationMs: number;
  /** Bytes of each file written. */
  files: Record<string, number>;
}

/**
 * Bundles the page into `outDir`: index.html, explorer.js and explorer.css
 * (with source maps). It is built beside the output and moved into place,
 * so a gateway serving the old build never sees half of the new one, and
 * two processes building at once (parallel test workers) each leave a whole
 * build.
 */
export async function buildExplorer(outDir = EXPLORER_DIST_DIR): Promise<ExplorerBuild> {
  const started = performance.now();
  // Loaded here, not at the top: only a build needs esbuild, which production installs leave out.
  const { build, stop } = await import('esbuild');
  const stamp = await explorerStamp();
  const staging = `${outDir.replace(/\/$/, '')}.${randomUUID()}`;
  await mkdir(staging, { recursive: true });
  try {
    await build({
      entryPoints: { explorer: `${EXPLORER_SOURCE_DIR}main.ts` },
      outdir: staging,
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: TARGET,
      minify: true,
      sourcemap: 'linked',
      // Licences of the bundled packages go to explorer.js.LEGAL.txt, served beside it.
      legalComments: 'linked',
      define: DEFINE,
      logLevel: 'silent',
    });
    await copyFile(`${EXPLORER_SOURCE_DIR}index.html`, `${staging}/index.html`);
    if (stamp) await writeFile(`${staging}/${STAMP_FILE}`, `${stamp}\n`);
    const files: Record<string, number> = {};
    for (const file of (await readdir(staging)).sort()) files[file] = (await stat(`${staging}/${file}`)).size;
    // Replace the old build: move it aside first, since a directory cannot be renamed over a full one.
    const old = `${staging}.old`;
    await rename(outDir, old).catch(() => undefined);
    await rename(staging, outDir);
    await rm(old, { recursive: true, force: true });
    return { durationMs: Math.round(performance.now() - started), files };
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    // Another process put a current build in place first: that one will do.
    if (stamp && (await builtStamp(outDir)) === stamp) return { durationMs: Math.round(performance.now() - started), files: {} };
    throw error;
  } finally {
    // esbuild keeps a helper process for later builds; a gateway or test worker builds once, and the
    // helper would otherwise keep the process (and a jest run) from exiting.
    await stop();
  }
}
