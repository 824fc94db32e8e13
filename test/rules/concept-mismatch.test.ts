import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dedent, findings, rawFindings } from '../helpers/site.ts';
import { catalog, conceptPage } from './fixtures.ts';

const CONCEPTS = {
  'laws/law1-failure.md': conceptPage('Law 1: Correlated Failure'),
  'laws/law2-async.md': conceptPage('Law 2: Asynchronous Reality ⏳'),
  'laws/law3/index.md': conceptPage('Law 3: Emergent Chaos'),
  'laws/law3/examples.md': '# Examples of emergent chaos\n',
  'pillars/pillar1-work.md': conceptPage('Pillar 1: Distribution of Work'),
  'reference/glossary.md': '# Glossary\n',
};

test('link text naming one Law but pointing at another is reported on the whole link', () => {
  const site = catalog({
    ...CONCEPTS,
    'patterns/retry.md': dedent(`
      # Retry

      Retries are shaped by [Law 2: Asynchronous Reality](../laws/law1-failure.md).
    `),
  });
  assert.deepEqual(findings(site, 'concept-mismatch'), [
    "docs/patterns/retry.md:3:23 concept-mismatch: Link text says 'Law 2: Asynchronous Reality' but the link goes to Law 1: Correlated Failure (laws/law1-failure.md); Law 2: Asynchronous Reality is laws/law2-async.md",
  ]);
  const [f] = rawFindings(site, 'concept-mismatch');
  assert.equal(f.severity, 'warning');
  assert.deepEqual(f.range, { start: { line: 2, character: 22 }, end: { line: 2, character: 76 } });
  assert.deepEqual(f.data, { target: '../laws/law1-failure.md', expected: 'laws/law2-async.md', actual: 'laws/law1-failure.md' });
});

test('a Law number the catalog does not have is reported', () => {
  const site = catalog({ ...CONCEPTS, 'index.md': '# Home\n\nSee [Law 9](laws/law9.md).\n' });
  assert.deepEqual(findings(site, 'concept-mismatch'), ["docs/index.md:3:5 concept-mismatch: 'Law 9' does not exist: the catalog has Laws 1-3"]);
});

test('matching links are fine: by number alone, any case, by URL, into the concept folder, and through references', () => {
  const site = catalog({
    ...CONCEPTS,
    'index.md': dedent(`
      # Home

      - [Law 1](laws/law1-failure.md) and [the law 2 page](laws/law2-async/)
      - [LAW 3 in practice](laws/law3/examples.md) and [Pillar 1][work]
      - <a href="pillars/pillar1-work/">Pillar 1</a>

      [work]: pillars/pillar1-work.md
    `),
  });
  assert.deepEqual(findings(site, 'concept-mismatch'), []);
});

test('mismatches are found in reference links, raw HTML and on pages that are not patterns; Pillars too', () => {
  const site = catalog({
    ...CONCEPTS,
    'index.md': dedent(`
      # Home

      The [Law 3][l1] page.
      <a href="laws/law2-async/">Law 1</a>
      [Pillar 1](laws/law3/examples.md)

      [l1]: laws/law1-failure.md
    `),
  });
  assert.deepEqual(findings(site, 'concept-mismatch'), [
    "docs/index.md:3:5 concept-mismatch: Link text says 'Law 3: Emergent Chaos' but the link goes to Law 1: Correlated Failure (laws/law1-failure.md); Law 3: Emergent Chaos is laws/law3/index.md",
    "docs/index.md:4:1 concept-mismatch: Link text says 'Law 1: Correlated Failure' but the link goes to Law 2: Asynchronous Reality (laws/law2-async.md); Law 1: Correlated Failure is laws/law1-failure.md",
    "docs/index.md:5:1 concept-mismatch: Link text says 'Pillar 1: Distribution of Work' but the link goes to Law 3: Emergent Chaos (laws/law3/examples.md); Pillar 1: Distribution of Work is pillars/pillar1-work.md",
  ]);
});

test('links to pages that are not concepts, broken links, images and words like "Lawful" are left alone', () => {
  const site = catalog({
    ...CONCEPTS,
    'index.md': dedent(`
      # Home

      [Law 1 terms](reference/glossary.md) [Law 2](laws/law2.md) ![Law 1](img/law1.png)
      [Lawful 2 things](laws/law1-failure.md) [Pillars 1 and 2](laws/law1-failure.md)
    `),
  });
  assert.deepEqual(findings(site, 'concept-mismatch'), []);
});

test('without any Pillar pages, "Pillar 4" is not judged', () => {
  const site = catalog({ 'laws/law1-failure.md': CONCEPTS['laws/law1-failure.md'], 'index.md': '# Home\n\n[Pillar 4](laws/law1-failure.md)\n' });
  assert.deepEqual(findings(site, 'concept-mismatch'), []);
});
