import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pos } from '../../server/src/parse/types.ts';
import {
  isRenameError,
  prepareRename,
  rename,
  renameFile,
  renameFiles,
  renameFromLink,
  renameHeading,
  type TextEdit,
  type WorkspaceEdit,
} from '../../server/src/features/rename.ts';
import { dedent, findings, makeSite, ROOT } from '../helpers/site.ts';
import { fixture, fmtRange, type Fixture } from './fixture.ts';

/** Apply non-overlapping edits to a text. */
function applyEdits(text: string, edits: TextEdit[]): string {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  const off = (p: Pos) => starts[p.line] + p.character;
  const sorted = [...edits].sort((a, b) => off(b.range.start) - off(a.range.start));
  for (let i = 1; i < sorted.length; i++) assert.ok(off(sorted[i].range.end) <= off(sorted[i - 1].range.start), 'overlapping edits');
  for (const e of sorted) text = text.slice(0, off(e.range.start)) + e.newText + text.slice(off(e.range.end));
  return text;
}

/** The fixture's files after a workspace edit: edits applied, then renames done. */
function applyWorkspaceEdit(files: Record<string, string>, edit: WorkspaceEdit | { error: string } | undefined, moves: Array<[string, string]> = []): Record<string, string> {
  assert.ok(edit && !isRenameError(edit), `expected an edit, got ${JSON.stringify(edit)}`);
  const out = { ...files };
  for (const [abs, edits] of Object.entries(edit.changes)) {
    const key = abs.slice(ROOT.length + 1);
    assert.ok(key in out, `edit of an unknown file ${abs}`);
    out[key] = applyEdits(out[key], edits);
  }
  const all = [...moves, ...(edit.renames ?? []).map((r) => [r.oldPath.slice(ROOT.length + 1), r.newPath.slice(ROOT.length + 1)] as [string, string])];
  for (const [from, to] of all) {
    for (const key of Object.keys(out)) {
      if (key === from || key.startsWith(from + '/')) {
        out[to + key.slice(from.length)] = out[key];
        delete out[key];
      }
    }
  }
  return out;
}

/** broken-link and broken-anchor findings, without their file (a moved file keeps its findings). */
function brokenFindings(files: Record<string, string>): string[] {
  const site = makeSite(files);
  return [...findings(site, 'broken-link'), ...findings(site, 'broken-anchor')].map((f) => f.replace(/^[^ ]+ /, '')).sort();
}

/** Check the edit turns the fixture into `expected` (only the files listed change) and breaks no link. */
function checkEdit(f: Fixture, edit: ReturnType<typeof renameHeading>, expected: Record<string, string>, moves: Array<[string, string]> = []): void {
  const after = applyWorkspaceEdit(f.files, edit, moves);
  const want = { ...f.files };
  for (const [from] of moves) for (const k of Object.keys(want)) if (k === from || k.startsWith(from + '/')) delete want[k];
  for (const r of (edit as WorkspaceEdit).renames ?? []) delete want[r.oldPath.slice(ROOT.length + 1)];
  Object.assign(want, expected);
  assert.deepEqual(after, want);
  assert.deepEqual(brokenFindings(after), brokenFindings(f.files));
}

// ---------------------------------------------------------------------------
// Headings

const MKDOCS = dedent(`
  site_name: Atlas
  nav:
    - Home: index.md
    - Breaker: patterns/circuit-breaker.md
    - Deep dive: "patterns/circuit-breaker.md#level-3-deep-dive"
    - Retry: patterns/retry.md
`);

function headingSite(cursorPage: string) {
  const pages: Record<string, string> = {
    'mkdocs.yml': MKDOCS,
    'docs/index.md': '# Home\n\n[deep](patterns/circuit-breaker.md#level-3-deep-dive)\n',
    'docs/patterns/circuit-breaker.md': dedent(`
      # Circuit Breaker

      See [below](#level-3-deep-dive) and [the intro](#level-1-intuition).

      ## Level 1: Intuition

      ## Level 3: Deep Dive

      Text.
    `),
    'docs/patterns/retry.md': dedent(`
      # Retry

      - [source](circuit-breaker.md#level-3-deep-dive)
      - [url](../circuit-breaker/#level-3-deep-dive)
      - [absolute](/patterns/circuit-breaker/#level-3-deep-dive)
      - <a href="../circuit-breaker/#level-3-deep-dive">html</a>
      - [by reference][deep] and [own anchor](#level-3-deep-dive)

      ## Level 3: Deep Dive

      [deep]: circuit-breaker.md#level-3-deep-dive
    `),
  };
  pages[cursorPage] = pages[cursorPage].replace('## Level 3: Deep Dive', '## Level 3: De$0ep Dive');
  return fixture(pages);
}

test('rename heading: the text and every anchor pointing at it, in every link style and the nav', () => {
  const f = headingSite('docs/patterns/circuit-breaker.md');
  const { path, pos } = f.cursor!;
  const prep = prepareRename(f.site, path, pos, f.files['docs/patterns/circuit-breaker.md']);
  assert.deepEqual(prep, { kind: 'heading', range: { start: { line: 6, character: 3 }, end: { line: 6, character: 21 } }, placeholder: 'Level 3: Deep Dive' });
  const edit = renameHeading(f.site, path, pos, 'Level 3: Under the Hood', f.files['docs/patterns/circuit-breaker.md']);
  checkEdit(f, edit, {
    'mkdocs.yml': MKDOCS.replace('#level-3-deep-dive', '#level-3-under-the-hood'),
    'docs/index.md': '# Home\n\n[deep](patterns/circuit-breaker.md#level-3-under-the-hood)\n',
    'docs/patterns/circuit-breaker.md': dedent(`
      # Circuit Breaker

      See [below](#level-3-under-the-hood) and [the intro](#level-1-intuition).

      ## Level 1: Intuition

      ## Level 3: Under the Hood

      Text.
    `),
    'docs/patterns/retry.md': dedent(`
      # Retry

      - [source](circuit-breaker.md#level-3-under-the-hood)
      - [url](../circuit-breaker/#level-3-under-the-hood)
      - [absolute](/patterns/circuit-breaker/#level-3-under-the-hood)
      - <a href="../circuit-breaker/#level-3-under-the-hood">html</a>
      - [by reference][deep] and [own anchor](#level-3-deep-dive)

      ## Level 3: Deep Dive

      [deep]: circuit-breaker.md#level-3-under-the-hood
    `),
  });
  // The same rename through the one-call entry point gives the same edit.
  assert.deepEqual(rename(f.site, path, pos, 'Level 3: Under the Hood', f.files['docs/patterns/circuit-breaker.md']), edit);
});

test('rename heading: only the anchors of the renamed page change (same slug elsewhere untouched)', () => {
  const f = headingSite('docs/patterns/retry.md');
  const { path, pos } = f.cursor!;
  const edit = renameHeading(f.site, path, pos, 'Going Deeper', f.files['docs/patterns/retry.md']);
  checkEdit(f, edit, {
    'docs/patterns/retry.md': f.files['docs/patterns/retry.md']
      .replace('## Level 3: Deep Dive', '## Going Deeper')
      .replace('[own anchor](#level-3-deep-dive)', '[own anchor](#going-deeper)'),
  });
});

test('rename heading: duplicate headings renumber, and links follow each id', () => {
  const f = fixture({
    'docs/a.md': dedent(`
      # A

      [first](#example) [second](#example_1)

      ## Exa$0mple

      ## Example
    `),
    'docs/b.md': '[second](a.md#example_1) [first](a.md#example)\n',
  });
  const edit = renameHeading(f.site, 'a.md', f.cursor!.pos, 'Basic *use*', f.files['docs/a.md']);
  checkEdit(f, edit, {
    'docs/a.md': dedent(`
      # A

      [first](#basic-use) [second](#example)

      ## Basic *use*

      ## Example
    `),
    'docs/b.md': '[second](a.md#example) [first](a.md#basic-use)\n',
  });
});

test('rename heading with an explicit {#id}: the text changes, no anchor does', () => {
  const f = fixture({
    'mkdocs.yml': 'site_name: T\nmarkdown_extensions:\n  - attr_list\n',
    'docs/a.md': '# A\n\n## Old $0title ## {#keep}\n\n[x](#keep)\n',
  });
  const text = f.files['docs/a.md'];
  const prep = prepareRename(f.site, 'a.md', f.cursor!.pos, text);
  assert.ok(prep && !isRenameError(prep));
  assert.equal(prep.placeholder, 'Old title');
  assert.equal(fmtRange(prep.range), '2:3-12');
  checkEdit(f, renameHeading(f.site, 'a.md', f.cursor!.pos, 'New title', text), { 'docs/a.md': '# A\n\n## New title ## {#keep}\n\n[x](#keep)\n' });
});

test('prepareRename: setext headings, markup kept in the placeholder; prose is not renameable', () => {
  const f = fixture({ 'docs/a.md': 'Se$0text **Title**\n======\n\n## Level 1: `code`\n\nProse.\n' });
  const text = f.files['docs/a.md'];
  assert.deepEqual(prepareRename(f.site, 'a.md', f.cursor!.pos, text), {
    kind: 'heading',
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 16 } },
    placeholder: 'Setext **Title**',
  });
  assert.equal(prepareRename(f.site, 'a.md', { line: 5, character: 2 }, text), undefined);
  const edit = renameHeading(f.site, 'a.md', { line: 3, character: 5 }, 'Level 1: Intuition', text);
  assert.deepEqual(applyWorkspaceEdit(f.files, edit)['docs/a.md'], 'Setext **Title**\n======\n\n## Level 1: Intuition\n\nProse.\n');
  assert.deepEqual(renameHeading(f.site, 'a.md', { line: 3, character: 5 }, '  ', text), { error: 'A heading needs some text.' });
});

// ---------------------------------------------------------------------------
// Files

const FILES_MKDOCS = dedent(`
  site_name: Atlas
  nav:
    - Home: index.md
    - Patterns:
      - patterns/circuit-breaker.md
      - 'Retry': 'patterns/retry.md'
`);

const FILES = {
  'mkdocs.yml': FILES_MKDOCS,
  'docs/img/state.png': 'PNG',
  'docs/index.md': dedent(`
    # Home

    [a](patterns/circuit-breaker.md) [b](./patterns/circuit-breaker.md#level-1) [c](patterns/circuit-breaker/)
    [d](/patterns/circuit-breaker/) [e](/patterns/circuit-breaker.md) [f](patterns/circuit-breaker)
    [g](patterns/retry.md) [ref][cb]

    [cb]: patterns/circuit-breaker.md "The breaker"
  `),
  'docs/patterns/retry.md': dedent(`
    # Retry

    [a](circuit-breaker.md) [b](../circuit-breaker/#level-1) <a href="/patterns/circuit-breaker/">c</a>
  `),
  'docs/patterns/circuit-breaker.md': dedent(`
    # Circuit Breaker

    ## Level 1

    [self](circuit-breaker.md#level-1) [top](#circuit-breaker) [retry](retry.md) [retry url](../retry/)
    ![state](../img/state.png) [home](../index.md) [home url](../../)
  `),
};

test('rename file: every link keeps its style, the moved page re-aims its own links, the nav follows', () => {
  const f = fixture(FILES);
  const edit = renameFile(f.site, 'patterns/circuit-breaker.md', 'patterns/resilience/breaker.md');
  checkEdit(
    f,
    edit,
    {
      'mkdocs.yml': FILES_MKDOCS.replace('- patterns/circuit-breaker.md', '- patterns/resilience/breaker.md'),
      'docs/index.md': dedent(`
        # Home

        [a](patterns/resilience/breaker.md) [b](./patterns/resilience/breaker.md#level-1) [c](patterns/resilience/breaker/)
        [d](/patterns/resilience/breaker/) [e](/patterns/resilience/breaker.md) [f](patterns/resilience/breaker)
        [g](patterns/retry.md) [ref][cb]

        [cb]: patterns/resilience/breaker.md "The breaker"
      `),
      'docs/patterns/retry.md': dedent(`
        # Retry

        [a](resilience/breaker.md) [b](../resilience/breaker/#level-1) <a href="/patterns/resilience/breaker/">c</a>
      `),
      'docs/patterns/resilience/breaker.md': dedent(`
        # Circuit Breaker

        ## Level 1

        [self](breaker.md#level-1) [top](#circuit-breaker) [retry](../retry.md) [retry url](../../retry/)
        ![state](../../img/state.png) [home](../../index.md) [home url](../../../)
      `),
    },
    [['docs/patterns/circuit-breaker.md', 'docs/patterns/resilience/breaker.md']],
  );
  // Edits are keyed by the files as they are before the move.
  assert.ok('/site/docs/patterns/circuit-breaker.md' in edit.changes);
});

test('rename file: only the target text is replaced', () => {
  const f = fixture(FILES);
  const edit = renameFile(f.site, 'patterns/retry.md', 'patterns/retry-with-backoff.md');
  assert.deepEqual(
    Object.fromEntries(Object.entries(edit.changes).map(([k, v]) => [k.replace('/site/', ''), v.map((e) => `${fmtRange(e.range)} ${e.newText}`)])),
    {
      'docs/index.md': ['4:4-21 patterns/retry-with-backoff.md'],
      'docs/patterns/circuit-breaker.md': ['4:67-75 retry-with-backoff.md', '4:89-98 ../retry-with-backoff/'],
      'mkdocs.yml': ['5:16-33 patterns/retry-with-backoff.md'],
    },
  );
  checkEdit(
    f,
    edit,
    {
      'mkdocs.yml': FILES_MKDOCS.replace("'patterns/retry.md'", "'patterns/retry-with-backoff.md'"),
      'docs/index.md': FILES['docs/index.md'].replace('[g](patterns/retry.md)', '[g](patterns/retry-with-backoff.md)'),
      'docs/patterns/retry-with-backoff.md': FILES['docs/patterns/retry.md'],
      'docs/patterns/circuit-breaker.md': FILES['docs/patterns/circuit-breaker.md']
        .replace('[retry](retry.md)', '[retry](retry-with-backoff.md)')
        .replace('[retry url](../retry/)', '[retry url](../retry-with-backoff/)'),
    },
    [['docs/patterns/retry.md', 'docs/patterns/retry-with-backoff.md']],
  );
});

test('rename folder: links inside it stay, links into it follow', () => {
  const f = fixture(FILES);
  const edit = renameFiles(f.site, [{ oldPath: 'patterns', newPath: 'library' }]);
  const after = applyWorkspaceEdit(f.files, edit, [['docs/patterns', 'docs/library']]);
  assert.equal(after['docs/library/retry.md'], FILES['docs/patterns/retry.md'].replace('/patterns/circuit-breaker/', '/library/circuit-breaker/'));
  assert.equal(after['docs/library/circuit-breaker.md'], FILES['docs/patterns/circuit-breaker.md']);
  assert.equal(after['mkdocs.yml'], FILES_MKDOCS.replace('- patterns/circuit-breaker.md', '- library/circuit-breaker.md').replace("'patterns/retry.md'", "'library/retry.md'"));
  assert.match(after['docs/index.md'], /\[d\]\(\/library\/circuit-breaker\/\)/);
  assert.deepEqual(brokenFindings(after), brokenFindings(f.files));
});

test('rename an asset: image links follow', () => {
  const f = fixture(FILES);
  const edit = renameFile(f.site, 'img/state.png', 'img/diagrams/breaker-states.png');
  checkEdit(
    f,
    edit,
    {
      'docs/img/diagrams/breaker-states.png': 'PNG',
      'docs/patterns/circuit-breaker.md': FILES['docs/patterns/circuit-breaker.md'].replace('../img/state.png', '../img/diagrams/breaker-states.png'),
    },
    [['docs/img/state.png', 'docs/img/diagrams/breaker-states.png']],
  );
});

test('rename from a link target: the file moves (a rename in the edit) and every link follows', () => {
  const files = { ...FILES, 'docs/patterns/retry.md': FILES['docs/patterns/retry.md'].replace('[a](circuit-breaker.md)', '[a](circuit-$0breaker.md)') };
  const f = fixture(files);
  const { path, pos } = f.cursor!;
  const prep = prepareRename(f.site, path, pos, f.files['docs/patterns/retry.md']);
  assert.deepEqual(prep, { kind: 'file', range: { start: { line: 2, character: 4 }, end: { line: 2, character: 22 } }, placeholder: 'circuit-breaker.md', path: 'patterns/circuit-breaker.md' });
  const edit = renameFromLink(f.site, path, pos, 'breaker.md');
  assert.ok(!isRenameError(edit));
  assert.deepEqual(edit.renames, [{ oldPath: '/site/docs/patterns/circuit-breaker.md', newPath: '/site/docs/patterns/breaker.md' }]);
  const after = applyWorkspaceEdit(f.files, edit);
  assert.match(after['docs/patterns/retry.md'], /^\[a\]\(breaker\.md\) \[b\]\(\.\.\/breaker\/#level-1\) <a href="\/patterns\/breaker\/">c<\/a>$/m);
  assert.match(after['docs/patterns/breaker.md'], /\[self\]\(breaker\.md#level-1\)/);
  assert.deepEqual(brokenFindings(after), brokenFindings(f.files));
  // A URL-style target names the new file by its URL.
  const viaUrl = renameFromLink(f.site, path, pos, '../fuse/');
  assert.ok(!isRenameError(viaUrl));
  assert.deepEqual(viaUrl.renames?.[0].newPath, '/site/docs/patterns/fuse.md');
});

test('rename from a link target: refused for broken, external and existing targets', () => {
  const f = fixture({
    'docs/a.md': '[x](b.md) [gone](nope.md) [ext](https://example.com) [top](#a)\n\n# A\n',
    'docs/b.md': '# B\n',
    'docs/c.md': '# C\n',
  });
  const text = f.files['docs/a.md'];
  const at = (character: number) => ({ line: 0, character });
  assert.deepEqual(renameFromLink(f.site, 'a.md', at(5), 'c.md'), { error: 'c.md already exists.' });
  assert.deepEqual(renameFromLink(f.site, 'a.md', at(5), 'b.md'), { changes: {} });
  assert.ok(isRenameError(prepareRename(f.site, 'a.md', at(18), text)));
  assert.deepEqual(prepareRename(f.site, 'a.md', at(35), text), { error: 'An external link cannot be renamed.' });
  assert.deepEqual(prepareRename(f.site, 'a.md', at(60), text), { error: 'Rename the heading itself: its anchors are updated everywhere.' });
  assert.deepEqual(renameFromLink(f.site, 'a.md', at(5), '../../outside.md'), { error: "'../../outside.md' is outside the docs folder." });
});
