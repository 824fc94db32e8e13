import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dedent, findings, rawFindings } from '../helpers/site.ts';
import { at, catalog, patternPage } from './fixtures.ts';

test('a pattern without a Mermaid diagram is reported at its H1', () => {
  const page = patternPage({ title: 'Retry', diagram: false });
  const site = catalog({ 'patterns/retry.md': page, 'patterns/circuit-breaker.md': patternPage() });
  assert.deepEqual(findings(site, 'missing-diagram'), [`docs/patterns/retry.md:${at(page, '# Retry')} missing-diagram: 'Retry' has no Mermaid diagram`]);
  assert.equal(rawFindings(site, 'missing-diagram')[0].severity, 'info');
});

test('a Mermaid fence counts wherever MkDocs renders it: tilde fences, admonitions, content tabs, attribute-list info strings', () => {
  const diagram = (fence: string) => `${fence}\ngraph LR\n  Open --> HalfOpen\n${fence.replace(/[^`~].*$/, '')}`;
  const site = catalog({
    'patterns/a.md': patternPage({ title: 'A', diagram: false, tail: diagram('~~~mermaid') }),
    'patterns/b.md': patternPage({ title: 'B', diagram: false, tail: '!!! example "States"\n\n    ```mermaid\n    stateDiagram-v2\n      Closed --> Open\n    ```' }),
    'patterns/c.md': patternPage({ title: 'C', diagram: false, tail: '=== "Diagram"\n\n    ```mermaid\n    graph TD\n      A --> B\n    ```' }),
    'patterns/d.md': patternPage({ title: 'D', diagram: false, tail: diagram('``` { .mermaid }') }),
  });
  assert.deepEqual(findings(site, 'missing-diagram'), []);
});

test('a diagram in another language, or hidden in an HTML comment, is not a Mermaid diagram', () => {
  const text = patternPage({ title: 'Text', diagram: false, tail: '```text\ngraph LR\n  A --> B\n```' });
  const hidden = patternPage({
    title: 'Hidden',
    diagram: false,
    tail: dedent(`
      <!--
      \`\`\`mermaid
      graph LR
        A --> B
      \`\`\`
      -->
    `),
  });
  const site = catalog({ 'patterns/text.md': text, 'patterns/hidden.md': hidden });
  assert.deepEqual(findings(site, 'missing-diagram'), [
    `docs/patterns/hidden.md:${at(hidden, '# Hidden')} missing-diagram: 'Hidden' has no Mermaid diagram`,
    `docs/patterns/text.md:${at(text, '# Text')} missing-diagram: 'Text' has no Mermaid diagram`,
  ]);
});

test('stubs and pages that are not patterns need no diagram', () => {
  const site = catalog({
    'patterns/lease.md': patternPage({ title: 'Lease', status: 'stub', diagram: false }),
    'patterns/index.md': '# Patterns\n\nAll the patterns.\n',
    'laws/law1-failure.md': '# Law 1: Correlated Failure\n\nFailures cluster.\n',
  });
  assert.deepEqual(findings(site, 'missing-diagram'), []);
});
