import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fenceLang } from '../server/src/parse/common.ts';
import { parseMarkdown } from '../server/src/parse/remark.ts';
import { MAX_PAGE_BYTES } from '../server/src/parse/prepare.ts';
import type { Link, PatternDoc, Range } from '../server/src/parse/types.ts';

/** Lines of a fixture joined with `\n`, so columns stay visible in the source. */
function page(...lines: string[]): string {
  return lines.join('\n');
}

/** Where `needle` is written in `text` (its `nth` occurrence), found independently of the parser. */
function at(text: string, needle: string, nth = 0): Range {
  let i = -1;
  for (let k = 0; k <= nth; k++) {
    i = text.indexOf(needle, i + 1);
    assert.ok(i >= 0, `fixture does not contain ${JSON.stringify(needle)} #${nth}`);
  }
  const before = text.slice(0, i).split('\n');
  const sl = before.length - 1;
  const sc = before[sl].length;
  const inside = needle.split('\n');
  const el = sl + inside.length - 1;
  const ec = inside.length === 1 ? sc + needle.length : inside[inside.length - 1].length;
  return { start: { line: sl, character: sc }, end: { line: el, character: ec } };
}

/** The text a range covers in `text`. */
function slice(text: string, r: Range): string {
  const lines = text.split(/\r\n|\r|\n/);
  if (r.start.line === r.end.line) return lines[r.start.line].slice(r.start.character, r.end.character);
  const out = [lines[r.start.line].slice(r.start.character)];
  for (let l = r.start.line + 1; l < r.end.line; l++) out.push(lines[l]);
  out.push(lines[r.end.line].slice(0, r.end.character));
  return out.join('\n');
}

function only(doc: PatternDoc, kind: Link['kind']): Link[] {
  return doc.links.filter((l) => l.kind === kind);
}

function show(l: Link): string {
  return `${l.kind} ${l.target}`;
}

test('inline links: target as written, without <> or title, with exact ranges', () => {
  const src = page('See [one](a%20b.md "Title") and [two](<a b.md> \'t\') and [three](x(y).md#frag).', '', '[empty]()');
  const doc = parseMarkdown(src);
  const links = only(doc, 'inline');
  assert.deepEqual(links.map(show), ['inline a%20b.md', 'inline a b.md', 'inline x(y).md#frag', 'inline ']);
  assert.deepEqual(links[0].targetRange, at(src, 'a%20b.md'));
  assert.deepEqual(links[0].range, at(src, '[one](a%20b.md "Title")'));
  assert.equal(links[0].text, 'one');
  assert.deepEqual(links[1].targetRange, at(src, 'a b.md'));
  assert.deepEqual(links[2].targetRange, at(src, 'x(y).md#frag'));
  // An empty destination is an empty range just inside the parentheses.
  const e = at(src, '()');
  const inside = { line: e.start.line, character: e.start.character + 1 };
  assert.deepEqual(links[3].targetRange, { start: inside, end: inside });
});

test('link text with brackets, escapes and code keeps the right target', () => {
  const src = page('A [x \\] `](no)` [y]](real.md) and ![alt [n](nested.md) more](pic.png "t").');
  const doc = parseMarkdown(src);
  assert.deepEqual(doc.links.map(show), ['inline real.md', 'image pic.png']);
  assert.deepEqual(doc.links[0].targetRange, at(src, 'real.md'));
  assert.deepEqual(doc.links[1].targetRange, at(src, 'pic.png'));
  assert.equal(doc.links[1].text, 'alt n more');
});

test('autolinks: <url>, GFM literal URLs and www.', () => {
  const src = page('Go <https://example.com/a> or https://example.org/b. Or www.example.net today.');
  const doc = parseMarkdown(src);
  assert.deepEqual(doc.links.map(show), ['autolink https://example.com/a', 'autolink https://example.org/b', 'autolink www.example.net']);
  assert.deepEqual(doc.links[0].range, at(src, '<https://example.com/a>'));
  assert.deepEqual(doc.links[0].targetRange, at(src, 'https://example.com/a'));
  assert.deepEqual(doc.links[1].targetRange, at(src, 'https://example.org/b'));
  assert.deepEqual(doc.links[2].targetRange, at(src, 'www.example.net'));
});

test('references resolve to their definition as written; undefined ones are dropped', () => {
  const src = page(
    'Full [text][My  Label], collapsed [other][], shortcut [other] and [missing][nope].',
    'Image ![pic][img].',
    '',
    '[my label]: <docs/a b.md> "Title"',
    '[OTHER]: other.md#x',
    '[img]: p%20q.png',
    '[other]: ignored-second.md',
  );
  const doc = parseMarkdown(src);
  const refs = doc.links.filter((l) => l.kind === 'reference' || l.kind === 'image');
  assert.deepEqual(refs.map(show), ['reference docs/a b.md', 'reference other.md#x', 'reference other.md#x', 'image p%20q.png']);
  assert.deepEqual(refs.map((l) => l.label), ['my label', 'other', 'other', 'img']);
  // The target range of a reference is its label inside the link.
  assert.deepEqual(refs[0].targetRange, at(src, 'My  Label'));
  assert.deepEqual(refs[1].targetRange, at(src, 'other', 0));
  assert.deepEqual(refs[2].targetRange, at(src, 'other', 1));
  assert.deepEqual(refs[3].targetRange, at(src, 'img'));
  assert.equal(refs[3].text, 'pic');
  assert.equal(refs[0].text, 'text');

  const defs = only(doc, 'definition');
  assert.deepEqual(defs.map(show), ['definition docs/a b.md', 'definition other.md#x', 'definition p%20q.png', 'definition ignored-second.md']);
  assert.deepEqual(defs[0].targetRange, at(src, 'docs/a b.md'));
  assert.deepEqual(defs[1].targetRange, at(src, 'other.md#x'));
  assert.equal(defs[0].text, 'my label');
  assert.equal(defs[0].label, 'my label');
  assert.deepEqual(defs[0].range, at(src, '[my label]: <docs/a b.md> "Title"'));
});

test('raw HTML links: href and src, any quoting, exact value ranges, comments ignored', () => {
  const src = page(
    'Inline <a class="x" href="inline.md">the <b>text</b></a> and <img alt="A" src=unquoted.png>.',
    '',
    '<div markdown>',
    "  <a href='block.md' title=\"href=nope.md\">Block</a>",
    '  <!-- <a href="commented.md">no</a> -->',
    '  <IMG SRC="caps.png">',
    '</div>',
    '',
    'Also <!-- [hidden](hidden.md) <a href="hidden2.md"> --> shown.',
    '',
    '<!--',
    '[block-hidden](block-hidden.md)',
    '-->',
  );
  const doc = parseMarkdown(src);
  assert.deepEqual(doc.links.map(show), ['html inline.md', 'html unquoted.png', 'html block.md', 'html caps.png']);
  const [a, img, block, caps] = doc.links;
  assert.deepEqual(a.targetRange, at(src, 'inline.md'));
  assert.equal(a.text, 'the text');
  assert.deepEqual(a.range, { start: at(src, '<a class').start, end: at(src, '</a>').end });
  assert.deepEqual(img.targetRange, at(src, 'unquoted.png'));
  assert.equal(img.text, 'A');
  assert.deepEqual(block.targetRange, at(src, 'block.md'));
  assert.equal(block.text, 'Block');
  assert.deepEqual(caps.targetRange, at(src, 'caps.png'));
});

test('links inside admonitions, content tabs and nested admonitions keep their page columns', () => {
  const src = page(
    '!!! note "Title"',
    '    In a note: [n](note.md).',
    '',
    '=== "Tab one"',
    '',
    '    In a tab: [t](tab.md)',
    '',
    '??? tip',
    '    Outer [o](outer.md)',
    '',
    '    !!! warning',
    '        Inner [i](inner.md) and <https://in.example>',
    '',
    'Outside [x](out.md)',
  );
  const doc = parseMarkdown(src);
  assert.deepEqual(doc.links.map(show), ['inline note.md', 'inline tab.md', 'inline outer.md', 'inline inner.md', 'autolink https://in.example', 'inline out.md']);
  for (const [i, target] of ['note.md', 'tab.md', 'outer.md', 'inner.md', 'https://in.example', 'out.md'].entries()) {
    assert.deepEqual(doc.links[i].targetRange, at(src, target), target);
  }
  assert.deepEqual(doc.links[3].range, at(src, '[i](inner.md)'));
  // Dedented bodies are prose, not indented code.
  assert.equal(doc.fences.length, 0);
});

test('headings: text without the attribute list, explicit id, whole range', () => {
  const src = page('# Title', '', '## Foo {#bar}', '', '### Plain `code` *em*', '', 'Setext', '------', '', '!!! note', '    #### In note {: #n .cls }');
  const doc = parseMarkdown(src);
  assert.deepEqual(
    doc.headings.map((h) => [h.depth, h.text, h.id]),
    [
      [1, 'Title', undefined],
      [2, 'Foo', 'bar'],
      [3, 'Plain code em', undefined],
      [2, 'Setext', undefined],
      [4, 'In note', 'n'],
    ],
  );
  assert.deepEqual(doc.headings[1].range, at(src, '## Foo {#bar}'));
  assert.deepEqual(doc.headings[3].range, at(src, 'Setext\n------'));
  assert.deepEqual(doc.headings[4].range, at(src, '#### In note {: #n .cls }'));
});

test('a mermaid fence inside an admonition: lang, ranges, content, closed', () => {
  const src = page('Intro', '', '!!! example "Diagram"', '    ```mermaid title="x"', '    graph TD', '      A --> B', '    ```', '', 'After');
  const doc = parseMarkdown(src);
  assert.equal(doc.fences.length, 1);
  const f = doc.fences[0];
  assert.equal(f.lang, 'mermaid');
  assert.equal(f.info, 'mermaid title="x"');
  assert.equal(f.closed, true);
  assert.equal(f.content, 'graph TD\n  A --> B');
  assert.deepEqual(f.range, { start: at(src, '```mermaid').start, end: at(src, '```', 1).end });
  assert.deepEqual(f.contentRange, { start: at(src, 'graph TD').start, end: at(src, 'A --> B').end });
  assert.deepEqual(doc.problems, []);
});

test('fences: language normalisation, tildes, empty fences, indented code is not a fence', () => {
  const src = page('~~~ Python linenums="1"', 'x = 1', '~~~', '', '```{.mermaid}', '```', '', '    ```js', '    indented code', '', '````mermaid', '```', 'inner', '```', '````');
  const doc = parseMarkdown(src);
  assert.deepEqual(
    doc.fences.map((f) => [f.lang, f.closed, f.content]),
    [
      // Only Mermaid blocks keep their text (keepsFenceContent).
      ['python', true, ''],
      ['mermaid', true, ''],
      ['mermaid', true, '```\ninner\n```'],
    ],
  );
  // No content: an empty range at the end of the opening line.
  const open = at(src, '```{.mermaid}');
  assert.deepEqual(doc.fences[1].contentRange, { start: open.end, end: open.end });
  assert.equal(fenceLang('{ .Mermaid #id }'), 'mermaid');
  assert.equal(fenceLang('.py3 hl_lines="1"'), 'py3');
});

test('an unterminated fence is reported on its opening line', () => {
  const src = page('# Top', '', '  ```python', '  print(1)', '', '## Swallowed');
  const doc = parseMarkdown(src);
  assert.equal(doc.fences.length, 1);
  assert.equal(doc.fences[0].closed, false);
  assert.deepEqual(doc.problems.map((p) => [p.code, p.message]), [['unterminated-fence', 'Code fence opened here is never closed']]);
  assert.deepEqual(doc.problems[0].range, { start: at(src, '```python').start, end: at(src, '```python').end });
  // A shorter closing run does not close a longer fence.
  assert.equal(parseMarkdown(page('````', 'x', '```')).fences[0].closed, false);
  assert.equal(parseMarkdown(page('````', 'x', '`````')).fences[0].closed, true);
});

test('an unterminated fence inside an admonition ends with the admonition', () => {
  const src = page('!!! note', '    ```mermaid', '    graph TD', '', '## Still a heading', '', 'And [a link](kept.md).');
  const doc = parseMarkdown(src);
  assert.equal(doc.fences.length, 1);
  assert.equal(doc.fences[0].closed, false);
  assert.equal(doc.fences[0].range.end.line, 3);
  assert.deepEqual(doc.fences[0].contentRange, { start: at(src, 'graph TD').start, end: { line: 3, character: 0 } });
  assert.deepEqual(doc.headings.map((h) => h.text), ['Still a heading']);
  assert.deepEqual(doc.links.map(show), ['inline kept.md']);
  assert.deepEqual(doc.links[0].targetRange, at(src, 'kept.md'));
  assert.deepEqual(doc.problems.map((p) => [p.code, p.range.start.line]), [['unterminated-fence', 1]]);
});

test('a list-item fence with an under-indented line does not swallow the diagrams after it', () => {
  // A slip common in the corpus: MkDocs (SuperFences) still renders the later diagram.
  const src = page('1. Step', '   ```python', '# at column 0', '   x = 1', '   ```', '', '2. Next', '   ```mermaid', '   graph TD', '   ```', '', 'After [l](l.md)');
  const doc = parseMarkdown(src);
  const mermaid = doc.fences.filter((f) => f.lang === 'mermaid');
  assert.equal(mermaid.length, 1);
  assert.deepEqual(mermaid[0].range, { start: at(src, '```mermaid').start, end: at(src, '```', 3).end });
  assert.deepEqual(mermaid[0].contentRange, at(src, 'graph TD'));
  assert.equal(mermaid[0].closed, true);
  assert.deepEqual(doc.links.map(show), ['inline l.md']);
  assert.deepEqual(doc.links[0].targetRange, at(src, 'l.md'));
  for (const f of doc.fences) assert.ok(f.range.start.character >= 0 && f.contentRange.start.character >= 0);
});

test('a fence in a blockquote closes on a quoted closing line', () => {
  const doc = parseMarkdown(page('> ```mermaid', '> x', '> ```', '', 'after'));
  assert.deepEqual(doc.fences.map((f) => [f.closed, f.content, f.range.start.character]), [[true, 'x', 2]]);
  assert.deepEqual(doc.problems, []);
});

test('`!!! note` shown inside a fenced code block is not an admonition', () => {
  const src = page('```markdown', '!!! note', '    [not a link](nope.md)', '```', '', '[yes](yes.md)');
  const doc = parseMarkdown(src);
  assert.equal(doc.fences.length, 1);
  assert.deepEqual([doc.fences[0].contentRange.start.line, doc.fences[0].contentRange.end.line], [1, 2]);
  assert.deepEqual(doc.links.map(show), ['inline yes.md']);
});

test('malformed YAML frontmatter: a problem on the bad line, the rest still parsed', () => {
  const src = page('---', 'title: Ok', 'tags: [a, b', 'status: x', '---', '', '# Heading', '', 'Text [l](l.md).');
  const doc = parseMarkdown(src);
  const fm = doc.problems.filter((p) => p.code === 'frontmatter-yaml');
  assert.ok(fm.length >= 1);
  assert.ok(fm.every((p) => p.range.start.line >= 2 && p.range.start.line <= 3), JSON.stringify(fm.map((p) => p.range)));
  assert.equal(doc.frontmatter?.data, null);
  assert.deepEqual(doc.frontmatter?.range, { start: { line: 0, character: 0 }, end: { line: 4, character: 3 } });
  assert.deepEqual(doc.headings.map((h) => h.text), ['Heading']);
  assert.deepEqual(doc.links.map(show), ['inline l.md']);
  assert.deepEqual(doc.links[0].targetRange, at(src, 'l.md'));
});

test('well-formed frontmatter is blanked: not prose, not a heading, entries kept', () => {
  const src = page('---', 'title: Hello world', 'category: core', '---', '', 'One two three.');
  const doc = parseMarkdown(src);
  assert.deepEqual(doc.frontmatter?.data, { title: 'Hello world', category: 'core' });
  assert.deepEqual(doc.headings, []);
  assert.equal(doc.wordCount, 3);
  assert.equal(doc.lineCount, 6);
});

test('word count: prose only, not code, HTML comments, diagrams or punctuation', () => {
  const src = page(
    '# Two words',
    '',
    'Three [linked words](x.md) here — and `inline code` 42 times.',
    '<!-- not counted at all -->',
    '',
    '```mermaid',
    'graph TD',
    '```',
    '',
    '    indented code block',
  );
  // Two words | Three linked words here and 42 times  (— and code excluded)
  assert.equal(parseMarkdown(src).wordCount, 2 + 7);
});

test('placeholders in prose, not in code', () => {
  const src = page('# TODO', '', 'Text TBD and `TODO` in code.', '', '```', 'FIXME in a fence', '```', '', '!!! note', '    Coming soon: [placeholder]');
  const doc = parseMarkdown(src);
  assert.deepEqual(
    doc.placeholders.map((p) => [p.text, slice(src, p.range)]),
    [
      ['TODO', 'TODO'],
      ['TBD', 'TBD'],
      ['Coming soon', 'Coming soon'],
      ['[placeholder]', '[placeholder]'],
    ],
  );
  assert.deepEqual(doc.placeholders[3].range, at(src, '[placeholder]'));
});

test('suppressions come through', () => {
  const doc = parseMarkdown(page('<!-- pattern-atlas-disable broken-link, not-in-nav -->', 'x', '<!-- pattern-atlas-disable-next-line -->'));
  assert.deepEqual(doc.suppressions, [
    { kind: 'disable', rules: ['broken-link', 'not-in-nav'], line: 0 },
    { kind: 'disable-next-line', rules: [], line: 2 },
  ]);
});

test('CRLF and lone CR input give the same document as LF', () => {
  const lf = page(
    '---',
    'title: T',
    '---',
    '# H {#h}',
    '',
    '!!! note',
    '    [a](a.md) <a href="b.md">b</a> TODO',
    '    ```mermaid',
    '    graph',
    '    ```',
    '',
    '[r]: r.md',
  );
  const expected = parseMarkdown(lf);
  assert.equal(expected.links.length, 3);
  assert.deepEqual(parseMarkdown(lf.replace(/\n/g, '\r\n')), expected);
  assert.deepEqual(parseMarkdown(lf.replace(/\n/g, '\r')), expected);
});

test('binary and oversized input: one problem, nothing else, no throw', () => {
  const bin = parseMarkdown('PK\u0003\u0004\u0000\u0000 [a](b.md)');
  assert.deepEqual(bin.problems.map((p) => p.code), ['binary-file']);
  assert.deepEqual([bin.links, bin.headings, bin.fences, bin.wordCount], [[], [], [], 0]);

  const big = '# Big\n\n' + 'word [l](l.md) '.repeat(Math.ceil((5 * 1024 * 1024) / 15));
  assert.ok(big.length > MAX_PAGE_BYTES);
  const t0 = performance.now();
  const doc = parseMarkdown(big);
  assert.ok(performance.now() - t0 < 1000, 'the size guard must not parse');
  assert.deepEqual(doc.problems.map((p) => p.code), ['file-too-large']);
  assert.deepEqual([doc.links, doc.headings], [[], []]);

  // Multi-byte text under the character limit but over the byte limit is caught too.
  const wide = 'é'.repeat(MAX_PAGE_BYTES / 2 + 10);
  assert.deepEqual(parseMarkdown(wide).problems.map((p) => p.code), ['file-too-large']);
});

test('never throws, and every range stays inside the page, on every prefix of a rich page', () => {
  const src = page(
    '---',
    'title: "x',
    '---',
    '# H {#h}',
    '> [q](q.md) ```',
    '!!! note "t"',
    '    ??? tip',
    '        ```mermaid',
    '        graph',
    '    === "T"',
    '        <a href=\'x',
    '<!-- [c](c.md)',
    '[r]: <r',
    '- [ ] ![i](i.png "t',
    '| a | [b](b.md) |',
    '|---|---|',
    '\t\t`x` www.x.y TODO',
  );
  for (let n = 0; n <= src.length; n++) {
    const text = src.slice(0, n);
    const doc = parseMarkdown(text);
    const lines = text.split(/\r\n|\r|\n/);
    assert.equal(doc.lineCount, lines.length);
    assert.ok(!doc.problems.some((p) => p.code === 'parse-failed'), `prefix ${n}`);
    const ranges: Range[] = [
      ...doc.links.flatMap((l) => [l.range, l.targetRange]),
      ...doc.headings.map((h) => h.range),
      ...doc.fences.flatMap((f) => [f.range, f.contentRange]),
      ...doc.placeholders.map((p) => p.range),
      ...doc.problems.map((p) => p.range),
    ];
    for (const r of ranges) {
      for (const p of [r.start, r.end]) {
        assert.ok(p.line >= 0 && p.line < lines.length && p.character >= 0 && p.character <= lines[p.line].length, `prefix ${n}: ${JSON.stringify(r)}`);
      }
    }
    for (const l of doc.links) {
      if (l.kind !== 'reference' && !(l.kind === 'image' && l.label)) assert.equal(slice(text, l.targetRange), l.target, `prefix ${n}`);
    }
  }
});

test('odd inputs do not throw', () => {
  for (const input of ['', '\n', '\r', '\u0000', '---', '---\n---', '`'.repeat(10_000), '>'.repeat(5000) + ' x', '[', '[a]: ', '<a href', '\uD800', '!!! note\n' + '    '.repeat(200) + 'x']) {
    const doc = parseMarkdown(input);
    assert.ok(Array.isArray(doc.links));
  }
  assert.doesNotThrow(() => parseMarkdown(undefined as unknown as string));
  assert.deepEqual(parseMarkdown(null as unknown as string).links, []);
});
