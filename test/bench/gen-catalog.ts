/**
 * Generates a benchmark catalog `factor` times the size of a source MkDocs site
 * by copying every Markdown file of the source's docs folder `factor` times,
 * byte for byte. Nothing inside the pages is rewritten, so relative links
 * inside one copy resolve within that copy. The generated mkdocs.yml is the
 * source's, text unchanged, except that its `nav:` block is replaced by one
 * section per copy whose entries are the source nav with every local path
 * prefixed by that copy's folder.
 *
 * Layouts (option `layout`):
 * - 'root' (default): copy 1 stays at the docs root, exactly where the source
 *   has it, and copies 2..factor go to `docs/copy-<k>/`. Site-absolute links
 *   (`/patterns/x/`; the corpus has ~2,250) then resolve as in the source
 *   (into copy 1) instead of all breaking, so every copy is checked like the
 *   original rather than down the broken-link path.
 * - 'copies': every copy in `docs/copy-<k>/`, k = 1..factor; absolute links
 *   leave every copy and break.
 *
 * So that each copy is checked like the original (not more cheaply), a few
 * things are kept as in the source rather than multiplied:
 * - docs' top-level `templates/` folder, which MkDocs never builds and the
 *   checker reads as the page schema, exists once, at `docs/templates/`;
 * - other files of docs (images, .yml) are copied with every copy, so that
 *   links to them still resolve;
 * - `.pattern-atlas.yml` and the Markdown files outside docs (e.g. a
 *   site-level templates/ folder) are copied once, to the same place.
 * Concepts (Law 1, ...) exist `factor` times, and a frontmatter value used by
 * one page in the source is used by `factor` pages here: inherent to copying.
 *
 * The output is meant for a gitignored folder (`.bench/`) or /tmp, never the
 * tracked tree. A marker file records the inputs (source path, factor, layout,
 * file counts and total sizes, size of mkdocs.yml); a second call with the
 * same inputs reuses the catalog instead of copying again.
 *
 * CLI: node --import tsx test/bench/gen-catalog.ts <source-site> <out-dir> [factor=10] [root|copies]
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import YAML from 'yaml';

/** Bump when the layout of the generated catalog changes. */
const GENERATOR_VERSION = 3;
const MARKER = '.pattern-atlas-bench-catalog.json';

export interface GeneratedCatalog {
  /** The folder holding the generated mkdocs.yml. */
  root: string;
  /** Markdown files in the generated catalog. */
  files: number;
  /** Total bytes of those files. */
  bytes: number;
  /** True when an earlier catalog with the same inputs was reused. */
  reused: boolean;
  /** Milliseconds spent generating (0 when reused). */
  ms: number;
}

interface FileSet {
  files: number;
  bytes: number;
}

export type Layout = 'root' | 'copies';

/** The docs-relative folder of copy k (1-based): '' for the copy kept at the root. */
export function copyFolder(k: number, layout: Layout): string {
  return layout === 'root' && k === 1 ? '' : `copy-${k}/`;
}

interface Marker {
  generator: number;
  source: string;
  factor: number;
  layout: Layout;
  /** Markdown pages copied `factor` times: the count and size the catalog is "factor times" of. */
  pages: FileSet;
  /** Other docs files copied `factor` times. */
  assets: FileSet;
  /** Files copied once (docs/templates/, .pattern-atlas.yml, Markdown outside docs). */
  once: FileSet;
  mkdocsBytes: number;
}

/** The docs_dir of an mkdocs.yml, read by a line match so that Python tags elsewhere in the file do not matter. */
export function docsDirOf(mkdocsText: string): string {
  const m = /^docs_dir:[ \t]*(["']?)([^"'#\r\n]+?)\1[ \t]*(?:#.*)?$/m.exec(mkdocsText);
  return m ? m[2].trim() : 'docs';
}

/** Every Markdown file under `dir`, as sorted '/'-separated relative paths. Dot-files and dot-folders are skipped, as MkDocs does. */
export function listMarkdown(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    const entries = fs.readdirSync(path.join(dir, rel), { withFileTypes: true });
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else if (e.isFile() && /\.(md|markdown)$/i.test(e.name)) out.push(r);
    }
  };
  walk('');
  return out.sort();
}

/** Every file under `dir` (dot-files included), as sorted relative paths; `skip` prunes folders by relative path. */
function listAll(dir: string, skip: (rel: string) => boolean = () => false): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!skip(r)) walk(r);
      } else if (e.isFile()) out.push(r);
    }
  };
  walk('');
  return out.sort();
}

function sizeOf(base: string, files: string[]): FileSet {
  let bytes = 0;
  for (const f of files) bytes += fs.statSync(path.join(base, f)).size;
  return { files: files.length, bytes };
}

function copy(from: string, to: string, made: Set<string>): void {
  const d = path.dirname(to);
  if (!made.has(d)) {
    fs.mkdirSync(d, { recursive: true });
    made.add(d);
  }
  fs.copyFileSync(from, to);
}

/** The `mkdocs.yml` (or `mkdocs.yaml`) of a site folder. */
function findMkdocs(site: string): string {
  for (const name of ['mkdocs.yml', 'mkdocs.yaml']) {
    const f = path.join(site, name);
    if (fs.existsSync(f)) return f;
  }
  throw new Error(`${site}: no mkdocs.yml`);
}

/**
 * Splits mkdocs.yml text around its top-level `nav:` block. The block runs to
 * the next top-level key (a line starting with a letter, quote or underscore);
 * compact sequences (`- x` at column 0) stay inside it.
 */
function splitNav(text: string): { before: string; nav: string; after: string } | undefined {
  const lines = text.split(/(?<=\n)/);
  const start = lines.findIndex((l) => /^nav[ \t]*:/.test(l));
  if (start < 0) return undefined;
  let end = start + 1;
  while (end < lines.length && !/^[A-Za-z_"'][^\n]*:/.test(lines[end])) end++;
  return { before: lines.slice(0, start).join(''), nav: lines.slice(start, end).join(''), after: lines.slice(end).join('') };
}

/** A nav entry's target is a local page unless it is a URL (scheme:) or site-absolute. */
function prefixNav(node: unknown, prefix: string): unknown {
  if (typeof node === 'string') return /^[a-z][a-z0-9+.-]*:/i.test(node) || node.startsWith('/') ? node : prefix + node;
  if (Array.isArray(node)) return node.map((n) => prefixNav(n, prefix));
  if (node && typeof node === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) o[k] = prefixNav(v, prefix);
    return o;
  }
  return node;
}

/** The generated mkdocs.yml text: the source's, with the nav replaced. Without a nav in the source there is none here either (MkDocs then lists every page). */
export function generatedMkdocs(sourceText: string, factor: number, layout: Layout = 'root'): string {
  const parts = splitNav(sourceText);
  if (!parts) return sourceText;
  const navDoc = YAML.parse(parts.nav) as { nav?: unknown } | null;
  const srcNav = navDoc?.nav ?? [];
  const nav: unknown[] = [];
  for (let k = 1; k <= factor; k++) nav.push({ [`Copy ${k}`]: prefixNav(srcNav, copyFolder(k, layout)) });
  const header = `# Generated by test/bench/gen-catalog.ts: ${factor} copies of the source docs (layout '${layout}'), one nav section each.\n`;
  return parts.before + header + YAML.stringify({ nav }, { lineWidth: 0 }) + parts.after;
}

function readMarker(outDir: string): Marker | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(outDir, MARKER), 'utf8')) as Marker;
  } catch {
    return undefined;
  }
}

/** Makes (or reuses) a catalog `factor` times the size of `srcSite` in `outDir`. */
export function generateCatalog(srcSite: string, outDir: string, factor: number, opts: { layout?: Layout } = {}): GeneratedCatalog {
  const layout = opts.layout ?? 'root';
  if (!Number.isInteger(factor) || factor < 1) throw new Error(`factor must be a positive integer, got ${factor}`);
  if (layout !== 'root' && layout !== 'copies') throw new Error(`layout must be 'root' or 'copies', got ${String(layout)}`);
  const t0 = performance.now();
  const src = fs.realpathSync(srcSite);
  const out = path.resolve(outDir);
  const mkdocsFile = findMkdocs(src);
  const mkdocsText = fs.readFileSync(mkdocsFile, 'utf8');
  const docsDir = docsDirOf(mkdocsText);
  if (path.isAbsolute(docsDir) || docsDir.split(/[\\/]/).includes('..')) throw new Error(`docs_dir '${docsDir}' must be a folder inside the site`);
  const srcDocs = path.resolve(src, docsDir);
  if (out === src || out.startsWith(src + path.sep)) throw new Error(`output ${out} must not be inside the source ${src}`);
  const isPage = (f: string) => /\.(md|markdown)$/i.test(f);
  const isTemplate = (f: string) => f.startsWith('templates/');
  const docsFiles = listAll(srcDocs, (d) => d === '.git' || d === 'node_modules');
  const pages = docsFiles.filter((f) => isPage(f) && !isTemplate(f) && !/(^|\/)\./.test(f));
  const pageSet = new Set(pages);
  const assets = docsFiles.filter((f) => !isTemplate(f) && !pageSet.has(f));
  const templates = docsFiles.filter(isTemplate);
  // Outside docs: the checker's own config and Markdown files (it looks for pattern templates anywhere in the site).
  const docsRel = path.relative(src, srcDocs).split(path.sep).join('/');
  const siteDir = /^site_dir:[ \t]*["']?([^"'#\r\n]+?)["']?[ \t]*(?:#.*)?$/m.exec(mkdocsText)?.[1].trim() ?? 'site';
  const outRel = path.relative(src, out).split(path.sep).join('/');
  const outside = listAll(src, (d) => d === docsRel || d === siteDir || d === outRel || /(^|\/)(\.git|node_modules)$/.test(d)).filter(
    (f) => f === '.pattern-atlas.yml' || (isPage(f) && !f.includes('/.')),
  );

  const want: Marker = {
    generator: GENERATOR_VERSION,
    source: src,
    factor,
    layout,
    pages: sizeOf(srcDocs, pages),
    assets: sizeOf(srcDocs, assets),
    once: (() => {
      const a = sizeOf(srcDocs, templates);
      const b = sizeOf(src, outside);
      return { files: a.files + b.files, bytes: a.bytes + b.bytes };
    })(),
    mkdocsBytes: Buffer.byteLength(mkdocsText),
  };
  const result = (reused: boolean): GeneratedCatalog => ({
    root: out,
    files: pages.length * factor,
    bytes: want.pages.bytes * factor,
    reused,
    ms: reused ? 0 : performance.now() - t0,
  });
  const have = readMarker(out);
  if (have && JSON.stringify(have) === JSON.stringify(want)) return result(true);

  // Only ever delete a folder this generator made (it carries a marker), or an empty one.
  if (fs.existsSync(out)) {
    if (fs.readdirSync(out).length && !fs.existsSync(path.join(out, MARKER))) throw new Error(`${out} exists, is not empty and is not a generated catalog; refusing to overwrite it`);
    fs.rmSync(out, { recursive: true, force: true });
  }
  fs.mkdirSync(out, { recursive: true });
  const outDocs = path.join(out, docsDir);
  const made = new Set<string>();
  for (let k = 1; k <= factor; k++) {
    for (const f of [...pages, ...assets]) copy(path.join(srcDocs, f), path.join(outDocs, copyFolder(k, layout) + f), made);
  }
  for (const f of templates) copy(path.join(srcDocs, f), path.join(outDocs, f), made);
  for (const f of outside) copy(path.join(src, f), path.join(out, f), made);
  fs.writeFileSync(path.join(out, path.basename(mkdocsFile)), generatedMkdocs(mkdocsText, factor, layout));
  // The marker goes last: an interrupted run leaves none, and the next call starts over.
  fs.writeFileSync(path.join(out, MARKER), JSON.stringify(want, null, 2) + '\n');
  return result(false);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const [src, out, factor, layout] = process.argv.slice(2);
  if (!src || !out) {
    process.stderr.write('usage: node --import tsx test/bench/gen-catalog.ts <source-site> <out-dir> [factor=10] [root|copies]\n');
    process.exit(2);
  }
  const r = generateCatalog(src, out, factor ? Number(factor) : 10, { layout: (layout as Layout | undefined) ?? 'root' });
  process.stdout.write(`${r.reused ? 'reused' : 'generated'} ${r.root}: ${r.files} files, ${(r.bytes / 1e6).toFixed(1)} MB${r.reused ? '' : ` in ${(r.ms / 1000).toFixed(1)} s`}\n`);
}
