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

test('existing pages and assets, normalised paths and external links in the nav are fine', () => {
  const site = makeSite({
    ...PAGES,
    'mkdocs.yml': dedent(`
      site_name: Test
      nav:
        - index.md
        - Retry: ./patterns/../patterns/retry.md
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
