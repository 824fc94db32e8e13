/**
 * `pattern-atlas fix [dir] [--dry-run] [--rule CODE]... [--create-pages]`:
 * apply the preferred fix of every fixable finding across the site; with
 * --create-pages also create the missing pages that are the only fix of a
 * `nav-missing-file` or `broken-link` finding. With --dry-run, print a
 * unified diff (a created file as `--- /dev/null`) and write nothing;
 * otherwise write the files (never overwriting one that appeared meanwhile)
 * and print a summary. Exit 0 on success, 2 when the site cannot be read.
 */
import fs from 'node:fs';
import path from 'node:path';
import { RULE_CODES } from '../rules/codes.ts';
import { loadSite } from '../site/site.ts';
import { findMkdocsConfig } from '../site/mkdocs.ts';
import { absDir, DiskWorkspace } from '../cli/disk-workspace.ts';
import { cachedParser } from '../cli/cache.ts';
import { fixSite } from './apply.ts';
import { unifiedDiff } from './diff.ts';
import { FIXABLE_CODES } from './index.ts';

export interface FixCommandOptions {
  dryRun: boolean;
  rules: string[];
  /** Create missing pages where that is the only fix. */
  createPages?: boolean;
  cache: boolean;
  out?: (s: string) => void;
  err?: (s: string) => void;
}

function loadSiteRoot(ws: DiskWorkspace, dir: string): string | undefined {
  const m = findMkdocsConfig(dir, ws);
  return m ? path.dirname(m).split(path.sep).join('/') : undefined;
}

/** Create a file (and its folders); false, with a message, when it exists already. */
function writeNew(file: string, text: string, err: (s: string) => void): boolean {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text, { flag: 'wx' });
    return true;
  } catch (e) {
    err(`pattern-atlas: not creating ${file}: ${(e as NodeJS.ErrnoException).code === 'EEXIST' ? 'it exists' : String((e as Error).message ?? e)}\n`);
    return false;
  }
}

export function runFix(dirArg: string, opts: FixCommandOptions): number {
  const out = opts.out ?? ((s: string) => process.stdout.write(s));
  const err = opts.err ?? ((s: string) => process.stderr.write(s));
  for (const r of opts.rules) {
    if (!(RULE_CODES as readonly string[]).includes(r)) {
      err(`pattern-atlas: unknown rule '${r}' (known: ${RULE_CODES.join(', ')})\n`);
      return 2;
    }
    if (!FIXABLE_CODES.includes(r)) err(`pattern-atlas: rule '${r}' has no automatic fix (fixable: ${FIXABLE_CODES.join(', ')})\n`);
  }
  const base = new DiskWorkspace();
  const dir = absDir(dirArg);
  if (!base.exists(dir)) {
    err(`pattern-atlas: ${dirArg}: no such folder\n`);
    return 2;
  }
  const parser = cachedParser(dir, opts.cache);
  let error: string | undefined;
  let result: ReturnType<typeof fixSite>;
  try {
    result = fixSite(
    base,
    (ws) => {
      const loaded = loadSite(ws, dir, { parse: parser.parse });
      if (!loaded.site) {
        error = loaded.error ?? 'cannot load the site';
        throw new Error(error);
      }
      return loaded.site;
    },
    { rules: opts.rules, createPages: opts.createPages },
  );
  } catch (e) {
    err(`pattern-atlas: ${error ?? String((e as Error)?.message ?? e)}\n`);
    return 2;
  }
  parser.save();
  // Diff paths are relative to the site root (`patch -p1` applies them there).
  const root = loadSiteRoot(base, dir);
  const rel = (abs: string) => (root && abs.startsWith(root + '/') ? abs.slice(root.length + 1) : path.relative(process.cwd(), abs).split(path.sep).join('/'));
  const files = [...result.files.keys()].sort();
  if (opts.dryRun) {
    for (const f of files) {
      const { before, after, created } = result.files.get(f)!;
      out(unifiedDiff(before, after, created ? '/dev/null' : 'a/' + rel(f), 'b/' + rel(f)));
    }
    err(`${result.applied.length} fix(es) would change ${files.length} file(s) (dry run, nothing written)\n`);
    return 0;
  }
  let written = 0;
  let created = 0;
  for (const f of files) {
    const { after, created: isNew } = result.files.get(f)!;
    if (!isNew) fs.writeFileSync(f, after);
    else if (!writeNew(f, after, err)) continue;
    else created++;
    written++;
  }
  for (const a of result.applied) out(`${a.file}: ${a.code}: ${a.title}\n`);
  out(`${result.applied.length} fix(es) applied, ${written} file(s) changed${created ? ` (${created} created)` : ''}\n`);
  return 0;
}
