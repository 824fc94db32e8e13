import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dedent, findings, makeSite, rawFindings } from '../helpers/site.ts';

const HOME = { 'docs/index.md': '# Home\n' };

test('.pattern-atlas.yml: wrong types, unknown settings, unknown rules and bad severities are reported where written', () => {
  const site = makeSite({
    ...HOME,
    '.pattern-atlas.yml': dedent(`
      minWords: many
      patern: [docs/patterns/**/*.md]
      rules:
        broken-links: off
        stub: loud
        too-short: off
    `),
  });
  assert.deepEqual(findings(site, 'config-error'), [
    ".pattern-atlas.yml:1:11 config-error: 'minWords' must be a non-negative number",
    ".pattern-atlas.yml:2:1 config-error: Unknown setting 'patern' (known: patterns, exclude, ignore, concepts, requiredSections, template, frontmatter, minWords, rules, checklist, patternsIndex)",
    ".pattern-atlas.yml:4:3 config-error: Unknown rule 'broken-links' (known: broken-link, broken-anchor, not-in-nav, not-in-index, nav-missing-file, stub, status-mismatch, missing-section, empty-section, frontmatter-missing-field, frontmatter-invalid-value, frontmatter-yaml, missing-diagram, too-short, missing-concept-links, concept-mismatch, unterminated-fence, config-error, file-unreadable, mermaid-syntax, prev-next-mismatch)",
    ".pattern-atlas.yml:5:9 config-error: Rule 'stub': severity must be one of error, warning, info, hint, off",
  ]);
  const f = rawFindings(site, 'config-error')[0];
  assert.equal(f.severity, 'error');
  assert.deepEqual(f.range, { start: { line: 0, character: 10 }, end: { line: 0, character: 14 } });
  // What was valid still applies; what was not keeps its default.
  assert.equal(site.config.rules['too-short'], 'off');
  assert.equal(site.config.minWords, 500);
});

test('.pattern-atlas.yml: list and mapping shapes are checked', () => {
  const site = makeSite({
    ...HOME,
    '.pattern-atlas.yml': dedent(`
      concepts:
        - Law
      frontmatter:
        required: title
      checklist: [Lease, Gossip]
      template: 3
      exclude: docs/patterns/index.md
    `),
  });
  assert.deepEqual(findings(site, 'config-error'), [
    ".pattern-atlas.yml:2:3 config-error: 'concepts' must be a list of {kind, label}, e.g. {kind: law, label: Law}",
    ".pattern-atlas.yml:4:3 config-error: 'frontmatter.required' must be a list of strings",
    ".pattern-atlas.yml:5:12 config-error: 'checklist' must be {title, items: [pattern names]}",
    ".pattern-atlas.yml:6:11 config-error: 'template' must be a path",
    ".pattern-atlas.yml:7:10 config-error: 'exclude' must be a list of strings",
  ]);
});

test("'rules:' written as a list is reported as a shape error, not as rules named '0', '1'", () => {
  const site = makeSite({ ...HOME, '.pattern-atlas.yml': 'rules: [broken-link, stub]\n' });
  assert.deepEqual(findings(site, 'config-error'), [".pattern-atlas.yml:1:8 config-error: 'rules' must map a rule code to error|warning|info|hint|off"]);
});

test('.pattern-atlas.yml that is not YAML, or not a mapping, is reported; an empty one is fine', () => {
  const bad = makeSite({ ...HOME, '.pattern-atlas.yml': 'minWords: [\n' });
  assert.deepEqual(findings(bad, 'config-error'), [
    '.pattern-atlas.yml:2:1 config-error: .pattern-atlas.yml is not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
  ]);
  const list = makeSite({ ...HOME, '.pattern-atlas.yml': '- minWords: 100\n' });
  assert.deepEqual(findings(list, 'config-error'), ['.pattern-atlas.yml:1:1 config-error: .pattern-atlas.yml must be a mapping of settings']);
  const empty = makeSite({ ...HOME, '.pattern-atlas.yml': '# nothing configured yet\n' });
  assert.deepEqual(findings(empty, 'config-error'), []);
});

test('mkdocs.yml: options MkDocs rejects are reported where written', () => {
  const cases: Array<[string, string]> = [
    ['site_name: T\npages:\n  - index.md\n', "mkdocs.yml:2:1 config-error: The configuration option 'pages' was removed from MkDocs. Use 'nav' instead."],
    ['site_name: T\nnav: index.md\n', "mkdocs.yml:2:6 config-error: Config value 'nav': expected a list, got a string."],
    ['site_name: T\nuse_directory_urls: maybe\n', "mkdocs.yml:2:21 config-error: Config value 'use_directory_urls': expected a boolean, got a string."],
    [
      'site_name: T\nvalidation:\n  links:\n    not_found: error\n',
      "mkdocs.yml:4:16 config-error: Config value 'validation': Sub-option 'links': Sub-option 'not_found': Expected one of 'warn', 'info', 'ignore', got 'error'.",
    ],
    ['site_name: [T\n', 'mkdocs.yml:2:1 config-error: YAML: Flow sequence in block collection must be sufficiently indented and end with a ]'],
  ];
  for (const [mkdocs, expected] of cases) {
    assert.deepEqual(findings(makeSite({ ...HOME, 'mkdocs.yml': mkdocs }), 'config-error'), [expected], mkdocs);
  }
});

test('a clean mkdocs.yml with custom tags and no .pattern-atlas.yml has no config errors', () => {
  const site = makeSite({
    ...HOME,
    'mkdocs.yml': dedent(`
      site_name: Test
      markdown_extensions:
        - pymdownx.emoji:
            emoji_index: !!python/name:material.extensions.emoji.twemoji
      extra:
        analytics:
          property: !ENV [GOOGLE_ANALYTICS_KEY, '']
    `),
  });
  assert.deepEqual(findings(site, 'config-error'), []);
});

test('what MkDocs only warns about (an unrecognised key) is not reported as an error', () => {
  const site = makeSite({ ...HOME, 'mkdocs.yml': 'site_name: T\nsite_nmae: typo\n' });
  assert.deepEqual(findings(site, 'config-error'), ['mkdocs.yml:2:1 config-error: Unrecognised configuration name: site_nmae']);
  assert.equal(rawFindings(site, 'config-error')[0].severity, 'warning');
});
