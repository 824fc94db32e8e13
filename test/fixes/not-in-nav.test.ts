import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { lineChanges } from '../../server/src/fixes/diff.ts';
import { dedent, makeSite } from '../helpers/site.ts';
import { applyFix, fixesFor } from './helpers.ts';

const MKDOCS = dedent(`
  # Site configuration
  site_name: "Pattern Catalog"   # quoted on purpose
  theme:
    name: material
  markdown_extensions:
    - pymdownx.emoji:
        emoji_index: !!python/name:material.extensions.emoji.twemoji
        emoji_generator: !!python/name:material.extensions.emoji.to_svg
  extra:
    analytics:
      property: !ENV [GOOGLE_ANALYTICS_KEY, '']

  nav:
    - Home: index.md

    # The catalog
    - Patterns:
      - Overview: patterns/index.md
      - Resilience Patterns:
        - Bulkhead: patterns/bulkhead.md
        - Circuit Breaker: patterns/circuit-breaker.md   # the classic
        - Retry: 'patterns/retry.md'

      - Data Patterns:
        - Sharding: patterns/sharding.md
        - CQRS: patterns/cqrs.md
    - About: about.md

  plugins:
    - search
`);

const pat = (title: string, category: string) => `---\ntitle: ${title}\ncategory: ${category}\ntype: pattern\n---\n\n# ${title}\n\nText.\n`;

const FILES: Record<string, string> = {
  'mkdocs.yml': MKDOCS,
  'docs/index.md': '# Home\n',
  'docs/about.md': '# About\n',
  'docs/patterns/index.md': '# Patterns\n',
  'docs/patterns/bulkhead.md': pat('Bulkhead', 'resilience'),
  'docs/patterns/circuit-breaker.md': pat('Circuit Breaker', 'resilience'),
  'docs/patterns/retry.md': pat('Retry', 'resilience'),
  'docs/patterns/sharding.md': pat('Sharding', 'data'),
  'docs/patterns/cqrs.md': pat('CQRS', 'data'),
  'docs/patterns/heartbeat.md': pat('Heartbeat Pattern', 'resilience'),
  'docs/patterns/event-sourcing.md': pat('Event Sourcing', 'data'),
};

describe('not-in-nav fix', () => {
  test('adds one line in the sorted section of the same category, alphabetically, keeping everything else', () => {
    const site = makeSite(FILES);
    const [{ fixes }] = fixesFor(site, FILES, 'not-in-nav', 'docs/patterns/heartbeat.md');
    assert.equal(fixes[0].title, "Add 'Heartbeat' to nav under Patterns › Resilience Patterns");
    assert.equal(fixes[0].isPreferred, true);
    // Alternatives: the other sections with pages of the same folder.
    assert.deepEqual(
      fixes.slice(1).map((f) => f.title),
      ["Add 'Heartbeat' to nav under Patterns › Data Patterns", "Add 'Heartbeat' to nav under Patterns"],
    );
    const after = applyFix(FILES, fixes[0])['mkdocs.yml'];
    assert.equal(
      after,
      MKDOCS.replace("      - Retry: 'patterns/retry.md'\n", "      - Heartbeat: patterns/heartbeat.md\n      - Retry: 'patterns/retry.md'\n"),
    );
    assert.deepEqual(lineChanges(MKDOCS, after), { removed: [], added: ['      - Heartbeat: patterns/heartbeat.md'] });
    // The page is now in the nav, and nothing new is reported.
    const fixed = makeSite({ ...FILES, 'mkdocs.yml': after });
    assert.deepEqual(fixesFor(fixed, FILES, 'not-in-nav', 'docs/patterns/heartbeat.md'), []);
    assert.equal(fixed.mkdocs.problems.length, 0);
  });

  test('an unsorted section gets the line at its end, before the blank line and the next section', () => {
    const site = makeSite(FILES);
    const [{ fixes }] = fixesFor(site, FILES, 'not-in-nav', 'docs/patterns/event-sourcing.md');
    assert.equal(fixes[0].title, "Add 'Event Sourcing' to nav under Patterns › Data Patterns");
    const after = applyFix(FILES, fixes[0])['mkdocs.yml'];
    assert.equal(after, MKDOCS.replace('      - CQRS: patterns/cqrs.md\n', '      - CQRS: patterns/cqrs.md\n      - Event Sourcing: patterns/event-sourcing.md\n'));
    assert.deepEqual(lineChanges(MKDOCS, after), { removed: [], added: ['      - Event Sourcing: patterns/event-sourcing.md'] });
  });

  test('bare entries stay bare; a title that needs quoting is quoted; a file without final newline', () => {
    const yml = 'site_name: x\nnav:\n  - index.md\n  - patterns/a.md';
    const files = {
      'mkdocs.yml': yml,
      'docs/index.md': '# Home\n',
      'docs/patterns/a.md': pat('A', 'x'),
      'docs/patterns/b.md': pat('"Quoted": B', 'x'),
    };
    const site = makeSite(files);
    const [{ fixes }] = fixesFor(site, files, 'not-in-nav');
    assert.equal(fixes[0].title, `Add '"Quoted": B' to nav at the top level`);
    assert.equal(applyFix(files, fixes[0])['mkdocs.yml'], 'site_name: x\nnav:\n  - index.md\n  - patterns/a.md\n  - patterns/b.md');
    const titled = { ...files, 'mkdocs.yml': 'nav:\n- Home: index.md\n- A: patterns/a.md\n' };
    const [{ fixes: f2 }] = fixesFor(makeSite(titled), titled, 'not-in-nav');
    assert.equal(applyFix(titled, f2[0])['mkdocs.yml'], 'nav:\n- Home: index.md\n- A: patterns/a.md\n- "\\"Quoted\\": B": patterns/b.md\n');
  });
});
