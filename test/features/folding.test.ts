import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getFoldingRanges } from '../../server/src/features/folding.ts';
import { dedent } from '../helpers/site.ts';
import { fixture } from './fixture.ts';

/** Each range rendered as `kind: first line … last line` (1-based numbers), for readable expectations. */
function folds(text: string): string[] {
  const f = fixture({ 'docs/patterns/p.md': text });
  const lines = f.files['docs/patterns/p.md'].split('\n');
  return getFoldingRanges(f.site, 'patterns/p.md', f.files['docs/patterns/p.md']).map(
    (r) => `${r.kind} ${r.startLine + 1}-${r.endLine + 1}: ${lines[r.startLine].trim()} … ${lines[r.endLine].trim()}`,
  );
}

test('folding: frontmatter, nested sections trimmed of blank lines, fences and diagrams', () => {
  assert.deepEqual(
    folds(
      dedent(`
        ---
        title: P
        ---
        # P

        Intro.

        ## Level 1: Intuition

        \`\`\`mermaid
        graph TD
          A --> B
        \`\`\`

        ### Detail

        Detail text.


        ## Level 2: Foundation
        One line.
        ## Empty
        ## Last

        \`\`\`python
        x = 1
        \`\`\`
      `),
    ),
    [
      'frontmatter 1-3: --- … ---',
      'section 4-27: # P … ```',
      'section 8-17: ## Level 1: Intuition … Detail text.',
      'diagram 10-13: ```mermaid … ```',
      'section 15-17: ### Detail … Detail text.',
      'section 20-21: ## Level 2: Foundation … One line.',
      'section 23-27: ## Last … ```',
      'code 25-27: ```python … ```',
    ],
  );
});

test('folding: admonitions and tabs by indentation, nested; markers inside code ignored; comments', () => {
  assert.deepEqual(
    folds(
      dedent(`
        # P

        !!! note "Remember"
            First.

            !!! tip
                Nested.

        After.

        === "Python"

            code here

        <!--
        a comment
        -->

        \`\`\`text
        !!! not an admonition
            inside code
        \`\`\`
      `),
    ),
    [
      'section 1-22: # P … ```',
      'admonition 3-7: !!! note "Remember" … Nested.',
      'admonition 6-7: !!! tip … Nested.',
      'admonition 11-13: === "Python" … code here',
      'comment 15-17: <!-- … -->',
      'code 19-22: ```text … ```',
    ],
  );
});

test('folding of an unknown page is empty', () => {
  const f = fixture({ 'docs/a.md': '# A\n' });
  assert.deepEqual(getFoldingRanges(f.site, 'b.md', ''), []);
});
