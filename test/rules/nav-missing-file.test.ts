import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dedent, findings, makeSite, rawFindings } from '../helpers/site.ts';

const PAGES = {
  'docs/index.md': '# Home\n',
  'docs/img/states.svg': '<svg/>',
  'docs/patterns/retry.md': '# Retry\n',
  'docs/patterns/circuit-breaker.md': '# Circuit Breaker\n',
};

test('a nav entry naming a missing file is reported on its value in mkdocs.yml, with the nearest page', () => {
  const site = makeSite({
    ...PAGES,
    'mkdocs.yml': dedent(`
      site_name: Test
      nav:
        - Home: index.md
        - Patterns:
          - Retry: patterns/retry.md
          - patterns/circuit-breakr.md
          - Gossip: patterns/gossip.md
    `),
  });
  assert.deepEqual(findings(site, 'nav-missing-file'), [
    "mkdocs.yml:6:7 nav-missing-file: Nav entry 'patterns/circuit-breakr.md' points to 'patterns/circuit-breakr.md', which does not exist in docs/. Did you mean patterns/circuit-breaker.md?",
    "mkdocs.yml:7:15 nav-missing-file: Nav entry 'Gossip' points to 'patterns/gossip.md', which does not exist in docs/",
  ]);
  const [f] = rawFindings(site, 'nav-missing-file');
  assert.equal(f.severity, 'error');
  assert.deepEqual(f.range, { start: { line: 5, character: 6 }, end: { line: 5, character: 32 } });
  assert.deepEqual(f.data, { target: 'patterns/circuit-breakr.md', title: undefined, section: ['Patterns'], suggestions: ['patterns/circuit-breaker.md'] });
});

test('existing pages and assets, paths MkDocs normalises and external links in the nav are fine', () => {
  // MkDocs 1.4 finds './x', 'a//x' and 'x/' (PurePath drops '.', empty segments and a trailing slash).
  const site = makeSite({
    ...PAGES,
    'mkdocs.yml': dedent(`
      site_name: Test
      nav:
        - index.md
        - Retry: ./patterns//retry.md
        - Breaker: patterns/./circuit-breaker.md/
        - State diagram: img/states.svg
        - GitHub: https://github.com/example/atlas
        - Mail: mailto:team@example.org
    `),
  });
  assert.deepEqual(findings(site, 'nav-missing-file'), []);
});

test('a nav path with a #anchor is not resolved by MkDocs: reported with the page to point at', () => {
  const site = makeSite({
    ...PAGES,
    'mkdocs.yml': 'site_name: Test\nnav:\n  - States: patterns/circuit-breaker.md#states\n',
  });
  assert.deepEqual(findings(site, 'nav-missing-file'), [
    "mkdocs.yml:3:13 nav-missing-file: Nav entry 'States': MkDocs does not resolve '#' anchors in nav paths, so 'patterns/circuit-breaker.md#states' is not found and renders as a broken link; point it at 'patterns/circuit-breaker.md' or use the page URL with its anchor",
  ]);
  assert.deepEqual(rawFindings(site, 'nav-missing-file')[0].data?.suggestions, ['patterns/circuit-breaker.md']);
});

test("paths MkDocs does not resolve ('..', '?query', a leading '/') are reported with the page they mean", () => {
  // Measured with mkdocs build 1.4.2: '..' is kept and '?x' is part of the name ("A relative path to ... is
  // not found"); '/patterns/retry.md' is an absolute URL, so retry.md is left out of the nav.
  const site = makeSite({
    ...PAGES,
    'mkdocs.yml': dedent(`
      site_name: Test
      nav:
        - Up: patterns/../patterns/retry.md
        - Query: patterns/retry.md?v=2
        - Abs: /patterns/circuit-breaker.md
        - Api: /api/
        - Gone: /patterns/gone.md
    `),
  });
  assert.deepEqual(findings(site, 'nav-missing-file'), [
    "mkdocs.yml:3:9 nav-missing-file: Nav entry 'Up': MkDocs does not collapse '..' in nav paths, so 'patterns/../patterns/retry.md' is not found and renders as a broken link; point it at 'patterns/retry.md'",
    "mkdocs.yml:4:12 nav-missing-file: Nav entry 'Query': MkDocs does not resolve '?' queries in nav paths, so 'patterns/retry.md?v=2' is not found and renders as a broken link; point it at 'patterns/retry.md'",
    "mkdocs.yml:5:10 nav-missing-file: Nav entry 'Abs': MkDocs reads '/patterns/circuit-breaker.md' as an absolute URL, not as a docs page, so 'patterns/circuit-breaker.md' is not in the nav and the link is broken on the built site; point it at 'patterns/circuit-breaker.md'",
    // '/api/' names no docs file: an external resource to MkDocs, and to us. A Markdown path is served by no site.
    "mkdocs.yml:7:11 nav-missing-file: Nav entry 'Gone' points to '/patterns/gone.md', which does not exist in docs/",
  ]);
  assert.deepEqual(rawFindings(site, 'nav-missing-file').map((f) => f.data?.suggestions), [['patterns/retry.md'], ['patterns/retry.md'], ['patterns/circuit-breaker.md'], []]);
});

test("with validation: nav: absolute_links: relative_to_docs (MkDocs 1.6), '/x.md' is the docs page x.md", () => {
  const site = makeSite({
    ...PAGES,
    'mkdocs.yml': 'site_name: Test\nvalidation:\n  nav:\n    absolute_links: relative_to_docs\nnav:\n  - /patterns/retry.md\n  - /patterns/gone.md\n',
  });
  assert.deepEqual(findings(site, 'nav-missing-file'), ["mkdocs.yml:7:5 nav-missing-file: Nav entry '/patterns/gone.md' points to '/patterns/gone.md', which does not exist in docs/"]);
});

test('nav paths are relative to docs_dir, which the message names', () => {
  const site = makeSite({
    'mkdocs.yml': 'site_name: Test\ndocs_dir: content\nnav:\n  - Home: index.md\n  - Retry: docs/patterns/retry.md\n',
    'content/index.md': '# Home\n',
    'content/patterns/retry.md': '# Retry\n',
  });
  assert.deepEqual(findings(site, 'nav-missing-file'), [
    "mkdocs.yml:5:12 nav-missing-file: Nav entry 'Retry' points to 'docs/patterns/retry.md', which does not exist in content/. Did you mean patterns/retry.md?",
  ]);
});

test('without a nav there is nothing to check', () => {
  const site = makeSite({ ...PAGES, 'mkdocs.yml': 'site_name: Test\n' });
  assert.deepEqual(findings(site, 'nav-missing-file'), []);
});
