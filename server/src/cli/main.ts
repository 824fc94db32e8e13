/**
 * `pattern-atlas check|report|fix|lsp`: the same engine as the editor, on disk.
 * Exit codes: 0 no error-severity problem, 1 errors (or warnings with
 * --strict), 2 bad usage or an unreadable site (one-line reason on stderr).
 */
import path from 'node:path';
import { checkSite } from '../rules/index.ts';
import { RULE_CODES } from '../rules/codes.ts';
import { buildReport, renderReportMarkdown } from '../features/report.ts';
import { loadSite, type Site } from '../site/site.ts';
import { absDir, DiskWorkspace } from './disk-workspace.ts';
import { siteSummary, toGithub, toJson, toSarif, toText } from './format.ts';
import type { PatternDoc } from '../parse/types.ts';
import { cachedParser, fileIdentity, mermaidValidatorIdentity, PARSE_CACHE_VERSION, verdictCache, type VerdictCache } from './cache.ts';
import { fileStamps, fingerprint, readMemo, ReadOnceWorkspace, writeMemo, type Memo } from './result-memo.ts';
import { findMkdocsConfig } from '../site/mkdocs.ts';
import { checkSiteMermaid, type SiteMermaidStats } from '../mermaid/findings.ts';
import { getMermaidPool } from '../mermaid/pool.ts';
import { sortFindings } from '../rules/index.ts';

const VERSION = '0.1.0';

const USAGE = `Usage: pattern-atlas <command> [site-folder] [options]

Commands:
  check [dir]     Check the whole catalog (dir defaults to .; mkdocs.yml is found at or above it)
  report [dir]    Print the catalog report
  fix [dir]       Apply the preferred quick fix of every fixable problem (--dry-run: print a diff, write nothing)
  lsp             Start the language server on stdio (same as pattern-atlas-server --stdio)

Options:
  --format <f>    check: text (default) | json | sarif | github; report: markdown (default) | json
  --strict        check: exit 1 on warnings too
  --rule <code>   check, fix: only this rule (repeatable)
  --dry-run       fix: print a unified diff instead of writing
  --create-pages  fix: also create a page a nav entry or link wants, where that is the finding's
                  only fix (from the pattern template where patterns live)
  --no-mermaid    check: do not validate the Mermaid diagrams (rule mermaid-syntax)
  --no-cache      do not read or write the parse and Mermaid verdict caches or the last check's result
  -h, --help      this help;  -v, --version  the version`;

interface Args {
  command?: string;
  dir: string;
  format?: string;
  strict: boolean;
  cache: boolean;
  mermaid: boolean;
  rules: string[];
  dryRun?: boolean;
  createPages?: boolean;
}

function fail(msg: string): never {
  process.stderr.write(`pattern-atlas: ${msg}\n`);
  process.exit(2);
}

function parseArgs(argv: string[]): Args {
  const a: Args = { dir: '.', strict: false, cache: true, mermaid: true, rules: [] };
  const pos: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const x = argv[i];
    const value = () => {
      const v = x.includes('=') ? x.slice(x.indexOf('=') + 1) : argv[++i];
      if (v === undefined) fail(`${x} needs a value`);
      return v;
    };
    if (x === '-h' || x === '--help') {
      process.stdout.write(USAGE + '\n');
      process.exit(0);
    } else if (x === '-v' || x === '--version') {
      process.stdout.write(VERSION + '\n');
      process.exit(0);
    } else if (x === '--format' || x.startsWith('--format=')) a.format = value();
    else if (x === '--strict') a.strict = true;
    else if (x === '--no-cache') a.cache = false;
    else if (x === '--dry-run') a.dryRun = true;
    else if (x === '--create-pages') a.createPages = true;
    else if (x === '--no-mermaid') a.mermaid = false;
    else if (x === '--rule' || x.startsWith('--rule=')) a.rules.push(value());
    else if (x === '--stdio') pos.push('lsp');
    else if (x.startsWith('-')) fail(`unknown option ${x}\n${USAGE}`);
    else pos.push(x);
  }
  a.command = pos[0];
  if (pos[1]) a.dir = pos[1];
  if (pos.length > 2) fail(`too many arguments: ${pos.slice(2).join(' ')}`);
  return a;
}

export async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  if (!args.command) fail(`no command given\n${USAGE}`);
  if (args.command === 'lsp') {
    // The server's entry starts it. Built, this is dist/server-bundle.cjs (esbuild.mjs), so that the CLI bundle
    // does not carry the language-server stack every `check` would load and never run.
    await import('../lsp/main.ts');
    return -1;
  }
  if (args.command === 'fix') {
    const { runFix } = await import('../fixes/cli.ts');
    return runFix(args.dir, { dryRun: !!args.dryRun, rules: args.rules, cache: args.cache, createPages: !!args.createPages });
  }
  if (args.command !== 'check' && args.command !== 'report') fail(`unknown command '${args.command}'\n${USAGE}`);
  const formats = args.command === 'check' ? ['text', 'json', 'sarif', 'github'] : ['markdown', 'json'];
  const format = args.format ?? formats[0];
  if (!formats.includes(format)) fail(`--format must be one of ${formats.join(', ')} for ${args.command}`);
  for (const r of args.rules) if (!(RULE_CODES as readonly string[]).includes(r)) fail(`unknown rule '${r}' (known: ${RULE_CODES.join(', ')})`);

  const disk = new DiskWorkspace();
  const dir = absDir(args.dir);
  if (!disk.exists(dir)) fail(`${args.dir}: no such folder`);
  // Files are read once, whether for the fingerprint of the result memo or for the engine. Without the memo
  // nothing reads a file twice, and keeping every text for the whole run would only slow garbage collection.
  const ws = args.cache && args.command === 'check' ? new ReadOnceWorkspace(disk) : disk;
  let withMermaid = args.command === 'check' && args.mermaid && (!args.rules.length || args.rules.includes('mermaid-syntax'));
  // Which validator makes the Mermaid verdicts (part of both cache keys); '' without a worker bundle.
  const worker = withMermaid ? mermaidValidatorIdentity() : '';
  if (withMermaid && !worker) {
    // An incomplete install: say so once and check the rest, rather than fail the whole run.
    process.stderr.write('pattern-atlas: Mermaid diagrams are not validated: dist/mermaid-worker.mjs is missing beside the CLI (npm run build)\n');
    withMermaid = false;
  }
  const mkdocsPath = findMkdocsConfig(dir, ws);
  const root = mkdocsPath ? mkdocsPath.slice(0, mkdocsPath.lastIndexOf('/')) : dir;
  const validator = withMermaid && args.cache ? worker : '';
  // The result memo: answered by the files' stamps when none changed, else by their contents (result-memo.ts).
  const memoOn = args.cache && args.command === 'check';
  const salt = [VERSION, PARSE_CACHE_VERSION, fileIdentity(process.argv[1] ?? ''), withMermaid ? validator : 'no-mermaid', args.rules.join(',')].join('|');
  const stored = memoOn ? readMemo(root) : undefined;
  const stamps = memoOn ? fileStamps(ws, root, salt) : undefined;
  let memo: Memo | undefined;
  let memoKey: string | undefined;
  if (stored && stamps && stored.stamp === stamps.stamp) {
    memo = stored.memo;
    debugCache('result memo: hit by file stamps');
  } else if (memoOn) {
    memoKey = fingerprint(ws, root, salt);
    if (stored && memoKey && stored.key === memoKey) memo = stored.memo;
    debugCache(`result memo: ${memo ? 'hit by contents' : 'miss'}`);
  }
  let site: Site | undefined;
  // The caches only serve later runs: they are written once the output is (the user reads it meanwhile).
  let persist = (): void => {};
  // Same contents, new stamps (a checkout, a `touch`): store the stamps, so that the next run reads nothing.
  if (memo && memoKey && stamps?.trusted && stored?.stamp !== stamps.stamp) {
    const same = memo;
    const key = memoKey;
    persist = () => writeMemo(root, { key, stamp: stamps.stamp, memo: same });
  }
  if (!memo) {
    const parser = cachedParser(dir, args.cache);
    const store = withMermaid ? verdictCache(root, args.cache, validator) : undefined;
    // Nothing stored (a first run, or --no-cache as in CI): every diagram needs the worker, so it starts with the first
    // page that has one and loads Mermaid on the other core while the pages are read (corpus check with Mermaid,
    // 6 alternating runs: 4.26-4.79 -> 4.02-4.40 s).
    let warmed = false;
    const parse =
      store && store.known === 0
        ? (text: string): PatternDoc => {
            const doc = parser.parse(text);
            if (!warmed && doc.fences.some((f) => f.lang === 'mermaid')) {
              warmed = true;
              getMermaidPool().startWorkers();
            }
            return doc;
          }
        : parser.parse;
    const loaded = loadSite(ws, dir, { parse });
    if (!loaded.site) fail(loaded.error ?? 'cannot load the site');
    site = loaded.site;
    let findings = checkSite(site);
    if (store) findings = sortFindings([...findings, ...(await checkMermaid(site, disk, dir, store, warmed))]);
    if (args.rules.length) findings = findings.filter((f) => args.rules.includes(f.code));
    const fresh = { summary: siteSummary(site), findings };
    memo = fresh;
    persist = () => {
      parser.save();
      if (memoKey) writeMemo(root, { key: memoKey, stamp: stamps?.trusted ? stamps.stamp : undefined, memo: fresh });
    };
  }
  const { findings, summary } = memo;
  // Paths are printed relative to the current folder, so they are clickable.
  const rootRel = path.relative(process.cwd(), summary.root).split(path.sep).join('/');
  const prefix = rootRel ? rootRel + '/' : '';

  if (args.command === 'report') {
    const report = buildReport(site!, findings);
    process.stdout.write((format === 'json' ? JSON.stringify(report, null, 2) : renderReportMarkdown(report)) + '\n');
    persist();
    return 0;
  }
  if (format === 'json') process.stdout.write(JSON.stringify(toJson(summary, findings, rootRel || '.'), null, 2) + '\n');
  else if (format === 'sarif') process.stdout.write(JSON.stringify(toSarif(findings, prefix, VERSION), null, 2) + '\n');
  else if (format === 'github') process.stdout.write(toGithub(findings, prefix) + '\n');
  else process.stdout.write(toText(findings, prefix) + '\n');
  persist();
  const failing = findings.some((f) => f.severity === 'error' || (args.strict && f.severity === 'warning'));
  return failing ? 1 : 0;
}

/** `PATTERN_ATLAS_DEBUG_CACHE=1`: how the result memo answered, on stderr. */
function debugCache(msg: string): void {
  if (process.env.PATTERN_ATLAS_DEBUG_CACHE === '1') process.stderr.write(`pattern-atlas cache: ${msg}\n`);
}

/**
 * Every Mermaid block of the site, validated in the worker pool (one worker);
 * verdicts persist in the cache folder, so a warm run validates nothing (and
 * starts no worker). `PATTERN_ATLAS_DEBUG_MERMAID=1` prints the counts on stderr.
 */
async function checkMermaid(site: Site, ws: DiskWorkspace, dir: string, store: VerdictCache, started: boolean) {
  const t0 = performance.now();
  const stats: SiteMermaidStats = { pages: 0, blocks: 0, stored: 0, validated: 0 };
  try {
    const found = await checkSiteMermaid(site, (page) => ws.readFile(site.absPath(page.path)), { store, stats });
    store.save();
    return found;
  } finally {
    if (stats.validated || started) await getMermaidPool().dispose();
    if (process.env.PATTERN_ATLAS_DEBUG_MERMAID === '1') {
      process.stderr.write(`mermaid: ${stats.blocks} blocks in ${stats.pages} pages, ${stats.stored} from the cache, ${stats.validated} validated, ${Math.round(performance.now() - t0)} ms (${dir})\n`);
    }
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`pattern-atlas: internal error: ${String((e as Error)?.stack ?? e)}\n`);
    process.exit(2);
  },
);
