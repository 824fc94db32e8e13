// `pattern-atlas fix --rule not-in-nav` on a copy of the corpus: every pattern
// page our check reports as missing from the nav is added, MkDocs itself
// (the oracle) no longer lists any of them as missing, and mkdocs.yml only
// gains lines.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, test } from 'node:test';
import { DiskWorkspace } from '../../server/src/cli/disk-workspace.ts';
import { lineChanges } from '../../server/src/fixes/diff.ts';
import { extractFast } from '../../server/src/parse/fast.ts';
import { checkSite } from '../../server/src/rules/index.ts';
import { loadSite } from '../../server/src/site/site.ts';
import { mkdocsVersion, runMkdocsOracle } from '../oracle/mkdocs-oracle.ts';

const CORPUS = resolve(import.meta.dirname, '../../../shared/corpus/dstudio-2025-07');
const CLI = resolve(import.meta.dirname, '../../dist/cli.cjs');

const version = await mkdocsVersion();
const skip = !existsSync(CORPUS)
  ? `corpus not found at ${CORPUS}`
  : typeof version !== 'string'
    ? `mkdocs unavailable: ${version.skipped}`
    : !existsSync(CLI)
      ? 'dist/cli.cjs not built (npm run build)'
      : false;

function notInNav(dir: string): Array<{ path: string; pattern: boolean }> {
  const site = loadSite(new DiskWorkspace(), dir, { parse: extractFast }).site!;
  return checkSite(site)
    .filter((f) => f.code === 'not-in-nav')
    .map((f) => ({ path: f.data!.path as string, pattern: !!site.pages.get(f.data!.path as string)?.isPattern }));
}

describe('pattern-atlas fix --rule not-in-nav on the corpus', () => {
  let tmp: string | undefined;
  after(async () => {
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  test('adds every missing pattern page; MkDocs agrees; mkdocs.yml only gains lines', { skip, timeout: 600_000 }, async () => {
    tmp = await mkdtemp(join(tmpdir(), 'pa-fix-corpus-'));
    const copy = join(tmp, 'site');
    await cp(CORPUS, copy, { recursive: true });
    const before = await readFile(join(copy, 'mkdocs.yml'), 'utf8');
    const reported = notInNav(copy);
    const patterns = reported.filter((r) => r.pattern).map((r) => r.path);
    assert.ok(patterns.length > 20, `expected many pattern pages missing from the nav, got ${patterns.length}`);

    const r = spawnSync(process.execPath, [CLI, 'fix', copy, '--rule', 'not-in-nav', '--no-cache'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`${reported.length} fix\\(es\\) applied, 1 file\\(s\\) changed`));

    const afterText = await readFile(join(copy, 'mkdocs.yml'), 'utf8');
    const changes = lineChanges(before, afterText);
    assert.deepEqual(changes.removed, []);
    assert.equal(changes.added.length, reported.length);
    for (const l of changes.added) assert.match(l, /^\s+- .+: .+\.md$/);
    assert.deepEqual(notInNav(copy), []);

    const oracle = await runMkdocsOracle(copy);
    if ('skipped' in oracle) throw new Error(oracle.skipped);
    const still = patterns.filter((p) => oracle.notInNav.includes(p));
    assert.deepEqual(still, [], `MkDocs still lists these pages as not in the nav: ${still.join(', ')}`);
    // The corpus has nav entries to missing files of its own; none of ours is one.
    assert.deepEqual(oracle.navMissing.filter((p) => reported.some((r) => r.path === p)), []);
  });
});
