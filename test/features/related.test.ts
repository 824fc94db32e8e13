import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeSite } from '../helpers/site.ts';
import { getRelated } from '../../server/src/features/related.ts';
import { LiveSite } from '../../server/src/features/live-site.ts';
import { parseMarkdown } from '../../server/src/parse/remark.ts';

const pattern = (title: string, status: string, body: string) => `---\ntitle: ${title}\nstatus: ${status}\n---\n\n# ${title}\n\n${body}\n`;

const FILES = {
  'docs/index.md': '# Home\n\nStart with [Retry](patterns/retry.md).\n',
  'docs/laws/law1-failure.md': '# Law 1: Correlated Failure\n\nThings fail together. See [Retry](../patterns/retry.md).\n',
  'docs/laws/law3/index.md': '# Law 3: Emergent Chaos\n\nStorms.\n',
  'docs/laws/law3/examples.md': '# Examples of emergent chaos\n\nRetry storms.\n',
  'docs/pillars/pillar1-work.md': '# Pillar 1: Distribution of Work\n\nSplitting work.\n',
  'docs/patterns/retry.md': pattern(
    'Retry',
    'complete',
    [
      'Pair with [Circuit Breaker](circuit-breaker.md) and [Bulkhead](bulkhead.md#why).',
      'Again [the breaker](circuit-breaker.md), [myself](#top), [a typo](circuit-braker.md), [external](https://example.com/x).',
      'Cites [Law 1](../laws/law1-failure.md), [storms](../laws/law3/examples.md) and [Pillar 1](../pillars/pillar1-work.md).',
      'The [glossary](../glossary.md).',
    ].join('\n'),
  ),
  'docs/patterns/circuit-breaker.md': pattern('Circuit Breaker', 'partial', 'Complements [Retry](retry.md).'),
  'docs/patterns/bulkhead.md': pattern('Bulkhead', 'stub', 'TODO.'),
  'docs/patterns/timeout.md': pattern('Timeout', 'complete', 'Bound every [retry](retry.md) with a timeout.'),
  'docs/glossary.md': '# Glossary\n\nTerms.\n',
};

test('outgoing links, backlinks and cited concepts of a pattern, from the LiveSite reverse index', () => {
  const site = makeSite(FILES);
  const live = LiveSite.fromSite(site, parseMarkdown);
  const r = getRelated(site, 'patterns/retry.md', (p) => live.linkedFrom(p));
  assert.ok(r);
  assert.deepEqual(r.center, { path: 'docs/patterns/retry.md', abs: '/site/docs/patterns/retry.md', title: 'Retry', kind: 'pattern', status: 'complete' });
  assert.deepEqual(
    r.nodes.map((n) => [n.path, n.title, n.kind, n.status]),
    [
      ['docs/laws/law1-failure.md', 'Law 1: Correlated Failure', 'law', undefined],
      ['docs/laws/law3/index.md', 'Law 3: Emergent Chaos', 'law', undefined],
      ['docs/pillars/pillar1-work.md', 'Pillar 1: Distribution of Work', 'pillar', undefined],
      ['docs/patterns/bulkhead.md', 'Bulkhead', 'pattern', 'stub'],
      ['docs/patterns/circuit-breaker.md', 'Circuit Breaker', 'pattern', 'partial'],
      ['docs/patterns/timeout.md', 'Timeout', 'pattern', 'complete'],
      ['docs/glossary.md', 'Glossary', 'page', undefined],
      ['docs/index.md', 'Home', 'page', undefined],
    ],
  );
  const C = 'docs/patterns/retry.md';
  assert.deepEqual(r.edges, [
    { from: C, to: 'docs/laws/law1-failure.md', kind: 'cites' },
    { from: C, to: 'docs/laws/law3/index.md', kind: 'cites' },
    { from: C, to: 'docs/pillars/pillar1-work.md', kind: 'cites' },
    { from: C, to: 'docs/patterns/bulkhead.md', kind: 'links-to' },
    { from: C, to: 'docs/patterns/circuit-breaker.md', kind: 'links-to' },
    { from: C, to: 'docs/glossary.md', kind: 'links-to' },
    { from: 'docs/laws/law1-failure.md', to: C, kind: 'linked-from' },
    { from: 'docs/patterns/circuit-breaker.md', to: C, kind: 'linked-from' },
    { from: 'docs/patterns/timeout.md', to: C, kind: 'linked-from' },
    { from: 'docs/index.md', to: C, kind: 'linked-from' },
  ]);
});

test('a page with no links has an empty neighbourhood; an unknown path gives undefined; self-backlinks are dropped', () => {
  const site = makeSite(FILES);
  const r = getRelated(site, 'glossary.md', () => ['glossary.md']);
  assert.deepEqual(r && { center: r.center.kind, nodes: r.nodes, edges: r.edges }, { center: 'page', nodes: [], edges: [] });
  assert.equal(getRelated(site, 'nope.md', () => []), undefined);
  // Backlinks to a page that is not in the site are ignored.
  assert.deepEqual(getRelated(site, 'patterns/bulkhead.md', () => ['gone.md'])?.nodes, []);
});

test('a concept page is the center with its own kind', () => {
  const site = makeSite(FILES);
  const live = LiveSite.fromSite(site, parseMarkdown);
  const r = getRelated(site, 'laws/law1-failure.md', (p) => live.linkedFrom(p))!;
  assert.equal(r.center.kind, 'law');
  assert.equal(r.center.title, 'Law 1: Correlated Failure');
  assert.deepEqual(r.edges.map((e) => e.kind), ['links-to', 'linked-from']);
});
