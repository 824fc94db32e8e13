// Property: on random fixtures, applying any offered fix changes no byte
// outside its edit ranges and never makes the site parse worse (no new
// frontmatter-yaml findings, mkdocs.yml problems or broken links).
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { applyEdits } from '../../server/src/fixes/edits.ts';
import { FIXABLE_CODES, getFixes } from '../../server/src/fixes/index.ts';
import type { TextEdit } from '../../server/src/fixes/types.ts';
import { checkSite } from '../../server/src/rules/index.ts';
import { makeSite, ROOT } from '../helpers/site.ts';
import { textsOf } from './helpers.ts';

function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x100000000;
  };
}

const NAMES = ['retry', 'bulkhead', 'circuit-breaker', 'heartbeat', 'saga', 'sharding', 'cqrs', 'outbox', 'leader-election', 'gossip'];
const CATS = ['resilience', 'data', 'coordination'];
const SECTIONS = ['Problem', 'Solution', 'Trade-offs', 'Related Patterns'];
const CONCEPTS = [
  { name: 'Law 1: Correlated Failure', file: 'laws/law1-failure.md' },
  { name: 'Law 2: Asynchronous Reality', file: 'laws/law2-async.md' },
  { name: 'Pillar 1: Distribution of Work', file: 'pillars/pillar1-work.md' },
];

function fixture(seed: number): Record<string, string> {
  const r = rng(seed);
  const pick = <T,>(a: T[]) => a[Math.floor(r() * a.length)];
  const files: Record<string, string> = {};
  const names = NAMES.filter(() => r() < 0.8);
  if (names.length < 3) names.push('retry', 'saga', 'gossip');
  const cat = new Map(names.map((n) => [n, pick(CATS)]));
  files['templates/pattern-template.md'] =
    '---\ntitle: [Name]\n---\n\n# [Name]\n\n' + SECTIONS.map((s) => `## ${s}\n\n[Write the ${s.toLowerCase()}]\n`).join('\n');
  for (const n of names) {
    const fm: string[] = [];
    if (r() < 0.85) fm.push(`title: ${r() < 0.3 ? `"${n} Pattern"` : `${n.replace(/-/g, ' ')} Pattern`}`);
    fm.push('type: pattern');
    if (r() < 0.85) fm.push(`status: ${r() < 0.2 ? 'compelte' : pick(['stub', 'partial', 'complete', 'complete'])}`);
    if (r() < 0.9) fm.push(`category: ${r() < 0.2 ? cat.get(n) + 'x' : cat.get(n)}`);
    const body: string[] = [`# ${n} Pattern`, ''];
    for (const s of SECTIONS) {
      if (r() < 0.25) continue;
      body.push(`## ${s}`, '', `Some words about ${s} for ${n}.`);
      const other = pick(names);
      const roll = r();
      if (roll < 0.25) body.push(`See [${other}](${other}.md).`);
      else if (roll < 0.4) body.push(`See [${other}](${other}x.md#problem).`);
      else if (roll < 0.55) body.push(`See [${other}](../${other}/#solutoin).`);
      else if (roll < 0.65) body.push(`See [${other}](${other}.md#trade-ofs).`);
      if (r() < 0.2) body.push('', '```python', 'x = 1', '```');
      body.push('');
    }
    // Laws and Pillars named in prose (the concept-links fix), or linked.
    const c = r();
    if (c < 0.3) body.push(`This is ${pick(CONCEPTS).name} at work.`, '');
    else if (c < 0.45) body.push(`See [${pick(CONCEPTS).name}](../${pick(CONCEPTS).file}).`, '');
    // A Previous | Next footer pointing at random pages (the prev-next fix).
    if (r() < 0.4) body.push('---', '', `**Previous**: [← ${pick(names)}](${pick(names)}.md) | **Next**: ${r() < 0.3 ? 'Soon (Coming Soon)' : `[${pick(names)} →](${pick(names)}.md)`}`, '');
    files[`docs/patterns/${n}.md`] = (r() < 0.1 ? '' : `---\n${fm.join('\n')}\n---\n\n`) + body.join('\n');
  }
  for (const k of CONCEPTS) files[`docs/${k.file}`] = `# ${k.name}\n\nWhat ${k.name} says.\n`;
  // A patterns index table listing most patterns (the index-row fix).
  if (r() < 0.7) {
    const listed = names.filter(() => r() < 0.75);
    const sorted = r() < 0.5 ? [...listed].sort() : listed;
    files['docs/patterns/index.md'] =
      '# Patterns\n\n| Pattern | Category |\n|---|---|\n' + sorted.map((n) => `| [${n.replace(/-/g, ' ')}](${n}.md) | ${cat.get(n)} |`).join('\n') + '\n';
  }
  files['docs/index.md'] = '# Home\n';
  // mkdocs.yml with comments, blank lines, quoting and custom tags.
  const inNav = names.filter(() => r() < 0.6);
  const groups = new Map<string, string[]>();
  for (const n of inNav) groups.set(cat.get(n)!, [...(groups.get(cat.get(n)!) ?? []), n]);
  if (r() < 0.6) {
    const first = [...groups.keys()][0];
    if (first && r() < 0.7) groups.get(first)!.push('ghost-page');
    else groups.set('ghosts', ['ghost-page']);
  }
  const nav = ['nav:', '  - Home: index.md', '  - Laws:', ...CONCEPTS.map((k) => `    - ${k.file}`), '', '  # the catalog', '  - Patterns:'];
  for (const [c, ns] of groups) {
    nav.push(`    - ${c[0].toUpperCase() + c.slice(1)} Patterns:`);
    const sorted = r() < 0.5;
    for (const n of sorted ? [...ns].sort() : ns) nav.push(`      - ${r() < 0.2 ? `"${n} title"` : n.replace(/-/g, ' ')}: ${r() < 0.2 ? `'patterns/${n}.md'` : `patterns/${n}.md`}${r() < 0.2 ? '   # note' : ''}`);
    if (r() < 0.5) nav.push('');
  }
  if (!groups.size) nav.push('    - Retry: patterns/retry.md');
  files['mkdocs.yml'] = [
    '# config',
    "site_name: 'Random Catalog'",
    'markdown_extensions:',
    '  - pymdownx.emoji:',
    '      emoji_index: !!python/name:material.extensions.emoji.twemoji',
    'extra:',
    "  key: !ENV [GOOGLE_ANALYTICS_KEY, '']",
    '',
    ...nav,
    ...(r() < 0.5 ? ['', 'plugins:', '  - search'] : []),
    ...(r() < 0.3 ? [] : ['']),
  ].join('\n');
  return files;
}

/** Offsets of a position, computed independently of the fix code. */
function offset(text: string, line: number, ch: number): number {
  const ls = text.split('\n');
  let o = 0;
  for (let i = 0; i < line && i < ls.length; i++) o += ls[i].length + 1;
  return Math.min(o + ch, text.length);
}

function assertOnlyRangesChanged(before: string, after: string, edits: TextEdit[], what: string) {
  const spans = edits
    .map((e) => ({ s: offset(before, e.range.start.line, e.range.start.character), e: offset(before, e.range.end.line, e.range.end.character), t: e.newText }))
    .sort((a, b) => a.s - b.s || a.e - b.e);
  let pa = 0;
  let pb = 0;
  for (const sp of spans) {
    const keep = before.slice(pa, sp.s);
    assert.equal(after.slice(pb, pb + keep.length), keep, `${what}: bytes before an edit changed`);
    pb += keep.length;
    assert.equal(after.slice(pb, pb + sp.t.length), sp.t, `${what}: edit text not where expected`);
    pb += sp.t.length;
    pa = sp.e;
  }
  assert.equal(after.slice(pb), before.slice(pa), `${what}: bytes after the last edit changed`);
}

const count = (fs: ReturnType<typeof checkSite>, code: string) => fs.filter((f) => f.code === code).length;

describe('fix properties on random fixtures', () => {
  test('40 seeds x random applicable fixes', () => {
    let applied = 0;
    let created = 0;
    const codes = new Set<string>();
    for (let seed = 1; seed <= 40; seed++) {
      const files = fixture(seed * 7919);
      const site = makeSite(files);
      const before = checkSite(site);
      const r = rng(seed);
      const fixable = before.filter((f) => FIXABLE_CODES.includes(f.code));
      const shuffled = fixable.map((f) => ({ f, k: r() })).sort((a, b) => a.k - b.k).map((x) => x.f);
      for (const finding of shuffled.slice(0, 8)) {
        const fixes = getFixes(site, finding, textsOf(files));
        if (!fixes.length) continue;
        const fix = fixes[Math.floor(r() * fixes.length)];
        const out = { ...files };
        for (const [abs, edits] of Object.entries(fix.edits)) {
          const rel = abs.slice(ROOT.length + 1);
          out[rel] = applyEdits(files[rel], edits);
          assertOnlyRangesChanged(files[rel], out[rel], edits, `seed ${seed} ${finding.code} '${fix.title}' on ${rel}`);
        }
        for (const c of fix.creates ?? []) {
          const rel = c.path.slice(ROOT.length + 1);
          assert.ok(!(rel in files), `seed ${seed} ${finding.code} '${fix.title}' creates ${rel}, which exists`);
          out[rel] = c.text;
          created++;
        }
        const fixedSite = makeSite(out);
        const after = checkSite(fixedSite);
        const what = `seed ${seed}: ${finding.code} '${fix.title}'`;
        assert.ok(count(after, 'frontmatter-yaml') <= count(before, 'frontmatter-yaml'), `${what}: new frontmatter-yaml findings`);
        assert.ok(count(after, 'broken-link') <= count(before, 'broken-link'), `${what}: new broken links`);
        assert.ok(fixedSite.mkdocs.problems.length <= site.mkdocs.problems.length, `${what}: mkdocs.yml parses worse: ${JSON.stringify(fixedSite.mkdocs.problems)}`);
        assert.ok(count(after, 'config-error') <= count(before, 'config-error'), `${what}: new config errors`);
        applied++;
        codes.add(finding.code);
      }
    }
    assert.ok(applied > 60, `only ${applied} fixes applied`);
    assert.ok(created > 0, 'no page creation exercised');
    for (const c of ['not-in-nav', 'broken-link', 'broken-anchor', 'missing-section', 'frontmatter-missing-field', 'frontmatter-invalid-value', 'nav-missing-file', 'prev-next-mismatch', 'not-in-index', 'missing-concept-links']) {
      assert.ok(codes.has(c), `no ${c} fix exercised (got ${[...codes].join(', ')})`);
    }
  });
});
