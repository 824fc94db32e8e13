import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dedent, findings, rawFindings } from '../helpers/site.ts';
import { at, catalog, conceptPage, patternPage } from './fixtures.ts';

const NAV = dedent(`
  site_name: Test
  nav:
    - Home: index.md
    - Laws:
      - laws/law1-failure.md
    - Patterns:
      - Overview: patterns/index.md
      - Retry: patterns/retry.md
`);

test('patterns and Laws missing from the nav are reported at their title; other pages are not', () => {
  const cb = patternPage({ title: 'Circuit Breaker' });
  const site = catalog(
    {
      'index.md': '# Home\n',
      'laws/law1-failure.md': conceptPage('Law 1: Correlated Failure'),
      'laws/law2-async.md': conceptPage('Law 2: Asynchronous Reality'),
      'patterns/index.md': '# Patterns\n',
      'patterns/retry.md': patternPage({ title: 'Retry' }),
      'patterns/circuit-breaker.md': cb,
      // Not catalog pages: a glossary, an all-caps report, a folder index.
      'reference/glossary.md': '# Glossary\n',
      'patterns/REPORT.md': '# Pattern report\n',
      'patterns/data/index.md': '# Data patterns\n',
    },
    { mkdocs: NAV },
  );
  assert.deepEqual(findings(site, 'not-in-nav'), [
    "docs/laws/law2-async.md:1:1 not-in-nav: 'Law 2: Asynchronous Reality' (laws/law2-async.md) is not in the nav of mkdocs.yml",
    `docs/patterns/circuit-breaker.md:${at(cb, '# Circuit Breaker')} not-in-nav: 'Circuit Breaker' (patterns/circuit-breaker.md) is not in the nav of mkdocs.yml`,
  ]);
  assert.equal(rawFindings(site, 'not-in-nav')[0].severity, 'warning');
});

test('without a nav, MkDocs lists every page: nothing is reported', () => {
  const site = catalog({
    'patterns/retry.md': patternPage({ title: 'Retry' }),
    'laws/law2-async.md': conceptPage('Law 2: Asynchronous Reality'),
  });
  assert.deepEqual(findings(site, 'not-in-nav'), []);
});

test('a nav entry with a #anchor does not list its page', () => {
  const site = catalog(
    { 'patterns/retry.md': patternPage({ title: 'Retry' }) },
    { mkdocs: 'site_name: Test\nnav:\n  - Retry: patterns/retry.md#backoff\n' },
  );
  assert.deepEqual(findings(site, 'not-in-nav').map((f) => f.split(' not-in-nav')[0]), [`docs/patterns/retry.md:${at(patternPage({ title: 'Retry' }), '# Retry')}`]);
});

test('a page typed `type: pattern` outside the patterns folder is a catalog page; the report falls back to its title', () => {
  const sidecar = dedent(`
    ---
    title: Sidecar
    type: pattern
    ---

    Deploy a helper process next to every service instance.
  `);
  const site = catalog({ 'index.md': '# Home\n', 'reference/sidecar.md': sidecar }, { mkdocs: 'site_name: Test\nnav:\n  - index.md\n' });
  // No H1: the finding sits on the frontmatter title's value.
  assert.deepEqual(findings(site, 'not-in-nav'), [
    "docs/reference/sidecar.md:2:8 not-in-nav: 'Sidecar' (reference/sidecar.md) is not in the nav of mkdocs.yml",
  ]);
});

test("pages matched by mkdocs.yml's not_in_nav are meant to be left out of the nav", () => {
  // MkDocs 1.6: `not_in_nav` lists pages that are deliberately not in the nav; it does not warn about them.
  const site = catalog(
    {
      'index.md': '# Home\n',
      'patterns/lease.md': patternPage({ title: 'Lease' }),
      'patterns/drafts/gossip.md': patternPage({ title: 'Gossip' }),
    },
    { mkdocs: 'site_name: Test\nnav:\n  - index.md\nnot_in_nav: |\n  /patterns/lease.md\n  drafts/\n' },
  );
  assert.deepEqual(findings(site, 'not-in-nav'), []);
});
