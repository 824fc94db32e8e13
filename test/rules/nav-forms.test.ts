// One site whose nav writes its entries in every form MkDocs reads its own way
// (`./x`, `a//x`, `x/`, `/x`, `x#part`, `x?q`, `a/../x`, a folder URL, URLs):
// not-in-nav, nav-missing-file, the nav order of prev-next-mismatch, the
// report's inNav and the catalog's nav section must all read it as MkDocs
// does (`navPagePath`). With mkdocs on PATH, `mkdocs build` of the same site
// is the judge: its "not included in the nav" list, its nav warnings and the
// prev/next links of the built pages.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { getCatalog } from '../../server/src/features/catalog.ts';
import { buildReport } from '../../server/src/features/report.ts';
import { navSequence } from '../../server/src/rules/prev-next.ts';
import { checkSite } from '../../server/src/rules/index.ts';
import { pageUrl } from '../../server/src/site/resolve.ts';
import { mkdocsVersion, runMkdocsOracle } from '../oracle/mkdocs-oracle.ts';
import { rawFindings } from '../helpers/site.ts';
import { catalog, patternPage } from './fixtures.ts';

const MKDOCS = `site_name: Nav forms
nav:
  - Home: index.md
  - Patterns:
    - Plain: patterns/a.md
    - Leading slash: /patterns/b.md
    - Dot slash: ./patterns/c.md
    - Double slash: patterns//d.md
    - Anchor: patterns/e.md#part
    - Query: patterns/f.md?x=1
    - Up and back: patterns/../patterns/g.md
    - Trailing slash: patterns/h.md/
    - Inner dot: patterns/./i.md
    - Folder URL: patterns/j/
    - Protocol-relative: //example.org/k.md
    - External: https://example.org/
  - Ghost: patterns/ghost.md
`;

const FOOTER = (prev: string | undefined, next: string | undefined) =>
  '---\n\n' + [prev && `**Previous**: ${prev}`, next && `**Next**: ${next}`].filter(Boolean).join(' | ');

/** Footers: c and i follow MkDocs' order; a's "Next" follows the old reading of '/patterns/b.md' as b.md. */
const TAILS: Record<string, string> = {
  a: FOOTER('[Home](../index.md)', '[Pattern B](b.md)'),
  c: FOOTER('[Pattern A](a.md)', '[Pattern D](d.md)'),
  i: FOOTER('[Pattern H](h.md)', undefined),
};

const PAGES: Record<string, string> = { 'index.md': '# Home\n\nThe catalog.\n' };
for (const n of 'abcdefghijl') PAGES[`patterns/${n}.md`] = patternPage({ title: `Pattern ${n.toUpperCase()}`, words: 120, tail: TAILS[n] });

// What mkdocs build 1.4.2 said of this nav (measured; the oracle test below re-checks it when mkdocs is present).
const NOT_IN_NAV = ['patterns/b.md', 'patterns/e.md', 'patterns/f.md', 'patterns/g.md', 'patterns/j.md', 'patterns/l.md'];
const NAV_NOT_FOUND = ['patterns/e.md#part', 'patterns/f.md?x=1', 'patterns/../patterns/g.md', 'patterns/j/', 'patterns/ghost.md'];
const NAV_ORDER = ['index.md', 'patterns/a.md', 'patterns/c.md', 'patterns/d.md', 'patterns/h.md', 'patterns/i.md'];

const site = catalog(PAGES, { mkdocs: MKDOCS });
const notInNav = () => rawFindings(site, 'not-in-nav').map((f) => f.data?.path as string);
const navMissing = () => rawFindings(site, 'nav-missing-file').map((f) => f.data?.target as string);

describe('nav entries in every form', () => {
  test('not-in-nav lists exactly the pages MkDocs leaves out of the nav', () => {
    assert.deepEqual(notInNav().sort(), NOT_IN_NAV);
  });

  test("nav-missing-file reports what MkDocs does not find, and '/patterns/b.md', which MkDocs takes for an external URL", () => {
    assert.deepEqual(navMissing(), ['/patterns/b.md', ...NAV_NOT_FOUND]);
    // Each entry that plainly means an existing page points at the very page not-in-nav reports.
    const meant = rawFindings(site, 'nav-missing-file').map((f) => (f.data?.suggestions as string[])[0]).filter((p) => p && site.pages.has(p));
    assert.deepEqual(meant, ['patterns/b.md', 'patterns/e.md', 'patterns/f.md', 'patterns/g.md', 'patterns/j.md']);
    for (const p of meant) assert.ok(notInNav().includes(p), p);
  });

  test('the nav order of prev-next-mismatch holds the nav pages and no other', () => {
    assert.deepEqual(navSequence(site)!.order, NAV_ORDER);
    assert.deepEqual(
      [...site.pages.keys()].filter((p) => !NAV_ORDER.includes(p) && p !== 'index.md').sort(),
      notInNav().sort(),
    );
    // a's footer names b.md as next; MkDocs' next page after a is c.md.
    const f = rawFindings(site, 'prev-next-mismatch');
    assert.deepEqual(f.map((x) => [x.file, x.data?.side, x.data?.expected]), [['docs/patterns/a.md', 'next', 'patterns/c.md']]);
  });

  test("the report's inNav and the catalog's nav section agree with not-in-nav", () => {
    const findings = checkSite(site);
    const report = buildReport(site, findings);
    assert.deepEqual(report.notInNav.map((p) => p.replace(/^docs\//, '')).sort(), NOT_IN_NAV);
    const sections = getCatalog(site, findings).patterns.map((p) => [p.path.replace(/^docs\//, ''), p.navSection]);
    assert.deepEqual(
      sections,
      [...site.patterns].map((p) => [p.path, NOT_IN_NAV.includes(p.path) ? undefined : 'Patterns']),
    );
  });
});

describe('nav entries in every form, against mkdocs build', async () => {
  const version = await mkdocsVersion();
  const skip = typeof version === 'string' ? false : `mkdocs unavailable: ${version.skipped}`;
  let dir = '';

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pa-nav-forms-'));
    await writeFile(join(dir, 'mkdocs.yml'), MKDOCS);
    for (const [rel, text] of Object.entries(PAGES)) {
      await mkdir(dirname(join(dir, 'docs', rel)), { recursive: true });
      await writeFile(join(dir, 'docs', rel), text);
    }
  });
  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test("MkDocs' not-in-nav list, nav warnings and prev/next links are ours", { skip, timeout: 120_000 }, async (t) => {
    const chain = new Map<string, { previous?: string; next?: string }>();
    const r = await runMkdocsOracle(dir, {
      onBuilt: async (tmp) => {
        // The built pages' rel="prev"/rel="next" links (the mkdocs theme), mapped back to their source pages.
        const byUrl = new Map([...site.pages.keys()].map((p) => ['/' + pageUrl(p, true), p]));
        for (const p of site.pages.keys()) {
          const url = '/' + pageUrl(p, true);
          const html = await readFile(join(tmp, 'site', url, 'index.html'), 'utf8');
          const side = (rel: string) => {
            const m = new RegExp(`rel="${rel}" href="([^"]*)"`).exec(html);
            return m ? byUrl.get(new URL(m[1], `http://h${url}`).pathname) ?? `?${m[1]}` : undefined;
          };
          if (side('prev') || side('next')) chain.set(p, { previous: side('prev'), next: side('next') });
        }
      },
    });
    if ('skipped' in r) return t.skip(r.skipped);
    assert.deepEqual([...r.notInNav].sort(), notInNav().sort(), r.raw);
    assert.deepEqual(r.navMissing, navMissing().filter((p) => !p.startsWith('/')), r.raw);
    const ours = navSequence(site)!.at;
    assert.deepEqual(new Map([...chain].sort()), new Map([...ours].sort()), r.raw);
  });
});
