/**
 * The built CLI as users run it: exact JSON on the example site (every
 * deliberate defect of examples/compendium/README.md, nothing else), exit
 * codes, the other formats, and the caches (a warm run answers the same; an
 * edit is seen).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';

const REPO = path.resolve(import.meta.dirname, '../..');
const CLI = path.join(REPO, 'dist/cli.cjs');

function run(args: string[], opts: { cwd?: string; cache?: string } = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: opts.cwd ?? REPO,
    encoding: 'utf8',
    env: { ...process.env, PATTERN_ATLAS_CACHE_DIR: opts.cache ?? path.join(os.tmpdir(), 'pa-cli-test-nocache') },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** `fn` on a temp copy of examples/compendium with its own empty cache folder, both removed after. */
function withCompendiumCopy(name: string, fn: (dir: string, cacheDir: string) => void): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `pa-cli-${name}-`));
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), `pa-cli-${name}-cache-`));
  try {
    fs.cpSync(path.join(REPO, 'examples/compendium'), dir, { recursive: true });
    fn(dir, cacheDir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(cacheDir, { recursive: true, force: true });
  }
}

describe('pattern-atlas check', () => {
  before(() => assert.ok(fs.existsSync(CLI), `${CLI} is missing: run npm run build`));

  test('the JSON contract on examples/compendium is exactly the expected one', () => {
    const r = run(['check', 'examples/compendium', '--format', 'json', '--no-cache']);
    assert.equal(r.code, 1, 'a frontmatter-yaml error and a mermaid-syntax error make the exit code 1');
    const expected = JSON.parse(fs.readFileSync(path.join(REPO, 'test/cli/compendium.expected.json'), 'utf8'));
    assert.deepEqual(JSON.parse(r.out), expected);
  });

  test('every defect the example README lists is reported, and the suppressed one is not', () => {
    const j = JSON.parse(run(['check', 'examples/compendium', '--format', 'json', '--no-cache']).out);
    const readme = fs.readFileSync(path.join(REPO, 'examples/compendium/README.md'), 'utf8');
    const codes = new Set<string>(j.diagnostics.map((d: { code: string }) => d.code));
    for (const m of readme.matchAll(/`([a-z]+(?:-[a-z]+)+)`/g)) {
      if (/^(pattern-atlas|use-directory|md-in)/.test(m[1]) || !/^[a-z-]+$/.test(m[1])) continue;
      if (['broken-link', 'broken-anchor', 'not-in-nav', 'not-in-index', 'nav-missing-file', 'stub', 'status-mismatch', 'missing-section', 'empty-section',
        'frontmatter-missing-field', 'frontmatter-invalid-value', 'frontmatter-yaml', 'missing-diagram', 'too-short',
        'missing-concept-links', 'concept-mismatch', 'prev-next-mismatch'].includes(m[1])) assert.ok(codes.has(m[1]), `${m[1]} is listed in the README but not reported`);
    }
    const cb = j.diagnostics.filter((d: { file: string; code: string }) => d.file === 'docs/patterns/circuit-breaker.md' && d.code === 'broken-link');
    assert.deepEqual(cb, [], 'the suppressed link and the link inside an HTML comment are not reported');
  });

  test('text output, --rule, --strict and exit codes', () => {
    const t = run(['check', 'examples/compendium', '--no-cache', '--no-mermaid', '--rule', 'broken-link']);
    assert.equal(t.code, 0, 'broken links are warnings on this site (validation: links.not_found: warn)');
    const lines = t.out.trim().split('\n');
    assert.match(lines[0], /^examples\/compendium\/docs\/patterns\/cqrs\.md:54:33: warning broken-link: 'event-sourcing\/' is broken on the built site/);
    assert.equal(lines.at(-1), '4 problems (0 errors, 4 warnings, 0 info, 0 hints)');
    assert.equal(run(['check', 'examples/compendium', '--no-cache', '--no-mermaid', '--rule', 'broken-link', '--strict']).code, 1);
    const bad = run(['check', 'examples/compendium', '--format', 'xml']);
    assert.equal(bad.code, 2);
    assert.equal(bad.err.trim().split('\n').length, 1, 'one-line reason');
    const nosite = run(['check', os.tmpdir() + '/definitely-not-a-site-' + process.pid]);
    assert.equal(nosite.code, 2);
    assert.match(nosite.err, /no such folder/);
  });

  test('SARIF and GitHub annotations carry the same findings', () => {
    const sarif = JSON.parse(run(['check', 'examples/compendium', '--format', 'sarif', '--no-cache', '--no-mermaid']).out);
    const json = JSON.parse(run(['check', 'examples/compendium', '--format', 'json', '--no-cache', '--no-mermaid']).out);
    assert.equal(sarif.version, '2.1.0');
    assert.equal(sarif.runs[0].results.length, json.diagnostics.length);
    const first = sarif.runs[0].results[0];
    assert.equal(first.ruleId, json.diagnostics[0].code);
    assert.equal(first.locations[0].physicalLocation.region.startLine, json.diagnostics[0].line);
    const gh = run(['check', 'examples/compendium', '--format', 'github', '--no-cache', '--no-mermaid']).out.trim().split('\n');
    assert.equal(gh.length, json.diagnostics.length);
    assert.match(gh.find((l) => l.includes('frontmatter-yaml'))!, /^::error file=examples\/compendium\/docs\/reference\/broken-frontmatter\.md,line=5,col=1,/);
  });

  test("the report lists patterns in the same order whatever the machine's locale", () => {
    // Estonian sorts z before t, Danish aa after z: an order taken from the locale would differ.
    const site = fs.mkdtempSync(path.join(os.tmpdir(), 'pa-cli-locale-'));
    try {
      const names = ['t', 'z', 's', 'aa', 'b', 'Zeta', 'a_b', 'a-b'];
      fs.writeFileSync(path.join(site, 'mkdocs.yml'), 'site_name: Locale\n');
      fs.mkdirSync(path.join(site, 'docs/patterns'), { recursive: true });
      for (const n of names) fs.writeFileSync(path.join(site, `docs/patterns/${n}.md`), `---\ntype: pattern\nstatus: stub\n---\n\n# ${n}\n`);
      const order = (locale: string) => {
        const r = spawnSync(process.execPath, [CLI, 'report', site, '--format', 'json', '--no-cache'], { encoding: 'utf8', env: { ...process.env, LC_ALL: locale, LANG: locale } });
        return (JSON.parse(r.stdout) as { patterns: Array<{ path: string }> }).patterns.map((p) => p.path.replace(/^patterns\/|\.md$/g, ''));
      };
      const plain = order('C.UTF-8');
      assert.deepEqual(plain, ['a-b', 'a_b', 'aa', 'b', 's', 't', 'z', 'Zeta']);
      for (const locale of ['et_EE.UTF-8', 'da_DK.UTF-8']) assert.deepEqual(order(locale), plain, locale);
    } finally {
      fs.rmSync(site, { recursive: true, force: true });
    }
  });

  test('without the Mermaid worker bundle beside it, check says so once and checks the rest', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pa-cli-noworker-'));
    try {
      for (const f of ['cli.cjs', 'cli-bundle.cjs']) fs.copyFileSync(path.join(REPO, 'dist', f), path.join(dir, f));
      const r = spawnSync(process.execPath, [path.join(dir, 'cli.cjs'), 'check', 'examples/compendium', '--format', 'json', '--no-cache'], { cwd: REPO, encoding: 'utf8' });
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stderr, /^pattern-atlas: Mermaid diagrams are not validated: dist\/mermaid-worker\.mjs is missing beside the CLI \(npm run build\)\n$/);
      const codes = (JSON.parse(r.stdout) as { diagnostics: Array<{ code: string }> }).diagnostics.map((d) => d.code);
      assert.ok(codes.includes('broken-link') && !codes.includes('mermaid-syntax'));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('caches', () => {
    let site: string;
    let cache: string;
    before(() => {
      site = fs.mkdtempSync(path.join(os.tmpdir(), 'pa-cli-site-'));
      fs.cpSync(path.join(REPO, 'examples/compendium'), site, { recursive: true });
      cache = fs.mkdtempSync(path.join(os.tmpdir(), 'pa-cli-cache-'));
    });
    after(() => {
      fs.rmSync(site, { recursive: true, force: true });
      fs.rmSync(cache, { recursive: true, force: true });
    });

    test('an unchanged site is answered by file stamps alone; new stamps with the same contents, an edit, and a file changed just now are each seen', () => {
      withCompendiumCopy('stamps', (dir, cacheDir) => {
        const all = (d: string): string[] => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? all(path.join(d, e.name)) : [path.join(d, e.name)]));
        const age = (f: string, seconds: number) => fs.utimesSync(f, new Date(Date.now() - seconds * 1000), new Date(Date.now() - seconds * 1000));
        for (const f of all(dir)) age(f, 3600);
        const check = () => {
          const r = spawnSync(process.execPath, [CLI, 'check', dir, '--format', 'json', '--no-mermaid'], {
            encoding: 'utf8',
            env: { ...process.env, PATTERN_ATLAS_CACHE_DIR: cacheDir, PATTERN_ATLAS_DEBUG_CACHE: '1' },
          });
          return { how: /result memo: (.*)/.exec(r.stderr)?.[1], out: r.stdout };
        };
        const first = check();
        assert.equal(first.how, 'miss');
        assert.deepEqual(check(), { how: 'hit by file stamps', out: first.out });
        // A new modification time, the same contents: answered by contents, and the new stamps are kept.
        const page = path.join(dir, 'docs/patterns/retry-backoff.md');
        age(page, 60);
        assert.deepEqual(check(), { how: 'hit by contents', out: first.out });
        assert.equal(check().how, 'hit by file stamps');
        // An edit is a miss, and seen.
        fs.writeFileSync(page, fs.readFileSync(page, 'utf8').replaceAll('circuit-braker.md', 'circuit-breaker.md'));
        age(page, 30);
        const edited = check();
        assert.equal(edited.how, 'miss');
        assert.notEqual(edited.out, first.out);
        assert.equal(check().how, 'hit by file stamps');
        // A file modified just now gives no stamp to keep: the next run compares contents.
        fs.writeFileSync(page, fs.readFileSync(page, 'utf8') + '\nMore prose.\n');
        assert.equal(check().how, 'miss');
        assert.equal(check().how, 'hit by contents');
      });
    });

    test('Mermaid verdicts are kept for the next run; a damaged verdict file is validated again, with the same findings', () => {
      withCompendiumCopy('verdicts', (dir, cacheDir) => {
        const page = path.join(dir, 'docs/patterns/retry-backoff.md');
        let edits = 0;
        const check = () => {
          // A prose edit each time, so that the result memo misses and the verdicts are what answers.
          fs.appendFileSync(page, `\nEdit ${++edits}.\n`);
          const r = spawnSync(process.execPath, [CLI, 'check', dir, '--format', 'json'], {
            encoding: 'utf8',
            env: { ...process.env, PATTERN_ATLAS_CACHE_DIR: cacheDir, PATTERN_ATLAS_DEBUG_MERMAID: '1' },
          });
          const m = /mermaid: (\d+) blocks in \d+ pages, (\d+) from the cache, (\d+) validated/.exec(r.stderr);
          assert.ok(m, r.stderr);
          const mermaid = (JSON.parse(r.stdout) as { diagnostics: Array<{ code: string }> }).diagnostics.filter((d) => d.code === 'mermaid-syntax');
          return { blocks: Number(m[1]), stored: Number(m[2]), validated: Number(m[3]), mermaid: JSON.stringify(mermaid) };
        };
        const first = check();
        assert.ok(first.blocks >= 5 && first.stored === 0 && first.validated === first.blocks, JSON.stringify(first));
        assert.ok(first.mermaid.includes('mermaid-syntax'));
        const second = check();
        assert.deepEqual(second, { ...first, stored: first.blocks, validated: 0 });
        // Every stored verdict malformed: none is used, all are validated again.
        const file = path.join(cacheDir, fs.readdirSync(cacheDir).find((f) => f.endsWith('.mermaid.v8'))!);
        const stored = v8.deserialize(fs.readFileSync(file)) as { verdicts: Map<string, unknown> };
        fs.writeFileSync(file, v8.serialize({ ...stored, verdicts: new Map([...stored.verdicts.keys()].map((k) => [k, [{ severity: 'error' }]])) }));
        assert.deepEqual(check(), first);
      });
    });

    test('a warm run answers exactly as a cold one, and an edit is seen', () => {
      const cold = run(['check', site, '--format', 'json', '--no-mermaid'], { cache });
      const warm = run(['check', site, '--format', 'json', '--no-mermaid'], { cache });
      assert.equal(warm.out, cold.out);
      const cached = fs.readdirSync(cache);
      assert.ok(cached.some((name) => name.endsWith('.result.v8')), 'the result memo was written');
      // Fix the typo'd links: the two broken-link findings of retry-backoff.md must go.
      const f = path.join(site, 'docs/patterns/retry-backoff.md');
      fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replaceAll('circuit-braker.md', 'circuit-breaker.md'));
      const after = JSON.parse(run(['check', site, '--format', 'json', '--no-mermaid'], { cache }).out);
      const before = JSON.parse(cold.out);
      const broken = (j: { diagnostics: Array<{ file: string; code: string }> }) =>
        j.diagnostics.filter((d) => d.code === 'broken-link' && d.file === 'docs/patterns/retry-backoff.md').length;
      assert.equal(broken(before), 2);
      assert.equal(broken(after), 0);
      assert.equal(after.diagnostics.length, before.diagnostics.length - 2);
      // And a new file is seen too: the page the nav names but that did not exist.
      fs.writeFileSync(path.join(site, 'docs/patterns/gossip.md'), '---\ntitle: Gossip Pattern\ntype: pattern\nstatus: stub\n---\n\n# Gossip\n');
      const withNew = JSON.parse(run(['check', site, '--format', 'json', '--no-mermaid'], { cache }).out);
      assert.ok(withNew.diagnostics.some((d: { file: string; code: string }) => d.file === 'docs/patterns/gossip.md' && d.code === 'stub'));
      assert.ok(!withNew.diagnostics.some((d: { code: string }) => d.code === 'nav-missing-file'), 'the nav entry for gossip.md now resolves');
    });
  });
});
