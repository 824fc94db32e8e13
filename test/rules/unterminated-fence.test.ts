import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dedent, findings, makeSite, rawFindings } from '../helpers/site.ts';

test('a fence that is never closed is reported on its opening line, and swallows what follows', () => {
  const site = makeSite({
    'docs/patterns/retry.md': dedent(`
      # Retry

      \`\`\`python
      for attempt in range(5):
          call()

      ## Level 2: Foundation

      Backoff doubles the delay.
    `),
  });
  assert.deepEqual(findings(site, 'unterminated-fence'), ['docs/patterns/retry.md:3:1 unterminated-fence: Code fence opened here is never closed']);
  const [f] = rawFindings(site, 'unterminated-fence');
  assert.equal(f.severity, 'warning');
  assert.deepEqual(f.range, { start: { line: 2, character: 0 }, end: { line: 2, character: 9 } });
  // The heading after it is code, not a heading.
  assert.deepEqual(site.pages.get('patterns/retry.md')!.doc.headings.map((h) => h.text), ['Retry']);
});

test('only a matching closing fence closes: shorter runs and the other fence character do not', () => {
  const site = makeSite({
    'docs/a.md': '# A\n\n````python\nx = 1\n```\n',
    'docs/b.md': '# B\n\n```python\nx = 1\n~~~\n',
  });
  assert.deepEqual(findings(site, 'unterminated-fence'), [
    'docs/a.md:3:1 unterminated-fence: Code fence opened here is never closed',
    'docs/b.md:3:1 unterminated-fence: Code fence opened here is never closed',
  ]);
});

test('a fence left open inside an admonition ends with it: reported at its indented column; later fences are fine', () => {
  const site = makeSite({
    'docs/a.md': dedent(`
      # A

      !!! example "Retry loop"
          \`\`\`python
          for attempt in range(5):

      After the example.

      \`\`\`mermaid
      graph LR
        A --> B
      \`\`\`
    `),
  });
  assert.deepEqual(findings(site, 'unterminated-fence'), ['docs/a.md:4:5 unterminated-fence: Code fence opened here is never closed']);
  assert.deepEqual(site.pages.get('a.md')!.doc.fences.map((f) => `${f.lang} ${f.closed}`), ['python false', 'mermaid true']);
});

test('closed fences, nested fences in a longer fence, tilde fences and inline backticks are fine', () => {
  const site = makeSite({
    'docs/a.md': dedent(`
      # A

      \`\`\`\`markdown
      \`\`\`python
      x = 1
      \`\`\`
      \`\`\`\`

      ~~~
      plain
      ~~~

      Inline \`\`\`not a fence\`\`\` here.

      !!! note
          \`\`\`yaml
          key: value
          \`\`\`
    `),
  });
  assert.deepEqual(findings(site, 'unterminated-fence'), []);
});
