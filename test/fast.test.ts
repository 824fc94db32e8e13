/**
 * The fast extraction path, construct by construct, with exact ranges.
 *
 * Each `check*` helper renders what extractFast found as stable text lines;
 * ranges read `line:char-line:char`, 0-based (LSP style). Every fixture is also
 * run through the full remark path at the end, which must agree.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import MarkdownIt from 'markdown-it';
import type { StateBlock } from 'markdown-it';
import { extractFast, fenceRule, linesState, makeBlockParser, normalizeIdentifier, pieceSource } from '../server/src/parse/fast.ts';
import { mulberry32 } from './helpers/random.ts';
import { parseMarkdown } from '../server/src/parse/remark.ts';
import { fenceLang } from '../server/src/parse/common.ts';
import { MAX_PAGE_BYTES, lineOffsets, prepare } from '../server/src/parse/prepare.ts';
import type { PatternDoc, Range } from '../server/src/parse/types.ts';

const fixtures: string[] = [];

const r = (x: Range): string => `${x.start.line}:${x.start.character}-${x.end.line}:${x.end.character}`;

function links(src: string): string[] {
  fixtures.push(src);
  return extractFast(src).links.map((l) => `${l.kind} ${JSON.stringify(l.target)} ${r(l.range)} target ${r(l.targetRange)}`);
}

function checkLinks(src: string, expected: string[]): void {
  assert.deepEqual(links(src), expected, src);
}

function headings(src: string): string[] {
  fixtures.push(src);
  return extractFast(src).headings.map((h) => `h${h.depth} ${JSON.stringify(h.text)}${h.id !== undefined ? ` #${h.id}` : ''} ${r(h.range)}`);
}

function fences(src: string): string[] {
  fixtures.push(src);
  return extractFast(src).fences.map((f) => `${JSON.stringify(f.lang)} ${JSON.stringify(f.info)} ${r(f.range)} content ${r(f.contentRange)} ${f.closed ? 'closed' : 'open'}`);
}

// ---------------------------------------------------------------------------
// Inline links

test('inline links: destination, title, angle brackets, balanced parentheses', () => {
  checkLinks('See [Law 1: Failure](../laws/law1.md) now.', ['inline "../laws/law1.md" 0:4-0:37 target 0:21-0:36']);
  checkLinks('[t](x.md "a title")', ['inline "x.md" 0:0-0:19 target 0:4-0:8']);
  checkLinks("[t](x.md 'single') [u](y.md (paren))", ['inline "x.md" 0:0-0:18 target 0:4-0:8', 'inline "y.md" 0:19-0:36 target 0:23-0:27']);
  checkLinks('[t](<a b.md> "t")', ['inline "a b.md" 0:0-0:17 target 0:5-0:11']);
  checkLinks('[t](x(1)(2).md)', ['inline "x(1)(2).md" 0:0-0:15 target 0:4-0:14']);
  checkLinks('[t](x\\).md)', ['inline "x\\\\).md" 0:0-0:11 target 0:4-0:10']);
  checkLinks('[t]() and [u](<>)', ['inline "" 0:0-0:5 target 0:4-0:4', 'inline "" 0:10-0:17 target 0:15-0:15']);
  checkLinks('[t](\n  x.md\n  "title"\n)', ['inline "x.md" 0:0-3:1 target 1:2-1:6']);
  checkLinks('[multi\nline text](t.md)', ['inline "t.md" 0:0-1:16 target 1:11-1:15']);
});

test('inline links: what is not a link', () => {
  checkLinks('`[a](b)` and \\[c](d) and [e\\](f)', []);
  checkLinks('[a](b c) [d](e "open', []);
  checkLinks('[a](b\tc)', []);
  checkLinks('    [indented](code.md)', []);
  checkLinks('```\n[in](fence.md)\n```', []);
});

test('inline links: brackets in link text, code spans, nesting', () => {
  checkLinks('[a [b] c](x.md)', ['inline "x.md" 0:0-0:15 target 0:10-0:14']);
  checkLinks('[a `]` c](x.md)', ['inline "x.md" 0:0-0:15 target 0:10-0:14']);
  // A link inside a link: the inner one wins, the outer brackets are text.
  checkLinks('[a [b](c) d](e)', ['inline "c" 0:3-0:9 target 0:7-0:8']);
  // An image inside a link: both, the link first.
  checkLinks('[![alt](i.png)](t.md)', ['inline "t.md" 0:0-0:21 target 0:16-0:20', 'image "i.png" 0:1-0:14 target 0:8-0:13']);
  // A link inside an image's alt text is not kept (mdast images have no children).
  checkLinks('![[a](b)](c)', ['image "c" 0:0-0:12 target 0:10-0:11']);
  checkLinks('**[bold](b.md)** _[u](v)_', ['inline "b.md" 0:2-0:14 target 0:9-0:13', 'inline "v" 0:18-0:24 target 0:22-0:23']);
});

// ---------------------------------------------------------------------------
// References and definitions

test('references: full, collapsed, shortcut; target from the definition, range of the label', () => {
  checkLinks('[text][foo]\n\n[FOO]: <my url> "t"', [
    'reference "my url" 0:0-0:11 target 0:7-0:10',
    'definition "my url" 2:0-2:19 target 2:8-2:14',
  ]);
  checkLinks('[foo][] and [foo]\n\n[foo]: /url', [
    'reference "/url" 0:0-0:7 target 0:1-0:4',
    'reference "/url" 0:12-0:17 target 0:13-0:16',
    'definition "/url" 2:0-2:11 target 2:7-2:11',
  ]);
  checkLinks('![alt][img]\n\n[img]: i.png', ['image "i.png" 0:0-0:11 target 0:7-0:10', 'definition "i.png" 2:0-2:12 target 2:7-2:12']);
  // Labels match case-insensitively with whitespace collapsed.
  checkLinks('[Foo  Bar]\n\n[foo bar]: /x', ['reference "/x" 0:0-0:10 target 0:1-0:9', 'definition "/x" 2:0-2:13 target 2:11-2:13']);
  // The first definition wins.
  checkLinks('[a]\n\n[a]: /one\n[a]: /two', [
    'reference "/one" 0:0-0:3 target 0:1-0:2',
    'definition "/one" 2:0-2:9 target 2:5-2:9',
    'definition "/two" 3:0-3:9 target 3:5-3:9',
  ]);
  assert.equal(extractFast('[x][y]\n\n[Y]: /u').links[0].label, 'y');
});

test('references: only with a definition; not `[^note]` footnotes', () => {
  checkLinks('[undefined] and [text][missing]', []);
  // `[bar]` is a label: `[foo]` is not a shortcut before it.
  checkLinks('[foo][bar]\n\n[foo]: /url', ['definition "/url" 2:0-2:11 target 2:7-2:11']);
  checkLinks('Text[^1].\n\n[^1]: Note with [a link](fn.md).', ['inline "fn.md" 2:16-2:31 target 2:25-2:30']);
  checkLinks('[^1]: https://example.com/x', ['autolink "https://example.com/x" 0:6-0:27 target 0:6-0:27']);
});

test('definitions: multi-line, in containers, and a paragraph after them', () => {
  checkLinks('[m]:\n  /multi\n  "title"\n\n[m]', ['definition "/multi" 0:0-2:9 target 1:2-1:8', 'reference "/multi" 4:0-4:3 target 4:1-4:2']);
  checkLinks('> [q]: /quoted\n\n[q]', ['definition "/quoted" 0:2-0:14 target 0:7-0:14', 'reference "/quoted" 2:0-2:3 target 2:1-2:2']);
  checkLinks('- [l]: /listed\n\n[l]', ['definition "/listed" 0:2-0:14 target 0:7-0:14', 'reference "/listed" 2:0-2:3 target 2:1-2:2']);
  checkLinks('[d]: /u\nthen [d] text', ['definition "/u" 0:0-0:7 target 0:5-0:7', 'reference "/u" 1:5-1:8 target 1:6-1:7']);
  // Not a definition: a title followed by text, or inside a paragraph.
  checkLinks('[a]: /u "t" junk\n\npara\n[b]: /v', []);
});

// ---------------------------------------------------------------------------
// Autolinks

test('autolinks: angle brackets (target without <>), URIs and e-mails', () => {
  checkLinks('<https://example.com/a?b>', ['autolink "https://example.com/a?b" 0:0-0:25 target 0:1-0:24']);
  checkLinks('<mailto:foo@bar.com> <foo@bar.example.com>', [
    'autolink "mailto:foo@bar.com" 0:0-0:20 target 0:1-0:19',
    'autolink "foo@bar.example.com" 0:21-0:42 target 0:22-0:41',
  ]);
  // Not autolinks, but GFM literals inside (micromark keeps a trailing `>` in the path).
  checkLinks('<https://x.com/a b> <not autolink> \\<https://y.com>', [
    'autolink "https://x.com/a" 0:1-0:16 target 0:1-0:16',
    'autolink "https://y.com>" 0:37-0:51 target 0:37-0:51',
  ]);
});

test('autolinks: GFM literals with trailing punctuation and parentheses', () => {
  checkLinks('See https://example.com/path_(x). More.', ['autolink "https://example.com/path_(x)" 0:4-0:32 target 0:4-0:32']);
  checkLinks('(https://x.com/a), and www.example.com.', ['autolink "https://x.com/a" 0:1-0:16 target 0:1-0:16', 'autolink "www.example.com" 0:23-0:38 target 0:23-0:38']);
  checkLinks('https://a.com/b&hl; x', ['autolink "https://a.com/b" 0:0-0:15 target 0:0-0:15']);
  checkLinks('visit www.commonmark.org/he<lp', ['autolink "www.commonmark.org/he" 0:6-0:27 target 0:6-0:27']);
  checkLinks('Mail foo.bar+baz@example.co.uk now', ['autolink "foo.bar+baz@example.co.uk" 0:5-0:30 target 0:5-0:30']);
  // Not links: a letter before http, an underscore in the last domain parts, no dot in an e-mail domain.
  checkLinks('xhttps://a.com https://x.y_z.com foo@bar', []);
  // Not inside link text, and not where a `[` is still open.
  checkLinks('[see https://x.com](y) [open https://z.com', ['inline "y" 0:0-0:22 target 0:20-0:21']);
});

// ---------------------------------------------------------------------------
// Raw HTML

test('html: href of <a> and src of <img>, inline and in blocks, value ranges exact', () => {
  checkLinks('before <a href="x.md">text</a> after', ['html "x.md" 0:7-0:30 target 0:16-0:20']);
  checkLinks("p <img src='i.png' alt=\"A\"> q", ['html "i.png" 0:2-0:27 target 0:12-0:17']);
  checkLinks('p <A HREF=up.md>t</A>', ['html "up.md" 0:2-0:21 target 0:10-0:15']);
  checkLinks('<div>\n<a href="/p/">P</a>\n  <img src="/i.png">\n</div>', ['html "/p/" 1:0-1:19 target 1:9-1:12', 'html "/i.png" 2:2-2:20 target 2:12-2:18']);
  checkLinks('> <div>\n> <a href="/q/">Q</a>\n> </div>', ['html "/q/" 1:2-1:21 target 1:11-1:14']);
});

test('html: nothing inside comments, even across lines', () => {
  checkLinks('p <!-- <a href="hidden.md"> --> q', []);
  checkLinks('<!-- a\n<a href="hidden.md">\n-->\n', []);
  checkLinks("p <!--\n<a href=\"h.md\">\n--> q <a href='y.md'>y</a>", ['html "y.md" 2:6-2:26 target 2:15-2:19']);
});

// ---------------------------------------------------------------------------
// Headings

test('headings: ATX and setext, depth, plain text, {#id}, range of the heading lines', () => {
  assert.deepEqual(headings('# Foo {#bar}\n\n## Foo *bar* `baz` [q](r) ##\n\n   ### Indented ###   '), [
    'h1 "Foo" #bar 0:0-0:12',
    'h2 "Foo bar baz q" 2:0-2:28',
    'h3 "Indented" 4:3-4:22',
  ]);
  assert.deepEqual(headings('Setext\n===\n\nTwo\nlines\n---'), ['h1 "Setext" 0:0-1:3', 'h2 "Two\\nlines" 3:0-5:3']);
  assert.deepEqual(headings('# a_b_c and **bold** and ~~del~~ and &amp; \\*x\\*'), ['h1 "a_b_c and bold and del and & *x*" 0:0-0:48']);
  assert.deepEqual(headings('# <span>html</span> text\n#'), ['h1 "html text" 0:0-0:24', 'h1 "" 1:0-1:1']);
  // Definitions before a setext underline belong to the heading's range, not its text.
  assert.deepEqual(headings('[d]: /u\nTitle\n---'), ['h2 "Title" 0:0-2:3']);
  assert.deepEqual(headings('    # code\n```\n# fenced\n```'), []);
});

// ---------------------------------------------------------------------------
// Fences

test('fences: lang, info, range, content range, closed', () => {
  assert.deepEqual(fences('```js\ncode\n```'), ['"js" "js" 0:0-2:3 content 1:0-1:4 closed']);
  assert.deepEqual(fences('~~~ Python  extra words\ncode\n~~~'), ['"python" "Python extra words" 0:0-2:3 content 1:0-1:4 closed']);
  assert.deepEqual(fences('````\n```\n````'), ['"" "" 0:0-2:4 content 1:0-1:3 closed']);
  assert.deepEqual(fences('  ```a\\_b &amp; c\n  x\n  ```'), ['"a_b" "a_b & c" 0:2-2:5 content 1:2-1:3 closed']);
  assert.deepEqual(fences('```{.mermaid .x}\ngraph\n```'), ['"mermaid" "{.mermaid .x}" 0:0-2:3 content 1:0-1:5 closed']);
  assert.deepEqual(fences('```\n```'), ['"" "" 0:0-1:3 content 0:3-0:3 closed']);
  // The text is kept for Mermaid blocks only (keepsFenceContent).
  assert.equal(extractFast('```mermaid\ncode\n```').fences[0].content, 'code');
  assert.equal(extractFast('```js\ncode\n```').fences[0].content, '');
});

test('fences: unclosed ones report a problem and end where the container ends', () => {
  const doc = extractFast('```\nunclosed\n');
  assert.deepEqual(doc.fences.map((f) => `${r(f.range)} ${f.closed}`), ['0:0-2:0 false']);
  assert.deepEqual(doc.problems.map((p) => `${p.code} ${r(p.range)}`), ['unterminated-fence 0:0-0:3']);
  assert.deepEqual(fences('- ```\n  in item\n\n- next'), ['"" "" 0:2-3:0 content 1:2-3:6 open']);
  assert.deepEqual(fences('> ```\n> in quote\n\nafter'), ['"" "" 0:2-1:10 content 1:2-1:10 open']);
});

test('Python-Markdown blocks: bodies are read as Markdown, positions map back through the shift', () => {
  checkLinks('!!! note\n    [in](admonition.md)\n    ```\n    [code](not.md)\n    ```\n', ['inline "admonition.md" 1:4-1:23 target 1:9-1:22']);
  assert.deepEqual(fences('!!! note\n    ```py\n    x\n    ```'), ['"py" "py" 1:4-3:7 content 2:4-2:5 closed']);
  assert.deepEqual(headings('=== "Tab"\n    ## In a tab'), ['h2 "In a tab" 1:4-1:15']);
  // A fence left open in an admonition ends with it.
  checkLinks('!!! note\n    ```\n    open\n\nAfter [x](y.md)', ['inline "y.md" 4:6-4:15 target 4:10-4:14']);
});

// ---------------------------------------------------------------------------
// Tables

test('tables: links in cells, escaped pipes, pipes inside code split cells (GFM)', () => {
  checkLinks('| a | b |\n|---|---|\n| [x](y) | `c|d` [e](f) |', ['inline "y" 2:2-2:8 target 2:6-2:7', 'inline "f" 2:17-2:23 target 2:21-2:22']);
  checkLinks('| a |\n|---|\n| x \\| [l](m) |\n| <a href="t.md">t</a> |', ['inline "m" 2:7-2:13 target 2:11-2:12', 'html "t.md" 3:2-3:22 target 3:11-3:15']);
  // Without a `|` or `:` in the delimiter row this is a setext heading, not a table.
  assert.deepEqual(headings('a | b\n---'), ['h2 "a | b" 0:0-1:3']);
});

// ---------------------------------------------------------------------------
// Frontmatter, words, placeholders, problems

test('frontmatter entries come from prepare, positions on the page', () => {
  const doc = extractFast('---\ntitle: X\ntags: [a, b]\n---\n# Body');
  assert.deepEqual(doc.frontmatter?.entries.map((e) => `${e.key}=${JSON.stringify(e.value)} ${r(e.keyRange)}`), ['title="X" 1:0-1:5', 'tags=["a","b"] 2:0-2:4']);
  assert.deepEqual(doc.headings.map((h) => r(h.range)), ['4:0-4:6']);
});

test('words count prose only; placeholders in prose, not in code', () => {
  const src = 'One two `three four` five.\n\n```\nTODO not prose\n```\n\n<div>\nsix\n</div>\n\nTODO: write [this](x.md).';
  const doc = extractFast(src);
  // One two five. TODO: write this — as the full path counts them.
  assert.equal(doc.wordCount, 6);
  assert.equal(doc.wordCount, parseMarkdown(src).wordCount);
  assert.deepEqual(doc.placeholders.map((p) => `${p.text} ${r(p.range)}`), ['TODO 10:0-10:4']);
});

test('binary and oversized input give a document with one problem', () => {
  const bin = extractFast('abc\u0000def');
  assert.deepEqual(bin.problems.map((p) => p.code), ['binary-file']);
  assert.equal(bin.links.length, 0);
  const big = extractFast('x'.repeat(MAX_PAGE_BYTES + 1));
  assert.deepEqual(big.problems.map((p) => p.code), ['file-too-large']);
  // A NUL counts within the first 8000 characters only.
  assert.deepEqual(extractFast('a'.repeat(7999) + '\u0000').problems.map((p) => p.code), ['binary-file']);
  assert.deepEqual(extractFast('\u0000' + 'a'.repeat(9000)).problems.map((p) => p.code), ['binary-file']);
  assert.deepEqual(extractFast('a'.repeat(8000) + '\u0000').problems.map((p) => p.code), []);
});

test('never throws, on odd and random input', () => {
  const odd = ['', '\n', '\r\n\r', '[', ']', '![', '<', '`', '```', '~~~\n', '---', '---\n', '- ', '> ', '|', '|-|', '[^', '[^1]:', '\\', '&#;', '<!--', '<a href=', 'x'.repeat(5000) + '['.repeat(5000)];
  for (const s of odd) assert.doesNotThrow(() => extractFast(s), JSON.stringify(s));
  assert.doesNotThrow(() => extractFast(null as unknown as string));
  const pieces = ['[', ']', '(', ')', '![', '<', '>', '`', '*', '_', '~', '\\', 'https://x.com', 'a@b.co', '\n', ' ', 'w', '"', '<a href="u">', '<!--', '-->', '[f]: /u\n', '# ', '> ', '- ', '\n```\n', '|', '\n|---|\n', '&amp;', '[^1]: n\n', '    ', '\t', '!!! note\n    '];
  let seed = 7;
  const rnd = (): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  for (let k = 0; k < 300; k++) {
    let s = '';
    for (let i = 0, n = 1 + Math.floor(rnd() * 30); i < n; i++) s += pieces[Math.floor(rnd() * pieces.length)];
    const doc = extractFast(s);
    assert.ok(!doc.problems.some((p) => p.code === 'parse-failed'), JSON.stringify(s));
    for (const l of doc.links) assert.ok(l.range.start.character >= 0 && l.targetRange.end.character >= 0, JSON.stringify(s));
  }
});

test('normalizeIdentifier is micromark\'s, lower-cased', () => {
  assert.equal(normalizeIdentifier('  Foo \n\t BAR '), 'foo bar');
});

// ---------------------------------------------------------------------------
// Every fixture above agrees with the full remark path (links, headings, fences).

test('fixtures: extractFast agrees with parseMarkdown', () => {
  const view = (d: PatternDoc): string[] => [
    ...d.links.map((l) => `link ${l.kind} ${JSON.stringify(l.target)} ${r(l.range)} ${r(l.targetRange)}`),
    ...d.headings.map((h) => `heading ${h.depth} ${JSON.stringify(h.text)} ${h.id ?? ''} ${r(h.range)}`),
    ...d.fences.map((f) => `fence ${f.lang} ${JSON.stringify(f.info)} ${r(f.range)} ${r(f.contentRange)} ${f.closed}`),
  ].sort();
  assert.ok(fixtures.length > 50);
  for (const src of fixtures) assert.deepEqual(view(extractFast(src)), view(parseMarkdown(src)), JSON.stringify(src));
});

test("markdown-it's line tables built from the lines equal the ones its StateBlock reads off the source", () => {
  const md = new MarkdownIt('commonmark');
  const Lines = linesState(md.block.State);
  const tables = (st: StateBlock) => ({ b: [...st.bMarks], e: [...st.eMarks], t: [...st.tShift], s: [...st.sCount], bs: [...st.bsCount], max: st.lineMax });
  const fixed = ['', '\n', ' ', '\t', 'a', 'a\n', 'a\n ', 'a\n\t \n', ' \t a\n\tb\n  ', '\n\n', 'x\n \t\n', '  \t\tcode\n>\tquote'];
  const rnd = mulberry32(7);
  const alphabet = [' ', '\t', 'a', '\n', '>', '-'];
  const random = Array.from({ length: 300 }, () => Array.from({ length: Math.floor(rnd() * 30) }, () => alphabet[Math.floor(rnd() * alphabet.length)]).join(''));
  for (const src of [...fixed, ...random]) {
    const want = new md.block.State(src, md, {}, []);
    const got = new Lines(src, md, { lines: src.split('\n') } as never, []);
    assert.deepEqual(tables(got), tables(want), JSON.stringify(src));
  }
});

test("the fence rule makes markdown-it's tokens, and says of a fence's content what markdown-it's content would", () => {
  const stock = new MarkdownIt('commonmark', { html: true });
  const ours = new MarkdownIt('commonmark', { html: true });
  ours.block.ruler.at('fence', fenceRule, { alt: ['paragraph', 'reference', 'blockquote', 'list'] });
  const fixed = ['```\na\n```', '```\na\n', '```\na', '```\n\n', '```mermaid\ngraph\n```', '- ```\n  x\n y\n', '> ```\n> x\n\n', '~~~~ js\n~~~\n ~~~~\n', '```\n```', '   ```\n\tx\n    ```\n', '```a`b\nx\n```'];
  const rnd = mulberry32(11);
  const alphabet = ['```', '~~~', '```mermaid', ' ', '\t', 'x', '\n', '> ', '- ', '1. ', '`'];
  const random = Array.from({ length: 1500 }, () => Array.from({ length: Math.floor(rnd() * 25) }, () => alphabet[Math.floor(rnd() * alphabet.length)]).join(''));
  let fences = 0;
  for (const src of [...fixed, ...random]) {
    const want = stock.parse(src, {});
    const got = ours.parse(src, {});
    const shape = (ts: typeof want) => ts.map((t) => `${t.type} ${t.map?.join('-')} ${JSON.stringify(t.info)} ${t.markup} ${t.type === 'inline' ? JSON.stringify(t.content) : ''}`);
    assert.deepEqual(shape(got), shape(want), JSON.stringify(src));
    want.forEach((w, i) => {
      if (w.type !== 'fence') return;
      fences++;
      const g = got[i];
      const tc = w.content;
      const lines = (tc.length && !tc.endsWith('\n') ? 1 : 0) + (tc.match(/\n/g)?.length ?? 0);
      assert.deepEqual(g.meta, { lines, endsWithLf: tc.endsWith('\n') }, JSON.stringify(src));
      // Mermaid's text is kept, as markdown-it builds it; no content is built for a fence no document keeps.
      assert.equal(g.content, fenceLang(w.info.trim()) === 'mermaid' ? w.content : '', JSON.stringify(src));
    });
  }
  assert.ok(fences > 600, `only ${fences} fences were compared`);
});

test('a piece of prepared lines is the text joined from them, sliced from the page where its lines are unchanged', () => {
  const rnd = mulberry32(5);
  const words = ['', 'a', 'bb', '  c', '!!! note', '🙂'];
  let compared = 0;
  for (let k = 0; k < 400; k++) {
    const lines = Array.from({ length: 1 + Math.floor(rnd() * 12) }, () => words[Math.floor(rnd() * words.length)]);
    const text = lines.join('\n');
    const split = text.split('\n');
    // Prepared: most lines the page's own strings, some replaced (blanked, dedented or padded).
    const prepared = split.map((l) => (rnd() < 0.3 ? (rnd() < 0.5 ? '' : ' ' + l) : l));
    const off = lineOffsets(split);
    assert.equal(off[split.length], text.length + 1);
    for (let from = 0; from < split.length; from++) {
      for (let to = from + 1; to <= split.length; to++) {
        assert.equal(pieceSource(text, off, split, prepared.slice(from, to), from, to), prepared.slice(from, to).join('\n'), JSON.stringify({ text, prepared, from, to }));
        compared++;
      }
    }
  }
  assert.ok(compared > 5000);
});

test('emphasis changes no word count: a block with emphasis counts the words of the same block without it', () => {
  const rnd = mulberry32(3);
  const words = ['circuit', 'breaker', 'trips', '42', 'ok', '—', 'x-y', 'naïve', '日本'];
  const marks = ['*', '**', '_', '__', '~~', '***'];
  for (let k = 0; k < 300; k++) {
    const n = 1 + Math.floor(rnd() * 8);
    const plain: string[] = [];
    const marked: string[] = [];
    for (let i = 0; i < n; i++) {
      const w = words[Math.floor(rnd() * words.length)];
      plain.push(w);
      const r = rnd();
      const m = marks[Math.floor(rnd() * marks.length)];
      // Around a word, at one side only (an unmatched run stays text), or as a word of its own.
      marked.push(r < 0.3 ? m + w + m : r < 0.45 ? m + w : r < 0.55 ? `${w} ${m}` : w);
    }
    const sep = rnd() < 0.2 ? '\n' : ' ';
    const count = (s: string) => extractFast(`# T\n\n${s}\n`).wordCount;
    assert.equal(count(marked.join(sep)), count(plain.join(sep)), JSON.stringify(marked.join(sep)));
  }
});

test("closed fences' content shown empty to markdown-it changes nothing a page's document holds", () => {
  // Fragments that can swallow a fence or end it early: HTML blocks and comments, list items and
  // lines indented less than their fence, block quotes, closing-fence look-alikes, indented code.
  const parts = ['```', '```js', '~~~', '````', '```mermaid', 'code [x](a.md)', '  indented [y](b.md)', '', '<div>', '</div>', '<!--', '-->',
    '- item', '  ```', '    ```', '> quote', '> ```', '`` `', '# Heading', 'text [z](c.md)', '!!! note', '    body [w](d.md)', '1. one', '\t```'];
  const rnd = mulberry32(17);
  let quieted = 0;
  for (let k = 0; k < 3000; k++) {
    const src = Array.from({ length: 3 + Math.floor(rnd() * 14) }, () => parts[Math.floor(rnd() * parts.length)]).join('\n');
    const a = extractFast(src);
    const b = extractFast(src, { quietFences: false });
    assert.deepEqual(a, b, JSON.stringify(src));
    if (prepare(src).quiet?.includes(1)) quieted++;
  }
  assert.ok(quieted > 300, `only ${quieted} sources had a content line shown empty`);
});

/** Random block sources: line starts of every block rule (and look-alikes), at indents that do and do not count, inside containers too. */
function blockSources(seed: number, count: number): string[] {
  const starts = ['```', '~~~', '```js', '> ', '>', '***', '---', '___', '* * *', '- ', '* ', '+ ', '1. ', '2) ', '10. ', '<div>', '<!--', '-->', '</div>', '<a href="x">',
    '# ', '## ', '#nospace ', '=== ', '=', '===', '  -', '[x]: /u ', '| a | b |', '|---|---|', 'a | b', '--- | ---', ':-:|', '\t', 'é ', '日 ', '\\# ', '+++ ', '-- ', '_x_ '];
  const indents = ['', '', '', ' ', '  ', '   ', '    ', '\t'];
  const words = ['text', '[l](a.md)', '', 'b'];
  const rnd = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  return Array.from({ length: count }, () =>
    Array.from({ length: 2 + Math.floor(rnd() * 12) }, () => (rnd() < 0.15 ? '' : pick(indents) + pick(starts) + pick(words))).join('\n'),
  );
}

const tokenRows = (md: MarkdownIt, src: string) =>
  md.parse(src, { lines: src.split('\n') }).map((t) => [t.type, t.tag, t.nesting, t.level, t.map, t.markup, t.info, t.content].join('|'));

test('choosing block rules by a line\'s first character gives the same tokens as trying every rule', () => {
  const withDispatch = makeBlockParser();
  const everyRule = makeBlockParser({ dispatch: false });
  const sources = blockSources(29, 4000);
  for (const src of sources) assert.deepEqual(tokenRows(withDispatch, src), tokenRows(everyRule, src), JSON.stringify(src));
  assert.equal(sources.length, 4000);
});

test('reading a paragraph\'s lines once for a setext underline and the paragraph gives the same tokens as markdown-it\'s two rules', () => {
  const once = makeBlockParser({ lean: false });
  const twice = makeBlockParser({ lean: false, oneScan: false });
  let setext = 0;
  for (const src of blockSources(37, 4000)) {
    const a = tokenRows(once, src);
    assert.deepEqual(a, tokenRows(twice, src), JSON.stringify(src));
    if (a.some((r) => r.startsWith('heading_open|') && (r.includes('|=|') || r.includes('|-|')))) setext++;
  }
  assert.ok(setext > 200, `only ${setext} sources had a setext heading`);
});

const READ_TYPES = ['blockquote_open', 'blockquote_close', 'list_item_open', 'list_item_close', 'fence', 'code_block', 'html_block', 'heading_open', 'paragraph_open', 'inline', 'tr_open'];

test('one shared token for the tokens nothing reads leaves every read token as it was, at its index', () => {
  const lean = makeBlockParser();
  const full = makeBlockParser({ lean: false });
  let shared = 0;
  for (const src of blockSources(31, 4000)) {
    const a = tokenRows(lean, src);
    const b = tokenRows(full, src);
    assert.equal(a.length, b.length, JSON.stringify(src));
    for (let i = 0; i < a.length; i++) {
      if (a[i].startsWith('unread|')) {
        shared++;
        // The types Extractor.piece and hasFences read are never shared.
        assert.ok(!READ_TYPES.includes(b[i].split('|')[0]), `a ${b[i].split('|')[0]} token was shared in ${JSON.stringify(src)}`);
      } else assert.equal(a[i], b[i], `token ${i} of ${JSON.stringify(src)}`);
    }
  }
  assert.ok(shared > 4000, `only ${shared} tokens were shared`);
});
