/**
 * `proseWords` (server/src/site/site.ts) counts the words of a line of prose
 * for the section checks without building arrays; it must count exactly what
 * `t.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length` counts, on
 * every line of the example and the corpus and on generated lines full of
 * Unicode spaces, marks, astral letters and punctuation.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { proseWords } from '../server/src/site/site.ts';
import { DiskWorkspace } from '../server/src/cli/disk-workspace.ts';
import { mixRng } from './helpers/random.ts';

const REPO = path.resolve(import.meta.dirname, '..');
const CORPUS = path.resolve(REPO, '../shared/corpus/dstudio-2025-07');
const byRegex = (t: string) => t.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;

function check(lines: string[]): void {
  for (const l of lines) for (const t of [l, l.trim()]) assert.equal(proseWords(t), byRegex(t), JSON.stringify(t));
}

test('proseWords counts as the regex does on every line of the example', () => {
  const ws = new DiskWorkspace();
  const lines = ws.listFiles(path.join(REPO, 'examples')).filter((f) => f.endsWith('.md')).flatMap((f) => ws.readFile(f)!.split('\n'));
  assert.ok(lines.length > 500);
  check(lines);
});

test('proseWords counts as the regex does on every line of the corpus', { skip: fs.existsSync(CORPUS) ? false : `corpus absent at ${CORPUS}` }, () => {
  const ws = new DiskWorkspace();
  check(ws.listFiles(CORPUS).filter((f) => f.endsWith('.md')).flatMap((f) => ws.readFile(f)!.split('\n')));
});

test('proseWords counts as the regex does on generated lines', () => {
  const r = mixRng(42);
  const pieces = [
    'a', 'Z', '9', '_', '-', '—', '**', '`x`', '.', ',', '!', '#', 'é', 'ß', '٣', '²', '\u0301', '日本', '😀', '𝒜', '\ud800', '\udc00',
    ' ', '  ', '\t', '\u00a0', '\u1680', '\u2003', '\u200a', '\u200b', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000', '\ufeff', '\u180e', '\u0085', '\v', '\f', '\r',
  ];
  const lines: string[] = [];
  for (let i = 0; i < 20000; i++) lines.push(Array.from({ length: Math.floor(r() * 12) }, () => pieces[Math.floor(r() * pieces.length)]).join(''));
  check(lines);
});
