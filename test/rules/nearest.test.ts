/**
 * `nearest` (server/src/rules/rule.ts), the "did you mean" of broken links,
 * anchors and enum values, prunes candidates before computing an edit
 * distance (length difference, bag distance, a tolerance that shrinks once
 * `max` candidates are found) and keeps lower-cased candidates per
 * collection. Its answers must be those of the plain definition: every
 * candidate within the tolerance, sorted by distance then name (the tool's
 * fixed order, `comparePaths`), the first
 * `max`. Compared on the corpus's page names and anchors and on generated
 * words (ties, case, non-ASCII, astral characters).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { editDistance, nearest } from '../../server/src/rules/rule.ts';
import { comparePaths } from '../../server/src/site/workspace.ts';
import { DiskWorkspace } from '../../server/src/cli/disk-workspace.ts';
import { extractFast } from '../../server/src/parse/fast.ts';
import { slugifyToc } from '../../server/src/site/slug.ts';
import { mixRng as rng } from '../helpers/random.ts';

/** The definition, without any pruning: full Levenshtein distance of the lower-cased strings. */
function plainNearest(wanted: string, candidates: Iterable<string>, max = 3): string[] {
  const w = wanted.toLowerCase();
  const limit = Math.max(2, Math.floor(w.length * 0.4));
  const scored: Array<[string, number]> = [];
  for (const c of candidates) {
    const d = levenshtein(w, c.toLowerCase());
    if (d <= limit) scored.push([c, d]);
  }
  return scored.sort((a, b) => a[1] - b[1] || comparePaths(a[0], b[0])).slice(0, max).map((s) => s[0]);
}

function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

const CORPUS = path.resolve(import.meta.dirname, '../../../shared/corpus/dstudio-2025-07');

describe('nearest', () => {
  test('the edit distance it prunes with is the Levenshtein distance', () => {
    assert.equal(editDistance('kitten', 'sitting'), 3);
    assert.equal(editDistance('', 'abc'), 3);
    assert.equal(editDistance('flaw', 'lawn'), 2);
  });

  test('answers as the plain definition on generated words (ties, case, non-ASCII)', () => {
    const r = rng(7);
    const alphabet = ['a', 'b', 'c', 'd', 'e', '-', 'A', 'é', 'ß', 'İ', '😀', 'z', 'q'];
    const word = () => Array.from({ length: 1 + Math.floor(r() * 12) }, () => alphabet[Math.floor(r() * alphabet.length)]).join('');
    for (let k = 0; k < 300; k++) {
      const candidates = Array.from({ length: 1 + Math.floor(r() * 40) }, word);
      // Near copies of candidates, so that many are within the tolerance and ties happen.
      for (let i = 0; i < 20; i++) {
        const base = r() < 0.7 ? candidates[Math.floor(r() * candidates.length)] : word();
        const chars = [...base];
        if (chars.length && r() < 0.5) chars.splice(Math.floor(r() * chars.length), 1);
        if (r() < 0.5) chars.splice(Math.floor(r() * (chars.length + 1)), 0, alphabet[Math.floor(r() * alphabet.length)]);
        const wanted = r() < 0.2 ? chars.join('').toUpperCase() : chars.join('');
        const max = 1 + Math.floor(r() * 3);
        const expected = plainNearest(wanted, candidates, max);
        assert.deepEqual(nearest(wanted, candidates, max), expected, `${wanted} in ${JSON.stringify(candidates)} (array)`);
        assert.deepEqual(nearest(wanted, new Set(candidates), max), plainNearest(wanted, new Set(candidates), max), `${wanted} (Set)`);
        assert.deepEqual(nearest(wanted, candidates.values(), max), expected, `${wanted} (iterator)`);
      }
    }
  });

  test('answers as the plain definition for the corpus page names and heading ids', { skip: fs.existsSync(CORPUS) ? false : `corpus absent at ${CORPUS}` }, () => {
    const ws = new DiskWorkspace();
    const files = ws.listFiles(CORPUS + '/docs').filter((f) => f.endsWith('.md'));
    const names = [...new Set(files.map((f) => f.replace(/(\/index)?\.md$/, '').split('/').pop()!))];
    const ids = [...new Set(files.slice(0, 60).flatMap((f) => extractFast(ws.readFile(f)!).headings.map((h) => slugifyToc(h.text))))];
    let found = 0;
    for (const [pool, label] of [[names, 'page names'], [ids, 'heading ids']] as const) {
      for (const n of pool.slice(0, 150)) {
        for (const wanted of [n, n.slice(1), n + 's', n.replace(/-/g, '_'), n.split('-').reverse().join('-')]) {
          const expected = plainNearest(wanted, pool);
          found += expected.length;
          assert.deepEqual(nearest(wanted, pool), expected, `${wanted} among the ${label}`);
        }
      }
    }
    assert.ok(found > 500, 'the corpus gives matches to compare');
  });
});
