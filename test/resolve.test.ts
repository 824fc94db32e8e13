/**
 * Link resolution, called directly: how MkDocs rewrites source links and how
 * a browser resolves everything else against the URL a page is served at.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { candidatesForUrl, pageUrl, resolveLink, splitTarget, type FileLookup, type Resolution } from '../server/src/site/resolve.ts';
import { collapseSegments, normalizePath } from '../server/src/site/workspace.ts';
import { mulberry32 } from './helpers/random.ts';

const FILES = [
  'index.md',
  'a/b.md',
  'a/c.md',
  'a/img/p.png',
  'b.md',
  'guide/README.md',
  'img/a.png',
  'my page.md',
  'patterns/index.md',
  'patterns/retry.md',
  'patterns/x.md',
  'x/index.md',
];

function lookup(useDirectoryUrls: boolean): FileLookup {
  const files = new Set(FILES);
  return { has: (p) => files.has(p), useDirectoryUrls };
}

const DIR = lookup(true);
const HTML = lookup(false);

function r(from: string, target: string, site: FileLookup = DIR, rawHtml = false): Resolution {
  return resolveLink(from, target, site, rawHtml);
}

test('pageUrl: with use_directory_urls a page is a folder; without, an .html file; index and README are their folder', () => {
  assert.equal(pageUrl('a/b.md', true), 'a/b/');
  assert.equal(pageUrl('a/b.md', false), 'a/b.html');
  assert.equal(pageUrl('index.md', true), '');
  assert.equal(pageUrl('index.md', false), '');
  assert.equal(pageUrl('x/index.md', true), 'x/');
  assert.equal(pageUrl('x/index.md', false), 'x/');
  assert.equal(pageUrl('guide/README.md', true), 'guide/');
  assert.equal(pageUrl('guide/README.md', false), 'guide/');
  assert.equal(pageUrl('notes.markdown', true), 'notes/');
});

test('candidatesForUrl: which page files could produce a URL', () => {
  assert.deepEqual(candidatesForUrl('', true), ['index.md', 'README.md']);
  assert.deepEqual(candidatesForUrl('/', false), ['index.md', 'README.md']);
  assert.deepEqual(candidatesForUrl('a/b/', true), ['a/b/index.md', 'a/b/README.md', 'a/b.md']);
  assert.deepEqual(candidatesForUrl('a/b/', false), ['a/b/index.md', 'a/b/README.md']);
  // No trailing slash: a static server redirects a folder to `u/`.
  assert.deepEqual(candidatesForUrl('a/b', true), ['a/b/index.md', 'a/b/README.md', 'a/b.md']);
  assert.deepEqual(candidatesForUrl('a/b', false), ['a/b/index.md', 'a/b/README.md']);
  // .html URLs exist only without directory URLs, except index.html.
  assert.deepEqual(candidatesForUrl('a/b.html', true), []);
  assert.deepEqual(candidatesForUrl('a/b.html', false), ['a/b.md']);
  assert.deepEqual(candidatesForUrl('a/index.html', true), ['a/index.md', 'a/README.md', 'a.md']);
  assert.deepEqual(candidatesForUrl('a/index.html', false), ['a/index.md', 'a/README.md']);
});

test('splitTarget: the anchor is decoded, the query dropped', () => {
  assert.deepEqual(splitTarget('x.md?tab=2#caf%C3%A9'), { path: 'x.md', anchor: 'café' });
  assert.deepEqual(splitTarget('x.md'), { path: 'x.md', anchor: undefined });
  assert.deepEqual(splitTarget('#'), { path: '', anchor: '' });
});

test('a .md target is a source link, relative to the linking file, with its anchor', () => {
  assert.deepEqual(r('a/b.md', 'c.md'), { kind: 'page', path: 'a/c.md', anchor: undefined, style: 'source' });
  assert.deepEqual(r('a/b.md', '../patterns/x.md#anchor'), { kind: 'page', path: 'patterns/x.md', anchor: 'anchor', style: 'source' });
  assert.deepEqual(r('a/b.md', 'c.md?plain=1#top'), { kind: 'page', path: 'a/c.md', anchor: 'top', style: 'source' });
  assert.deepEqual(r('a/b.md', 'd.md'), { kind: 'broken', style: 'source', wanted: 'a/d.md', anchor: undefined });
  // The same in both URL styles: MkDocs rewrites it.
  assert.deepEqual(r('a/b.md', 'c.md', HTML), r('a/b.md', 'c.md', DIR));
});

test('%-encoded targets are decoded before lookup', () => {
  assert.deepEqual(r('index.md', 'my%20page.md'), { kind: 'page', path: 'my page.md', anchor: undefined, style: 'source' });
  assert.deepEqual(r('index.md', 'my%20page/'), { kind: 'page', path: 'my page.md', anchor: undefined, style: 'url' });
  assert.deepEqual(r('index.md', 'bad%zz.md'), { kind: 'broken', style: 'source', wanted: 'bad%zz.md', anchor: undefined });
});

test('same-page anchors, and targets with nothing to resolve', () => {
  assert.deepEqual(r('a/b.md', '#self'), { kind: 'self', anchor: 'self' });
  assert.deepEqual(r('a/b.md', '#'), { kind: 'self', anchor: '' });
  assert.deepEqual(r('a/b.md', '?tab=2'), { kind: 'skip', why: 'empty' });
  assert.deepEqual(r('a/b.md', '  '), { kind: 'skip', why: 'empty' });
});

test('external and templated targets are skipped', () => {
  for (const t of ['https://example.org/x.md', 'mailto:team@example.org', 'tel:+15550100', '//cdn.example.org/lib.js', 'HTTP://EXAMPLE.ORG']) {
    assert.deepEqual(r('a/b.md', t), { kind: 'skip', why: 'external' }, t);
  }
  assert.deepEqual(r('a/b.md', '{{ config.site_url }}patterns/x/'), { kind: 'skip', why: 'template' });
  assert.deepEqual(r('a/b.md', '{% url "x" %}'), { kind: 'skip', why: 'template' });
});

test("use_directory_urls: `../x/` from a/b.md (served at /a/b/) goes to /a/x/, not /x/", () => {
  assert.deepEqual(r('a/b.md', '../x/'), { kind: 'broken', style: 'url', wanted: '/a/x/', anchor: undefined });
  assert.deepEqual(r('a/b.md', '../../x/'), { kind: 'page', path: 'x/index.md', anchor: undefined, style: 'url' });
  assert.deepEqual(r('a/b.md', '../c/'), { kind: 'page', path: 'a/c.md', anchor: undefined, style: 'url' });
  // Without directory URLs a/b.md is a/b.html, whose folder is /a/: `../x/` is /x/.
  assert.deepEqual(r('a/b.md', '../x/', HTML), { kind: 'page', path: 'x/index.md', anchor: undefined, style: 'url' });
  assert.deepEqual(r('a/b.md', '../c/', HTML), { kind: 'broken', style: 'url', wanted: '/c/', anchor: undefined });
});

test('`c/` next to a/b.md looks right in a file browser but is /a/b/c/ on the built site', () => {
  assert.deepEqual(r('a/b.md', 'c/'), { kind: 'broken', style: 'url', wanted: '/a/b/c/', anchor: undefined });
  assert.deepEqual(r('a/b.md', 'c/', HTML), { kind: 'broken', style: 'url', wanted: '/a/c/', anchor: undefined });
  // From a folder index the folder is the base, so sibling URLs work.
  assert.deepEqual(r('patterns/index.md', 'retry/'), { kind: 'page', path: 'patterns/retry.md', anchor: undefined, style: 'url' });
  assert.deepEqual(r('patterns/index.md', 'retry/', HTML), { kind: 'broken', style: 'url', wanted: '/patterns/retry/', anchor: undefined });
  assert.deepEqual(r('patterns/index.md', 'retry.html', HTML).kind, 'broken');
});

test('absolute URLs start at the docs root', () => {
  assert.deepEqual(r('a/b.md', '/patterns/x'), { kind: 'page', path: 'patterns/x.md', anchor: undefined, style: 'url' });
  assert.deepEqual(r('a/b.md', '/patterns/x/#top'), { kind: 'page', path: 'patterns/x.md', anchor: 'top', style: 'url' });
  assert.deepEqual(r('a/b.md', '/patterns/x', HTML), { kind: 'broken', style: 'url', wanted: '/patterns/x', anchor: undefined });
  assert.deepEqual(r('a/b.md', '/'), { kind: 'page', path: 'index.md', anchor: undefined, style: 'url' });
});

test('an absolute .md path resolves from the docs root, clamped there like a URL', () => {
  assert.deepEqual(r('a/b.md', '/patterns/x.md'), { kind: 'page', path: 'patterns/x.md', anchor: undefined, style: 'source' });
  assert.deepEqual(r('a/b.md', '/a/../../b.md'), { kind: 'page', path: 'b.md', anchor: undefined, style: 'source' });
  assert.deepEqual(r('a/b.md', '/../../b.md#z'), { kind: 'page', path: 'b.md', anchor: 'z', style: 'source' });
});

test('a relative .md path above the docs root is outside the site', () => {
  assert.deepEqual(r('a/b.md', '../../x.md'), { kind: 'broken', style: 'source', wanted: '../x.md', anchor: undefined, outside: true });
  assert.deepEqual(r('index.md', '../README.md'), { kind: 'broken', style: 'source', wanted: '../README.md', anchor: undefined, outside: true });
});

test('folder URLs map to index.md, then README.md', () => {
  assert.deepEqual(r('index.md', 'x/'), { kind: 'page', path: 'x/index.md', anchor: undefined, style: 'url' });
  assert.deepEqual(r('index.md', 'guide/'), { kind: 'page', path: 'guide/README.md', anchor: undefined, style: 'url' });
  assert.deepEqual(r('index.md', 'guide'), { kind: 'page', path: 'guide/README.md', anchor: undefined, style: 'url' });
  assert.deepEqual(r('index.md', 'guide/README.md'), { kind: 'page', path: 'guide/README.md', anchor: undefined, style: 'source' });
  assert.deepEqual(r('index.md', 'x/', HTML), { kind: 'page', path: 'x/index.md', anchor: undefined, style: 'url' });
  assert.deepEqual(r('a/b.md', '../', HTML), { kind: 'page', path: 'index.md', anchor: undefined, style: 'url' });
  assert.deepEqual(r('a/b.md', '../'), { kind: 'broken', style: 'url', wanted: '/a/', anchor: undefined });
});

test('assets: source-relative paths MkDocs rewrites, and missing assets', () => {
  assert.deepEqual(r('index.md', 'img/a.png'), { kind: 'asset', path: 'img/a.png' });
  assert.deepEqual(r('a/b.md', 'img/p.png'), { kind: 'asset', path: 'a/img/p.png' });
  assert.deepEqual(r('a/b.md', '../img/a.png'), { kind: 'asset', path: 'img/a.png' });
  assert.deepEqual(r('a/b.md', '../img/a.png', HTML), { kind: 'asset', path: 'img/a.png' });
  assert.deepEqual(r('a/b.md', '/img/a.png'), { kind: 'asset', path: 'img/a.png' });
  assert.deepEqual(r('a/b.md', 'img/missing.png'), { kind: 'broken', style: 'source', wanted: 'a/img/missing.png', anchor: undefined });
});

test('raw HTML is not rewritten by MkDocs: a .md href is a URL the built site does not have', () => {
  assert.deepEqual(r('index.md', 'patterns/x.md', DIR, true), { kind: 'broken', style: 'url', wanted: '/patterns/x.md', anchor: undefined, rawMd: true });
  assert.deepEqual(r('index.md', 'patterns/x/', DIR, true), { kind: 'page', path: 'patterns/x.md', anchor: undefined, style: 'url' });
  assert.deepEqual(r('index.md', 'patterns/x.html', HTML, true), { kind: 'page', path: 'patterns/x.md', anchor: undefined, style: 'url' });
  // Raw HTML src is relative to the served URL: from /a/b/, `../img/a.png` is /a/img/a.png.
  assert.deepEqual(r('a/b.md', '../img/a.png', DIR, true), { kind: 'broken', style: 'url', wanted: '/a/img/a.png', anchor: undefined });
  assert.deepEqual(r('a/b.md', '../../img/a.png', DIR, true), { kind: 'asset', path: 'img/a.png' });
});

test('normalizePath: a path already normal is returned as is, any other as the segment-by-segment reading gives it', () => {
  const rnd = mulberry32(9);
  const parts = ['', '/', '.', '..', 'a', 'b.md', '.x', 'x.', '...'];
  for (let k = 0; k < 3000; k++) {
    const p = Array.from({ length: Math.floor(rnd() * 7) }, () => parts[Math.floor(rnd() * parts.length)]).join(rnd() < 0.7 ? '/' : '');
    assert.equal(normalizePath(p), collapseSegments(p), JSON.stringify(p));
  }
});
