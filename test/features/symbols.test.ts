import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getDocumentSymbols, getWorkspaceSymbols, matchTier, type DocumentSymbol } from '../../server/src/features/symbols.ts';
import { dedent, makeSite } from '../helpers/site.ts';
import { fixture, fmtRange } from './fixture.ts';

/** The outline as indented text: `name [kind] range`. */
function render(symbols: DocumentSymbol[], indent = ''): string {
  return symbols
    .map((s) => {
      const head = `${indent}${s.name} [${s.kind}${s.detail ? ': ' + s.detail : ''}] ${fmtRange(s.range)} sel ${fmtRange(s.selectionRange)}`;
      return s.children.length ? head + '\n' + render(s.children, indent + '  ') : head;
    })
    .join('\n');
}

const PATTERN = dedent(`
  ---
  title: Circuit Breaker
  status: complete
  ---

  # Circuit Breaker

  Stops calling a failing dependency.

  ## Level 1: Intuition

  \`\`\`mermaid
  %% comment
  stateDiagram-v2
    Closed --> Open
  \`\`\`

  ### A smaller part

  Text.


  ## Level 2: Foundation

  Foundation text.

  \`\`\`python
  print("not a diagram")
  \`\`\`
`);

test('document symbols: nested Level sections, frontmatter and diagrams in their section', () => {
  const f = fixture({ 'docs/patterns/cb.md': PATTERN });
  const text = f.files['docs/patterns/cb.md'];
  assert.equal(
    render(getDocumentSymbols(f.site, 'patterns/cb.md', text)),
    dedent(`
      Frontmatter [frontmatter: Circuit Breaker] 0:0-3:3 sel 0:0-3
      Circuit Breaker [heading] 5:0-28:3 sel 5:0-17
        Level 1: Intuition [heading] 9:0-19:5 sel 9:0-21
          Mermaid diagram [diagram: stateDiagram-v2] 11:0-15:3 sel 11:0-10
          A smaller part [heading] 17:0-19:5 sel 17:0-18
        Level 2: Foundation [heading] 22:0-28:3 sel 22:0-22`),
  );
});

test('document symbols without the text end sections where the next one starts', () => {
  const f = fixture({ 'docs/patterns/cb.md': PATTERN });
  const [, h1] = getDocumentSymbols(f.site, 'patterns/cb.md');
  assert.equal(fmtRange(h1.children[0].range), '9:0-22:0');
  assert.equal(fmtRange(h1.children[0].children[1].range), '17:0-22:0');
  // Every selection range lies inside its range (LSP clients reject anything else).
  const check = (s: DocumentSymbol) => {
    assert.ok(s.range.start.line <= s.selectionRange.start.line && s.selectionRange.end.line <= s.range.end.line, s.name);
    s.children.forEach(check);
  };
  getDocumentSymbols(f.site, 'patterns/cb.md').forEach(check);
});

test('document symbols: headings deeper than their parent + 1, diagrams before any heading', () => {
  const f = fixture({
    'docs/x.md': dedent(`
      \`\`\`mermaid
      graph TD
      \`\`\`
      ### Deep first
      # Title
      ### Skips a level
      ## Back up
    `),
  });
  assert.equal(
    render(getDocumentSymbols(f.site, 'x.md', f.files['docs/x.md'])),
    dedent(`
      Mermaid diagram [diagram: graph] 0:0-2:3 sel 0:0-10
      Deep first [heading] 3:0-14 sel 3:0-14
      Title [heading] 4:0-6:10 sel 4:0-7
        Skips a level [heading] 5:0-17 sel 5:0-17
        Back up [heading] 6:0-10 sel 6:0-10`),
  );
});

test('document symbols of an unknown page are empty', () => {
  assert.deepEqual(getDocumentSymbols(makeSite({ 'docs/a.md': '# A\n' }), 'nope.md'), []);
});

// ---------------------------------------------------------------------------

const CATALOG = {
  'docs/index.md': '# Home\n',
  'docs/part1-axioms/law1-failure/index.md': '# Law 1: Correlated Failure ⛓️\n',
  'docs/part1-axioms/law2-asynchrony/index.md': '# Law 2: Asynchronous Reality ⏱️\n',
  'docs/part1-axioms/law10-x/index.md': '# Law 10: Tenth\n',
  'docs/part2-pillars/work/index.md': '# Pillar 1: Distribution of Work\n',
  'docs/patterns/circuit-breaker.md': '---\ntitle: Circuit Breaker\ncategory: resilience\n---\n\n# Circuit Breaker\n',
  'docs/patterns/bulkhead.md': '# Bulkhead\n',
  'docs/patterns/cache-aside.md': '# Cache-Aside\n',
  'docs/notes/cb-glossary.md': '# CB Glossary\n',
};

function names(query: string): string[] {
  return getWorkspaceSymbols(makeSite(CATALOG), query).map((s) => `${s.name} (${s.kind})`);
}

test('workspace symbols: "cb" finds Circuit Breaker by word starts, other pages last', () => {
  assert.deepEqual(names('cb'), ['Circuit Breaker (pattern)', 'CB Glossary (page)']);
});

test('workspace symbols: "l2" finds Law 2, "law" lists Laws in numeric order', () => {
  assert.deepEqual(names('l2'), ['Law 2: Asynchronous Reality (concept)']);
  // Prefix matches in numeric order, then the subsequence l-a-w in "Pillar 1: Distribution of Work".
  assert.deepEqual(names('law'), [
    'Law 1: Correlated Failure (concept)',
    'Law 2: Asynchronous Reality (concept)',
    'Law 10: Tenth (concept)',
    'Pillar 1: Distribution of Work (concept)',
  ]);
});

test('workspace symbols: prefix before word start before subsequence', () => {
  assert.deepEqual(names('ca'), [
    'Cache-Aside (pattern)',
    'Circuit Breaker (pattern)',
    'Law 1: Correlated Failure (concept)',
    'Law 2: Asynchronous Reality (concept)',
    'CB Glossary (page)',
  ]);
  assert.equal(matchTier('ca', 'Cache-Aside'), 0);
  assert.equal(matchTier('ca', 'Circuit Breaker'), 2);
  assert.equal(matchTier('cb', 'Circuit Breaker'), 1);
  assert.equal(matchTier('async', 'Law 2: Asynchronous Reality ⏱️'), 1);
  assert.equal(matchTier('zz', 'Circuit Breaker'), undefined);
});

test('workspace symbols carry file, H1 range and container', () => {
  const [cb] = getWorkspaceSymbols(makeSite(CATALOG), 'circuit');
  assert.equal(cb.file, '/site/docs/patterns/circuit-breaker.md');
  assert.equal(cb.container, 'resilience');
  assert.equal(fmtRange(cb.range), '5:0-17');
  const [pillar] = getWorkspaceSymbols(makeSite(CATALOG), 'pillar');
  assert.deepEqual([pillar.kind, pillar.conceptKind, pillar.container], ['concept', 'pillar', 'Pillars']);
});

test('workspace symbols: an empty query lists everything, capped at 200', () => {
  assert.equal(getWorkspaceSymbols(makeSite(CATALOG), '').length, Object.keys(CATALOG).length);
  const many: Record<string, string> = {};
  for (let i = 0; i < 250; i++) many[`docs/patterns/p${i}.md`] = `# Pattern ${i}\n`;
  assert.equal(getWorkspaceSymbols(makeSite(many), 'pat').length, 200);
});
