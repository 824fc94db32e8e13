/**
 * `npm run bench` (last step): the language server under an LSP client, on the
 * shared corpus and on the 10x generated catalog (gen-catalog.ts, layout 'root').
 *
 * Per site, one server (spawned by test/lsp/client.ts as a PUSH client, the
 * server's fallback mode, so that publishDiagnostics can be timed), one run:
 *   start      spawn -> the server's "indexed N pages" log line, spawn ->
 *              the last publishDiagnostics of the startup burst (the server
 *              pushes only pages that HAVE findings, so "every page
 *              published" is every page with a finding; the burst is over
 *              when no new page is published for QUIET_MS), and spawn -> the
 *              server's log line saying its startup Mermaid validation ended
 *              (Mermaid's findings are validated off-thread after the
 *              others; "all diagnostics" is the last publish before that line).
 *   memory     VmRSS of the server process (/proc/<pid>/status) right after
 *              the startup burst, and again at the end.
 *   keystroke  on the largest page: 50 didChange (incremental, as editors
 *              send) each inserting one letter of a word typed at the end of
 *              a prose paragraph; after each, the time to that page's next
 *              publishDiagnostics. The server publishes only when a page's
 *              findings change, so when no push comes within PUSH_WAIT_MS
 *              the keystroke is counted as "no push" and measured instead by
 *              a textDocument/diagnostic pull sent right after the didChange
 *              (the server answers pulls after applying pending edits).
 *   completion inside a `- [Law` list item appended (didChange) to a pattern page, at its end
 *   hover      on a relative .md link target of that page
 *   references on that page's H1
 *   (3 warm-up requests each, not counted, then 50 measured, one at a time.)
 * The cold-check target of the engine (issue 2) is "within 2x the markdown-it
 * floor"; the floor is measured here too (bench.ts --worker floor), once
 * before the run above and in pairs with fresh server starts (floor, start,
 * floor, start, ...; `--start-pairs N`, default 5 on the corpus, 3 on the 10x
 * catalog): start → the last page with a rule finding published, start → all
 * diagnostics including Mermaid's, and the medians of the per-pair ratios.
 * Those starts run without caches (PATTERN_ATLAS_NO_CACHE=1, as every start
 * here but the next). Then as many pairs with the caches on: a floor run, a
 * first start in an empty cache folder (what a new user's first start costs,
 * the caches written), and a restart with the caches that start stored
 * (parse cache, Mermaid verdicts): what reopening the editor on an unchanged
 * site costs.
 *
 * Targets are printed next to the numbers, never asserted.
 * Output: Markdown on stdout, progress on stderr, JSON in .bench/lsp-results.json.
 * Options: --sites corpus,10x  --n 50  --factor 10
 * Environment: PATTERN_ATLAS_CORPUS, PATTERN_ATLAS_BENCH_OUT (as bench.ts).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as P from 'vscode-languageserver-protocol/node.js';
import { REPO, ensureBuilt, startClient, type Client } from '../lsp/client.ts';
import { docsDirOf, generateCatalog, listMarkdown } from './gen-catalog.ts';

const QUIET_MS = 2000;
const PUSH_WAIT_MS = 1500;
const WARMUP = 3;
/** Floor + server-start pairs on the corpus (half as many on the 10x catalog). */
const START_PAIRS = Number(process.argv.includes('--start-pairs') ? process.argv[process.argv.indexOf('--start-pairs') + 1] : 5);

const argv = process.argv.slice(2);
const opt = (name: string, def: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] ? argv[i + 1] : def;
};
const N = Number(opt('n', '50'));
const FACTOR = Number(opt('factor', '10'));
const SITES = opt('sites', 'corpus,10x').split(',');
const CORPUS = path.resolve(process.env.PATTERN_ATLAS_CORPUS ?? path.resolve(REPO, '../shared/corpus/dstudio-2025-07'));
const OUT = path.join(REPO, '.bench/lsp-results.json');

const progress = (s: string) => process.stderr.write(`[lsp-bench ${new Date().toISOString().slice(11, 19)}] ${s}\n`);

function pct(xs: number[], p: number): number | undefined {
  if (!xs.length) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}
const fmt = (ms: number | undefined) => (ms === undefined ? 'n/a' : ms < 10 ? `${ms.toFixed(2)} ms` : ms < 1000 ? `${ms.toFixed(1)} ms` : `${(ms / 1000).toFixed(2)} s`);
const fmtMb = (kb: number | undefined) => (kb === undefined ? 'n/a' : `${(kb / 1024).toFixed(0)} MB`);
const verdict = (ok: boolean | undefined) => (ok === undefined ? 'n/a' : ok ? 'met' : '**not met**');

/** The server process: the only child of this process while one client runs (node spawns it directly). */
function serverPid(): number | undefined {
  const kids: number[] = [];
  for (const t of fs.readdirSync('/proc/self/task')) {
    try {
      kids.push(...fs.readFileSync(`/proc/self/task/${t}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number));
    } catch {
      /* task gone */
    }
  }
  return kids.find((pid) => {
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('server.cjs');
    } catch {
      return false;
    }
  });
}
function rssKb(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  const m = /VmRSS:\s+(\d+)\s+kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : undefined;
}

function floorMs(docsDir: string): Promise<{ ms: number; files: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const out: Buffer[] = [];
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO, 'test/bench/bench.ts'), '--worker', 'floor', docsDir], { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`floor worker exited ${code}`));
      const r = JSON.parse(Buffer.concat(out).toString().trim().split('\n').pop()!);
      resolve({ ms: r.totalMs, files: r.files, bytes: r.bytes });
    });
  });
}

interface Lat {
  p50?: number;
  p95?: number;
  n: number;
  note?: string;
}
const lat = (xs: number[], note?: string): Lat => ({ p50: pct(xs, 50), p95: pct(xs, 95), n: xs.length, ...(note ? { note } : {}) });

interface SiteResult {
  site: string;
  root: string;
  /** Floor runs and server starts (spawn → last rule diagnostics), in turns. */
  startPairs?: Array<{ floorMs: number; startMs: number; allMs?: number }>;
  /** Floor runs and restarts with the caches an earlier start stored (parse cache, Mermaid verdicts), in turns. */
  restartPairs?: Array<{ floorMs: number; startMs: number; allMs?: number }>;
  /** The starts that stored those caches (caches on, an empty cache folder each time), with the same floor runs. */
  firstStartPairs?: Array<{ floorMs: number; startMs: number; allMs?: number }>;
  /** Spawn → the server's line saying its startup Mermaid validation ended (the main run). */
  startToMermaidDoneMs?: number;
  pages?: number;
  mdFiles?: number;
  bytes?: number;
  floorMs?: number;
  startToIndexedMs?: number;
  startToDiagnosticsMs?: number;
  startToRuleDiagnosticsMs?: number;
  pagesWithRuleFindings?: number;
  pagesPublishedAtStart?: number;
  pagesPublishedLater?: number;
  serverLog?: string;
  rssAfterIndexKb?: number;
  rssEndKb?: number;
  largestPage?: { file: string; bytes: number };
  keystroke?: Lat & { pushed: number; pulled: number; pushMs: number[]; pullMs: number[]; pushAtFinding: Lat };
  completion?: Lat & { items?: number };
  hover?: Lat;
  references?: Lat & { count?: number };
  patternPage?: string;
  errors: string[];
}

/** A line of prose: a paragraph line outside fences, frontmatter, tables, lists, headings, admonitions and HTML. */
function proseLine(lines: string[]): number {
  let inFence = false;
  let inFront = lines[0]?.trim() === '---';
  let best = -1;
  for (let i = inFront ? 1 : 0; i < lines.length; i++) {
    const l = lines[i];
    if (inFront) {
      if (l.trim() === '---') inFront = false;
      continue;
    }
    if (/^\s*(```|~~~)/.test(l)) {
      inFence = !inFence;
      continue;
    }
    if (inFence) continue;
    if (/^[A-Za-z]/.test(l) && l.length > 60 && !l.includes('|') && !l.includes('<') && /[.!?]$/.test(l.trim())) {
      best = i;
      if (i > lines.length / 3) break; // somewhere in the body, not only the intro
    }
  }
  return best;
}

async function timeIt(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

/** The server's line when its startup Mermaid validation has ended (every page's verdicts merged and published). */
const MERMAID_DONE = /Mermaid: diagrams of \d+ pages checked/;

/**
 * One server start, timed to the last page whose first publish carries a rule
 * finding (not only Mermaid's): spawn, the "indexed" log, then until no such
 * page is added for 500 ms (the rules' diagnostics go out in one burst right
 * after the log). With `all`, also to the last publish before the server's
 * line saying its startup Mermaid validation has ended. The server is
 * stopped after (which stores its caches when they are on).
 */
async function startSample(root: string, opts: { env?: Record<string, string>; all?: boolean } = {}): Promise<{ rules: number; all?: number }> {
  const c = await startClient(root, { pull: false, env: opts.env });
  const t0 = c.spawnedAt; // the clock starts at spawn, not at the client's build check
  try {
    const firstRule = new Map<string, number>();
    const onMsg = () => {
      if (firstRule.size < c.pushed.size) for (const [u, ds] of c.pushed) if (!firstRule.has(u) && ds.some((d) => d.code !== 'mermaid-syntax')) firstRule.set(u, performance.now());
      return false;
    };
    void c.waitFor('(tracker)', onMsg, 24 * 3600e3).catch(() => {});
    await c.waitFor('indexed log', () => c.logs.find((l) => /indexed \d+ pages/.test(l)), 20 * 60e3);
    let seen = -1;
    let since = performance.now();
    while (performance.now() - since < 500) {
      await new Promise((res) => setTimeout(res, 20));
      onMsg();
      if (firstRule.size !== seen) {
        seen = firstRule.size;
        since = performance.now();
      }
    }
    if (!firstRule.size) throw new Error('no rule diagnostics were published');
    const rules = Math.max(...firstRule.values()) - t0;
    if (!opts.all) return { rules };
    await c.waitFor('the Mermaid log line', () => c.logs.find((l) => MERMAID_DONE.test(l)), 20 * 60e3);
    return { rules, all: c.lastPublishAt - t0 };
  } finally {
    await c.stop().catch(() => undefined);
  }
}

async function runSite(key: string, root: string): Promise<SiteResult> {
  const r: SiteResult = { site: key, root, errors: [] };
  const docsDir = path.join(root, docsDirOf(fs.readFileSync(path.join(root, 'mkdocs.yml'), 'utf8')));
  const md = listMarkdown(docsDir);
  r.mdFiles = md.length;
  let largest = { file: '', bytes: -1 };
  let bytes = 0;
  for (const f of md) {
    const b = fs.statSync(path.join(docsDir, f)).size;
    bytes += b;
    if (b > largest.bytes) largest = { file: f, bytes: b };
  }
  r.bytes = bytes;
  r.largestPage = largest;

  try {
    progress(`${key}: markdown-it floor (one run)…`);
    r.floorMs = (await floorMs(docsDir)).ms;
    progress(`${key}: floor ${fmt(r.floorMs)}`);
  } catch (e) {
    r.errors.push(`floor: ${(e as Error).message}`);
  }

  await ensureBuilt();
  // Server start against the floor, in turns (floor, start, floor, start, ...): the ratio is taken per pair.
  const pairs = key === 'corpus' ? START_PAIRS : Math.max(1, Math.ceil(START_PAIRS / 2));
  r.startPairs = [];
  for (let i = 0; i < pairs; i++) {
    try {
      const f = (await floorMs(docsDir)).ms;
      const s = await startSample(root, { all: true });
      r.startPairs.push({ floorMs: f, startMs: s.rules, allMs: s.all });
      progress(`${key}: pair ${i + 1}/${pairs}: floor ${fmt(f)}, server start → rule diagnostics ${fmt(s.rules)} (${(s.rules / f).toFixed(2)}×), → all incl. Mermaid ${fmt(s.all)} (${(s.all! / f).toFixed(2)}×)`);
    } catch (e) {
      r.errors.push(`start pair ${i + 1}: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  // First starts with the caches on (an empty cache folder each time: what a new user's first start costs, caches
  // written), then a restart with the caches that start stored: what reopening the editor on an unchanged site costs.
  r.firstStartPairs = [];
  r.restartPairs = [];
  for (let i = 0; i < pairs; i++) {
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pattern-atlas-bench-cache-'));
    const env = { PATTERN_ATLAS_NO_CACHE: '0', PATTERN_ATLAS_CACHE_DIR: cacheDir };
    try {
      const f = (await floorMs(docsDir)).ms;
      const first = await startSample(root, { env, all: true });
      const again = await startSample(root, { env, all: true });
      r.firstStartPairs.push({ floorMs: f, startMs: first.rules, allMs: first.all });
      r.restartPairs.push({ floorMs: f, startMs: again.rules, allMs: again.all });
      progress(`${key}: caches on ${i + 1}/${pairs}: floor ${fmt(f)}, first start → rules ${fmt(first.rules)}, all ${fmt(first.all)}; restart → all ${fmt(again.all)} (${(again.all! / f).toFixed(2)}×)`);
    } catch (e) {
      r.errors.push(`caches-on pair ${i + 1}: ${(e as Error).message.split('\n')[0]}`);
    } finally {
      fs.rmSync(cacheDir, { recursive: true, force: true });
    }
  }
  progress(`${key}: starting the server (push client)…`);
  let t0 = performance.now();
  let c: Client | undefined;
  try {
    c = await startClient(root, { pull: false });
    t0 = c.spawnedAt;
    const client = c;
    const pid = serverPid();
    // Timestamps of the first publish of each URI.
    const firstPush = new Map<string, number>();
    let lastSize = 0;
    // First publish of each URI carrying a finding other than mermaid-syntax (the rules' findings, out before Mermaid's).
    const firstRule = new Map<string, number>();
    const onMsg = () => {
      const now = performance.now();
      if (client.pushed.size !== lastSize) {
        for (const u of client.pushed.keys()) if (!firstPush.has(u)) firstPush.set(u, now);
        lastSize = client.pushed.size;
      }
      if (firstRule.size < client.pushed.size) {
        for (const [u, ds] of client.pushed) if (!firstRule.has(u) && ds.some((d) => d.code !== 'mermaid-syntax')) firstRule.set(u, now);
      }
      return false;
    };
    // A never-resolving waiter, to be told of every message (removed at stop by the timeout's unref).
    void client.waitFor('(tracker)', onMsg, 24 * 3600e3).catch(() => {});
    const log = await client.waitFor('indexed log', () => client.logs.find((l) => /indexed \d+ pages/.test(l)), 20 * 60e3);
    r.startToIndexedMs = performance.now() - t0;
    r.serverLog = log;
    r.pages = Number(/indexed (\d+) pages/.exec(log)![1]);
    progress(`${key}: ${log}`);
    // The burst: wait until no new page is published for QUIET_MS.
    let seen = -1;
    let stableSince = performance.now();
    while (performance.now() - stableSince < QUIET_MS) {
      await new Promise((res) => setTimeout(res, 50));
      onMsg();
      if (firstPush.size !== seen) {
        seen = firstPush.size;
        stableSince = performance.now();
      }
    }
    const done = await client.waitFor('the Mermaid log line', () => client.logs.find((l) => MERMAID_DONE.test(l)), 20 * 60e3);
    r.startToMermaidDoneMs = performance.now() - t0;
    progress(`${key}: ${done}`);
    const ruleTimes = [...firstRule.values()];
    r.startToRuleDiagnosticsMs = ruleTimes.length ? Math.max(...ruleTimes) - t0 : undefined;
    r.pagesWithRuleFindings = firstRule.size;
    r.startToDiagnosticsMs = client.lastPublishAt ? client.lastPublishAt - t0 : r.startToIndexedMs;
    r.pagesPublishedAtStart = firstPush.size;
    r.rssAfterIndexKb = rssKb(pid);
    progress(`${key}: rule findings of ${firstRule.size} pages published in ${fmt(r.startToRuleDiagnosticsMs)}; ${firstPush.size} pages in ${fmt(r.startToDiagnosticsMs)}; RSS ${fmtMb(r.rssAfterIndexKb)}`);
    const atStart = firstPush.size;

    // ------------------------------------------------------------ keystroke
    try {
      const rel = path.relative(root, path.join(docsDir, largest.file));
      const uri = client.uri(rel);
      let text = await client.open(rel);
      await client.pull(rel).catch(() => undefined); // opened and synced before the first keystroke
      const lines = text.split('\n');
      const line = proseLine(lines);
      if (line < 0) throw new Error(`no prose line found in ${rel}`);
      let version = 1;
      const type = async (ln: number, at: number, letter: string) =>
        client.conn.sendNotification(P.DidChangeTextDocumentNotification.type, {
          textDocument: { uri, version: ++version },
          contentChanges: [{ range: { start: { line: ln, character: at }, end: { line: ln, character: at } }, text: letter }],
        });
      const word = ' consistently asynchronous replication benchmark xyz'.padEnd(N, 's').slice(0, N);
      // 1) Prose: the server pushes only when findings change, so after a few keystrokes without a push, time pulls.
      let ch = lines[line].length;
      const pushMs: number[] = [];
      const pullMs: number[] = [];
      const all: number[] = [];
      let misses = 0;
      for (let i = 0; all.length < N; i++) {
        const before = client.pushed.get(uri);
        const t = performance.now();
        await type(line, ch++, word[i % word.length]);
        if (misses < 3) {
          const got = await client.waitFor('push', () => client.pushed.get(uri) !== before, PUSH_WAIT_MS).then(
            () => performance.now() - t,
            () => undefined,
          );
          if (got !== undefined) {
            misses = 0;
            pushMs.push(got);
            all.push(got);
            continue;
          }
          misses++;
          // This keystroke was not timed; time a pull after the next one.
          continue;
        }
        await client.pull(rel);
        const d = performance.now() - t;
        pullMs.push(d);
        all.push(d);
      }
      // 2) Push: letters typed just before a finding (its range moves, so the page is published again), on the
      //    largest page when it has one, else on the largest page that has a pushed finding.
      const onLine = (d: P.Diagnostic) => d.range.start.line === d.range.end.line && d.range.start.character > 0;
      let pushRel = rel;
      let diag = (client.pushed.get(uri) ?? []).find((d) => onLine(d) && d.range.start.line !== line);
      if (!diag) {
        const bySize = md.map((f) => ({ f, b: fs.statSync(path.join(docsDir, f)).size })).sort((x, y) => y.b - x.b);
        for (const { f } of bySize) {
          const rf = path.relative(root, path.join(docsDir, f));
          diag = (client.pushed.get(client.uri(rf)) ?? []).find(onLine);
          if (diag) {
            pushRel = rf;
            await client.open(rf);
            await client.pull(rf).catch(() => undefined);
            break;
          }
        }
      }
      const pushUri = client.uri(pushRel);
      const pushAtFinding: number[] = [];
      let pushAtNote: string | undefined;
      if (diag) {
        const ln = diag.range.start.line;
        let at = diag.range.start.character;
        pushAtNote = `before ${diag.code} at ${pushRel}:${ln + 1}:${at + 1} (${(fs.statSync(path.join(root, pushRel)).size / 1000).toFixed(0)} KB)`;
        let v = 1;
        for (let i = 0; i < N; i++) {
          const before = client.pushed.get(pushUri);
          const t = performance.now();
          if (pushRel === rel) await type(ln, at, 'x');
          else {
            await client.conn.sendNotification(P.DidChangeTextDocumentNotification.type, {
              textDocument: { uri: pushUri, version: ++v },
              contentChanges: [{ range: { start: { line: ln, character: at }, end: { line: ln, character: at } }, text: 'x' }],
            });
          }
          at++;
          const got = await client.waitFor('push', () => client.pushed.get(pushUri) !== before, 5000).then(
            () => performance.now() - t,
            () => undefined,
          );
          if (got === undefined) {
            pushAtNote += `; no push after keystroke ${i + 1}, stopped`;
            break;
          }
          pushAtFinding.push(got);
        }
      }
      text = '';
      r.keystroke = { ...lat(all), pushed: pushMs.length, pulled: pullMs.length, pushMs, pullMs, note: `line ${line + 1} of ${rel}`, pushAtFinding: { ...lat(pushAtFinding), note: pushAtNote ?? 'no finding on the page' } };
      progress(`${key}: keystroke p50 ${fmt(r.keystroke.p50)} p95 ${fmt(r.keystroke.p95)} (${pushMs.length} pushed, ${pullMs.length} by pull)`);
    } catch (e) {
      r.errors.push(`keystroke: ${(e as Error).message.split('\n')[0]}`);
    }

    // ------------------------------------------------------------ completion, hover, references
    try {
      const hasLink = (t: string) => /\]\((?!https?:|#|mailto:)[^)\s]+\)/.test(t);
      const isPattern = (f: string) => {
        const t = fs.readFileSync(path.join(docsDir, f), 'utf8');
        return /^type:\s*pattern\s*$/m.test(t) && /^# /m.test(t) && hasLink(t);
      };
      // The corpus' best-known pattern page when there, else the first page with `type: pattern`.
      const pick = ['patterns/circuit-breaker.md'].find((f) => md.includes(f) && isPattern(f)) ?? md.find(isPattern);
      if (!pick) throw new Error('no pattern page found');
      const rel = path.relative(root, path.join(docsDir, pick));
      r.patternPage = rel;
      const uri = client.uri(rel);
      const text = await client.open(rel);
      const withItem = text.replace(/\n*$/, '\n\n- [Law');
      await client.change(rel, withItem);
      const lines = withItem.split('\n');
      const compPos = { line: lines.length - 1, character: lines[lines.length - 1].length };
      const textDocument = { uri };

      let items = 0;
      const comp = async () => {
        const res = await client.conn.sendRequest(P.CompletionRequest.type, { textDocument, position: compPos });
        items = Array.isArray(res) ? res.length : (res?.items.length ?? 0);
      };
      for (let i = 0; i < WARMUP; i++) await comp();
      const compMs: number[] = [];
      for (let i = 0; i < N; i++) compMs.push(await timeIt(comp));
      r.completion = { ...lat(compMs), items };
      progress(`${key}: completion p50 ${fmt(r.completion.p50)} p95 ${fmt(r.completion.p95)} (${items} items)`);

      // hover on a relative .md link target
      let hoverPos: P.Position | undefined;
      for (let i = 0; i < lines.length && !hoverPos; i++) {
        const m = /\]\(((?!https?:|#|mailto:)[^)\s]*[a-z][^)\s]*)\)/.exec(lines[i]);
        if (m) hoverPos = { line: i, character: m.index + 2 + Math.floor(m[1].length / 2) };
      }
      if (hoverPos) {
        let nonNull = 0;
        const hov = async () => {
          if (await client.conn.sendRequest(P.HoverRequest.type, { textDocument, position: hoverPos! })) nonNull++;
        };
        for (let i = 0; i < WARMUP; i++) await hov();
        nonNull = 0;
        const hoverMs: number[] = [];
        for (let i = 0; i < N; i++) hoverMs.push(await timeIt(hov));
        r.hover = lat(hoverMs, `${nonNull}/${N} non-empty, at ${hoverPos.line + 1}:${hoverPos.character + 1}`);
        progress(`${key}: hover p50 ${fmt(r.hover.p50)} p95 ${fmt(r.hover.p95)} (${r.hover.note})`);
      } else r.errors.push('hover: no local link on the page');

      const h1 = lines.findIndex((l) => /^# /.test(l));
      const refPos = { line: h1, character: 3 };
      let count = 0;
      const refs = async () => {
        const res = await client.conn.sendRequest(P.ReferencesRequest.type, { textDocument, position: refPos, context: { includeDeclaration: false } });
        count = res?.length ?? 0;
      };
      for (let i = 0; i < WARMUP; i++) await refs();
      const refMs: number[] = [];
      for (let i = 0; i < N; i++) refMs.push(await timeIt(refs));
      r.references = { ...lat(refMs), count };
      progress(`${key}: references p50 ${fmt(r.references.p50)} p95 ${fmt(r.references.p95)} (${count} references)`);
    } catch (e) {
      r.errors.push(`requests: ${(e as Error).message.split('\n')[0]}`);
    }
    onMsg();
    r.pagesPublishedLater = firstPush.size - atStart;
    r.rssEndKb = rssKb(pid);
  } catch (e) {
    r.errors.push(`server: ${(e as Error).message.split('\n')[0]}`);
  } finally {
    await c?.stop().catch(() => undefined);
  }
  return r;
}

async function main(): Promise<void> {
  const load0 = os.loadavg();
  const results: SiteResult[] = [];
  if (!fs.existsSync(path.join(CORPUS, 'mkdocs.yml'))) {
    progress(`corpus not found at ${CORPUS}: nothing to measure`);
    return;
  }
  for (const s of SITES) {
    if (s === 'corpus') results.push(await runSite('corpus', CORPUS));
    else if (s === '10x') {
      const outBase = process.env.PATTERN_ATLAS_BENCH_OUT ?? path.join(os.tmpdir(), 'pattern-atlas-bench');
      const g = generateCatalog(CORPUS, path.join(outBase, `${path.basename(CORPUS)}-x${FACTOR}`), FACTOR, { layout: 'root' });
      progress(`10x catalog ${g.reused ? 'reused' : `generated in ${fmt(g.ms)}`} at ${g.root}`);
      results.push(await runSite('10x', g.root));
    }
  }
  const load1 = os.loadavg();

  const by = (k: string) => results.find((r) => r.site === k);
  const one = by('corpus');
  const ten = by('10x');
  const L: string[] = [];
  L.push('## Language server (push client; `test/bench/lsp-bench.ts`)', '');
  L.push(`Load average at start ${load0.map((x) => x.toFixed(2)).join(' ')}, at end ${load1.map((x) => x.toFixed(2)).join(' ')} (${os.cpus().length} cores). ${N} measured requests per latency (after ${WARMUP} warm-ups); start-up: 1 run with the latencies, plus the paired starts.`, '');
  const cols = results.map((r) => r.site);
  L.push(`| measure | ${cols.join(' | ')} | target |`, `|---|${cols.map(() => '---|').join('')}---|`);
  const row = (name: string, f: (r: SiteResult) => string, target = '') => L.push(`| ${name} | ${results.map(f).join(' | ')} | ${target} |`);
  row('pages (server) / .md files / MB', (r) => `${r.pages ?? '?'} / ${r.mdFiles} / ${((r.bytes ?? 0) / 1e6).toFixed(1)}`);
  row('markdown-it floor (1 run)', (r) => fmt(r.floorMs));
  row('start → "indexed" log', (r) => fmt(r.startToIndexedMs));
  row('start → rule diagnostics published (this run)', (r) => `${fmt(r.startToRuleDiagnosticsMs)} (${r.pagesWithRuleFindings ?? '?'} pages)`);
  row('  ratio to floor (this run)', (r) => (r.floorMs && r.startToRuleDiagnosticsMs ? `${(r.startToRuleDiagnosticsMs / r.floorMs).toFixed(2)}×` : 'n/a'));
  const medianOf = (xs: number[]) => pct(xs, 50);
  row('start → rule diagnostics, median of paired runs (floor / start / ratio per pair)', (r) =>
    r.startPairs?.length
      ? `${fmt(medianOf(r.startPairs.map((p) => p.startMs)))}; ratio ${medianOf(r.startPairs.map((p) => p.startMs / p.floorMs))!.toFixed(2)}× ${verdict(medianOf(r.startPairs.map((p) => p.startMs / p.floorMs))! <= 2)} (${r.startPairs.map((p) => `${fmt(p.floorMs)}/${fmt(p.startMs)}/${(p.startMs / p.floorMs).toFixed(2)}×`).join(', ')})`
      : 'n/a',
    '≤ 2× floor (engine cold check)',
  );
  const pairs = (ps: Array<{ floorMs: number; startMs: number; allMs?: number }> | undefined, ms: (p: { floorMs: number; startMs: number; allMs?: number }) => number | undefined) => {
    const ok = (ps ?? []).filter((p) => ms(p) !== undefined);
    if (!ok.length) return 'n/a';
    const ratio = medianOf(ok.map((p) => ms(p)! / p.floorMs))!;
    return `${fmt(medianOf(ok.map((p) => ms(p)!)))}; ratio ${ratio.toFixed(2)}× ${verdict(ratio <= 2)} (${ok.map((p) => `${(ms(p)! / p.floorMs).toFixed(2)}×`).join(', ')})`;
  };
  row('start → all diagnostics incl. Mermaid, median of the paired runs (last publish before the server says its Mermaid validation ended)', (r) => pairs(r.startPairs, (p) => p.allMs), '≤ 2× floor');
  row('  this run: last publish / Mermaid done (server log)', (r) => `${fmt(r.startToDiagnosticsMs)} / ${fmt(r.startToMermaidDoneMs)} (${r.pagesPublishedAtStart ?? '?'} pages with findings)`);
  row('first start with the caches on (empty cache folder) → rule diagnostics, paired', (r) => pairs(r.firstStartPairs, (p) => p.startMs), '≤ 2× floor');
  row('first start with the caches on (empty cache folder) → all diagnostics incl. Mermaid, paired', (r) => pairs(r.firstStartPairs, (p) => p.allMs), '≤ 2× floor');
  row('restart with the caches of an earlier start → rule diagnostics, paired', (r) => pairs(r.restartPairs, (p) => p.startMs), '≤ 2× floor');
  row('restart with the caches of an earlier start → all diagnostics incl. Mermaid, paired', (r) => pairs(r.restartPairs, (p) => p.allMs), '≤ 2× floor');
  row('keystroke → diagnostics p50 / p95 (largest page)', (r) => (r.keystroke ? `${fmt(r.keystroke.p50)} / ${fmt(r.keystroke.p95)} ${verdict((r.keystroke.p95 ?? Infinity) < 50)}` : 'n/a'), 'p95 < 50 ms');
  row('  by push / by pull', (r) => (r.keystroke ? `${r.keystroke.pushed} / ${r.keystroke.pulled}` : 'n/a'));
  row('  push only p50 / p95', (r) => (r.keystroke ? `${fmt(pct(r.keystroke.pushMs, 50))} / ${fmt(pct(r.keystroke.pushMs, 95))}` : 'n/a'));
  row('  push, typing before a finding p50 / p95', (r) => (r.keystroke ? `${fmt(r.keystroke.pushAtFinding.p50)} / ${fmt(r.keystroke.pushAtFinding.p95)} ${verdict(r.keystroke.pushAtFinding.p95 === undefined ? undefined : r.keystroke.pushAtFinding.p95 < 50)} (n=${r.keystroke.pushAtFinding.n}; ${r.keystroke.pushAtFinding.note})` : 'n/a'), 'p95 < 50 ms');
  row('  pull only p50 / p95', (r) => (r.keystroke ? `${fmt(pct(r.keystroke.pullMs, 50))} / ${fmt(pct(r.keystroke.pullMs, 95))}` : 'n/a'));
  row('completion `- [Law` p50 / p95', (r) => (r.completion ? `${fmt(r.completion.p50)} / ${fmt(r.completion.p95)} ${verdict((r.completion.p95 ?? Infinity) < 10)} (${r.completion.items} items)` : 'n/a'), 'p95 < 10 ms');
  row('hover on link target p50 / p95', (r) => (r.hover ? `${fmt(r.hover.p50)} / ${fmt(r.hover.p95)} ${verdict((r.hover.p95 ?? Infinity) < 10)}` : 'n/a'), 'p95 < 10 ms');
  row('references on H1 p50 / p95', (r) => (r.references ? `${fmt(r.references.p50)} / ${fmt(r.references.p95)} (${r.references.count} refs)` : 'n/a'));
  row('RSS after indexing', (r) => fmtMb(r.rssAfterIndexKb));
  row('RSS at the end', (r) => fmtMb(r.rssEndKb));
  let memRatio: number | undefined;
  let byteRatio: number | undefined;
  if (one?.rssAfterIndexKb && ten?.rssAfterIndexKb && one.bytes && ten.bytes) {
    memRatio = ten.rssAfterIndexKb / one.rssAfterIndexKb;
    byteRatio = ten.bytes / one.bytes;
    L.push('', `Memory growth 10x/1x: ${memRatio.toFixed(2)}× for ${byteRatio.toFixed(2)}× the bytes; target linear (≤ ~${(FACTOR * 1.2).toFixed(0)}×): ${verdict(memRatio <= FACTOR * 1.2)}.`);
  }
  L.push('');
  for (const r of results) {
    L.push(`- ${r.site}: largest page ${r.largestPage?.file} (${((r.largestPage?.bytes ?? 0) / 1000).toFixed(0)} KB)${r.keystroke?.note ? `, typed at ${r.keystroke.note}` : ''}; pattern page ${r.patternPage ?? '?'}${r.hover?.note ? `; hover ${r.hover.note}` : ''}; ${r.pagesPublishedLater ?? 0} more pages published after the startup burst (Mermaid, edits)`);
    if (r.serverLog) L.push(`  - server: ${r.serverLog}`);
    for (const e of r.errors) L.push(`  - error: ${e}`);
  }
  process.stdout.write(L.join('\n') + '\n');
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.writeFileSync(OUT, JSON.stringify({ date: new Date().toISOString(), loadavg: { start: load0, end: load1 }, cores: os.cpus().length, n: N, results, memory: { ratio: memRatio, byteRatio } }, null, 2) + '\n');
  progress(`wrote ${path.relative(REPO, OUT)}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  main().then(
    () => process.exit(0),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
