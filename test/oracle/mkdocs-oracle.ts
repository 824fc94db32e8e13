/**
 * MkDocs oracle: runs the real `mkdocs build` on a copy of a site and parses
 * what MkDocs itself reports (broken links, pages missing from the nav, ...).
 *
 * The build reproduces the setup described in the corpus README: the site's
 * `docs/` copied to a temp dir, and a trimmed `mkdocs.yml` holding only
 * site_name, docs_dir, use_directory_urls, the built-in `mkdocs` theme, a fixed
 * list of markdown extensions and the site's own top-level `nav:` block, copied
 * verbatim as text (so custom YAML tags elsewhere in the original config —
 * `!!python/name:...`, `!ENV` — never reach the YAML loader).
 *
 * MkDocs 1.4 (Debian bookworm) has no `validation:` option: it reports broken
 * relative links to files as WARNING and pages missing from the nav as INFO
 * (both visible without --verbose), and silently ignores links it does not
 * recognise (no '.' in the last path segment, absolute paths) and anchors.
 * For MkDocs >= 1.5 a `validation:` block is added that raises all of these to
 * a level visible in the log (anchors only from 1.6), and the 1.5+ message
 * formats are parsed as well.
 *
 * CLI:  node --import tsx test/oracle/mkdocs-oracle.ts <site> [--json] [--keep]
 */
import { spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface OracleLink {
  /** docs-relative path of the file holding the link (POSIX separators) */
  file: string;
  /**
   * For broken links: the docs-relative, normalised path MkDocs looked for
   * (MkDocs 1.4 only prints that, not the raw link text).
   * For unrecognized links / anchors: the link as written.
   */
  target: string;
}

export interface OracleResult {
  mkdocsVersion: string;
  /** one entry per occurrence reported by MkDocs, in log order (may repeat) */
  brokenLinks: OracleLink[];
  /** docs-relative paths of documentation pages not in the nav */
  notInNav: string[];
  /** nav entries that point to files that do not exist */
  navMissing: string[];
  /** relative links MkDocs did not recognise (MkDocs >= 1.5 only) */
  unrecognized: OracleLink[];
  /** links to missing anchors (MkDocs >= 1.6 only) */
  brokenAnchors: OracleLink[];
  /** WARNING/ERROR records not classified above */
  otherWarnings: string[];
  /** full combined stdout+stderr of `mkdocs build` (ANSI codes stripped) */
  raw: string;
  /** wall-clock seconds of the `mkdocs build` process */
  seconds: number;
}

export interface OracleOptions {
  /** mkdocs executable (default: $MKDOCS or `mkdocs`) */
  mkdocs?: string;
  /** keep the temp dir (its path is printed to stderr) */
  keepTemp?: boolean;
  /** kill the build after this many ms (default 15 minutes) */
  timeoutMs?: number;
  /** Called after a successful build with the temp dir (`docs/`, `mkdocs.yml`, the built `site/`), before it goes. */
  onBuilt?: (dir: string) => Promise<void> | void;
}

export type OracleSkipped = { skipped: string };

export const ORACLE_EXTENSIONS = [
  'tables',
  'attr_list',
  'admonition',
  'md_in_html',
  'pymdownx.superfences',
  'pymdownx.details',
  'pymdownx.tabbed',
];

interface RunOutput {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
  error?: NodeJS.ErrnoException;
}

function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', TERM: 'dumb', PYTHONUNBUFFERED: '1' };
  // mkdocs wraps log lines to the terminal width when it detects one; COLUMNS
  // would make it wrap even when piped.
  delete env.COLUMNS;
  delete env.LINES;
  return env;
}

function run(cmd: string, args: string[], cwd: string, timeoutMs: number): Promise<RunOutput> {
  return new Promise((resolvePromise) => {
    const chunks: Buffer[] = [];
    let settled = false;
    const child = spawn(cmd, args, { cwd, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (b: Buffer) => chunks.push(b));
    child.stderr.on('data', (b: Buffer) => chunks.push(b));
    const finish = (r: Omit<RunOutput, 'output'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolvePromise({ ...r, output: Buffer.concat(chunks).toString('utf8') });
    };
    child.on('error', (error: NodeJS.ErrnoException) => finish({ code: null, signal: null, error }));
    child.on('close', (code, signal) => finish({ code, signal }));
  });
}

/** `mkdocs --version` → "1.4.2", or a skip reason. */
export async function mkdocsVersion(mkdocs = process.env.MKDOCS || 'mkdocs'): Promise<string | OracleSkipped> {
  const r = await run(mkdocs, ['--version'], process.cwd(), 60_000);
  if (r.error) {
    return { skipped: r.error.code === 'ENOENT' ? `'${mkdocs}' is not on PATH` : `cannot run '${mkdocs}': ${r.error.message}` };
  }
  const m = /version\s+(\d+(?:\.\d+)*)/.exec(r.output);
  if (r.code !== 0 || !m) return { skipped: `'${mkdocs} --version' failed: ${r.output.trim()}` };
  return m[1];
}

function versionAtLeast(version: string, major: number, minor: number): boolean {
  const [a = 0, b = 0] = version.split('.').map(Number);
  return a > major || (a === major && b >= minor);
}

/**
 * The top-level `nav:` block of a mkdocs.yml, verbatim: the `nav:` line and
 * every following line up to the next top-level key. Lines at column 0 that
 * are blank, comments or `- ` sequence items (YAML allows a block sequence at
 * the parent key's indentation) belong to the block. Trailing blank/comment
 * lines are dropped. Returns undefined when there is no top-level nav.
 */
export function extractNavBlock(yamlText: string): string | undefined {
  const lines = yamlText.replace(/\r\n?/g, '\n').split('\n');
  const start = lines.findIndex((l) => /^nav\s*:/.test(l));
  if (start < 0) return undefined;
  let end = start + 1;
  while (end < lines.length) {
    const l = lines[end];
    if (l === '' || /^[\s#]/.test(l) || /^-(\s|$)/.test(l)) {
      end++;
      continue;
    }
    break; // next top-level key, document marker, ...
  }
  while (end > start + 1 && /^\s*(#.*)?$/.test(lines[end - 1])) end--;
  return lines.slice(start, end).join('\n') + '\n';
}

/** A top-level scalar `key: value` line of a mkdocs.yml, verbatim, if simple. */
function topLevelLine(yamlText: string, key: string): string | undefined {
  const m = new RegExp(`^${key}[ \\t]*:[ \\t]*(\\S.*)$`, 'm').exec(yamlText);
  return m ? `${key}: ${m[1].trim()}` : undefined;
}

function topLevelScalar(yamlText: string, key: string): string | undefined {
  const line = topLevelLine(yamlText, key);
  if (!line) return undefined;
  let v = line.slice(key.length + 1).trim();
  if (!/^['"]/.test(v)) v = v.replace(/\s+#.*$/, '');
  return v.replace(/^(['"])(.*)\1$/, '$2');
}

/** The trimmed mkdocs.yml the oracle builds with. */
export function buildOracleConfig(originalYaml: string | undefined, version: string): string {
  const out: string[] = [];
  out.push(topLevelLine(originalYaml ?? '', 'site_name') ?? 'site_name: Pattern Atlas oracle');
  out.push('docs_dir: docs');
  out.push('use_directory_urls: true');
  out.push('theme:', '  name: mkdocs');
  out.push('markdown_extensions:', ...ORACLE_EXTENSIONS.map((e) => `  - ${e}`));
  if (versionAtLeast(version, 1, 5)) {
    out.push(
      'validation:',
      '  nav:',
      '    omitted_files: info',
      '    not_found: warn',
      '    absolute_links: info',
      '  links:',
      '    not_found: warn',
      '    absolute_links: info',
      '    unrecognized_links: info',
    );
    if (versionAtLeast(version, 1, 6)) out.push('    anchors: info');
  }
  const nav = originalYaml === undefined ? undefined : extractNavBlock(originalYaml);
  let text = out.join('\n') + '\n';
  if (nav) text += nav;
  return text;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;
const RECORD = /^(DEBUG|INFO|WARNING|ERROR|CRITICAL)\s+-\s+(.*)$/;

export type ParsedLog = Omit<OracleResult, 'mkdocsVersion' | 'raw' | 'seconds'>;

/** Parse the log of `mkdocs build` (1.4 formats, plus 1.5/1.6 ones). */
export function parseMkdocsLog(raw: string): ParsedLog {
  const res: ParsedLog = {
    brokenLinks: [],
    notInNav: [],
    navMissing: [],
    unrecognized: [],
    brokenAnchors: [],
    otherWarnings: [],
  };
  const records: Array<{ level: string; text: string }> = [];
  for (const line of raw.replace(ANSI, '').replace(/\r\n?/g, '\n').split('\n')) {
    const m = RECORD.exec(line);
    if (m) records.push({ level: m[1], text: m[2] });
    else if (records.length && line.trim() !== '') records[records.length - 1].text += '\n' + line;
  }
  for (const { level, text } of records) {
    let m: RegExpExecArray | null;
    // 1.4: Documentation file 'a.md' contains a link to 'b.md' which is not found in the documentation files.
    if ((m = /^Documentation file '(.+?)' contains a link to '(.*?)' which is not found in the documentation files\.?$/s.exec(text))) {
      res.brokenLinks.push({ file: m[1], target: m[2] });
    // 1.5+: Doc file 'a.md' contains a link 'x', but the target 'b.md' is not found among documentation files.
    } else if ((m = /^Doc file '(.+?)' contains a link '(.*?)', but the target (?:'(.*?)' )?is not found among documentation files/s.exec(text))) {
      res.brokenLinks.push({ file: m[1], target: m[3] ?? m[2] });
    // 1.6: Doc file 'a.md' contains a link 'b.md#x', but the doc 'b.md' does not contain an anchor '#x'.
    } else if ((m = /^Doc file '(.+?)' contains a link '(.*?)', but (?:the doc '.*?' does not contain an anchor|there is no such anchor)/s.exec(text))) {
      res.brokenAnchors.push({ file: m[1], target: m[2] });
    // 1.5+: Doc file 'a.md' contains an unrecognized relative link 'foo/', it was left as is.
    } else if ((m = /^Doc file '(.+?)' contains an unrecognized relative link '(.*?)'/s.exec(text))) {
      res.unrecognized.push({ file: m[1], target: m[2] });
    } else if (/^The following pages exist in the docs directory, but are not included in the "nav" configuration:/.test(text)) {
      for (const l of text.split('\n').slice(1)) {
        const item = /^\s*-\s+(.+?)\s*$/.exec(l);
        if (item) res.notInNav.push(item[1].replace(/\\/g, '/'));
      }
    } else if ((m = /^A reference to '(.*?)' is included in the 'nav' configuration, which is not found in the documentation files/s.exec(text))
      || (m = /^A relative path to '(.*?)' is included in the 'nav' configuration, which is not found in the documentation files/s.exec(text))) {
      res.navMissing.push(m[1]);
    } else if (level === 'WARNING' || level === 'ERROR' || level === 'CRITICAL') {
      res.otherWarnings.push(`${level}: ${text}`);
    }
  }
  return res;
}

/** Distinct (file, target) pairs, in first-seen order. */
export function distinctLinks(links: OracleLink[]): OracleLink[] {
  const seen = new Set<string>();
  return links.filter((l) => {
    const k = `${l.file}\0${l.target}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

export async function runMkdocsOracle(siteDir: string, opts: OracleOptions = {}): Promise<OracleResult | OracleSkipped> {
  const mkdocs = opts.mkdocs ?? (process.env.MKDOCS || 'mkdocs');
  const version = await mkdocsVersion(mkdocs);
  if (typeof version !== 'string') return version;

  const site = resolve(siteDir);
  let originalYaml: string | undefined;
  for (const name of ['mkdocs.yml', 'mkdocs.yaml']) {
    if (await exists(join(site, name))) {
      originalYaml = await readFile(join(site, name), 'utf8');
      break;
    }
  }
  const docsName = (originalYaml && topLevelScalar(originalYaml, 'docs_dir')) || 'docs';
  const docsDir = resolve(site, docsName);
  if (!(await exists(docsDir))) throw new Error(`mkdocs oracle: no docs dir at ${docsDir}`);

  const tmp = await mkdtemp(join(tmpdir(), 'pa-mkdocs-oracle-'));
  try {
    await cp(docsDir, join(tmp, 'docs'), { recursive: true });
    const configPath = join(tmp, 'mkdocs.yml');
    await writeFile(configPath, buildOracleConfig(originalYaml, version));

    const t0 = performance.now();
    const r = await run(mkdocs, ['build', '-f', configPath, '-d', join(tmp, 'site')], tmp, opts.timeoutMs ?? 15 * 60_000);
    const seconds = Math.round((performance.now() - t0) / 10) / 100;
    const raw = r.output.replace(ANSI, '');
    if (r.error) return { skipped: `cannot run '${mkdocs}': ${r.error.message}` };
    if (r.code !== 0) {
      if (/No module named '?pymdownx|Failed to load extension 'pymdownx/.test(raw)) {
        return { skipped: 'pymdownx (python3-pymdownx) is not installed for mkdocs' };
      }
      throw new Error(`mkdocs build failed (code ${r.code}, signal ${r.signal}):\n${raw}`);
    }
    await opts.onBuilt?.(tmp);
    return { mkdocsVersion: version, ...parseMkdocsLog(raw), raw, seconds };
  } finally {
    if (opts.keepTemp) process.stderr.write(`mkdocs oracle: kept ${tmp}\n`);
    else await rm(tmp, { recursive: true, force: true });
  }
}

function summary(r: OracleResult): string {
  const md = r.brokenLinks.filter((l) => /\.md$/i.test(l.target));
  const pairs = distinctLinks(md);
  const lines = [
    `mkdocs ${r.mkdocsVersion}: build took ${r.seconds}s`,
    `broken links: ${r.brokenLinks.length} occurrences; to .md: ${md.length} occurrences, ` +
      `${pairs.length} distinct (file,target) pairs, ${new Set(md.map((l) => l.target)).size} distinct targets, ` +
      `${new Set(md.map((l) => l.file)).size} files`,
    ...pairs.map((l) => `  ${l.file} -> ${l.target}`),
    `not in nav: ${r.notInNav.length} pages (${r.notInNav.filter((p) => p.startsWith('patterns/')).length} under patterns/)`,
    `nav entries missing: ${r.navMissing.length}`,
    ...r.navMissing.map((p) => `  ${p}`),
    `unrecognized links: ${r.unrecognized.length}; broken anchors: ${r.brokenAnchors.length}; other warnings: ${r.otherWarnings.length}`,
    ...r.otherWarnings.map((w) => `  ${w.split('\n')[0]}`),
  ];
  return lines.join('\n');
}

async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  const keepTemp = argv.includes('--keep');
  const site = argv.find((a) => !a.startsWith('--'));
  if (!site) {
    process.stderr.write('usage: node --import tsx test/oracle/mkdocs-oracle.ts <site> [--json] [--keep]\n');
    return 2;
  }
  const r = await runMkdocsOracle(site, { keepTemp });
  if ('skipped' in r) {
    if (json) process.stdout.write(JSON.stringify(r, null, 2) + '\n');
    else process.stdout.write(`mkdocs oracle skipped: ${r.skipped}\n`);
    return 0;
  }
  process.stdout.write((json ? JSON.stringify(r, null, 2) : summary(r)) + '\n');
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
