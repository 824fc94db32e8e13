import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findings, rawFindings } from '../helpers/site.ts';
import { at, catalog, conceptPage, patternPage } from './fixtures.ts';

const CONCEPTS = {
  'laws/law1-failure.md': conceptPage('Law 1: Correlated Failure'),
  'laws/law2-async.md': conceptPage('Law 2: Asynchronous Reality ⏳'),
  'pillars/pillar1-work.md': '---\ntitle: "Pillar 1: Distribution of Work"\n---\n\n# Work\n\nSplitting work across nodes.\n',
};

test('a pattern citing no Law and no Pillar gets one finding per kind, at its H1', () => {
  const page = patternPage({ title: 'Bulkhead' });
  const site = catalog({ ...CONCEPTS, 'patterns/bulkhead.md': page });
  assert.deepEqual(findings(site, 'missing-concept-links'), [
    `docs/patterns/bulkhead.md:${at(page, '# Bulkhead')} missing-concept-links: 'Bulkhead' cites no Law: link at least one Law page`,
    `docs/patterns/bulkhead.md:${at(page, '# Bulkhead')} missing-concept-links: 'Bulkhead' cites no Pillar: link at least one Pillar page`,
  ]);
  const [f] = rawFindings(site, 'missing-concept-links');
  assert.equal(f.severity, 'info');
  assert.deepEqual(f.data, { kind: 'law' });
});

test('any working link to a concept page counts: source, URL, reference and raw HTML links', () => {
  const site = catalog({
    ...CONCEPTS,
    'patterns/a.md': patternPage({ title: 'A', tail: '- [Law 1: Correlated Failure](../laws/law1-failure.md)\n- [Pillar 1](../../pillars/pillar1-work/)' }),
    'patterns/b.md': patternPage({ title: 'B', tail: 'See [the async law][async] and <a href="/pillars/pillar1-work/">work</a>.\n\n[async]: ../laws/law2-async.md' }),
  });
  assert.deepEqual(findings(site, 'missing-concept-links'), []);
});

test("a page inside a concept's folder cites that concept", () => {
  const site = catalog({
    'laws/law3/index.md': conceptPage('Law 3: Emergent Chaos'),
    'laws/law3/examples.md': '# Examples of emergent chaos\n\nRetry storms.\n',
    'patterns/retry.md': patternPage({ title: 'Retry', tail: 'Retry storms are [emergent chaos](../laws/law3/examples.md).' }),
  });
  assert.deepEqual(findings(site, 'missing-concept-links'), []);
});

test('broken links and links in comments do not cite anything', () => {
  const page = patternPage({
    title: 'Retry',
    tail: '- [Law 1](../laws/law1-failures.md)\n- [Law 2](law2-async/)\n<!-- [Law 2](../laws/law2-async.md) -->',
  });
  const site = catalog({ 'laws/law1-failure.md': CONCEPTS['laws/law1-failure.md'], 'laws/law2-async.md': CONCEPTS['laws/law2-async.md'], 'patterns/retry.md': page });
  assert.deepEqual(findings(site, 'missing-concept-links'), [
    `docs/patterns/retry.md:${at(page, '# Retry')} missing-concept-links: 'Retry' cites no Law: link at least one Law page`,
  ]);
});

test('a kind the catalog does not have is not asked for; configured kinds replace Law and Pillar', () => {
  const lawsOnly = catalog({ 'laws/law1-failure.md': CONCEPTS['laws/law1-failure.md'], 'patterns/retry.md': patternPage({ title: 'Retry', tail: '[Law 1](../laws/law1-failure.md)' }) });
  assert.deepEqual(findings(lawsOnly, 'missing-concept-links'), []);

  const page = patternPage({ title: 'Retry', tail: '[Law 1](../laws/law1-failure.md)' });
  const principles = catalog(
    { 'laws/law1-failure.md': CONCEPTS['laws/law1-failure.md'], 'principles/p1.md': conceptPage('Principle 1: Fail Fast'), 'patterns/retry.md': page },
    { atlas: 'concepts:\n  - {kind: principle, label: Principle}\n' },
  );
  assert.deepEqual(findings(principles, 'missing-concept-links'), [
    `docs/patterns/retry.md:${at(page, '# Retry')} missing-concept-links: 'Retry' cites no Principle: link at least one Principle page`,
  ]);
});

test('stubs and pages that are not patterns are not asked to cite concepts', () => {
  const site = catalog({
    ...CONCEPTS,
    'patterns/lease.md': patternPage({ title: 'Lease', status: 'stub' }),
    'patterns/index.md': '# Patterns\n',
  });
  assert.deepEqual(findings(site, 'missing-concept-links'), []);
});
