/**
 * `pattern-atlas check|report|lsp`: the same engine as the editor, on disk.
 * Exit codes: 0 no error-severity problem, 1 errors (or warnings with
 * --strict), 2 bad usage or an unreadable site (one-line reason on stderr).
 */
import path from 'node:path';
import { checkSite } from '../rules/index.ts';
import { RULE_CODES } from '../rules/codes.ts';
import { buildReport, renderReportMarkdown } from '../features/report.ts';
import { loadSite } from '../site/site.ts';
import { absDir, DiskWorkspace } from './disk-workspace.ts';
import { toGithub, toJson, toSarif, toText } from './format.ts';
import { cachedParser } from './cache.ts';

const VERSION = '0.1.0';

const USAGE = `Usage: pattern-atlas <command> [site-folder] [options]

Commands:
  check [dir]     Check the whole catalog (dir defaults to .; mkdocs.yml is found at or above it)
  report [dir]    Print the catalog report
  lsp             Start the language server on stdio (same as pattern-atlas-server --stdio)

Options:
  --format <f>    check: text (default) | json | sarif | github; report: markdown (default) | json
  --strict        check: exit 1 on warnings too
  --rule <code>   check: only this rule (repeatable)
  --no-cache      do not read or write the parse cache
  -h, --help      this help;  -v, --version  the version`;

interface Args {
  command?: string;
  dir: string;
  format?: string;
  strict: boolean;
  cache: boolean;
  rules: string[];
}

function fail(msg: string): never {
  process.stderr.write(`pattern-atlas: ${msg}\n`);
  process.exit(2);
}

function parseArgs(argv: string[]): Args {
  const a: Args = { dir: '.', strict: false, cache: true, rules: [] };
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
    const { startServer } = await import('../lsp/server.ts');
    startServer();
    return -1;
  }
  if (args.command !== 'check' && args.command !== 'report') fail(`unknown command '${args.command}'\n${USAGE}`);
  const formats = args.command === 'check' ? ['text', 'json', 'sarif', 'github'] : ['markdown', 'json'];
  const format = args.format ?? formats[0];
  if (!formats.includes(format)) fail(`--format must be one of ${formats.join(', ')} for ${args.command}`);
  for (const r of args.rules) if (!(RULE_CODES as readonly string[]).includes(r)) fail(`unknown rule '${r}' (known: ${RULE_CODES.join(', ')})`);

  const ws = new DiskWorkspace();
  const dir = absDir(args.dir);
  if (!ws.exists(dir)) fail(`${args.dir}: no such folder`);
  const parser = cachedParser(dir, args.cache);
  const loaded = loadSite(ws, dir, { parse: parser.parse });
  if (!loaded.site) fail(loaded.error ?? 'cannot load the site');
  parser.save();
  const site = loaded.site;
  let findings = checkSite(site);
  if (args.rules.length) findings = findings.filter((f) => args.rules.includes(f.code));
  // Paths are printed relative to the current folder, so they are clickable.
  const rootRel = path.relative(process.cwd(), site.root).split(path.sep).join('/');
  const prefix = rootRel ? rootRel + '/' : '';

  if (args.command === 'report') {
    const report = buildReport(site, findings);
    process.stdout.write((format === 'json' ? JSON.stringify(report, null, 2) : renderReportMarkdown(report)) + '\n');
    return 0;
  }
  if (format === 'json') process.stdout.write(JSON.stringify(toJson(site, findings, rootRel || '.'), null, 2) + '\n');
  else if (format === 'sarif') process.stdout.write(JSON.stringify(toSarif(findings, prefix, VERSION), null, 2) + '\n');
  else if (format === 'github') process.stdout.write(toGithub(findings, prefix) + '\n');
  else process.stdout.write(toText(findings, prefix) + '\n');
  const failing = findings.some((f) => f.severity === 'error' || (args.strict && f.severity === 'warning'));
  return failing ? 1 : 0;
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
