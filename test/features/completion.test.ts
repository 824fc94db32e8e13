/**
 * Completion over inline fixtures: which context offers what, and the text
 * an accepted item leaves on the line. `$0` is the cursor.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getCompletions, PAGE_COMPLETION_LIMIT, type Completion } from '../../server/src/features/completion.ts';
import { fixture } from './fixture.ts';

const LAWS = {
  'docs/laws/law1-failure.md': '# Law 1: Correlated Failure\n\n> **Principle:** things fail together.\n',
  'docs/laws/law2-async.md': '# Law 2: Asynchronous Reality ⏱️\n\n> **Principle:** you cannot tell slow from dead.\n',
  'docs/pillars/pillar1-work.md': '# Pillar 1: Distribution of Work\n\nSpread the work.\n',
};

/** Complete at `$0` in `docs/patterns/p.md`; returns the items and a function accepting one (the edited line). */
function check(page: string, extra: Record<string, string> = {}) {
  const f = fixture({ 'mkdocs.yml': 'site_name: T\nmarkdown_extensions:\n  - attr_list\n', ...LAWS, 'docs/patterns/other.md': '---\ntitle: Other\nstatus: complete\ncategory: data\n---\n# Other\n\n## Setup\n\n## Use {#use-it}\n', ...extra, 'docs/patterns/p.md': page });
  const c = f.cursor!;
  const text = f.files[c.file];
  const { items } = getCompletions(f.site, c.path, c.pos, text);
  const accept = (label: string) => {
    const item = items.find((i) => i.label === label);
    assert.ok(item, `'${label}' among ${items.map((i) => i.label).join(', ')}`);
    const line = text.split('\n')[c.pos.line];
    const e = item.edit;
    assert.equal(e.range.start.line, c.pos.line);
    return line.slice(0, e.range.start.character) + e.newText + line.slice(e.range.end.character);
  };
  return { items, accept, labels: items.map((i: Completion) => i.label) };
}

test('a concept list item gets a whole .md link by default, with the trailing emoji dropped from the title', () => {
  const { accept, items } = check('# P\n\n## Related Laws & Pillars\n\n- l2$0\n');
  assert.equal(accept('Law 2: Asynchronous Reality'), '- [Law 2: Asynchronous Reality](../laws/law2-async.md)');
  assert.equal(items.find((i) => i.label === 'Law 2: Asynchronous Reality')!.documentation, 'Principle: you cannot tell slow from dead.');
});

test('the link style follows the page: URL-relative', () => {
  const { accept } = check('# P\n\nSee [Other](../other/).\n\n- Law$0\n');
  assert.equal(accept('Law 1: Correlated Failure'), '- [Law 1: Correlated Failure](../../laws/law1-failure/)');
});

test('the link style follows the page: site-absolute, preferring the style of its concept links', () => {
  const { accept } = check('# P\n\nSee [Other](other.md) and [Law 1](/laws/law1-failure/).\n\n- Pillar$0\n');
  assert.equal(accept('Pillar 1: Distribution of Work'), '- [Pillar 1: Distribution of Work](/pillars/pillar1-work/)');
});

test('an empty line in a concept section inserts a list item', () => {
  const { accept } = check('# P\n\n## Related Laws\n\n$0\n');
  assert.equal(accept('Law 1: Correlated Failure'), '- [Law 1: Correlated Failure](../laws/law1-failure.md)');
});

test('plain prose outside a concept section offers nothing', () => {
  assert.deepEqual(check('# P\n\n## Level 1: Intuition\n\nSome text$0\n').labels, []);
  assert.deepEqual(check('# P\n\n- a list item$0\n').labels, []);
});

test('page completion after ]( and anchors after #', () => {
  const pages = check('# P\n\nSee [x]($0\n');
  assert.equal(pages.labels[0], 'Other', 'patterns first');
  assert.equal(pages.accept('Law 1: Correlated Failure'), 'See [x](../laws/law1-failure.md');
  const anchors = check('# P\n\nSee [x](other.md#$0)\n');
  assert.deepEqual(anchors.labels, ['other', 'setup', 'use-it']);
  assert.equal(anchors.accept('use-it'), 'See [x](other.md#use-it)');
  const own = check('# P\n\n## Mine\n\nSee [x](#$0)\n');
  assert.deepEqual(own.labels, ['p', 'mine']);
});

test('a typed leading slash asks for site-absolute URLs', () => {
  assert.equal(check('# P\n\nSee [x](/$0\n').accept('Other'), 'See [x](/patterns/other/');
});

test('frontmatter: value right after the colon gets its space', () => {
  const { accept } = check('---\ntitle: P\nstatus:$0\n---\n# P\n');
  assert.equal(accept('stub'), 'status: stub');
});

test('on a large catalog the page list is cut to the best matches and marked incomplete', () => {
  const many: Record<string, string> = {};
  for (let i = 0; i < 150; i++) many[`docs/patterns/p${i}.md`] = `# Pattern ${i}\n`;
  many['docs/patterns/gamma-ray.md'] = '# Gamma Ray\n';
  const f = fixture({ ...many, 'docs/patterns/here.md': '# Here\n\nSee [x](gam$0\n' });
  const c = f.cursor!;
  const all = getCompletions(f.site, c.path, c.pos, f.files[c.file]);
  assert.equal(all.isIncomplete, true);
  assert.ok(all.items.length <= PAGE_COMPLETION_LIMIT);
  assert.equal(all.items[0].label, 'Gamma Ray');
});
