// The catalog's place of each pattern in the nav (`inNav`, `navListed`,
// `navSection`), which the extension's Pattern Catalog view groups by and
// offers "Add Page to Nav" from: `inNav` is false exactly for the patterns
// not-in-nav reports (and the report lists as not in the nav), on the example
// site, on a site with a pattern at the top level of its nav and pages
// `not_in_nav` keeps out, and on a site without `nav:`, where the sections
// are the ones MkDocs makes from the folders (with mkdocs on PATH, `mkdocs
// build` of that site is the judge).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DiskWorkspace } from '../../server/src/cli/disk-workspace.ts';
import { getCatalog } from '../../server/src/features/catalog.ts';
import { buildReport } from '../../server/src/features/report.ts';
import { extractFast } from '../../server/src/parse/fast.ts';
import { checkSite } from '../../server/src/rules/index.ts';
import { autoNavSection } from '../../server/src/site/mkdocs.ts';
import { pageUrl } from '../../server/src/site/resolve.ts';
import { loadSite, type Site } from '../../server/src/site/site.ts';
import { mkdocsVersion, runMkdocsOracle } from '../oracle/mkdocs-oracle.ts';
import { catalog, patternPage } from '../rules/fixtures.ts';

const COMPENDIUM = path.resolve(import.meta.dirname, '../../examples/compendium');

/** Docs-relative paths of the patterns whose catalog entry says `inNav: false`, not-in-nav reports, and the report lists. */
function notInNav(site: Site): { catalog: string[]; rule: string[]; report: string[] } {
  const findings = checkSite(site);
  const patterns = new Set(site.patterns.map((p) => p.path));
  const docsRel = (p: string) => p.slice(site.siteRel('').length);
  return {
    catalog: getCatalog(site, findings).patterns.filter((p) => !p.inNav).map((p) => docsRel(p.path)),
    rule: findings.filter((f) => f.code === 'not-in-nav' && patterns.has(f.data?.path as string)).map((f) => f.data?.path as string).sort(),
    report: buildReport(site, findings).notInNav,
  };
}

/** Each pattern's place in the nav as the catalog gives it: `[path, inNav, navListed, navSection]`. */
function places(site: Site): Array<[string, boolean, boolean, string | undefined]> {
  return getCatalog(site, checkSite(site)).patterns.map((p) => [p.path.slice(site.siteRel('').length), p.inNav, p.navListed, p.navSection]);
}

describe("the catalog's inNav is not-in-nav's verdict", () => {
  test('on the example site: the two pages its nav deliberately misses', () => {
    const r = loadSite(new DiskWorkspace(), COMPENDIUM, { parse: extractFast });
    assert.ok(r.site, r.error);
    const site = r.site;
    const n = notInNav(site);
    assert.deepEqual(n.rule, ['patterns/heartbeat.md', 'patterns/lease.md']);
    assert.deepEqual(n.catalog, n.rule);
    assert.deepEqual(n.report, n.rule);
    const cat = getCatalog(site, []);
    assert.equal(cat.autoNav, false);
    for (const p of cat.patterns) {
      // Every other pattern sits in a section of the nav; a missing one in none.
      assert.equal(p.navListed, p.inNav, p.path);
      assert.equal(p.navSection !== undefined, p.inNav, p.path);
    }
    assert.equal(cat.patterns.find((p) => p.path === 'docs/patterns/circuit-breaker.md')?.navSection, 'Resilience Patterns');
  });

  test('a pattern at the top level of the nav is in it; one not_in_nav covers is kept out, not missing', () => {
    const site = catalog(
      {
        'index.md': '# Home\n',
        'patterns/sidecar.md': patternPage({ title: 'Sidecar' }),
        'patterns/retry.md': patternPage({ title: 'Retry' }),
        'patterns/lease.md': patternPage({ title: 'Lease' }),
        'patterns/drafts/gossip.md': patternPage({ title: 'Gossip' }),
      },
      {
        mkdocs: [
          'site_name: Top level',
          'nav:',
          '  - Home: index.md',
          '  - Sidecar: patterns/sidecar.md',
          '  - Resilience:',
          '    - patterns/retry.md',
          'not_in_nav: |',
          '  drafts/',
          '',
        ].join('\n'),
      },
    );
    const n = notInNav(site);
    assert.deepEqual(n.rule, ['patterns/lease.md']);
    assert.deepEqual(n.catalog, n.rule);
    assert.deepEqual(n.report, n.rule);
    assert.deepEqual(places(site), [
      ['patterns/drafts/gossip.md', true, false, undefined],
      ['patterns/lease.md', false, false, undefined],
      ['patterns/retry.md', true, true, 'Resilience'],
      ['patterns/sidecar.md', true, true, undefined],
    ]);
  });

  test('without nav: every page is in the nav MkDocs makes, in sections named after its folders', () => {
    const site = catalog(
      {
        'index.md': '# Home\n',
        'sidecar.md': patternPage({ title: 'Sidecar' }),
        'patterns/retry.md': patternPage({ title: 'Retry' }),
        'patterns/coordination/lease.md': patternPage({ title: 'Lease' }),
        'data-patterns/event_log.md': patternPage({ title: 'Event Log' }),
        'CQRS-Things/cqrs.md': patternPage({ title: 'CQRS' }),
        'patterns/drafts/gossip.md': patternPage({ title: 'Gossip' }),
      },
      { mkdocs: 'site_name: Folders\nnot_in_nav: |\n  drafts/\n' },
    );
    const n = notInNav(site);
    assert.deepEqual(n, { catalog: [], rule: [], report: [] });
    assert.equal(getCatalog(site, []).autoNav, true);
    assert.deepEqual(places(site), [
      ['CQRS-Things/cqrs.md', true, true, 'CQRS Things'],
      ['data-patterns/event_log.md', true, true, 'Data patterns'],
      ['patterns/coordination/lease.md', true, true, 'Coordination'],
      // MkDocs 1.6 leaves the pages not_in_nav covers out of the nav it makes.
      ['patterns/drafts/gossip.md', true, false, undefined],
      ['patterns/retry.md', true, true, 'Patterns'],
      ['sidecar.md', true, true, undefined],
    ]);
  });

  test("autoNavSection is MkDocs' dirname_to_title of the page's folder", () => {
    assert.equal(autoNavSection('x.md'), undefined);
    assert.equal(autoNavSection('patterns/x.md'), 'Patterns');
    assert.equal(autoNavSection('a/data_store-patterns/x.md'), 'Data store patterns');
    // Not all lowercase: left as written.
    assert.equal(autoNavSection('API-docs/x.md'), 'API docs');
    assert.equal(autoNavSection('2-data/x.md'), '2 data');
  });
});

describe('sections of a site without nav:, against mkdocs build', async () => {
  const version = await mkdocsVersion();
  const skip = typeof version === 'string' ? false : `mkdocs unavailable: ${version.skipped}`;
  // MkDocs 1.4 knows no not_in_nav: this site leaves it out.
  const PAGES: Record<string, string> = {
    'index.md': '# Home\n',
    'sidecar.md': patternPage({ title: 'Sidecar', diagram: false, words: 40 }),
    'patterns/retry.md': patternPage({ title: 'Retry', diagram: false, words: 40 }),
    'data-patterns/event_log.md': patternPage({ title: 'Event Log', diagram: false, words: 40 }),
    'CQRS-Things/cqrs.md': patternPage({ title: 'CQRS', diagram: false, words: 40 }),
  };
  let dir = '';

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'pa-auto-nav-'));
    await writeFile(path.join(dir, 'mkdocs.yml'), 'site_name: Folders\n');
    for (const [rel, text] of Object.entries(PAGES)) {
      await mkdir(path.dirname(path.join(dir, 'docs', rel)), { recursive: true });
      await writeFile(path.join(dir, 'docs', rel), text);
    }
  });
  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test("each pattern's navSection is the section of the built site's nav", { skip, timeout: 120_000 }, async (t) => {
    const site = catalog(PAGES, { mkdocs: 'site_name: Folders\n' });
    // The mkdocs theme's top bar: top-level pages, then one dropdown per section.
    const theirs = new Map<string, string | undefined>();
    const r = await runMkdocsOracle(dir, {
      onBuilt: async (tmp) => {
        const html = await readFile(path.join(tmp, 'site', 'index.html'), 'utf8');
        const bar = html.slice(html.indexOf('<ul class="nav navbar-nav">'), html.indexOf('<ul class="nav navbar-nav ml-auto">'));
        const byUrl = new Map(Object.keys(PAGES).map((p) => ['/' + pageUrl(p, true), p]));
        let section: string | undefined;
        for (const m of bar.matchAll(/<a href="([^"]*)" class="nav-link">|data-toggle="dropdown">([^<]*?) <b|<a href="([^"]*)" class="dropdown-item">/g)) {
          if (m[2] !== undefined) section = m[2];
          else theirs.set(byUrl.get(new URL(m[1] ?? m[3], 'http://h/').pathname) ?? `?${m[1] ?? m[3]}`, m[1] !== undefined ? undefined : section);
        }
      },
    });
    if ('skipped' in r) return t.skip(r.skipped);
    const ours = getCatalog(site, []).patterns.map((p) => [p.path.replace(/^docs\//, ''), p.navSection]);
    assert.deepEqual(ours, site.patterns.map((p) => [p.path, theirs.get(p.path)]), r.raw);
    assert.ok(theirs.has('sidecar.md') && theirs.get('patterns/retry.md') === 'Patterns', r.raw);
  });
});
