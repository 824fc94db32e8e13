// The patterns index on the corpus. Discovery finds no index there (its best
// page, patterns/index.md, links to about a fifth of the patterns: a curated
// selection, not a list of all). Named in .pattern-atlas.yml, its "Pattern
// Catalog" table gets a row for every pattern it lacks (stubs excepted):
// fixSite on a temp copy, after which the rule reports nothing, the index
// only gains lines, and each new row has as many cells as its neighbours.
import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, test } from 'node:test';
import { DiskWorkspace } from '../../server/src/cli/disk-workspace.ts';
import { fixSite } from '../../server/src/fixes/apply.ts';
import { lineChanges } from '../../server/src/fixes/diff.ts';
import { extractFast } from '../../server/src/parse/fast.ts';
import { checkSite } from '../../server/src/rules/index.ts';
import { loadSite, type Site } from '../../server/src/site/site.ts';
import type { Workspace } from '../../server/src/site/workspace.ts';

const CORPUS = resolve(import.meta.dirname, '../../../shared/corpus/dstudio-2025-07');
const skip = existsSync(CORPUS) ? false : `corpus not found at ${CORPUS}`;

const load = (dir: string) => (ws: Workspace): Site => loadSite(ws, dir, { parse: extractFast }).site!;
const notInIndex = (site: Site) => checkSite(site).filter((f) => f.code === 'not-in-index');

/** Cells of a pipe-table row (outer pipes dropped, `\|` kept inside a cell). */
const cellCount = (row: string) => row.trim().replace(/^\|/, '').replace(/(?<!\\)\|$/, '').split(/(?<!\\)\|/).length;
const isRow = (l: string) => /^\s*\|.*\|\s*$/.test(l);

describe('not-in-index on the corpus', () => {
  let tmp: string | undefined;
  after(async () => {
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  test('discovery finds no patterns index: no page links to half of the patterns', { skip }, () => {
    const site = load(CORPUS)(new DiskWorkspace());
    assert.ok(site.patterns.length > 100, `${site.patterns.length} patterns`);
    assert.equal(site.patternsIndex, undefined);
    assert.deepEqual(notInIndex(site), []);
  });

  test('with patternsIndex: docs/patterns/index.md, fix all adds one row per missing pattern to its table', { skip, timeout: 600_000 }, async () => {
    tmp = await mkdtemp(join(tmpdir(), 'pa-index-corpus-'));
    const copy = join(tmp, 'site');
    await cp(CORPUS, copy, { recursive: true });
    await writeFile(join(copy, '.pattern-atlas.yml'), 'patternsIndex: docs/patterns/index.md\n');
    const indexFile = join(copy, 'docs/patterns/index.md');
    const before = await readFile(indexFile, 'utf8');

    const site = load(copy)(new DiskWorkspace());
    assert.equal(site.patternsIndex?.source, 'config');
    const reported = notInIndex(site).map((f) => f.data!.path as string);
    assert.ok(reported.length > 20, `expected many patterns missing from the index, got ${reported.length}`);
    assert.ok(reported.every((p) => site.pages.get(p)?.doc.frontmatter?.data?.status !== 'stub'), 'stubs are not reported');

    const r = fixSite(new DiskWorkspace(), load(copy), { rules: ['not-in-index'] });
    assert.deepEqual([...r.files.keys()], [indexFile], 'only the index page changes');
    assert.equal(r.applied.length, reported.length);
    const afterText = r.files.get(indexFile)!.after;
    await writeFile(indexFile, afterText);

    const changes = lineChanges(before, afterText);
    assert.deepEqual(changes.removed, []);
    assert.equal(changes.added.length, reported.length, 'one line per missing pattern');
    // Each new row sits in a table, with as many cells as the old rows around it.
    const added = new Set(changes.added);
    const lines = afterText.split('\n');
    for (const [i, l] of lines.entries()) {
      if (!added.has(l)) continue;
      assert.ok(isRow(l), `not a table row: ${l}`);
      let k = i;
      while (k >= 0 && added.has(lines[k])) k--;
      const neighbour = isRow(lines[k]) && !/^\s*\|[\s:|-]+\|\s*$/.test(lines[k]) ? lines[k] : lines.slice(i + 1).find((x) => !added.has(x))!;
      assert.ok(isRow(neighbour), `row ${l} has no table row next to it`);
      assert.equal(cellCount(l), cellCount(neighbour), `${l}\n  vs neighbour\n${neighbour}`);
    }
    // Every new row links to one of the reported pages; afterwards nothing is reported.
    const linked = changes.added.map((l) => /\]\(([^)]+)\)/.exec(l)?.[1]).map((t) => `patterns/${t}`);
    assert.deepEqual(linked.sort(), [...reported].sort());
    assert.deepEqual(notInIndex(load(copy)(new DiskWorkspace())), []);
  });
});
