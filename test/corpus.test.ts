/**
 * The engine against a real catalog nobody here wrote, judged by MkDocs
 * itself where MkDocs has an opinion (the oracle runs `mkdocs build`), and
 * by the corpus README's measured facts otherwise.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { DiskWorkspace } from '../server/src/cli/disk-workspace.ts';
import { extractFast } from '../server/src/parse/fast.ts';
import { checkSite } from '../server/src/rules/index.ts';
import { statusOf } from '../server/src/rules/maturity.ts';
import type { Finding } from '../server/src/rules/rule.ts';
import { loadSite, type Site } from '../server/src/site/site.ts';
import { runMkdocsOracle, type OracleResult } from './oracle/mkdocs-oracle.ts';

const REPO = path.resolve(import.meta.dirname, '..');
const CORPUS = path.resolve(REPO, '../shared/corpus/dstudio-2025-07');
const present = fs.existsSync(path.join(CORPUS, 'mkdocs.yml'));
const absent = present ? false : `corpus absent at ${CORPUS}: these integration tests need ../shared/corpus/dstudio-2025-07`;

describe('the shared corpus (dstudio-2025-07)', { skip: absent }, () => {
  let site: Site;
  let findings: Finding[];
  let oracle: OracleResult | { skipped: string };

  before(async () => {
    const r = loadSite(new DiskWorkspace(), CORPUS, { parse: extractFast });
    assert.ok(r.site, r.error);
    site = r.site;
    findings = checkSite(site);
    oracle = await runMkdocsOracle(CORPUS);
  });

  test('finds all 7 Laws and 5 Pillars on their canonical pages', () => {
    const got = site.concepts.map((c) => `${c.kind} ${c.number} ${c.path}`);
    assert.deepEqual(got, [
      'law 1 part1-axioms/law1-failure/index.md',
      'law 2 part1-axioms/law2-asynchrony/index.md',
      'law 3 part1-axioms/law3-emergence/index.md',
      'law 4 part1-axioms/law4-tradeoffs/index.md',
      'law 5 part1-axioms/law5-epistemology/index.md',
      'law 6 part1-axioms/law6-human-api/index.md',
      'law 7 part1-axioms/law7-economics/index.md',
      'pillar 1 part2-pillars/work/index.md',
      'pillar 2 part2-pillars/state/index.md',
      'pillar 3 part2-pillars/truth/index.md',
      'pillar 4 part2-pillars/control/index.md',
      'pillar 5 part2-pillars/intelligence/index.md',
    ]);
  });

  test('the 35 `status: stub` patterns are reported as stubs', () => {
    const declared = site.patterns.filter((p) => statusOf(p) === 'stub').map((p) => p.path);
    assert.equal(declared.length, 35);
    const stubs = new Set(findings.filter((f) => f.code === 'stub').map((f) => f.file));
    for (const p of declared) assert.ok(stubs.has(site.siteRel(p)), `${p} is status: stub but not reported`);
  });

  test('every broken relative .md link MkDocs reports is reported', (t) => {
    if ('skipped' in oracle) return t.skip(`mkdocs unavailable: ${oracle.skipped}`);
    const ours = new Set(
      findings.filter((f) => f.code === 'broken-link').map((f) => `${f.file.replace(/^docs\//, '')} -> ${String(f.data?.resolved).replace(/^\//, '')}`),
    );
    const theirs = [...new Set(oracle.brokenLinks.map((l) => `${l.file} -> ${l.target}`))];
    assert.equal(theirs.length, 33, 'MkDocs 1.4 reports 33 distinct broken links on this corpus');
    const missed = theirs.filter((l) => !ours.has(l));
    assert.deepEqual(missed, [], 'broken links MkDocs reports that we miss');
  });

  test('no relative .md Markdown link is reported broken unless MkDocs agrees', (t) => {
    if ('skipped' in oracle) return t.skip(`mkdocs unavailable: ${oracle.skipped}`);
    const theirs = new Set(oracle.brokenLinks.map((l) => `${l.file} -> ${l.target}`));
    // MkDocs 1.4 validates Markdown links with a relative .md target; raw HTML and absolute links it leaves alone.
    const extra = findings
      .filter((f) => f.code === 'broken-link' && f.data?.style === 'source' && !String(f.data?.target).startsWith('/') && !f.data?.rawMd)
      .map((f) => `${f.file.replace(/^docs\//, '')} -> ${String(f.data?.resolved)}`)
      .filter((l) => !theirs.has(l));
    assert.deepEqual(extra, []);
  });

  test('URL-style links are judged against the served URL', () => {
    // From part1-axioms/law6-human-api/index.md (served at /part1-axioms/law6-human-api/),
    // `../../patterns/x/` climbs to /patterns/x/.
    const r = site.resolve('case-studies/kafka.md', '../../patterns/circuit-breaker/');
    assert.deepEqual(r, { kind: 'page', path: 'patterns/circuit-breaker.md', anchor: undefined, style: 'url' });
    const wrong = site.resolve('case-studies/uber-location.md', '../patterns/caching-strategies');
    assert.equal(wrong.kind, 'broken', 'served at /case-studies/uber-location/, ../patterns/ is /case-studies/patterns/');
    // And every reported URL-style link really resolves to nothing.
    for (const f of findings.filter((x) => x.code === 'broken-link' && x.data?.style === 'url')) {
      const page = f.file.replace(/^docs\//, '');
      assert.equal(site.resolve(page, String(f.data?.target), String(f.data?.linkKind)).kind, 'broken', f.message);
    }
  });

  test('not-in-nav names exactly the catalog pages MkDocs lists as not in the nav', (t) => {
    if ('skipped' in oracle) return t.skip(`mkdocs unavailable: ${oracle.skipped}`);
    const ours = findings.filter((f) => f.code === 'not-in-nav').map((f) => f.file.replace(/^docs\//, '')).sort();
    const catalog = new Set([...site.patterns.map((p) => p.path), ...site.concepts.map((c) => c.path)]);
    const theirs = oracle.notInNav.filter((p) => catalog.has(p)).sort();
    assert.deepEqual(ours, theirs);
    for (const p of ['patterns/heartbeat.md', 'patterns/segmented-log.md', 'patterns/consensus.md']) assert.ok(ours.includes(p), p);
  });

  test('nav entries MkDocs cannot find are reported on their mkdocs.yml line', (t) => {
    if ('skipped' in oracle) return t.skip(`mkdocs unavailable: ${oracle.skipped}`);
    const ours = findings.filter((f) => f.code === 'nav-missing-file');
    assert.deepEqual(ours.map((f) => f.data?.target).sort(), [...oracle.navMissing].sort());
    const yml = fs.readFileSync(path.join(CORPUS, 'mkdocs.yml'), 'utf8').split('\n');
    for (const f of ours) assert.ok(yml[f.range.start.line].includes(String(f.data?.target)), `line ${f.range.start.line + 1}`);
  });
});
