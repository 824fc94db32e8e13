/**
 * `slugifyToc` and `slugifyTocUnicode` (server/src/site/slug.ts) take a
 * shortcut for ASCII headings (most of them): no NFKD, and character classes
 * without Unicode tables. The slugs must be those of the full rule, written
 * out here as Python-Markdown states it, on every heading of the example and
 * the corpus and on generated ASCII and non-ASCII text.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { slugifyToc, slugifyTocUnicode, stripInlineHtml } from '../server/src/site/slug.ts';
import { extractFast } from '../server/src/parse/fast.ts';
import { DiskWorkspace } from '../server/src/cli/disk-workspace.ts';
import { mixRng } from './helpers/random.ts';

const SPACE = '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';

/** Python-Markdown's toc slugify, every step on the whole text: the reference. */
function reference(text: string, sep: string, unicode: boolean): string {
  let v = stripInlineHtml(text);
  if (!unicode) v = v.normalize('NFKD').replace(/[^\x00-\x7f]/g, '');
  v = v.replace(new RegExp(`[^\\p{L}\\p{N}_${SPACE}-]`, 'gu'), '');
  v = v.replace(new RegExp(`^[${SPACE}]+|[${SPACE}]+$`, 'gu'), '').toLowerCase();
  const cls = sep.replace(/[\\\]\[^\-]/g, (c) => '\\' + c);
  return v.replace(new RegExp(`[${cls}${SPACE}]+`, 'gu'), () => sep);
}

function check(texts: string[]): void {
  for (const t of texts) {
    for (const sep of ['-', '_', '$&']) {
      assert.equal(slugifyToc(t, sep), reference(t, sep, false), `${JSON.stringify(t)} sep ${sep}`);
      assert.equal(slugifyTocUnicode(t, sep), reference(t, sep, true), `${JSON.stringify(t)} sep ${sep} (unicode)`);
    }
  }
}

const REPO = path.resolve(import.meta.dirname, '..');
const CORPUS = path.resolve(REPO, '../shared/corpus/dstudio-2025-07');

test('the slugs of every heading of the example and the corpus are the full rule\'s', () => {
  const ws = new DiskWorkspace();
  const dirs = [path.join(REPO, 'examples'), ...(fs.existsSync(CORPUS) ? [CORPUS] : [])];
  const headings = dirs.flatMap((d) => ws.listFiles(d).filter((f) => f.endsWith('.md')).flatMap((f) => extractFast(ws.readFile(f)!).headings.map((h) => h.text)));
  assert.ok(headings.length > 100);
  check(headings);
});

test('the slugs of generated ASCII and non-ASCII text are the full rule\'s', () => {
  const r = mixRng(5);
  const pieces = ['a', 'Z', '9', '_', '-', ' ', '  ', '\t', '\x1c', '\x1f', '\v', '.', '&', '<b>', '</b>', '<!-- c -->', '$', '\\', 'é', 'ﬁ', '²', 'Ⅻ', '\u00a0', '\u2003', '\x85', '😀', 'İ', 'ß', '--'];
  const texts: string[] = [];
  for (let i = 0; i < 5000; i++) texts.push(Array.from({ length: Math.floor(r() * 10) }, () => pieces[Math.floor(r() * (r() < 0.7 ? 16 : pieces.length))]).join(''));
  check(texts);
});
