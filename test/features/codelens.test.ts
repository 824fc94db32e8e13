import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getCodeLenses, type CodeLens, type LensLocation } from '../../server/src/features/codelens.ts';
import { dedent } from '../helpers/site.ts';
import { fixture, fmtRange, marked, type Fixture } from './fixture.ts';

/** `title @ range (command args...)`, with absolute paths shortened to docs-relative ones. */
function render(f: Fixture, lenses: CodeLens[]): string[] {
  const short = (p: unknown) => (typeof p === 'string' ? p.replace('/site/docs/', '') : p);
  return lenses.map((l) => {
    const [file, second, third] = l.args;
    const extra = Array.isArray(third)
      ? ' -> ' + (third as LensLocation[]).map((loc) => `${short(loc.file)}@${fmtRange(loc.range)}`).join(', ')
      : ` ${second}`;
    return `${l.title} @ ${fmtRange(l.range)} ${l.command}(${short(file)})${extra}`;
  });
}

const SITE = {
  'docs/part1-axioms/law2-asynchrony/index.md': dedent(`
    # Law 2: Asynchronous Reality
    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ title

    See [the examples](examples.md).
  `),
  'docs/part1-axioms/law2-asynchrony/examples.md': '# Examples\n\nBack to [the law](index.md).\n',
  'docs/part1-axioms/law1-failure/index.md': '# Law 1: Correlated Failure\n',
  'docs/patterns/circuit-breaker.md': dedent(`
    # Circuit Breaker
    ^^^^^^^^^^^^^^^^^ title

    Cites [Law 2](../part1-axioms/law2-asynchrony/index.md) and [its examples](../part1-axioms/law2-asynchrony/examples.md).
          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ cite

    \`\`\`mermaid
    stateDiagram-v2
    \`\`\`

    Same page: [top](#circuit-breaker).
  `),
  'docs/patterns/retry.md': dedent(`
    ---
    title: Retry
    ---
    # Retry

    Pairs with the [breaker](circuit-breaker.md) and [Law 2](/part1-axioms/law2-asynchrony/).
                                                     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ cite
  `),
  'docs/patterns/bulkhead.md': '# Bulkhead\n',
  'docs/index.md': 'Start at [the breaker](patterns/circuit-breaker.md).\n',
};

test('code lenses on a Law page: how many patterns cite it (links to its folder count), with their locations', () => {
  const f = fixture(SITE);
  const lenses = getCodeLenses(f.site, 'part1-axioms/law2-asynchrony/index.md');
  const title = fmtRange(marked(f, 'title')[0].range);
  assert.equal(title, '0:0-29');
  const [c1, c2, c3] = marked(f, 'cite').map((m) => fmtRange(m.range));
  assert.deepEqual(render(f, lenses), [
    `2 patterns cite this @ ${title} patternAtlas.showReferences(part1-axioms/law2-asynchrony/index.md) -> ` +
      `patterns/circuit-breaker.md@${c1}, patterns/circuit-breaker.md@${c2}, patterns/retry.md@${c3}`,
  ]);
  assert.deepEqual(lenses[0].data, { paths: ['patterns/circuit-breaker.md', 'patterns/retry.md'] });
  assert.deepEqual(render(f, getCodeLenses(f.site, 'part1-axioms/law1-failure/index.md')), [
    '0 patterns cite this @ 0:0-27 patternAtlas.showReferences(part1-axioms/law1-failure/index.md) -> ',
  ]);
});

test('code lenses on a pattern: references from other pages, then one preview lens per Mermaid fence', () => {
  const f = fixture(SITE);
  assert.deepEqual(render(f, getCodeLenses(f.site, 'patterns/circuit-breaker.md')), [
    '2 references @ 0:0-17 patternAtlas.showReferences(patterns/circuit-breaker.md) -> index.md@0:9-51, patterns/retry.md@5:15-44',
    'Preview diagram @ 4:0-6:3 patternAtlas.previewDiagram(patterns/circuit-breaker.md) 4',
  ]);
  assert.deepEqual(render(f, getCodeLenses(f.site, 'patterns/bulkhead.md')), [
    '0 references @ 0:0-10 patternAtlas.showReferences(patterns/bulkhead.md) -> ',
  ]);
});

test('code lenses: a plain page gets only diagram lenses; an unknown page none', () => {
  const f = fixture({ 'docs/about.md': '# About\n\n```mermaid\ngraph TD\n```\n' });
  assert.deepEqual(render(f, getCodeLenses(f.site, 'about.md')), ['Preview diagram @ 2:0-4:3 patternAtlas.previewDiagram(about.md) 2']);
  assert.deepEqual(getCodeLenses(f.site, 'nope.md'), []);
});
