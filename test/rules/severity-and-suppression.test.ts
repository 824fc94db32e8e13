import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dedent, findings, makeSite, rawFindings } from '../helpers/site.ts';
import { RULES, severityOf } from '../../server/src/rules/index.ts';
import type { Site } from '../../server/src/site/site.ts';
import { patternPage } from './fixtures.ts';

/** One finding of each of the four MkDocs-mapped rules, plus a broken anchor. */
function siteWith(files: Record<string, string>): Site {
  return makeSite({
    'docs/index.md': '# Home\n\n[gone](patterns/gone.md) [anchor](patterns/retry.md#nope)\n',
    'docs/patterns/retry.md': patternPage({ title: 'Retry' }),
    ...files,
  });
}

function severities(site: Site, codes: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of codes) out[c] = rawFindings(site, c).map((f) => f.severity).join(',');
  return out;
}

const NAV = 'nav:\n  - index.md\n  - patterns/gossip.md\n';
const MAPPED = ['broken-link', 'broken-anchor', 'not-in-nav', 'nav-missing-file'];

test('each rule has its default severity when nothing is configured', () => {
  const site = siteWith({ 'mkdocs.yml': `site_name: Test\n${NAV}` });
  assert.deepEqual(severities(site, MAPPED), { 'broken-link': 'error', 'broken-anchor': 'warning', 'not-in-nav': 'warning', 'nav-missing-file': 'error' });
});

test("mkdocs.yml validation: levels map warn->warning, info->info, ignore->hint; MkDocs' own defaults are not applied", () => {
  const validation = dedent(`
    validation:
      nav:
        omitted_files: ignore
        not_found: info
      links:
        not_found: warn
        anchors: info
  `);
  const site = siteWith({ 'mkdocs.yml': `site_name: Test\n${validation}${NAV}` });
  assert.deepEqual(severities(site, MAPPED), { 'broken-link': 'warning', 'broken-anchor': 'info', 'not-in-nav': 'hint', 'nav-missing-file': 'info' });
  // A validation: block that does not mention a rule leaves it at its default, not at MkDocs' default (anchors: info).
  const partial = siteWith({ 'mkdocs.yml': `site_name: Test\nvalidation:\n  nav:\n    omitted_files: warn\n${NAV}` });
  assert.deepEqual(severities(partial, MAPPED), { 'broken-link': 'error', 'broken-anchor': 'warning', 'not-in-nav': 'warning', 'nav-missing-file': 'error' });
});

test('mkdocs.yml validation: the top-level shorthand (MkDocs propagates it to nav and links) sets severities too', () => {
  const site = siteWith({ 'mkdocs.yml': `site_name: Test\nvalidation:\n  omitted_files: ignore\n  not_found: info\n  anchors: info\n${NAV}` });
  assert.deepEqual(severities(site, MAPPED), { 'broken-link': 'info', 'broken-anchor': 'info', 'not-in-nav': 'hint', 'nav-missing-file': 'info' });
});

test('.pattern-atlas.yml rules: wins over mkdocs.yml, and off silences a rule, page and site rules alike', () => {
  const site = siteWith({
    'mkdocs.yml': `site_name: Test\nvalidation:\n  links:\n    not_found: info\n${NAV}`,
    '.pattern-atlas.yml': dedent(`
      rules:
        broken-link: warning
        broken-anchor: hint
        not-in-nav: off
        nav-missing-file: off
        missing-diagram: error
    `),
  });
  assert.deepEqual(severities(site, MAPPED), { 'broken-link': 'warning', 'broken-anchor': 'hint', 'not-in-nav': '', 'nav-missing-file': '' });
  assert.equal(severityOf(site, RULES.find((r) => r.code === 'not-in-nav')!), 'off');
  // A rule MkDocs has no setting for.
  const withDiagramRule = makeSite({
    'docs/patterns/retry.md': patternPage({ title: 'Retry', diagram: false }),
    '.pattern-atlas.yml': 'rules:\n  missing-diagram: error\n  too-short: off\n',
  });
  assert.deepEqual(rawFindings(withDiagramRule, 'missing-diagram').map((f) => f.severity), ['error']);
});

const LINKS = (lines: string[]) => makeSite({ 'docs/patterns/retry.md': '# Retry\n\n## Backoff\n', 'docs/index.md': ['# Home', '', ...lines, ''].join('\n') });

test('disable ... enable silences the listed rules between the comments', () => {
  const site = LINKS([
    '<!-- pattern-atlas-disable broken-link -->',
    '[a](patterns/a.md) [x](patterns/retry.md#x)',
    '<!-- pattern-atlas-enable broken-link -->',
    '[b](patterns/b.md)',
  ]);
  assert.deepEqual(findings(site).filter((f) => f.startsWith('docs/index.md')), [
    "docs/index.md:4:24 broken-anchor: No heading with id '#x' in patterns/retry.md",
    "docs/index.md:6:5 broken-link: 'patterns/b.md' not found: no file docs/patterns/b.md (resolved from index.md)",
  ]);
});

test('a bare disable silences every rule to the end of the page; enable with a list brings back only those rules', () => {
  const site = LINKS([
    '<!-- pattern-atlas-disable -->',
    '[a](patterns/a.md) [x](patterns/retry.md#x)',
    '<!-- pattern-atlas-enable broken-anchor -->',
    '[b](patterns/b.md) [y](patterns/retry.md#y)',
  ]);
  assert.deepEqual(findings(site).filter((f) => f.startsWith('docs/index.md')), ["docs/index.md:6:24 broken-anchor: No heading with id '#y' in patterns/retry.md"]);
});

test('disable-next-line and disable-line, with one rule, a comma list, or every rule', () => {
  const site = LINKS([
    '<!-- pattern-atlas-disable-next-line broken-link -->',
    '[a](patterns/a.md) [x](patterns/retry.md#x)',
    '[b](patterns/b.md) <!-- pattern-atlas-disable-line broken-link, broken-anchor --> [y](patterns/retry.md#y)',
    '<!-- pattern-atlas-disable-next-line -->',
    '[c](patterns/c.md) [z](patterns/retry.md#z)',
    '[d](patterns/d.md) <!-- pattern-atlas-disable-line broken-anchor -->',
    '',
    '<!-- pattern-atlas-disable-next-line broken-link -->',
    '',
    '[e](patterns/e.md)',
  ]);
  assert.deepEqual(findings(site).filter((f) => f.startsWith('docs/index.md')), [
    "docs/index.md:4:24 broken-anchor: No heading with id '#x' in patterns/retry.md",
    "docs/index.md:8:5 broken-link: 'patterns/d.md' not found: no file docs/patterns/d.md (resolved from index.md)",
    // The next line is the blank one: the link after it is reported.
    "docs/index.md:12:5 broken-link: 'patterns/e.md' not found: no file docs/patterns/e.md (resolved from index.md)",
  ]);
});

test('a comment for another rule silences nothing', () => {
  const site = LINKS(['<!-- pattern-atlas-disable missing-diagram -->', '[a](patterns/a.md) <!-- pattern-atlas-disable-line broken-anchor -->']);
  assert.deepEqual(findings(site, 'broken-link'), ["docs/index.md:4:5 broken-link: 'patterns/a.md' not found: no file docs/patterns/a.md (resolved from index.md)"]);
});

test('page-level findings (at the H1) are silenced by a disable comment above the H1', () => {
  const page = patternPage({ title: 'Retry', diagram: false }).replace('# Retry', '<!-- pattern-atlas-disable missing-diagram too-short -->\n# Retry');
  const site = makeSite({ 'docs/patterns/retry.md': page, '.pattern-atlas.yml': 'minWords: 10000\n' });
  assert.deepEqual(findings(site, 'missing-diagram'), []);
  assert.deepEqual(findings(site, 'too-short'), []);
});

test('a suppression comment shown inside a code block is an example, not a suppression', () => {
  const site = LINKS(['```markdown', '<!-- pattern-atlas-disable -->', '```', '', '[a](patterns/a.md)']);
  assert.deepEqual(findings(site, 'broken-link'), ["docs/index.md:7:5 broken-link: 'patterns/a.md' not found: no file docs/patterns/a.md (resolved from index.md)"]);
});
