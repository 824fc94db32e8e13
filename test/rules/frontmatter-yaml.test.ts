import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dedent, findings, makeSite, rawFindings } from '../helpers/site.ts';

test('invalid YAML is reported on the offending line, on any page', () => {
  const site = makeSite({
    'docs/patterns/retry.md': dedent(`
      ---
      title: Retry
      description: Retry: the basics
      status: complete
      ---

      # Retry
    `),
    'docs/reference/glossary.md': '---\ntitle: Glossary\n\tstatus: stub\n---\n\n# Glossary\n',
  });
  assert.deepEqual(findings(site, 'frontmatter-yaml'), [
    'docs/patterns/retry.md:3:1 frontmatter-yaml: Frontmatter is not valid YAML: Nested mappings are not allowed in compact mappings',
    'docs/reference/glossary.md:3:1 frontmatter-yaml: Frontmatter is not valid YAML: Tabs are not allowed as indentation',
  ]);
  const [f] = rawFindings(site, 'frontmatter-yaml');
  assert.equal(f.severity, 'error');
  // The whole line is marked.
  assert.deepEqual(f.range, { start: { line: 2, character: 0 }, end: { line: 2, character: 'description: Retry: the basics'.length } });
});

test('frontmatter that is YAML but not a mapping is reported over the whole block', () => {
  const site = makeSite({ 'docs/patterns/retry.md': '---\n- retry\n- backoff\n---\n\n# Retry\n' });
  assert.deepEqual(findings(site, 'frontmatter-yaml'), ['docs/patterns/retry.md:1:1 frontmatter-yaml: Frontmatter must be a YAML mapping of keys to values']);
  assert.deepEqual(rawFindings(site, 'frontmatter-yaml')[0].range, { start: { line: 0, character: 0 }, end: { line: 3, character: 3 } });
});

test('valid, empty and absent frontmatter are fine, as are custom tags, flow lists and repeated keys', () => {
  const site = makeSite({
    'docs/a.md': '---\ntitle: A\ntags: [retry, backoff]\nsecret: !ENV API_KEY\ntitle: A again\n---\n\n# A\n',
    'docs/b.md': '---\n---\n\n# B\n',
    'docs/c.md': '# C\n',
  });
  assert.deepEqual(findings(site, 'frontmatter-yaml'), []);
});

test('a --- block further down the page is a thematic break, not frontmatter', () => {
  const site = makeSite({
    'docs/a.md': dedent(`
      # A

      ---
      title: not: frontmatter
      ---
    `),
  });
  assert.deepEqual(findings(site, 'frontmatter-yaml'), []);
});
