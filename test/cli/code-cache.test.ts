/**
 * The loaders `dist/cli.cjs` / `dist/server.cjs` run their bundles with V8's
 * code cache (server/src/boot/code-cache.ts): only a run that loads a site
 * stores it, a later run uses it, a corrupt one is rejected and replaced, and
 * `PATTERN_ATLAS_CODE_CACHE=0` leaves none. Whatever happens, the output is
 * the output of a run without a cache.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const REPO = path.resolve(import.meta.dirname, '../..');
const CLI = path.join(REPO, 'dist/cli.cjs');

function run(cacheDir: string, args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: REPO,
    encoding: 'utf8',
    env: { ...process.env, PATTERN_ATLAS_CACHE_DIR: cacheDir, PATTERN_ATLAS_DEBUG_CODE_CACHE: '1', ...env },
  });
  return { code: r.status, out: r.stdout, said: r.stderr.split('\n').filter((l) => l.startsWith('pattern-atlas code cache:')) };
}

const codeFiles = (dir: string) => (fs.existsSync(path.join(dir, 'code')) ? fs.readdirSync(path.join(dir, 'code')) : []);

test('the code cache: stored by a check, used by the next run, a corrupt one replaced, off with PATTERN_ATLAS_CODE_CACHE=0', () => {
  assert.ok(fs.existsSync(CLI), `${CLI} is missing: run npm run build`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pa-code-cache-'));
  try {
    const check = ['check', 'examples/compendium', '--format', 'json', '--no-cache', '--no-mermaid'];
    const plain = run(dir, check, { PATTERN_ATLAS_CODE_CACHE: '0' });
    assert.deepEqual(plain.said, [], 'PATTERN_ATLAS_CODE_CACHE=0: no cache read or written');
    assert.deepEqual(codeFiles(dir), []);
    assert.equal(JSON.parse(plain.out).version, 1);

    const version = run(dir, ['--version']);
    assert.equal(version.out.trim(), '0.1.0');
    assert.deepEqual(codeFiles(dir), [], '--version compiles next to nothing: it stores no cache');

    const first = run(dir, check);
    assert.equal(first.out, plain.out);
    assert.equal(first.code, plain.code);
    assert.equal(first.said.length, 1);
    assert.match(first.said[0], /wrote .*\/code\/cli-bundle-[0-9a-f]{16}\.bin$/);
    const files = codeFiles(dir);
    assert.equal(files.length, 1);
    const file = path.join(dir, 'code', files[0]);
    assert.ok(fs.statSync(file).size > 100_000, 'the cache holds the code the check compiled');

    const second = run(dir, check);
    assert.equal(second.out, plain.out);
    assert.deepEqual(second.said, [`pattern-atlas code cache: used ${file}`]);

    fs.writeFileSync(file, Buffer.from('not a code cache at all'));
    const corrupt = run(dir, check);
    assert.equal(corrupt.out, plain.out);
    assert.deepEqual(corrupt.said, [`pattern-atlas code cache: rejected ${file}`, `pattern-atlas code cache: wrote ${file}`]);
    assert.ok(fs.statSync(file).size > 100_000);
    assert.deepEqual(run(dir, check).said, [`pattern-atlas code cache: used ${file}`]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('an unwritable cache folder only means no cache', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pa-code-cache-ro-'));
  try {
    // A file where the cache folder would be: nothing can be created under it.
    const blocked = path.join(dir, 'blocked');
    fs.writeFileSync(blocked, '');
    const r = run(blocked, ['check', 'examples/compendium', '--format', 'json', '--no-cache', '--no-mermaid']);
    assert.equal(JSON.parse(r.out).version, 1);
    assert.equal(r.said.length, 1);
    assert.match(r.said[0], /not written/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the bundles the loaders run and the Mermaid worker are ASCII (one-byte strings once read): esbuild.mjs escapes what esbuild keeps in regular expressions and comments', () => {
  for (const name of ['cli-bundle.cjs', 'server-bundle.cjs', 'mermaid-worker.mjs']) {
    const text = fs.readFileSync(path.join(REPO, 'dist', name), 'latin1');
    const at = text.search(/[^\x00-\x7f]/);
    assert.equal(at, -1, `${name} has a non-ASCII byte at ${at}: ${JSON.stringify(text.slice(at - 40, at + 10))}`);
  }
});
