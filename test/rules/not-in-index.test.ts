import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dedent, findings, rawFindings } from '../helpers/site.ts';
import { at, catalog, patternPage } from './fixtures.ts';

const retry = patternPage({ title: 'Retry' });
const bulkhead = patternPage({ title: 'Bulkhead' });
const breaker = patternPage({ title: 'Circuit Breaker' });
const heartbeat = patternPage({ title: 'Heartbeat' });
const lease = patternPage({ title: 'Lease', status: 'stub' });

const PATTERNS = {
  'patterns/retry.md': retry,
  'patterns/bulkhead.md': bulkhead,
  'patterns/circuit-breaker.md': breaker,
  'patterns/heartbeat.md': heartbeat,
  'patterns/lease.md': lease,
};

const TABLE_INDEX = dedent(`
  # Patterns

  | Pattern | Category |
  | --- | --- |
  | [Retry](retry.md) | resilience |
  | [Bulkhead](bulkhead.md) | resilience |
  | [Circuit Breaker](circuit-breaker.md) | resilience |
`);

test('a table index page: the pattern it does not link to is reported at its title, with the index page', () => {
  const site = catalog({ ...PATTERNS, 'patterns/index.md': TABLE_INDEX });
  assert.equal(site.patternsIndex?.path, 'patterns/index.md');
  assert.equal(site.patternsIndex?.source, 'discovered');
  assert.deepEqual(findings(site, 'not-in-index'), [
    `docs/patterns/heartbeat.md:${at(heartbeat, '# Heartbeat')} not-in-index: 'Heartbeat' (patterns/heartbeat.md) is not listed on the patterns index page patterns/index.md`,
  ]);
  const [f] = rawFindings(site, 'not-in-index');
  assert.equal(f.severity, 'info');
  assert.deepEqual(f.data, { path: 'patterns/heartbeat.md', index: 'patterns/index.md' });
});

test('a list index page in another folder, with URL-style links; a stub is not expected there', () => {
  const index = dedent(`
    # Catalog

    - [Retry](../patterns/retry/) - try again
    - [Bulkhead](../patterns/bulkhead/) - isolate
    - [Heartbeat](/patterns/heartbeat/) - notice silence
  `);
  const site = catalog({ ...PATTERNS, 'catalog/index.md': index });
  assert.equal(site.patternsIndex?.path, 'catalog/index.md');
  assert.deepEqual(findings(site, 'not-in-index').map((f) => f.split(' ')[0]), [`docs/patterns/circuit-breaker.md:${at(breaker, '# Circuit Breaker')}`]);
});

test('no page links to at least half of the patterns (and to at least 3): there is no index and nothing is reported', () => {
  const partial = dedent(`
    # Start here

    Read [Retry](retry.md) and [Bulkhead](bulkhead.md).
  `);
  const few = catalog({ ...PATTERNS, 'patterns/index.md': partial });
  assert.equal(few.patternsIndex, undefined);
  assert.deepEqual(findings(few, 'not-in-index'), []);
  // Three links, but to fewer than half of eight patterns.
  const more = { ...PATTERNS, 'patterns/a.md': patternPage({ title: 'A' }), 'patterns/b.md': patternPage({ title: 'B' }), 'patterns/c.md': patternPage({ title: 'C' }) };
  const three = catalog({ ...more, 'patterns/index.md': TABLE_INDEX });
  assert.equal(three.patternsIndex, undefined);
  assert.deepEqual(findings(three, 'not-in-index'), []);
  // No index page at all.
  assert.deepEqual(findings(catalog(PATTERNS), 'not-in-index'), []);
});

test("the patterns folder's index.md wins over a page that links to more patterns", () => {
  const path = dedent(`
    # Learning path

    [Retry](../patterns/retry.md), [Bulkhead](../patterns/bulkhead.md), [Circuit Breaker](../patterns/circuit-breaker.md),
    [Heartbeat](../patterns/heartbeat.md).
  `);
  const site = catalog({ ...PATTERNS, 'patterns/index.md': TABLE_INDEX, 'learn/path.md': path });
  assert.equal(site.patternsIndex?.path, 'patterns/index.md');
  assert.deepEqual(findings(site, 'not-in-index').map((f) => f.split(':')[0]), ['docs/patterns/heartbeat.md']);
});

test('.pattern-atlas.yml patternsIndex names the page, even one discovery would not pick', () => {
  const overview = '# Overview\n\nOnly [Retry](patterns/retry.md) so far.\n';
  const site = catalog({ ...PATTERNS, 'patterns/index.md': TABLE_INDEX, 'overview.md': overview }, { atlas: 'patternsIndex: docs/overview.md\n' });
  assert.deepEqual(site.patternsIndex, { path: 'overview.md', links: new Set(['patterns/retry.md']), source: 'config' });
  assert.deepEqual(findings(site, 'not-in-index').map((f) => f.split(':')[0]), [
    'docs/patterns/bulkhead.md',
    'docs/patterns/circuit-breaker.md',
    'docs/patterns/heartbeat.md',
  ]);
  assert.deepEqual(findings(site, 'config-error'), []);
});

test('.pattern-atlas.yml patternsIndex: false turns the index off', () => {
  const site = catalog({ ...PATTERNS, 'patterns/index.md': TABLE_INDEX }, { atlas: 'patternsIndex: false\n' });
  assert.equal(site.patternsIndex, undefined);
  assert.deepEqual(findings(site, 'not-in-index'), []);
  assert.deepEqual(findings(site, 'config-error'), []);
});

test('.pattern-atlas.yml patternsIndex: a missing page or a wrong value is a config error where written', () => {
  const missing = catalog({ ...PATTERNS, 'patterns/index.md': TABLE_INDEX }, { atlas: 'minWords: 100\npatternsIndex: docs/patterns/idx.md\n' });
  assert.equal(missing.patternsIndex, undefined);
  assert.deepEqual(findings(missing, 'not-in-index'), []);
  assert.deepEqual(findings(missing, 'config-error'), [".pattern-atlas.yml:2:16 config-error: 'patternsIndex': docs/patterns/idx.md is not a page of this site (under docs/)"]);
  const wrong = catalog({ ...PATTERNS, 'patterns/index.md': TABLE_INDEX }, { atlas: 'patternsIndex: true\n' });
  assert.deepEqual(findings(wrong, 'config-error'), [".pattern-atlas.yml:1:16 config-error: 'patternsIndex' must be the path of a page (e.g. docs/patterns/index.md) or false"]);
  // A wrong value leaves discovery on.
  assert.equal(wrong.patternsIndex?.path, 'patterns/index.md');
});

test('the index page itself is not reported, even when it is typed as a pattern; the rule can be turned off', () => {
  const typed = `---\ntype: pattern\n---\n\n${TABLE_INDEX}`;
  const site = catalog({ ...PATTERNS, 'patterns/index.md': typed });
  assert.equal(site.patternsIndex?.path, 'patterns/index.md');
  assert.deepEqual(findings(site, 'not-in-index').map((f) => f.split(':')[0]), ['docs/patterns/heartbeat.md']);
  const off = catalog({ ...PATTERNS, 'patterns/index.md': TABLE_INDEX }, { atlas: 'rules:\n  not-in-index: off\n' });
  assert.deepEqual(findings(off, 'not-in-index'), []);
});
