/**
 * Rename on the shared corpus (read in place, never copied): moving a Law's
 * page and a much-linked pattern, and renaming the most-linked heading,
 * must break no link and no anchor that was not broken before (the site is
 * re-read after the edit, mkdocs.yml included).
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { DiskWorkspace } from '../../server/src/cli/disk-workspace.ts';
import { isRenameError, renameFile, renameHeading, type WorkspaceEdit } from '../../server/src/features/rename.ts';
import { extractFast } from '../../server/src/parse/fast.ts';
import type { Pos } from '../../server/src/parse/types.ts';
import { brokenAnchor } from '../../server/src/rules/broken-anchor.ts';
import { brokenLink } from '../../server/src/rules/broken-link.ts';
import { checkSite } from '../../server/src/rules/index.ts';
import { loadSite, type Site } from '../../server/src/site/site.ts';
import type { Workspace } from '../../server/src/site/workspace.ts';

const CORPUS = path.resolve(import.meta.dirname, '../../../shared/corpus/dstudio-2025-07');
const absent = fs.existsSync(path.join(CORPUS, 'mkdocs.yml')) ? false : `corpus absent at ${CORPUS}`;

function applyEdits(text: string, edits: WorkspaceEdit['changes'][string]): string {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  const off = (p: Pos) => starts[p.line] + p.character;
  for (const e of [...edits].sort((a, b) => off(b.range.start) - off(a.range.start))) text = text.slice(0, off(e.range.start)) + e.newText + text.slice(off(e.range.end));
  return text;
}

/** The site after the edit and an optional move, read through an overlay of the corpus on disk. */
function after(site: Site, edit: WorkspaceEdit, move?: [string, string]): Site {
  const disk = new DiskWorkspace();
  const texts = new Map<string, string>();
  for (const [abs, edits] of Object.entries(edit.changes)) texts.set(abs, applyEdits(fs.readFileSync(abs, 'utf8'), edits));
  const from = move && site.absPath(move[0]);
  const to = move && site.absPath(move[1]);
  if (from && to) {
    texts.set(to, texts.get(from) ?? fs.readFileSync(from, 'utf8'));
    texts.delete(from);
  }
  const ws: Workspace = {
    listFiles: (dir) => [...disk.listFiles(dir).filter((f) => f !== from), ...(to && to.startsWith(dir + '/') ? [to] : [])].sort(),
    readFile: (f) => (f === from ? undefined : texts.get(f) ?? disk.readFile(f)),
    exists: (f) => f !== from && (texts.has(f) || disk.exists(f)),
  };
  const r = loadSite(ws, CORPUS, { parse: extractFast });
  assert.ok(r.site, r.error);
  return r.site;
}

/** broken-link / broken-anchor findings as `file code target` (a moved file under its old name). */
function broken(site: Site, move?: [string, string]): string[] {
  return checkSite(site, [brokenLink, brokenAnchor])
    .map((f) => `${move && f.file === site.siteRel(move[1]) ? site.siteRel(move[0]) : f.file} ${f.code} ${String(f.data?.target)}`)
    .sort();
}

describe('rename on the shared corpus', { skip: absent }, () => {
  let site: Site;
  let baseline: string[];
  before(() => {
    const r = loadSite(new DiskWorkspace(), CORPUS, { parse: extractFast });
    assert.ok(r.site, r.error);
    site = r.site;
    baseline = broken(site);
  });

  for (const [name, pick, to] of [
    ['a Law page into another folder', (s: Site) => s.concepts[1].path, 'laws/law2.md'],
    ['a much-linked pattern into a folder of its own', (s: Site) => s.patterns.find((p) => p.path.endsWith('/circuit-breaker.md'))!.path, 'resilience/breaker/index.md'],
  ] as const) {
    test(`moving ${name} breaks nothing`, () => {
      const from = pick(site);
      const edit = renameFile(site, from, to);
      assert.ok(Object.keys(edit.changes).length > 5, 'the page is linked from several files');
      assert.deepEqual(broken(after(site, edit, [from, to]), [from, to]), baseline);
    });
  }

  test('renaming the most-linked heading breaks no anchor', () => {
    const counts = new Map<string, number>();
    for (const p of site.pages.values()) {
      for (const l of p.doc.links) {
        const r = site.resolve(p.path, l.target, l.kind);
        if ((r.kind !== 'page' && r.kind !== 'self') || !r.anchor) continue;
        const key = `${r.kind === 'page' ? r.path : p.path}#${r.anchor}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
    const [key] = [...counts].filter(([k]) => site.pages.get(k.split('#')[0])?.headingIds.includes(k.split('#')[1])).sort((a, b) => b[1] - a[1])[0];
    const [p, anchor] = key.split('#');
    const page = site.pages.get(p)!;
    const h = page.doc.headings[page.headingIds.indexOf(anchor)];
    const edit = renameHeading(site, p, h.range.start, 'A Renamed Heading', fs.readFileSync(site.absPath(p), 'utf8'));
    assert.ok(!isRenameError(edit));
    assert.ok(Object.values(edit.changes).flat().length >= 2);
    assert.deepEqual(broken(after(site, edit)), baseline);
  });
});
