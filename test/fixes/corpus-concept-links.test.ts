// `fixSite` with `rules: ['missing-concept-links']` on a copy of the corpus:
// the findings go down by exactly the (page, kind) pairs whose prose names a
// concept of that kind (counted here by a separate, plain-text scan), no link
// added is broken, and the pages only gain lines (section headings, blank
// lines and link bullets); every other byte stays.
import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, test } from 'node:test';
import { DiskWorkspace } from '../../server/src/cli/disk-workspace.ts';
import { fixSite } from '../../server/src/fixes/apply.ts';
import { lineChanges } from '../../server/src/fixes/diff.ts';
import { extractFast } from '../../server/src/parse/fast.ts';
import { checkSite } from '../../server/src/rules/index.ts';
import type { Finding } from '../../server/src/rules/rule.ts';
import { loadSite, type Site } from '../../server/src/site/site.ts';
import type { Workspace } from '../../server/src/site/workspace.ts';

const CORPUS = resolve(import.meta.dirname, '../../../shared/corpus/dstudio-2025-07');
const skip = existsSync(CORPUS) ? false : `corpus not found at ${CORPUS}`;

const load = (dir: string, ws: Workspace = new DiskWorkspace()) => loadSite(ws, dir, { parse: extractFast }).site!;

/** Prose only, by plain text rules: no frontmatter, fenced code, comments, inline code, links or HTML tags. */
function plainProse(text: string): string {
  let t = text.replace(/\r\n/g, '\n').replace(/^---\n[\s\S]*?\n---\n/, '');
  const kept: string[] = [];
  let fence: string | undefined;
  for (const line of t.split('\n')) {
    const m = /^\s*(`{3,}|~{3,})/.exec(line);
    if (fence) {
      if (m && m[1][0] === fence[0] && m[1].length >= fence.length && line.trim() === m[1]) fence = undefined;
      continue;
    }
    if (m) {
      fence = m[1];
      continue;
    }
    kept.push(line);
  }
  t = kept.join('\n');
  return t
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/`[^`\n]*`/g, ' ')
    .replace(/<a\b[^>]*>[\s\S]*?<\/a>/gi, ' ')
    .replace(/!?\[[^\]]*\]\([^)]*\)/g, ' ')
    .replace(/!?\[[^\]]*\]\[[^\]]*\]/g, ' ')
    .replace(/<[^>]+>/g, ' ');
}

/** Whether the prose names a concept of `kind`: "Law 3", or a concept name from its title. */
function namesKind(site: Site, prose: string, kind: string): boolean {
  return site.concepts
    .filter((c) => c.kind === kind)
    .some((c) => {
      if (new RegExp(`\\b${c.label}\\s+${c.number}\\b`, 'i').test(prose)) return true;
      const names = [c.name, c.name.replace(/^The \S+ of /i, '')];
      return names.some((n) => new RegExp(`\\b${n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s+')}\\b`).test(prose));
    });
}

const key = (f: Finding) => `${f.file}\u0000${f.data?.target}`;

describe('missing-concept-links fix on the corpus', () => {
  let tmp: string | undefined;
  after(async () => {
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  test('fixes exactly the findings whose kind the page names; adds only lines; breaks no link', { skip, timeout: 300_000 }, async () => {
    tmp = await mkdtemp(join(tmpdir(), 'pa-concept-links-'));
    const copy = join(tmp, 'site');
    await cp(CORPUS, copy, { recursive: true });

    const site = load(copy);
    const before = checkSite(site);
    const missing = before.filter((f) => f.code === 'missing-concept-links');
    let named = 0;
    for (const f of missing) {
      const text = await readFile(join(copy, f.file), 'utf8');
      if (namesKind(site, plainProse(text), f.data!.kind as string)) named++;
    }
    assert.ok(named >= 3, `expected pages that name a Law or Pillar without linking it, got ${named}`);

    const r = fixSite(new DiskWorkspace(), (ws) => load(copy, ws), { rules: ['missing-concept-links'] });
    for (const [file, { before: b, after: a }] of r.files) {
      const rel = file.slice(copy.length + 1);
      const changes = lineChanges(b, a);
      assert.deepEqual(changes.removed, [], `${rel}: lines removed or changed`);
      for (const l of changes.added) assert.match(l, /^(|#{2,6} Related Laws & Pillars|- \[(Law|Pillar) \d+: [^\]]+\]\(\/part[12]-[a-z]+\/[a-z0-9-]+\/\))$/, `${rel}: unexpected line`);
      assert.equal(a.endsWith('\n'), b.endsWith('\n'), `${rel}: final line break changed`);
      await writeFile(file, a);
    }

    const fixedSite = load(copy);
    const afterFindings = checkSite(fixedSite);
    const left = afterFindings.filter((f) => f.code === 'missing-concept-links');
    assert.equal(missing.length - left.length, named, 'findings fixed = findings whose kind the page names');
    const broken = new Set(before.filter((f) => f.code === 'broken-link').map(key));
    const added = afterFindings.filter((f) => f.code === 'broken-link' && !broken.has(key(f)));
    assert.deepEqual(added.map(key), [], 'new broken links');
  });
});
