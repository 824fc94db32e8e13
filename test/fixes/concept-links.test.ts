// The `missing-concept-links` quick fix: links to the Laws and Pillars a
// pattern names in its prose, into its "Related Laws & Pillars" section or a
// new one, in the catalog's link style. Every test applies the fix to an
// inline fixture and compares the whole resulting text.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, test } from 'node:test';
import { DiskWorkspace } from '../../server/src/cli/disk-workspace.ts';
import { combineFixes, fixSite } from '../../server/src/fixes/apply.ts';
import { applyEdits } from '../../server/src/fixes/edits.ts';
import { getFixes } from '../../server/src/fixes/index.ts';
import { parseMarkdown } from '../../server/src/parse/remark.ts';
import { checkSite } from '../../server/src/rules/index.ts';
import { loadSite } from '../../server/src/site/site.ts';
import { MemoryWorkspace } from '../../server/src/site/workspace.ts';
import { makeSite, rawFindings, ROOT } from '../helpers/site.ts';
import { applyFix, fixesFor, textsOf } from './helpers.ts';

const CONCEPTS: Record<string, string> = {
  'mkdocs.yml': 'site_name: T\n',
  'docs/laws/law1-failure.md': '# Law 1: Correlated Failure\n\nOne fault, many victims.\n',
  'docs/laws/law2-async.md': '# Law 2: Asynchronous Reality\n\nNo global clock.\n',
  'docs/pillars/pillar3-truth.md': '# Pillar 3: Distribution of Truth\n\nWho decides what is true.\n',
  // Sets the catalog's link style: relative `.md` paths, "Law N: Name" texts.
  'docs/patterns/heartbeat.md': [
    '---',
    'title: Heartbeat',
    'type: pattern',
    'status: complete',
    '---',
    '',
    '# Heartbeat',
    '',
    '## Related Laws & Pillars',
    '',
    '- [Law 1: Correlated Failure](../laws/law1-failure.md)',
    '- [Pillar 3: Distribution of Truth](../pillars/pillar3-truth.md)',
    '',
  ].join('\n'),
};

const FM = '---\ntitle: Lease\ntype: pattern\nstatus: complete\n---\n\n# Lease\n\n';

/** The page at docs/patterns/lease.md with `body` after its H1. */
const withLease = (body: string, base: Record<string, string> = CONCEPTS) => ({ ...base, 'docs/patterns/lease.md': FM + body });

function fixesOf(files: Record<string, string>, kind: string) {
  const site = makeSite(files);
  const found = fixesFor(site, files, 'missing-concept-links', 'docs/patterns/lease.md').find((f) => f.finding.data?.kind === kind);
  assert.ok(found, `no '${kind}' finding on lease.md`);
  return found.fixes;
}

/** The lease page after the preferred fix of its `kind` finding. */
function fixed(files: Record<string, string>, kind: string): string {
  const fix = fixesOf(files, kind).find((f) => f.isPreferred);
  assert.ok(fix, `no preferred fix for the '${kind}' finding`);
  return applyFix(files, fix)['docs/patterns/lease.md'];
}

describe('missing-concept-links fix', () => {
  test('a new section goes before Related Patterns, with the named Law linked in the catalog style', () => {
    const body = [
      '## Level 1: Intuition',
      '',
      'A lease expires on its own, the only safe answer to Law 1 when the',
      "holder's machine dies.",
      '',
      '## Related Patterns',
      '',
      '- [Heartbeat](heartbeat.md)',
      '',
    ].join('\n');
    const files = withLease(body);
    assert.deepEqual(
      fixesOf(files, 'law').map((f) => f.title),
      ["Add section 'Related Laws & Pillars' with links to Law 1"],
    );
    assert.equal(
      fixed(files, 'law'),
      FM + body.replace('## Related Patterns', '## Related Laws & Pillars\n\n- [Law 1: Correlated Failure](../laws/law1-failure.md)\n\n## Related Patterns'),
    );
    // The page names no Pillar: that finding gets no fix.
    assert.deepEqual(fixesOf(files, 'pillar'), []);
  });

  test('at the end of the page the section goes before the closing rule and Previous/Next footer, at the depth of the sibling sections', () => {
    const body = [
      '### Problem',
      '',
      'Who holds the lock is a question of Distribution of',
      'Truth, decided by one node.',
      '',
      '---',
      '',
      '*"A lease is a promise with an end."*',
      '',
      '---',
      '',
      '**Previous**: [← Heartbeat](heartbeat.md) | **Next**: Retry → (Coming Soon)',
      '',
    ].join('\n');
    const files = withLease(body);
    const section = '### Related Laws & Pillars\n\n- [Pillar 3: Distribution of Truth](../pillars/pillar3-truth.md)\n\n';
    assert.equal(fixed(files, 'pillar'), FM + body.replace('decided by one node.\n\n', 'decided by one node.\n\n' + section));
    // A nav line directly over a rule is a setext heading to Markdown; it is still the footer.
    const setext = body.replace('(Coming Soon)\n', '(Coming Soon)\n---\n');
    assert.equal(fixed(withLease(setext), 'pillar'), FM + setext.replace('decided by one node.\n\n', 'decided by one node.\n\n' + section));
  });

  test('a page-nav <div> footer stays last; any other closing <div> is content', () => {
    const prose = '## Problem\n\nTwo holders break Law 1.\n\n';
    const nav = '---\n\n<div class="page-nav" markdown>\n[:material-arrow-left: Heartbeat](heartbeat.md) |\n<div class="sep"></div>\n[:material-arrow-right: Retry](retry.md)\n</div>\n';
    const section = '## Related Laws & Pillars\n\n- [Law 1: Correlated Failure](../laws/law1-failure.md)\n';
    assert.equal(fixed(withLease(prose + nav), 'law'), FM + prose + section + '\n' + nav);
    const progress = '<div class="progress">\n3 of 10 read\n</div>\n';
    assert.equal(fixed(withLease(prose + progress), 'law'), FM + prose + progress + '\n' + section);
  });

  test('an existing last section ended by a footer line over a rule (a setext heading) gets the links before the footer', () => {
    const body = ['Expiry bounds Law 2.', '', '## Related Laws', '', '- Clocks drift.', '', '---', '', '**Previous**: [← Heartbeat](heartbeat.md) | **Next**: [Retry →](retry.md)', '---', ''].join('\n');
    assert.equal(fixed(withLease(body), 'law'), FM + body.replace('- Clocks drift.\n', '- Clocks drift.\n- [Law 2: Asynchronous Reality](../laws/law2-async.md)\n'));
  });

  test('an existing Related Laws section gets the links after its prose', () => {
    const body = ['## Related Laws', '', 'Clocks drift: this is Asynchronous Reality at work.', '## References', '', '- A paper.', ''].join('\n');
    const files = withLease(body);
    const [fix] = fixesOf(files, 'law');
    assert.equal(fix.title, "Add links to Law 2 under 'Related Laws'");
    assert.equal(
      applyFix(files, fix)['docs/patterns/lease.md'],
      FM + body.replace('at work.\n', 'at work.\n\n- [Law 2: Asynchronous Reality](../laws/law2-async.md)\n\n'),
    );
  });

  test("a list that ends the existing section is continued with its marker, before the page's footer", () => {
    const body = [
      'Expiry bounds the damage of Law 2: Asynchronous Reality.',
      '',
      '## 🔗 Related Laws & Pillars',
      '',
      '* [Pillar 3: Distribution of Truth](../pillars/pillar3-truth.md): the',
      '  holder is the truth until expiry.',
      '',
      '---',
      '',
      '*Next: [Retry](retry.md)*',
      '',
    ].join('\n');
    const files = withLease(body);
    assert.equal(
      fixed(files, 'law'),
      FM + body.replace('until expiry.\n', 'until expiry.\n* [Law 2: Asynchronous Reality](../laws/law2-async.md)\n'),
    );
  });

  test('both kinds named: each finding offers all links (preferred) or its own; Fix all inserts one section', () => {
    const body = 'Law 2 makes expiry uncertain; Pillar 3 says who decides.\n\nA second paragraph.'; // no final line break
    const files = withLease(body);
    const all = '\n\n## Related Laws & Pillars\n\n- [Law 2: Asynchronous Reality](../laws/law2-async.md)\n- [Pillar 3: Distribution of Truth](../pillars/pillar3-truth.md)';
    const law = fixesOf(files, 'law');
    assert.deepEqual(
      law.map((f) => [f.title, !!f.isPreferred]),
      [
        ["Add section 'Related Laws & Pillars' with links to Law 2, Pillar 3", true],
        ["Add section 'Related Laws & Pillars' with links to Law 2", false],
      ],
    );
    assert.equal(applyFix(files, law[0])['docs/patterns/lease.md'], FM + body + all);
    assert.equal(applyFix(files, law[1])['docs/patterns/lease.md'], FM + body + '\n\n## Related Laws & Pillars\n\n- [Law 2: Asynchronous Reality](../laws/law2-async.md)');
    assert.equal(fixed(files, 'pillar'), FM + body + all);

    // Fix all: the two preferred fixes want the same edit; it is applied once and both findings count as fixed.
    const site = makeSite(files);
    const findings = rawFindings(site, 'missing-concept-links').filter((f) => f.file === 'docs/patterns/lease.md');
    assert.equal(findings.length, 2);
    const { edits, applied } = combineFixes(site, findings, textsOf(files));
    assert.equal(applied.length, 2);
    const lease = edits.get(`${ROOT}/docs/patterns/lease.md`)!;
    assert.equal(lease.length, 1);
    assert.equal(applyEdits(files['docs/patterns/lease.md'], lease), FM + body + all);

    const abs = new Map(Object.entries(files).map(([k, v]) => [`${ROOT}/${k}`, v]));
    const r = fixSite(new MemoryWorkspace(abs), (ws) => loadSite(ws, ROOT, { parse: parseMarkdown }).site!, { rules: ['missing-concept-links'] });
    const after = r.files.get(`${ROOT}/docs/patterns/lease.md`)!.after;
    assert.equal(after, FM + body + all);
    const again = makeSite({ ...files, 'docs/patterns/lease.md': after });
    assert.deepEqual(rawFindings(again, 'missing-concept-links'), []);
  });

  test('names in frontmatter, code, diagrams, comments, links, unknown numbers and plain lower-case words do not count', () => {
    const ignored = [
      '## Level 1: Intuition',
      '',
      'Inline `Law 2` code, a [Law 2 note](heartbeat.md), a <a href="heartbeat.md">Pillar 3</a> and an',
      '![Law 1: Correlated Failure](diagram.png) image; Law 9 does not exist; a distribution of truth',
      'in lower case is just words.',
      '',
      '<!-- Law 1: Correlated Failure -->',
      '',
      '```mermaid',
      'graph LR',
      '  A[Law 2: Asynchronous Reality] --> B[Pillar 3]',
      '```',
      '',
      '```python',
      '# Distribution of Truth',
      '```',
      '',
    ].join('\n');
    const files = withLease(ignored);
    files['docs/patterns/lease.md'] = files['docs/patterns/lease.md'].replace('status: complete', 'status: complete\ndescription: About Law 2 and Pillar 3');
    assert.deepEqual(fixesOf(files, 'law'), []);
    assert.deepEqual(fixesOf(files, 'pillar'), []);
    // The same page with one name in its prose is fixed.
    const named = { ...files, 'docs/patterns/lease.md': files['docs/patterns/lease.md'] + '\nIn short: Correlated Failure.\n' };
    assert.equal(fixed(named, 'law'), named['docs/patterns/lease.md'] + '\n## Related Laws & Pillars\n\n- [Law 1: Correlated Failure](../laws/law1-failure.md)\n');
    assert.deepEqual(fixesOf(named, 'pillar'), []);
  });

  test("the catalog's majority style wins: site-absolute URLs, its own link text and names for a Law", () => {
    const base: Record<string, string> = {
      'mkdocs.yml': 'site_name: T\n',
      'docs/laws/law2-async/index.md': '# Law 2: The Law of Asynchrony\n\nNo global clock.\n',
      'docs/pillars/pillar3-truth.md': '# Pillar 3: Distribution of Truth\n\nWho decides.\n',
      'docs/index.md': '# Home\n\n- [Law 2: Asynchronous Reality ⏳](/laws/law2-async/)\n- [Law 2: Asynchronous Reality ⏳](/laws/law2-async/)\n- [Law 2: Async](../laws/law2-async/index.md)\n- [Pillar 3](/pillars/pillar3-truth/)\n',
    };
    const body = '## Level 1: Intuition\n\nWithout a shared clock (Asynchronous Reality) a lease needs a margin.\n';
    const files = withLease(body, base);
    assert.equal(fixed(files, 'law'), FM + body + '\n## Related Laws & Pillars\n\n- [Law 2: Asynchronous Reality ⏳](/laws/law2-async/)\n');
  });

  test('no fix inside a fence that is never closed', () => {
    const files = withLease('Law 1 applies.\n\n```python\nprint(1)\n\n## Related Patterns\n');
    assert.deepEqual(fixesOf(files, 'law'), []);
  });

  test('CRLF pages get CRLF lines', () => {
    const body = 'Law 1 applies.\r\n\r\n## Related Patterns\r\n\r\n- x\r\n';
    const files = withLease(body);
    files['docs/patterns/lease.md'] = files['docs/patterns/lease.md'].replace(/\r?\n/g, '\r\n');
    assert.equal(
      fixed(files, 'law'),
      files['docs/patterns/lease.md'].replace('## Related Patterns', '## Related Laws & Pillars\r\n\r\n- [Law 1: Correlated Failure](../laws/law1-failure.md)\r\n\r\n## Related Patterns'),
    );
  });

  test("examples/compendium: write-ahead-log.md's prose-only section gets its Law 2 and Pillar 3 links", () => {
    const dir = resolve(import.meta.dirname, '../../examples/compendium');
    const ws = new DiskWorkspace();
    const site = loadSite(ws, dir, { parse: parseMarkdown }).site!;
    const file = 'docs/patterns/write-ahead-log.md';
    const findings = checkSite(site).filter((f) => f.code === 'missing-concept-links' && f.file === file);
    assert.deepEqual(findings.map((f) => f.data?.kind), ['law', 'pillar']);
    const before = readFileSync(`${dir}/${file}`, 'utf8');
    // After the section's prose, before whatever follows it (the page's footer, if any).
    const expected = before.replace(
      'Distribution of\nTruth.\n',
      'Distribution of\nTruth.\n\n- [Law 2: Asynchronous Reality](../laws/law2-asynchronous-reality.md)\n- [Pillar 3: Distribution of Truth](../pillars/pillar3-truth.md)\n',
    );
    assert.notEqual(expected, before, 'the page still names Distribution of Truth at the end of its Related Laws & Pillars prose');
    for (const f of findings) {
      const fix = getFixes(site, f, (p) => ws.readFile(p)).find((x) => x.isPreferred)!;
      assert.equal(fix.title, "Add links to Law 2, Pillar 3 under 'Related Laws & Pillars'");
      assert.equal(applyEdits(before, fix.edits[`${dir}/${file}`]), expected);
    }
  });
});
