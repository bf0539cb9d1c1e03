/**
 * The repository's root folder, found by walking up from this module to the
 * package.json that declares the workspaces rather than by a fixed `..`: the
 * scripts run from scripts/ (under tsx, in tests) and bundled into
 * scripts/dist/ (`npm start`, scripts/launch.js), one folder deeper.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(start: string): string {
  for (let folder = start; ; folder = path.dirname(folder)) {
    const manifest = path.join(folder, 'package.json');
    if (existsSync(manifest) && 'workspaces' in (JSON.parse(readFileSync(manifest, 'utf8')) as object)) return folder;
    if (path.dirname(folder) === folder) throw new Error(`no package.json with workspaces above ${start}`);
  }
}

export const REPOSITORY_ROOT = findRoot(path.dirname(fileURLToPath(import.meta.url)));
