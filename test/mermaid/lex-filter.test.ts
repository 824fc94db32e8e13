/**
 * The first-character filter of mermaid's Jison lexers (patch 6,
 * server/src/mermaid/lex-filter.ts): its reading of patterns, its soundness
 * on every rule of every Jison lexer mermaid has (each pattern, whatever text
 * it matches, starts with a character the filter lets through), and the same
 * verdicts with and without it and patch 7 (in-place stack pops), which the
 * same hook turns on.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { candidateRules, firstSet, lineWord, onFirstLine, type FirstSet, type JisonLexer } from '../../server/src/mermaid/lex-filter.ts';
import { LEX_HOOK } from '../../server/src/mermaid/patch.ts';
import { validateDiagram } from '../../server/src/mermaid/validate.ts';
import { mermaidBlocks } from '../../server/src/mermaid/blocks.ts';
import { extractFast } from '../../server/src/parse/fast.ts';
import { mulberry32 as rng } from '../helpers/random.ts';
import { BROKEN, SAMPLES } from './fixtures/samples.ts';

/** The bucket of a string's first character, as candidateRules reads it (129: empty). */
const bucket = (s: string): number => (s === '' ? 129 : s.charCodeAt(0) < 128 ? s.charCodeAt(0) : 128);
const admits = (f: FirstSet, s: string): boolean => f.nullable || (s !== '' && f.first[bucket(s)] === 1);
const starts = (f: FirstSet): string => [...f.first.slice(0, 128)].map((v, c) => (v ? String.fromCharCode(c) : '')).join('');

describe('firstSet reads a pattern', () => {
  test('literals, classes, escapes and alternatives', () => {
    assert.equal(starts(firstSet(/^(?:graph\b)/)), 'g');
    assert.equal(firstSet(/^(?:graph\b)/).nullable, false);
    assert.equal(starts(firstSet(/^(?:style\b|subgraph|-->)/)), '-s');
    assert.equal(starts(firstSet(/^(?:[0-9]+)/)), '0123456789');
    assert.equal(starts(firstSet(/^(?:\d|x)/)), '0123456789x');
    assert.equal(starts(firstSet(/^(?:[a-c_-])/)), '-_abc');
    assert.equal(starts(firstSet(/^(?:\u0041|\x42)/)), 'AB');
    assert.equal(starts(firstSet(/^(?:a{0}b)/)), 'ab'); // a{0} matches nothing, so b may come first: a superset is fine
    assert.equal(starts(firstSet(/^(?:x{2,}y)/)), 'x');
    assert.equal(starts(firstSet(/^(?:a{)/)), 'a'); // a literal brace
  });

  test('optional prefixes let what follows come first; lookarounds consume nothing', () => {
    const f = firstSet(/^(?:\s*LR\b)/);
    assert.equal(starts(f), '\t\n\x0b\x0c\r L');
    assert.equal(f.first[128], 1, '\\s matches non-ASCII spaces (U+00A0, U+2028, ...)');
    assert.equal(starts(firstSet(/^(?:(?=a)b)/)), 'b');
    assert.equal(starts(firstSet(/^(?:(?!x)*y)/)), 'y');
    assert.equal(firstSet(/^(?:a*)/).nullable, true);
    assert.equal(firstSet(/^(?:a?b*)/).nullable, true);
    assert.equal(firstSet(/^(?:a+)/).nullable, false);
  });

  test('negated classes, dot, case-insensitive patterns', () => {
    const notQuote = firstSet(/^(?:[^"]+)/);
    assert.equal(notQuote.first['"'.charCodeAt(0)], 0);
    assert.equal(notQuote.first['a'.charCodeAt(0)], 1);
    assert.equal(notQuote.first[128], 1);
    const dot = firstSet(/^(?:.)/);
    assert.equal(dot.first[10], 0);
    assert.equal(dot.first[13], 0);
    assert.equal(dot.first[128], 1);
    assert.equal(starts(firstSet(/^(?:end)/i)), 'Ee');
    assert.equal(firstSet(/^(?:[]a)/).first['a'.charCodeAt(0)], 0, '[] matches nothing: a needs a character before it');
  });

  test('what it does not read makes the rule a candidate everywhere', () => {
    for (const re of [/^(?:(a)\1)/, /^(?:\k<n>(?<n>a))/, /^(?:a)/m, /^(?:a)/s, /^(?:a)/u, new RegExp('^(?:[\\1])')]) {
      const f = firstSet(re);
      assert.ok(f.nullable && f.first.slice(0, 129).every((v) => v === 1), String(re));
    }
  });
});

describe('the filter on every Jison lexer of mermaid', () => {
  test('every pattern matches only text starting with a character its first set admits', async () => {
    await validateDiagram('graph TD\n  A --> B'); // loads mermaid and installs the hook
    const g = globalThis as Record<string, unknown>;
    const real = g[LEX_HOOK] as typeof candidateRules;
    assert.equal(typeof real, 'function', 'the validator installs the lexer filter');
    const lexers = new Set<RegExp[]>();
    g[LEX_HOOK] = (lexer: JisonLexer, rules: number[]) => {
      lexers.add(lexer.rules);
      return real(lexer, rules);
    };
    try {
      for (const s of [...SAMPLES, ...BROKEN]) await validateDiagram(s);
    } finally {
      g[LEX_HOOK] = real;
    }
    // One lexer per Jison grammar: the patch applied to each diagram module the samples load.
    assert.ok(lexers.size >= 18, `${lexers.size} Jison lexers seen (Mermaid 11.17 has 18)`);
    const rand = rng(42);
    const NON_ASCII = ['\u00e9', '\u00a0', '\u2028', '\u4e2d', '\ud83d\ude00', '\ufeff', '\u00aa'];
    let claims = 0;
    let patterns = 0;
    for (const rules of lexers) {
      for (const re of rules) {
        patterns++;
        const f = firstSet(re);
        // Characters the pattern is written with, to build text it may match.
        const alphabet = [...new Set(re.source.replace(/\\[ux][0-9a-fA-F]+/g, '') + ' \n\t-.>=<[](){}|"\'`:;,#&*0aZ_')];
        const suffix = (): string => {
          let s = '';
          const n = Math.floor(rand() * 14);
          for (let i = 0; i < n; i++) s += alphabet[Math.floor(rand() * alphabet.length)];
          return s;
        };
        const literal = re.source.replace(/^\^\(\?:/, '').replace(/\\[a-zA-Z]|[\\^$*+?()[\]{}|]/g, ' ').trim();
        // Each character the filter rules out, followed by text the pattern could match.
        for (let c = 0; c <= 128; c++) {
          if (f.nullable || f.first[c]) continue;
          const heads = c < 128 ? [String.fromCharCode(c)] : NON_ASCII;
          for (const h of heads) {
            for (const tail of [literal, literal.slice(1), ...Array.from({ length: 12 }, suffix)]) {
              claims++;
              assert.ok(!re.test(h + tail), `${re} matches ${JSON.stringify(h + tail)}, whose first character the filter rules out`);
            }
          }
        }
        // Random text the pattern does match starts with an admitted character.
        for (let k = 0; k < 40; k++) {
          const s = suffix();
          if (re.test(s)) assert.ok(admits(f, s), `${re} matches ${JSON.stringify(s)}, which the filter rules out`);
        }
        if (!f.nullable) assert.ok(!re.test(''), `${re} matches the empty text but is not nullable`);
      }
    }
    assert.ok(patterns > 500 && claims > 100_000, `${patterns} patterns, ${claims} ruled-out starts tried`);
  });

  test('a condition gets its rules in order, only those that can match the next character', () => {
    const lexer: JisonLexer = { rules: [/^(?:graph\b)/, /^(?:\s+)/, /^(?:[a-z]+)/, /^(?:-->)/, /^(?:$)/], _input: 'graph TD' };
    const rules = [0, 1, 2, 3, 4];
    assert.deepEqual(candidateRules(lexer, rules), [0, 2, 4]);
    lexer._input = ' x';
    assert.deepEqual(candidateRules(lexer, rules), [1, 4]);
    lexer._input = '-->';
    assert.deepEqual(candidateRules(lexer, rules), [3, 4]);
    lexer._input = '';
    assert.deepEqual(candidateRules(lexer, rules), [4]);
    lexer._input = '\u00e9';
    assert.deepEqual(candidateRules(lexer, rules), [1, 4]);
  });

  test('rules written ^(?:.*word...) are candidates only when the word is on the current line', () => {
    assert.equal(lineWord(/^(?:.*direction\s+TB[^\n]*)/), 'direction');
    for (const re of [/^(?:.*ab*c)/, /^(?:.*a|b)/, /^(?:.*\dx)/, /^(?:.*ab)/i, /^(?:.*a+)/, /^(?:x.*ab)/]) assert.equal(lineWord(re), undefined, String(re));
    assert.equal(onFirstLine('A --> B direction TB', 'direction'), true);
    assert.equal(onFirstLine('direction', 'direction'), true);
    assert.equal(onFirstLine('  direction TB\nA', 'direction'), true);
    for (const sep of ['\n', '\r', '\u2028', '\u2029']) assert.equal(onFirstLine(`A --> B${sep}direction TB`, 'direction'), false, JSON.stringify(sep));
    assert.equal(onFirstLine('directio', 'direction'), false);
    assert.equal(onFirstLine('', 'direction'), false);
    const lexer: JisonLexer = { rules: [/^(?:.*direction\s+TB[^\n]*)/, /^(?:.*direction\s+LR[^\n]*)/, /^(?:[A-Z]+)/], _input: 'A --> B' };
    assert.deepEqual(candidateRules(lexer, [0, 1, 2]), [2]);
    lexer._input = 'A direction LR';
    assert.deepEqual(candidateRules(lexer, [0, 1, 2]), [0, 1, 2]);
    lexer._input = 'A\ndirection LR';
    assert.deepEqual(candidateRules(lexer, [0, 1, 2]), [2]);
    // Each of those rules matches only where the filter keeps it.
    for (const input of ['A direction TB', ' direction LR x', 'A\ndirection TB', 'x\rdirection LR', 'direction', 'ddirection  TB']) {
      lexer._input = input;
      const kept = candidateRules(lexer, [0, 1, 2]);
      for (const r of [0, 1, 2]) if (lexer.rules[r].test(input)) assert.ok(kept.includes(r), `${lexer.rules[r]} matches ${JSON.stringify(input)}`);
    }
  });
});

const CORPUS = path.resolve(import.meta.dirname, '../../../shared/corpus/dstudio-2025-07');
const CORPUS_DOCS = path.join(CORPUS, 'docs');
const absent = fs.existsSync(CORPUS_DOCS) ? false : `corpus absent at ${CORPUS}: this integration test needs ../shared/corpus/dstudio-2025-07`;

/** A diagram's errors with the lexer hook installed, after checking they equal those without it (patches 6-7 off). */
async function sameWithoutHook(code: string): Promise<Awaited<ReturnType<typeof validateDiagram>>> {
  const g = globalThis as Record<string, unknown>;
  const on = await validateDiagram(code);
  const real = g[LEX_HOOK];
  assert.equal(typeof real, 'function', 'the validator installs the lexer hook');
  g[LEX_HOOK] = undefined;
  try {
    assert.deepEqual(await validateDiagram(code), on, code);
  } finally {
    g[LEX_HOOK] = real;
  }
  return on;
}

describe('verdicts with and without the lexer hook (patches 6 and 7)', () => {
  test('samples and broken diagrams: the same errors, ranges and fixes', async () => {
    for (const code of [...SAMPLES, ...BROKEN]) await sameWithoutHook(code);
    // The broken ones are broken, so the comparison covered error paths.
    for (const code of BROKEN.slice(0, 4)) assert.ok((await validateDiagram(code)).some((e) => e.severity === 'error'), code);
  });

  test('every diagram of the shared corpus: the same errors, ranges and fixes', { skip: absent }, async () => {
    const codes: string[] = [];
    for (const f of (fs.readdirSync(CORPUS_DOCS, { recursive: true }) as string[]).filter((x) => x.endsWith('.md')).sort()) {
      const text = fs.readFileSync(path.join(CORPUS_DOCS, f), 'utf8');
      for (const b of mermaidBlocks(extractFast(text), text)) codes.push(b.code);
    }
    assert.ok(codes.length > 2000, `${codes.length} diagrams`);
    let invalid = 0;
    for (const code of codes) if ((await sameWithoutHook(code)).some((e) => e.severity === 'error')) invalid++;
    assert.ok(invalid > 100, `${invalid} invalid diagrams compared`);
  });
});
