import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dedent, findings, rawFindings } from '../helpers/site.ts';
import { at, catalog, patternPage, prose } from './fixtures.ts';

test('a pattern with less prose than minWords (default 500) is reported at its H1 with its count', () => {
  // 400 words of prose, the title (2) and the headings (18).
  const page = patternPage({ title: 'Circuit Breaker', words: 400 });
  const site = catalog({ 'patterns/circuit-breaker.md': page, 'patterns/retry.md': patternPage({ title: 'Retry', words: 500 }) });
  assert.deepEqual(findings(site, 'too-short'), [
    `docs/patterns/circuit-breaker.md:${at(page, '# Circuit Breaker')} too-short: 'Circuit Breaker' has 420 words of prose; the minimum is 500`,
  ]);
  const [f] = rawFindings(site, 'too-short');
  assert.equal(f.severity, 'info');
  assert.deepEqual(f.data, { words: 420, minWords: 500 });
});

test('frontmatter, code, diagrams and HTML comments are not prose', () => {
  const page = dedent(`
    ---
    title: Retry
    description: Retry a failed call after a growing delay, a bounded number of times
    type: pattern
    status: partial
    ---

    # Retry

    Retry failed calls with exponential backoff and jitter.

    <!-- Long editorial note that should not count towards the prose of the page at all. -->

    \`\`\`python
    for attempt in range(5):
        delay = base * 2 ** attempt
    \`\`\`

    \`\`\`mermaid
    graph LR
      Call --> Fail --> Wait --> Call
    \`\`\`
  `);
  const site = catalog({ 'patterns/retry.md': page }, { atlas: 'minWords: 20\n' });
  // "Retry" (H1) + 8 words of the paragraph.
  assert.deepEqual(findings(site, 'too-short'), [`docs/patterns/retry.md:8:1 too-short: 'Retry' has 9 words of prose; the minimum is 20`]);
});

test('minWords in .pattern-atlas.yml sets the bar', () => {
  const site = catalog({ 'patterns/retry.md': patternPage({ title: 'Retry', words: 100 }) }, { atlas: 'minWords: 100\n' });
  assert.deepEqual(findings(site, 'too-short'), []);
  const site0 = catalog({ 'patterns/retry.md': patternPage({ title: 'Retry', words: 0 }) }, { atlas: 'minWords: 0\n' });
  assert.deepEqual(findings(site0, 'too-short'), []);
});

test('stubs and pages that are not patterns are not measured', () => {
  const site = catalog({
    'patterns/lease.md': patternPage({ title: 'Lease', status: 'stub', words: 10 }),
    'patterns/index.md': `# Patterns\n\n${prose(12)}\n`,
    'reference/glossary.md': '# Glossary\n\nShort.\n',
  });
  assert.deepEqual(findings(site, 'too-short'), []);
});
