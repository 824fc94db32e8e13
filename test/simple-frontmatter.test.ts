/**
 * The frontmatter reader without `yaml` (server/src/parse/simple-frontmatter.ts)
 * answers exactly what the `yaml` path answers wherever it answers at all:
 * data, entries with their ranges, problems (none). Compared on every
 * frontmatter of the example and the corpus (where it must answer for most
 * pages, or it saves nothing) and on generated frontmatters full of the
 * things YAML reads in surprising ways.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parseFrontmatter, splitLines } from '../server/src/parse/prepare.ts';
import { readSimpleFrontmatter } from '../server/src/parse/simple-frontmatter.ts';
import { DiskWorkspace } from '../server/src/cli/disk-workspace.ts';
import type { ParseProblem } from '../server/src/parse/types.ts';
import { mixRng as rng } from './helpers/random.ts';

const REPO = path.resolve(import.meta.dirname, '..');
const CORPUS = path.resolve(REPO, '../shared/corpus/dstudio-2025-07');

/** Compare both paths on one page; returns whether the simple reader answered. */
function compare(text: string, name: string): boolean {
  const lines = splitLines(text);
  if (!/^---\s*$/.test(lines[0] ?? '')) return false;
  const close = lines.findIndex((l, i) => i > 0 && /^(---|\.\.\.)\s*$/.test(l));
  if (close < 0) return false;
  const viaYaml: ParseProblem[] = [];
  const viaSimple: ParseProblem[] = [];
  const expected = parseFrontmatter(lines, close, viaYaml, false);
  const got = parseFrontmatter(lines, close, viaSimple, true);
  const answered = readSimpleFrontmatter(lines.slice(1, close)) !== undefined;
  assert.deepStrictEqual(got, expected, `${name}: frontmatter differs (simple reader answered: ${answered})\n${lines.slice(0, close + 1).join('\n')}`);
  assert.equal(JSON.stringify(got), JSON.stringify(expected), `${name}: key order`);
  assert.deepStrictEqual(viaSimple, viaYaml, `${name}: problems differ`);
  return answered;
}

function pages(dir: string): Array<[string, string]> {
  const ws = new DiskWorkspace();
  return ws.listFiles(dir).filter((f) => f.endsWith('.md')).map((f) => [f, ws.readFile(f)!]);
}

const KEYS = ['title', 'status', 'a', 'b_c', 'd-e', 'y', 'on', 'constructor', 'k', 'tags'];
const ODD_KEYS = ['null', 'True', '__proto__', 'x y', '"q"', '1', 'k ', '-k'];
const SCALARS = [
  'plain', 'two words', 'complete', '30 min', '2025-07-20', '1', '-1', '+12', '-0', '007', '0o17', '0x1F', '1.5', '1.', '.5', '1e3', '-2.5E-3',
  '.inf', '-.Inf', '.nan', '12345678901234567890', 'null', 'Null', 'NULL', '~', 'true', 'False', 'TRUE', 'yes', 'no', 'x:y', 'x: y', 'x:',
  'C#', 'a #b', '#c', '-x', '- x', '--x', '---', '...', '?x', ':x', ',x', '[x]', '{x}', 'x [y] {z}', '&a x', '*a', '!tag x', '!ENV X', '|', '>',
  '%x', '@x', '`x`', '"dq"', '"d,q"', '"d\\"q"', '"it\'s"', "'sq'", "'it''s'", "'s\"q'", '"unclosed', "'unclosed", '"x" y', 'été 😀', 'back\\slash',
  'x  ', 'tab\there', 'nbsp\u00a0x', '[]', '[ ]', '[a, b]', '[a,b ]', '[ "a", \'b\' ]', '[a, [b]]', '[a,]', '[a, "b,c"]', '[1, true, null, x:y]', '[a] x', '{a: b}',
];
const LAYOUTS = ['', ' ', '  '];

function generate(r: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  // Mostly well-formed keys and the first (common) scalars, so that many frontmatters are simple.
  const pickKey = () => (r() < 0.95 ? pick(KEYS) : pick(ODD_KEYS));
  const pickScalar = () => (r() < 0.5 ? pick(SCALARS.slice(0, 34)) : pick(SCALARS));
  const out: string[] = ['---'];
  const n = 1 + Math.floor(r() * 4);
  for (let k = 0; k < n; k++) {
    const key = pickKey();
    const shape = r();
    if (shape < 0.6) out.push(`${key}:${pick([' ', '  ', ' '])}${pickScalar()}${pick(LAYOUTS)}`);
    else if (shape < 0.7) out.push(`${key}:${pick(LAYOUTS)}`);
    else if (shape < 0.8) {
      // A mapping below the key, as `search:` / `  boost: 2`.
      out.push(`${key}:`);
      const indent = pick([' ', '  ', '    ']);
      const items = 1 + Math.floor(r() * 3);
      for (let i = 0; i < items; i++) {
        out.push(`${r() < 0.9 ? indent : pick(['', '   ', '      '])}${pickKey()}:${pick([' ', '  ', ' ', ''])}${r() < 0.1 ? '' : pickScalar()}${pick(LAYOUTS)}`);
        if (r() < 0.1) out.push(pick(['', '  ', '      continued', `${indent}- x`]));
      }
    } else {
      out.push(`${key}:`);
      const indent = pick(['', '  ', '    ']);
      const items = 1 + Math.floor(r() * 3);
      for (let i = 0; i < items; i++) {
        out.push(`${r() < 0.9 ? indent : pick(['', '   '])}- ${pickScalar()}${pick(LAYOUTS)}`);
        if (r() < 0.1) out.push(pick(['', '  ', '      continued']));
      }
    }
    if (r() < 0.15) out.push(pick(['', '  ', '# comment', '  nested: x', '  continued', '\t', ' - stray']));
  }
  out.push(pick(['---', '...', '---  ']));
  out.push('# Page', '');
  return out.join(pick(['\n', '\n', '\r\n']));
}

describe('the simple frontmatter reader', () => {
  test('equals the yaml path on every page of the example', () => {
    let fm = 0;
    for (const [f, t] of pages(path.join(REPO, 'examples'))) if (compare(t, f) || t.startsWith('---')) fm++;
    assert.ok(fm > 10, 'the example has frontmatter to compare');
  });

  test('equals the yaml path on every page of the corpus, and answers for most of them', { skip: fs.existsSync(CORPUS) ? false : `corpus absent at ${CORPUS}` }, () => {
    let withFm = 0;
    let answered = 0;
    for (const [f, t] of pages(CORPUS)) {
      if (!t.startsWith('---')) continue;
      withFm++;
      if (compare(t, f)) answered++;
    }
    assert.ok(withFm > 300, `${withFm} pages with frontmatter`);
    assert.ok(answered / withFm > 0.8, `the simple reader answered for only ${answered} of ${withFm} frontmatters`);
  });

  test('equals the yaml path on 5000 generated frontmatters', () => {
    const r = rng(20250727);
    let answered = 0;
    for (let i = 0; i < 5000; i++) if (compare(generate(r), `generated #${i}`)) answered++;
    // Enough of them are simple for the comparison to mean something, and enough are not.
    assert.ok(answered > 1000 && answered < 4500, `answered ${answered} of 5000`);
  });
});
