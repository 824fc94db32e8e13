import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { fixSite } from '../../server/src/fixes/apply.ts';
import { parseMarkdown } from '../../server/src/parse/remark.ts';
import { loadSite } from '../../server/src/site/site.ts';
import { MemoryWorkspace, type Workspace } from '../../server/src/site/workspace.ts';
import { dedent, findings, makeSite, ROOT } from '../helpers/site.ts';
import { applyFix, fixesFor } from './helpers.ts';

const pat = (title: string, category: string, status = 'complete') =>
  `---\ntitle: ${title} Pattern\ndescription: What ${title} does, in one line\ntype: pattern\ncategory: ${category}\nstatus: ${status}\n---\n\n# ${title} Pattern\n\nText.\n`;

const PAGES: Record<string, string> = {
  'docs/index.md': '# Home\n',
  'docs/patterns/bulkhead.md': pat('Bulkhead', 'resilience'),
  'docs/patterns/circuit-breaker.md': pat('Circuit Breaker', 'resilience'),
  'docs/patterns/retry.md': pat('Retry', 'resilience'),
  'docs/patterns/cqrs.md': pat('CQRS', 'data'),
  'docs/patterns/sharding.md': pat('Sharding', 'data'),
  'docs/patterns/heartbeat.md': pat('Heartbeat', 'resilience'),
};

/** The whole index text after the preferred fix for `page`, and the fix's title. */
function fixed(files: Record<string, string>, page = 'docs/patterns/heartbeat.md', index = 'docs/patterns/index.md'): { title: string; text: string } {
  const site = makeSite(files);
  const found = fixesFor(site, files, 'not-in-index', page);
  assert.equal(found.length, 1, `one not-in-index finding on ${page}: ${findings(site, 'not-in-index').join('; ')}`);
  const fix = found[0].fixes.find((f) => f.isPreferred);
  assert.ok(fix, 'a preferred fix');
  const after = applyFix(files, fix);
  // Only the index page changes, and afterwards the page is listed.
  for (const k of Object.keys(files)) if (k !== index) assert.equal(after[k], files[k], `${k} unchanged`);
  assert.deepEqual(findings(makeSite(after), 'not-in-index').filter((f) => f.startsWith(page + ':')), []);
  return { title: fix.title, text: after[index] };
}

describe('not-in-index fix: a table row', () => {
  test('same cells as its neighbours: link in their style and text convention, category written as they write it, status from frontmatter; after its category', () => {
    const index = dedent(`
      ---
      title: Catalog
      ---

      # Catalog

      | Pattern | Category | Status | Notes |
      | --- | --- | --- | --- |
      | [Circuit Breaker](circuit-breaker.md) | Resilience | complete | the classic |
      | [Retry](retry.md) | Resilience | complete | with backoff |
      | [Bulkhead](bulkhead.md) | Resilience | complete | |
      | [Sharding](sharding.md) | Data | complete | |
      | [CQRS](cqrs.md) | Data | complete | |

      Text after the table.
    `);
    const r = fixed({ ...PAGES, 'docs/patterns/index.md': index });
    assert.equal(r.title, "Add 'Heartbeat' to the patterns index (patterns/index.md)");
    assert.equal(
      r.text,
      index.replace('| [Bulkhead](bulkhead.md) | Resilience | complete | |\n', '| [Bulkhead](bulkhead.md) | Resilience | complete | |\n| [Heartbeat](heartbeat.md) | Resilience | complete |  |\n'),
    );
  });

  test('a sorted table gets the row in alphabetical order; URL-style links stay URL-style; a title column and a description column are filled', () => {
    const index = dedent(`
      # Catalog

      | Name | Link | Description |
      |------|------|-------------|
      | **Bulkhead** | [→](bulkhead/) | What Bulkhead does, in one line |
      | **Circuit Breaker** | [→](circuit-breaker/) | What Circuit Breaker does, in one line |
      | **Retry** | [→](retry/) | What Retry does, in one line |
    `);
    const r = fixed({ ...PAGES, 'docs/patterns/index.md': index });
    assert.equal(
      r.text,
      index.replace('| **Retry** |', '| **Heartbeat** | [→](heartbeat/) | What Heartbeat does, in one line |\n| **Retry** |'),
    );
  });

  test('an aligned table stays aligned; a table without outer pipes keeps none; a file without a final newline', () => {
    const aligned = dedent(`
      | Pattern                               | Category   |
      | ------------------------------------- | ---------- |
      | [Bulkhead](bulkhead.md)               | resilience |
      | [Circuit Breaker](circuit-breaker.md) | resilience |
      | [Retry](retry.md)                     | resilience |
    `);
    assert.equal(
      fixed({ ...PAGES, 'docs/patterns/index.md': aligned }).text,
      aligned.replace('| [Retry]', '| [Heartbeat](heartbeat.md)             | resilience |\n| [Retry]'),
    );
    const bare = 'Pattern | Category\n--- | ---\n[Retry](retry.md) | resilience\n[Bulkhead](bulkhead.md) | resilience\n[Circuit Breaker](circuit-breaker.md) | resilience';
    assert.equal(fixed({ ...PAGES, 'docs/patterns/index.md': bare }).text, bare + '\n[Heartbeat](heartbeat.md) | resilience');
  });
});

describe('not-in-index fix: a list item', () => {
  test('the same marker and "[Title](x.md) - description" shape, at the end of an unsorted list (after its continuation lines)', () => {
    const index = dedent(`
      # Patterns

      * [Retry](retry.md) - When calls fail now and then
      * [Circuit Breaker](circuit-breaker.md) - When a dependency keeps failing
      * [Bulkhead](bulkhead.md) - When one path must not starve the others
        (see also the pool sizing guide)

      More text.
    `);
    const r = fixed({ ...PAGES, 'docs/patterns/index.md': index });
    assert.equal(r.text, index.replace('  (see also the pool sizing guide)\n', '  (see also the pool sizing guide)\n* [Heartbeat](heartbeat.md) - What Heartbeat does, in one line\n'));
  });

  test('the sub-section whose heading names the category, alphabetically when sorted; bold links keep their emphasis', () => {
    const index = dedent(`
      # Patterns

      ## Data patterns

      - **[CQRS](cqrs.md)**
      - **[Sharding](sharding.md)**

      ## Resilience patterns

      - **[Bulkhead](bulkhead.md)**
      - **[Circuit Breaker](circuit-breaker.md)**
      - **[Retry](retry.md)**
    `);
    const r = fixed({ ...PAGES, 'docs/patterns/index.md': index });
    assert.equal(r.text, index.replace('- **[Retry](retry.md)**', '- **[Heartbeat](heartbeat.md)**\n- **[Retry](retry.md)**'));
    // A data pattern goes to the data list.
    const files = { ...PAGES, 'docs/patterns/index.md': index, 'docs/patterns/outbox.md': pat('Outbox', 'data') };
    assert.equal(fixed(files, 'docs/patterns/outbox.md').text, index.replace('- **[Sharding](sharding.md)**', '- **[Outbox](outbox.md)**\n- **[Sharding](sharding.md)**'));
  });
});

describe('the row as an alternative on not-in-nav', () => {
  const mkdocs = 'site_name: T\nnav:\n  - Home: index.md\n  - Patterns:\n    - Catalog: patterns/index.md\n    - Retry: patterns/retry.md\n';
  const index = '# Catalog\n\n- [Retry](retry.md)\n- [Bulkhead](bulkhead.md)\n- [Circuit Breaker](circuit-breaker.md)\n';

  test('offered, not preferred, after the nav fixes when the index lacks the page too', () => {
    const files = { ...PAGES, 'mkdocs.yml': mkdocs, 'docs/patterns/index.md': index };
    const site = makeSite(files);
    const [{ fixes }] = fixesFor(site, files, 'not-in-nav', 'docs/patterns/heartbeat.md');
    const last = fixes[fixes.length - 1];
    assert.equal(fixes[0].isPreferred, true);
    assert.match(fixes[0].title, /to nav/);
    assert.equal(last.title, "Add 'Heartbeat' to the patterns index (patterns/index.md)");
    assert.equal(last.isPreferred, false);
    assert.equal(applyFix(files, last)['docs/patterns/index.md'], index + '- [Heartbeat](heartbeat.md)\n');
    // Bulkhead is listed in the index: its not-in-nav fixes are only nav fixes.
    const [{ fixes: listed }] = fixesFor(site, files, 'not-in-nav', 'docs/patterns/bulkhead.md');
    assert.ok(listed.length > 0);
    assert.ok(listed.every((f) => /to nav/.test(f.title)));
  });

  test('not offered when not-in-index is turned off', () => {
    const files = { ...PAGES, 'mkdocs.yml': mkdocs, 'docs/patterns/index.md': index, '.pattern-atlas.yml': 'rules:\n  not-in-index: off\n' };
    const [{ fixes }] = fixesFor(makeSite(files), files, 'not-in-nav', 'docs/patterns/heartbeat.md');
    assert.ok(fixes.every((f) => /to nav/.test(f.title)));
  });
});

test('fix all: rows for one place all land, ordered by their text, in one round', () => {
  const index = '# Catalog\n\n| Pattern |\n| --- |\n| [Retry](retry.md) |\n| [Sharding](sharding.md) |\n| [Bulkhead](bulkhead.md) |\n| [CQRS](cqrs.md) |\n';
  const files: Record<string, string> = { ...PAGES, 'docs/patterns/index.md': index, 'docs/patterns/outbox.md': pat('Outbox', 'data') };
  const abs = Object.fromEntries(Object.entries(files).map(([k, v]) => [`${ROOT}/${k}`, v]));
  abs[`${ROOT}/mkdocs.yml`] = 'site_name: T\n';
  const load = (ws: Workspace) => loadSite(ws, ROOT, { parse: parseMarkdown }).site!;
  const r = fixSite(new MemoryWorkspace(abs), load, { rules: ['not-in-index'] });
  assert.deepEqual(r.applied.map((a) => a.file).sort(), ['docs/patterns/circuit-breaker.md', 'docs/patterns/heartbeat.md', 'docs/patterns/outbox.md']);
  assert.equal(r.rounds, 1);
  // The rows of neither category are together: all three go to the end.
  assert.equal(r.files.get(`${ROOT}/docs/patterns/index.md`)?.after, index + '| [Circuit Breaker](circuit-breaker.md) |\n| [Heartbeat](heartbeat.md) |\n| [Outbox](outbox.md) |\n');
  assert.deepEqual([...r.files.keys()], [`${ROOT}/docs/patterns/index.md`]);
});

test('on random index pages (tables and lists, sorted or not, any link style), the fix adds one line and the page is then listed', () => {
  let seed = 12345;
  const r = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x80000000);
  const pick = <T,>(a: T[]): T => a[Math.floor(r() * a.length)];
  const names = Object.keys(PAGES).filter((k) => k.startsWith('docs/patterns/')).map((k) => k.slice('docs/patterns/'.length, -3));
  let checked = 0;
  for (let round = 0; round < 40; round++) {
    const listed = names.filter(() => r() < 0.8);
    if (listed.length < 4 || listed.length === names.length) continue;
    if (r() < 0.5) listed.sort();
    const style = pick([(n: string) => `${n}.md`, (n: string) => `${n}/`, (n: string) => `/patterns/${n}/`, (n: string) => `./${n}.md`]);
    const title = (n: string) => n.replace(/-/g, ' ').replace(/\b\w/g, (c) => c.toUpperCase());
    const marker = pick(['-', '*', '+', '1.']);
    const body =
      r() < 0.5
        ? ['| Pattern | Category | Note |', '|---|---|---|', ...listed.map((n) => `| [${title(n)}](${style(n)}) | ${PAGES[`docs/patterns/${n}.md`].match(/category: (\w+)/)![1]} | ${pick(['', 'x', 'a \\| b'])} |`)]
        : listed.map((n) => `${marker} **[${title(n)}](${style(n)})**${pick(['', ' - about it'])}`);
    const index = `# Index\n\n${body.join('\n')}\n${pick(['', '\nAfter.\n'])}`;
    const files = { ...PAGES, 'docs/patterns/index.md': index };
    const site = makeSite(files);
    const brokenBefore = findings(site, 'broken-link').length;
    for (const { finding, fixes } of fixesFor(site, files, 'not-in-index')) {
      const fix = fixes.find((f) => f.isPreferred)!;
      const after = applyFix(files, fix)['docs/patterns/index.md'];
      const before = index.split('\n');
      const added = after.split('\n');
      assert.equal(added.length, before.length + 1, `${finding.file}: one line more\n${after}`);
      const at = added.findIndex((l, i) => l !== before[i]);
      assert.deepEqual([...added.slice(0, at), ...added.slice(at + 1)], before, 'every other line stays');
      assert.equal(added[at].split(/(?<!\\)\|/).length, body[0].split(/(?<!\\)\|/).length, 'as many pipes as the first row');
      const fixed = makeSite({ ...files, 'docs/patterns/index.md': after });
      assert.ok(fixed.patternsIndex?.links.has(finding.data!.path as string), `${added[at]} links to ${finding.data!.path}`);
      assert.equal(findings(fixed, 'broken-link').length, brokenBefore);
      checked++;
    }
  }
  assert.ok(checked > 20, `only ${checked} fixes checked`);
});
