/**
 * The language server end to end in a real editor nobody here wrote: headless
 * Neovim (Debian 12: 0.7.2) with its built-in LSP client, driven by
 * test/nvim/pattern_atlas_e2e.lua (shared/recipes/editor-clients.md §1).
 *
 * The test copies examples/compendium to a temp folder, opens
 * docs/patterns/retry-backoff.md in `nvim --headless --clean`, and lets the
 * Lua script start dist/server.cjs (root_dir = the copy), complete a Law in
 * "Related Laws & Pillars", apply the edit, hover + go to definition on a
 * link to bulkhead.md, find references to the page's H1 and wait for the
 * pushed diagnostics. The script writes a JSON verdict (LSP_OUT); the
 * assertions here check its values against what is on disk in the copy.
 *
 * It builds nothing: `npm test` runs `npm run build` first (pretest). A
 * missing dist/server.cjs is a failure. Without `nvim` the suite is skipped,
 * unless PATTERN_ATLAS_E2E=1 (CI), where it fails. The whole nvim run is
 * bounded by `timeout 120`; the Lua script stops the server itself.
 * Env: NVIM (binary, default `nvim`), E2E_KEEP=1 keeps the temp folder.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const SERVER = path.join(root, 'dist', 'server.cjs');
const SCRIPT = path.join(here, 'pattern_atlas_e2e.lua');
const EXAMPLE = path.join(root, 'examples', 'compendium');
const PAGE = 'docs/patterns/retry-backoff.md';
const NVIM = process.env.NVIM ?? 'nvim';
const REQUIRED = process.env.PATTERN_ATLAS_E2E === '1';
const TIMEOUT_S = 120;

function nvimVersion(): string | undefined {
  const r = spawnSync(NVIM, ['--version'], { encoding: 'utf8', timeout: 20_000 });
  return r.status === 0 ? r.stdout.split('\n')[0] : undefined;
}
const version = nvimVersion();
const skip = !version && !REQUIRED ? `${NVIM} is not installed (apt-get install -y neovim); set PATTERN_ATLAS_E2E=1 to make this a failure` : false;

// ------------------------------------------------------------------ the verdict JSON

interface Pos {
  line: number;
  character: number;
}
interface Range {
  start: Pos;
  end: Pos;
}
interface TextEdit {
  range: Range;
  newText: string;
}
interface Location {
  uri: string;
  path: string;
  range: Range;
}
interface Diag {
  lnum: number;
  col: number;
  end_lnum: number;
  end_col: number;
  code: string | null;
  message: string;
  severity: number;
  source: string | null;
}
interface Check {
  name: string;
  ok: boolean;
  error?: string;
  ms?: number;
  line?: number;
  character?: number;
  // completion
  labels?: string[];
  item?: { label: string; textEdit?: TextEdit | null; insertText?: string; insertTextFormat?: number; additionalTextEdits?: TextEdit[] | null };
  // apply
  edit?: TextEdit;
  text?: string;
  // hover
  value?: string;
  kind?: string | null;
  // definition, references
  locations?: Location[];
  // sync (document links on the applied line)
  links?: Array<{ range: Range; target: string | null; text: string }>;
  // diagnostics
  diagnostics?: Diag[];
}
interface Verdict {
  nvim: string;
  exit_code: number;
  error?: string;
  init_ms?: number;
  elapsed_ms: number;
  server_info?: { name: string; version?: string } | null;
  server_log: string[];
  checks: Check[];
  /** How the server process ended after the script's client.stop() (shutdown + exit). */
  server_exit?: { code: number; signal: number };
  stopped_gracefully?: boolean;
  stop_ms?: number;
}

// ------------------------------------------------------------------ disk helpers

function readLines(file: string): string[] {
  return fs.readFileSync(file, 'utf8').split(/\r?\n/);
}

/** Frontmatter `key: value` (top-level scalars only) and the first H1 of a page. */
function pageInfo(file: string): { fm: Record<string, string>; h1?: string } {
  const lines = readLines(file);
  const fm: Record<string, string> = {};
  let body = 0;
  if (lines[0] === '---') {
    const end = lines.indexOf('---', 1);
    for (const l of lines.slice(1, end)) {
      const m = /^([\w-]+):\s*(.*)$/.exec(l);
      if (m) fm[m[1]] = m[2].replace(/^(["'])(.*)\1$/, '$2');
    }
    body = end + 1;
  }
  const h1 = lines
    .slice(body)
    .find((l) => /^#\s+\S/.test(l))
    ?.replace(/^#\s+/, '')
    .trim();
  return { fm, h1 };
}

/** The Laws and Pillars of a site: pages under docs/laws and docs/pillars with `type: law|pillar`, by their H1. */
function conceptTitles(site: string): string[] {
  const titles: string[] = [];
  for (const dir of ['laws', 'pillars']) {
    for (const f of fs.readdirSync(path.join(site, 'docs', dir)).sort()) {
      if (!f.endsWith('.md')) continue;
      const { fm, h1 } = pageInfo(path.join(site, 'docs', dir, f));
      if (fm.type !== 'law' && fm.type !== 'pillar') continue;
      assert.ok(h1, `docs/${dir}/${f} has no H1`);
      titles.push(h1);
    }
  }
  return titles;
}

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : e.name.endsWith('.md') ? [p] : [];
  });
}

/** "grep" of the copied site: every Markdown link whose target is (…/)retry-backoff.md, as real path → 0-based lines. */
function linksTo(site: string, target: string): Map<string, Set<number>> {
  const re = new RegExp(`\\]\\(\\s*<?(?:[^()\\s<>]*/)?${target.replace(/[.]/g, '\\.')}(?:#[^()\\s<>]*)?>?\\s*\\)`);
  const out = new Map<string, Set<number>>();
  for (const file of walk(path.join(site, 'docs'))) {
    const key = fs.realpathSync(file);
    readLines(file).forEach((l, i) => {
      if (!re.test(l)) return;
      if (!out.has(key)) out.set(key, new Set());
      out.get(key)!.add(i);
    });
  }
  return out;
}

// ------------------------------------------------------------------ the run

function run(cmd: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv }): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr, ms: Math.round(performance.now() - t0) }));
  });
}

describe('Neovim 0.7 (built-in LSP client) end to end', { skip }, () => {
  let tmp = '';
  let site = '';
  let verdict: Verdict;
  let exit: Awaited<ReturnType<typeof run>>;
  const check = (name: string): Check => {
    const c = verdict.checks.find((x) => x.name === name);
    assert.ok(c, `the Lua script recorded no '${name}' check (error: ${verdict.error ?? 'none'}); checks: ${verdict.checks.map((x) => x.name).join(', ')}`);
    return c;
  };
  const okOrExplain = (c: Check) => assert.ok(c.ok, `'${c.name}' failed in Neovim: ${c.error ?? JSON.stringify(c).slice(0, 2000)}`);

  before(async () => {
    assert.ok(version, `${NVIM} is not installed but PATTERN_ATLAS_E2E=1 requires it (apt-get install -y neovim)`);
    assert.ok(fs.existsSync(SERVER), `${SERVER} is missing: run \`npm run build\` first (npm test does it in pretest)`);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pattern-atlas-nvim-'));
    site = path.join(tmp, 'compendium');
    fs.cpSync(EXAMPLE, site, { recursive: true });
    const out = path.join(tmp, 'verdict.json');
    exit = await run(
      'timeout',
      [String(TIMEOUT_S), NVIM, '--headless', '--clean', '-n', '-i', 'NONE', path.join(site, PAGE), '-c', `luafile ${SCRIPT}`],
      {
        cwd: site,
        env: {
          ...process.env,
          LSP_CMD: JSON.stringify([process.execPath, SERVER, '--stdio']),
          LSP_OUT: out,
          SITE_ROOT: site,
        },
      },
    );
    const summary = `nvim exit ${exit.code}${exit.signal ? ` (signal ${exit.signal})` : ''} after ${exit.ms} ms; stderr: ${exit.stderr.slice(-2000) || '(empty)'}`;
    assert.notEqual(exit.code, 124, `nvim timed out after ${TIMEOUT_S} s; ${summary}`);
    assert.ok(fs.existsSync(out), `no verdict file was written; ${summary}; stdout: ${exit.stdout.slice(-2000)}`);
    verdict = JSON.parse(fs.readFileSync(out, 'utf8')) as Verdict;
    console.error(
      `[nvim e2e] ${verdict.nvim}: exit ${exit.code}, whole nvim run ${exit.ms} ms (script: initialized at ${verdict.init_ms} ms, checks done at ${verdict.elapsed_ms} ms, server stopped in ${verdict.stop_ms} ms); ` +
        verdict.checks.map((c) => `${c.name} ${c.ok ? 'ok' : 'FAILED'}${c.ms !== undefined ? ` ${c.ms} ms` : ''}`).join(', '),
    );
    assert.notEqual(exit.code, 2, `the server did not start in Neovim: ${verdict.error}; ${summary}`);
  });

  after(() => {
    if (tmp && process.env.E2E_KEEP !== '1') fs.rmSync(tmp, { recursive: true, force: true });
    else if (tmp) console.error(`[nvim e2e] kept ${tmp}`);
  });

  test('the server initializes in Neovim 0.7', () => {
    assert.match(verdict.nvim, /^0\.\d+\.\d+$|^\d+\.\d+\.\d+$/);
    assert.equal(verdict.server_info?.name, 'pattern-atlas');
    assert.ok(verdict.server_log.some((m) => /indexed \d+ pages/.test(m)), `no indexing log line; log: ${JSON.stringify(verdict.server_log)}`);
  });

  test('completing `- Law` in "Related Laws & Pillars" lists every Law and Pillar of the site', () => {
    const c = check('completion');
    okOrExplain(c);
    const lines = readLines(path.join(site, PAGE));
    assert.equal(c.line! > lines.indexOf('## Related Laws & Pillars'), true, 'the new item is below the section heading');
    const expected = conceptTitles(site);
    assert.ok(expected.length >= 2 && expected.some((t) => t.startsWith('Law ')) && expected.some((t) => t.startsWith('Pillar ')), `odd concept list from disk: ${expected}`);
    for (const title of expected) assert.ok(c.labels!.includes(title), `completion lacks '${title}'; got ${JSON.stringify(c.labels)}`);
    for (const label of c.labels!) assert.match(label, /^(Law|Pillar) \d+: /, `a non-concept item at '- Law': ${label}`);
    const edit = c.item?.textEdit;
    assert.ok(edit, `the Law 2 item has no textEdit: ${JSON.stringify(c.item)}`);
    assert.equal(edit.newText, '[Law 2: Asynchronous Reality](../laws/law2-asynchronous-reality.md)');
    // It replaces the typed word `Law` (after `- `), on the new line.
    assert.deepEqual(edit.range, { start: { line: c.line!, character: 2 }, end: { line: c.line!, character: 5 } });
  });

  test('applying the Law 2 item gives a relative .md link like the page already uses', () => {
    const c = check('apply');
    assert.equal(c.text, '- [Law 2: Asynchronous Reality](../laws/law2-asynchronous-reality.md)', `edit applied: ${JSON.stringify(c.edit)}`);
    // The page's own style, as on disk: relative links ending in .md.
    assert.ok(readLines(path.join(site, PAGE)).some((l) => l.includes('](../laws/law2-asynchronous-reality.md)')));
    okOrExplain(c);
  });

  test("Neovim's incremental edits reach the server: its document link on the new line is the inserted target", () => {
    const c = check('sync');
    okOrExplain(c);
    assert.equal(c.line, check('apply').line);
    assert.deepEqual(
      c.links!.map((l) => ({ text: l.text, target: l.target })),
      [{ text: '../laws/law2-asynchronous-reality.md', target: pathToFileURL(path.join(site, 'docs/laws/law2-asynchronous-reality.md')).href }],
    );
  });

  test('hover on a link to bulkhead.md shows the Bulkhead page', () => {
    const c = check('hover');
    okOrExplain(c);
    const lines = readLines(path.join(site, PAGE));
    assert.ok(lines[c.line!].includes('](bulkhead.md)'), `hover was asked on line ${c.line}: ${lines[c.line!]}`);
    const { fm, h1 } = pageInfo(path.join(site, 'docs/patterns/bulkhead.md'));
    const title = h1 ?? fm.title;
    assert.ok(title, 'bulkhead.md has a title');
    assert.equal(c.kind, 'markdown');
    assert.ok(c.value!.includes(title), `hover does not mention '${title}': ${c.value}`);
  });

  test('definition on that link points at docs/patterns/bulkhead.md', () => {
    const c = check('definition');
    okOrExplain(c);
    assert.equal(c.locations!.length, 1, JSON.stringify(c.locations));
    const [loc] = c.locations!;
    assert.equal(fs.realpathSync(loc.path), fs.realpathSync(path.join(site, 'docs/patterns/bulkhead.md')));
    assert.equal(loc.uri, pathToFileURL(path.join(site, 'docs/patterns/bulkhead.md')).href);
  });

  test('references on the H1 are the links to retry-backoff.md elsewhere in the site', () => {
    const c = check('references');
    okOrExplain(c);
    assert.equal(c.line, readLines(path.join(site, PAGE)).findIndex((l) => /^#\s/.test(l)), 'asked on the H1');
    const page = fs.realpathSync(path.join(site, PAGE));
    const linking = linksTo(site, 'retry-backoff.md');
    assert.ok(linking.size > 0, 'the example site has pages linking to retry-backoff.md');
    const others = c.locations!.map((l) => ({ ...l, path: fs.realpathSync(l.path) })).filter((l) => l.path !== page);
    assert.ok(others.length > 0, `no reference from another page: ${JSON.stringify(c.locations)}`);
    // Every reference from another page is a real link to the page, found by grepping the copy.
    for (const l of others) {
      const lines = linking.get(l.path);
      assert.ok(lines?.has(l.range.start.line), `${l.path}:${l.range.start.line + 1} is not a link to retry-backoff.md on disk`);
      const text = readLines(l.path)[l.range.start.line].slice(l.range.start.character, l.range.end.character);
      assert.match(text, /retry-backoff\.md/, `the range ${JSON.stringify(l.range)} in ${l.path} does not cover the link`);
    }
    // And each page that links to it on disk is among the references.
    const found = new Set(others.map((l) => l.path));
    const missing = [...linking.keys()].filter((f) => f !== page && !found.has(f));
    assert.deepEqual(missing, [], 'pages that link to retry-backoff.md but are not in the references');
  });

  test('pushed diagnostics: broken-link on circuit-braker.md, missing-section from the template', () => {
    const c = check('diagnostics');
    okOrExplain(c);
    const diags = c.diagnostics!;
    const lines = readLines(path.join(site, PAGE));
    const typo = 'circuit-braker.md';
    const expected = lines.flatMap((l, i) => {
      const at = l.indexOf(`](${typo}`);
      return at < 0 ? [] : [{ lnum: i, col: at + 2, end_col: at + 2 + typo.length }];
    });
    assert.ok(expected.length > 0, `the copy has no link to ${typo}`);
    const broken = diags.filter((d) => d.code === 'broken-link');
    assert.deepEqual(
      broken.map((d) => ({ lnum: d.lnum, col: d.col, end_col: d.end_col })).sort((a, b) => a.lnum - b.lnum),
      expected,
      'one broken-link diagnostic per circuit-braker.md link, on its target',
    );
    for (const d of broken) {
      assert.match(d.message, /circuit-braker\.md/);
      // mkdocs.yml: validation.links.not_found: warn
      assert.equal(d.severity, 2, `broken-link severity: ${d.severity}`);
      assert.equal(d.source, 'pattern-atlas');
    }
    // Sections of the template (H2s) that the page lacks: each reported as missing-section.
    const h2 = (file: string) => readLines(file).filter((l) => /^##\s/.test(l)).map((l) => l.replace(/^##\s+/, '').trim());
    const absent = h2(path.join(site, 'docs/templates/pattern-template.md')).filter((s) => !h2(path.join(site, PAGE)).includes(s));
    assert.deepEqual(absent, ['Level 4: Expert'], 'the example page lacks exactly one template section');
    const missing = diags.filter((d) => d.code === 'missing-section');
    for (const s of absent) assert.ok(missing.some((d) => d.message.includes(s)), `no missing-section for '${s}': ${JSON.stringify(missing)}`);
  });

  test('the script passed every check and exited 0', () => {
    assert.deepEqual(
      verdict.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.error ?? 'not ok'}`),
      [],
    );
    assert.equal(verdict.exit_code, 0);
    // shutdown + exit from Neovim's client.stop(): the server leaves with code 0, no kill needed.
    assert.equal(verdict.stopped_gracefully, true, `server did not stop within 5 s of shutdown/exit: ${JSON.stringify(verdict.server_exit)}`);
    assert.deepEqual(verdict.server_exit, { code: 0, signal: 0 });
    assert.equal(exit.code, 0, `nvim exit code ${exit.code}; stderr: ${exit.stderr.slice(-2000)}`);
  });
});
