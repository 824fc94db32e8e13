// `navPagePath`: the one reading of which page a nav entry lists. The expected
// values are what `mkdocs build` (Debian's MkDocs 1.4.2) did with a throwaway
// site holding these entries: a page whose reading names its file was in the
// nav (and the prev/next chain); every other relative entry got "A relative
// path to '<as written>' is included in the 'nav' configuration, which is not
// found in the documentation files", and its file was listed as "not
// included in the nav". `test/rules/nav-forms.test.ts` builds such a site.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { navPagePath, parseMkdocsConfig, type NavEntry } from '../server/src/site/mkdocs.ts';

/** Written nav value -> what MkDocs looks it up as (undefined: never a page). */
const MEASURED: Array<[string, string | undefined, string]> = [
  ['patterns/a.md', 'patterns/a.md', 'a page'],
  ['/patterns/b.md', undefined, "DEBUG 'An absolute path ... presumably points to an external resource'; b.md not in the nav"],
  ['./patterns/c.md', 'patterns/c.md', 'a page'],
  ['patterns//d.md', 'patterns/d.md', 'a page'],
  ['patterns/e.md#part', 'patterns/e.md#part', 'not found: e.md not in the nav'],
  ['patterns/f.md?x=1', 'patterns/f.md?x=1', 'not found: f.md not in the nav'],
  ['patterns/../patterns/g.md', 'patterns/../patterns/g.md', "'..' is kept: not found, g.md not in the nav"],
  ['patterns/h.md/', 'patterns/h.md', 'a page: the trailing slash goes'],
  ['patterns/./i.md', 'patterns/i.md', 'a page'],
  ['patterns/j/', 'patterns/j', 'not found (j.md exists): a folder URL is no page'],
  ['//patterns/m.md', undefined, "DEBUG 'An external link': a URL without a scheme"],
  ['https://example.org/x', undefined, 'an external link'],
];

/** The nav entries of a mkdocs.yml listing `values` (as the real parser splits them into paths and URLs). */
function entries(values: string[], extra = ''): NavEntry[] {
  const cfg = parseMkdocsConfig(`site_name: T\n${extra}nav:\n` + values.map((v) => `  - ${JSON.stringify(v)}\n`).join(''));
  assert.deepEqual(cfg.problems, []);
  assert.equal(cfg.nav?.length, values.length);
  return cfg.nav!;
}

test('each written form reads as MkDocs 1.4 read it', () => {
  const nav = entries(MEASURED.map(([w]) => w));
  const cfg = parseMkdocsConfig('site_name: T\n');
  for (const [i, [written, expected, why]] of MEASURED.entries()) {
    assert.equal(navPagePath(nav[i], cfg), expected, `${written}: ${why}`);
  }
});

test("validation: nav: absolute_links: relative_to_docs (MkDocs 1.6) strips the leading slashes before the lookup", () => {
  // MkDocs 1.6 nav.py: `if path.startswith('/') and absolute_links is RELATIVE_TO_DOCS: lookup_path = path.lstrip('/')`.
  const yml = 'validation:\n  nav:\n    absolute_links: relative_to_docs\n';
  const nav = entries(['/patterns/b.md', '//patterns/m.md', '///x//y.md', 'https://example.org/x', './c.md'], yml);
  const cfg = parseMkdocsConfig(`site_name: T\n${yml}`);
  assert.equal(cfg.validation.navAbsoluteLinks, 'relative_to_docs');
  assert.deepEqual(nav.map((e) => navPagePath(e, cfg)), ['patterns/b.md', 'patterns/m.md', 'x/y.md', undefined, 'c.md']);
  // Without the setting (or the config), the same entries are links.
  assert.deepEqual(nav.slice(0, 3).map((e) => navPagePath(e)), [undefined, undefined, undefined]);
});

test("the relative readings are Python's PurePath(path).as_posix(), which MkDocs' Files.get_file_from_path takes", (t) => {
  const forms = ['a.md', './a.md', 'a//b.md', 'a/./b.md', 'a/b.md/', './../a.md', 'a/..', 'a/b.md#x', '.', './', 'a/b/../../c.md', 'x.md?q=/y/'];
  const py = spawnSync('python3', ['-c', 'import json,sys,pathlib\nprint(json.dumps([pathlib.PurePosixPath(p).as_posix() for p in json.load(sys.stdin)]))'], {
    input: JSON.stringify(forms),
    encoding: 'utf8',
  });
  if (py.error || py.status !== 0) {
    t.skip(`python3 unavailable: ${py.error?.message ?? py.stderr}`);
    return;
  }
  assert.deepEqual(forms.map((p) => navPagePath({ path: p })), JSON.parse(py.stdout));
});
