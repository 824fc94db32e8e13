/**
 * The bundles tests run (dist/cli.cjs, dist/server.cjs, their *-bundle.cjs,
 * dist/mermaid-worker.mjs), built by `npm run build` (esbuild.mjs) when one is
 * missing or older than server/src: `npm test` builds first, so this matters
 * when a single test file is run after an edit. Test files run in parallel:
 * one builds (under a lock folder) while the others wait for it.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const REPO = path.resolve(import.meta.dirname, '../..');
const OUTPUTS = ['dist/cli.cjs', 'dist/cli-bundle.cjs', 'dist/server.cjs', 'dist/server-bundle.cjs', 'dist/mermaid-worker.mjs'].map((f) => path.join(REPO, f));
const LOCK = path.join(REPO, 'dist/.build-lock');

function newestMtime(dir: string): number {
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return t;
}

function stale(): boolean {
  const src = newestMtime(path.join(REPO, 'server/src'));
  return !OUTPUTS.every((f) => fs.existsSync(f) && fs.statSync(f).mtimeMs >= src);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function ensureBuilt(): Promise<void> {
  if (!stale()) return;
  fs.mkdirSync(path.dirname(LOCK), { recursive: true });
  for (const deadline = Date.now() + 120_000; ; ) {
    try {
      fs.mkdirSync(LOCK);
      break;
    } catch {
      // Another test file is building; a lock older than the deadline is left over from a killed run.
      if (Date.now() > deadline) fs.rmSync(LOCK, { recursive: true, force: true });
      await sleep(200);
    }
  }
  try {
    if (!stale()) return;
    const r = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: REPO, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`npm run build (esbuild.mjs) failed:\n${r.stderr}`);
  } finally {
    fs.rmSync(LOCK, { recursive: true, force: true });
  }
}
