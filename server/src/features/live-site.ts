/**
 * The incremental state the language server keeps over a `Site` snapshot:
 * the findings of every page and of the site files (mkdocs.yml, the config),
 * and the backlink index (which pages link to which), both updated by diff.
 *
 * What an update re-checks:
 * - always the changed page;
 * - the pages linking to it, when its anchors or title changed;
 * - its neighbours in the nav, when its title changed or it appeared or
 *   disappeared (their Previous/Next footers name it);
 * - every page whose links now resolve differently, and every page with a
 *   broken link, when a file appeared or disappeared (resolution and
 *   "did you mean" suggestions depend on the file set);
 * - every page, when the catalog-wide facts changed: the pattern set, the
 *   Laws/Pillars, the required sections or the learned enums;
 * - the patterns whose listing on the patterns index page changed (all of
 *   them when another page became the index).
 * Typing prose changes none of these, so it re-checks the edited page only.
 *
 * Invariant: after every update the state equals one rebuilt from scratch
 * over the same snapshot (test/lsp/index-consistency.test.ts checks this).
 * No IO and no LSP types here.
 */
import picomatch from 'picomatch';
import { checkPage, checkSiteFiles } from '../rules/index.ts';
import { navNeighboursOf } from '../rules/prev-next.ts';
import type { Finding } from '../rules/rule.ts';
import { CONFIG_FILE } from '../site/config.ts';
import { isMarkdownPath } from '../site/resolve.ts';
import type { Page, ParseFn, Site } from '../site/site.ts';
import { normalizePath } from '../site/workspace.ts';
import type { LinkIndex } from './link-context.ts';

export interface UpdateResult {
  /** Site-root relative files (`docs/x.md`, `mkdocs.yml`) whose findings changed. */
  changed: Set<string>;
  /** docs-relative pages that were checked again. */
  rechecked: string[];
}

const EMPTY: ReadonlySet<string> = new Set();

interface PageState {
  findings: Finding[];
  /** JSON of the findings, to tell whether a re-check changed anything. */
  key: string;
  /** Resolved page targets (backlink index source). */
  targets: Set<string>;
  /** How every link resolved: changes when a file appears or disappears. */
  resolution: string;
  hasBroken: boolean;
  title: string;
}

/** Whether an edit left a page's ids as they were (asked of the edited page only: other pages are never slugged for it). */
function sameIds(a: Page, b: Page): boolean {
  const x = a.anchors;
  const y = b.anchors;
  if (x.size !== y.size) return false;
  for (const id of x) if (!y.has(id)) return false;
  return true;
}

/** What every page's check depends on, beyond its own text and the file set. */
export function catalogKey(site: Site): string {
  return JSON.stringify([
    site.patterns.map((p) => p.path),
    site.concepts.map((c) => [c.kind, c.number, c.name, c.path]),
    site.requiredSections,
    site.enums,
  ]);
}

function pageFacts(site: Site, page: Page): Pick<PageState, 'targets' | 'resolution' | 'hasBroken' | 'title'> {
  const targets = new Set<string>();
  const res: string[] = [];
  let hasBroken = false;
  for (const link of page.doc.links) {
    const r = site.resolve(page.path, link.target, link.kind);
    if (r.kind === 'page') {
      targets.add(r.path);
      res.push('p:' + r.path);
    } else if (r.kind === 'self') {
      targets.add(page.path);
      res.push('s');
    } else if (r.kind === 'asset') res.push('a:' + r.path);
    else if (r.kind === 'broken') {
      hasBroken = true;
      res.push('b:' + r.wanted);
    } else res.push('-');
  }
  return { targets, resolution: res.join('\n'), hasBroken, title: page.title };
}

export class LiveSite implements LinkIndex {
  site: Site;
  readonly parse: ParseFn;
  private readonly pages = new Map<string, PageState>();
  /** Findings of files that are not pages, keyed by site-root relative path. */
  private siteFiles = new Map<string, Finding[]>();
  private readonly from = new Map<string, Set<string>>();
  private catalog: string;
  /** Reads a docs-relative file's current text, for a page that appears as a side effect (a README.md no longer shadowed). */
  read?: (rel: string) => string | undefined;

  private constructor(site: Site, parse: ParseFn) {
    this.site = site;
    this.parse = parse;
    this.catalog = catalogKey(site);
  }

  /** Check the whole site at once. */
  static fromSite(site: Site, parse: ParseFn, read?: (rel: string) => string | undefined): LiveSite {
    const live = new LiveSite(site, parse);
    live.read = read;
    for (const page of site.pages.values()) live.recheck(page.path);
    live.siteFiles = groupByFile(checkSiteFiles(site));
    return live;
  }

  /** Check the whole site in chunks, awaiting `progress` between them (the server reports and yields there). */
  static async build(
    site: Site,
    parse: ParseFn,
    read?: (rel: string) => string | undefined,
    progress?: (done: number, total: number) => Promise<void> | void,
    chunk = 40,
  ): Promise<LiveSite> {
    const live = new LiveSite(site, parse);
    live.read = read;
    const paths = [...site.pages.keys()];
    for (let i = 0; i < paths.length; i++) {
      // The snapshot may move on while we yield: check the page as it is now.
      if (live.site.pages.has(paths[i]) && !live.pages.has(paths[i])) live.recheck(paths[i]);
      if (progress && (i + 1) % chunk === 0) await progress(i + 1, paths.length);
    }
    live.siteFiles = groupByFile(checkSiteFiles(live.site));
    if (progress) await progress(paths.length, paths.length);
    return live;
  }

  // ---------------------------------------------------------------- queries

  linkedFrom(path: string): ReadonlySet<string> {
    return this.from.get(path) ?? EMPTY;
  }

  /** Findings of a site-root relative file (a page or a site file). */
  findingsOf(file: string): Finding[] {
    const rel = this.site.docsPath(this.site.root + '/' + file);
    if (rel !== undefined && this.pages.has(rel)) return this.pages.get(rel)!.findings;
    return this.siteFiles.get(file) ?? [];
  }

  /** Every file diagnostics are reported for: all pages, mkdocs.yml and the config file (site-root relative). */
  reportedFiles(): string[] {
    const out = [...this.pages.keys()].map((p) => this.site.siteRel(p));
    if (this.site.mkdocsPath) out.push(this.site.mkdocsPath.slice(this.site.root.length + 1));
    if (this.site.configPath) out.push(CONFIG_FILE);
    const seen = new Set(out);
    for (const f of this.siteFiles.keys()) if (!seen.has(f)) out.push(f);
    return out;
  }

  /** Every finding, sorted (for tests and the CLI-equivalent view). */
  allFindings(): Finding[] {
    const out: Finding[] = [];
    for (const s of this.pages.values()) out.push(...s.findings);
    for (const f of this.siteFiles.values()) out.push(...f);
    return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0) || (a.message < b.message ? -1 : 1));
  }

  /** The backlink index as plain data: target -> sorted sources (for tests). */
  backlinks(): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const [t, s] of [...this.from].sort((a, b) => (a[0] < b[0] ? -1 : 1))) if (s.size) out[t] = [...s].sort();
    return out;
  }

  /**
   * Whether a docs-relative Markdown file is a page of this site, by the rules
   * `loadSite` applies (ignore globs, dot-files, the top-level templates/
   * folder, a README.md shadowed by an index.md).
   */
  isPagePath(rel: string): boolean {
    return isSitePage(this.site, rel);
  }

  // ---------------------------------------------------------------- updates

  /**
   * A file under docs_dir was written (created or changed): `text` for a
   * Markdown file, nothing for an asset. Files that are not pages of the
   * site (templates/, ignored, a shadowed README.md) change nothing.
   */
  fileWritten(rel: string, text?: string): UpdateResult {
    if (!isMarkdownPath(rel)) return this.addAsset(rel);
    if (text === undefined || !this.isPagePath(rel)) return { changed: new Set(), rechecked: [] };
    return this.updatePage(rel, text);
  }

  /** A file or a whole folder under docs_dir was deleted. */
  fileDeleted(rel: string): UpdateResult {
    if (this.site.files.has(rel)) return this.removeFile(rel);
    const result: UpdateResult = { changed: new Set(), rechecked: [] };
    for (const f of [...this.site.files].filter((f) => f.startsWith(rel + '/'))) merge(result, this.removeFile(f));
    return result;
  }

  /** A page's text changed (or a new page appeared). */
  updatePage(path: string, text: string): UpdateResult {
    const result: UpdateResult = { changed: new Set(), rechecked: [] };
    const isNew = !this.site.files.has(path);
    // A new index.md hides the README.md of its folder.
    const readme = path.replace(/(^|\/)index\.md$/, '$1README.md');
    if (isNew && readme !== path && this.site.pages.has(readme)) merge(result, this.removeFile(readme));
    const before = this.site;
    const old = this.pages.get(path);
    this.site = before.withPage(path, text, this.parse);
    const toCheck = new Set<string>([path]);
    const catalog = catalogKey(this.site);
    const catalogChanged = catalog !== this.catalog;
    this.catalog = catalog;
    if (catalogChanged) for (const p of this.site.pages.keys()) toCheck.add(p);
    for (const p of indexChanges(before, this.site)) toCheck.add(p);
    const page = this.site.pages.get(path)!;
    const prev = before.pages.get(path);
    if (old && (!prev || !sameIds(prev, page) || old.title !== page.title)) {
      for (const p of this.linkedFrom(path)) toCheck.add(p);
    }
    // Footers name their nav neighbours: a new page, or a new title, changes what the pages around it should say.
    if (isNew || (old && old.title !== page.title)) for (const p of navNeighboursOf(this.site, path)) toCheck.add(p);
    if (isNew) this.fileSetChanged(toCheck, result);
    for (const p of toCheck) this.recheckInto(p, result);
    if (isNew || catalogChanged) this.recheckSiteFiles(result);
    return result;
  }

  /** A file (page or asset) was deleted. */
  removeFile(path: string): UpdateResult {
    const result: UpdateResult = { changed: new Set(), rechecked: [] };
    if (!this.site.files.has(path) && !this.site.pages.has(path)) return result;
    const neighbours = navNeighboursOf(this.site, path);
    const before = this.site;
    this.site = this.site.withoutFile(path);
    const old = this.pages.get(path);
    if (old) {
      this.setTargets(path, new Set());
      this.pages.delete(path);
      if (old.findings.length) result.changed.add(this.site.siteRel(path));
    }
    const toCheck = new Set<string>();
    const catalog = catalogKey(this.site);
    if (catalog !== this.catalog) {
      this.catalog = catalog;
      for (const p of this.site.pages.keys()) toCheck.add(p);
    }
    for (const p of this.linkedFrom(path)) toCheck.add(p);
    for (const p of neighbours) toCheck.add(p);
    for (const p of indexChanges(before, this.site)) toCheck.add(p);
    this.fileSetChanged(toCheck, result);
    for (const p of toCheck) this.recheckInto(p, result);
    this.recheckSiteFiles(result);
    // Without its index.md, a folder's README.md becomes a page again.
    const readme = path.replace(/(^|\/)index\.md$/, '$1README.md');
    if (readme !== path && !this.site.files.has(readme)) {
      const text = this.read?.(readme);
      if (text !== undefined && isSitePage(this.site, readme)) merge(result, this.updatePage(readme, text));
    }
    return result;
  }

  /** A non-Markdown file (image, download) appeared. */
  addAsset(path: string): UpdateResult {
    const result: UpdateResult = { changed: new Set(), rechecked: [] };
    if (this.site.files.has(path)) return result;
    this.site = this.site.withAsset(path);
    const toCheck = new Set<string>();
    this.fileSetChanged(toCheck, result);
    for (const p of toCheck) this.recheckInto(p, result);
    this.recheckSiteFiles(result);
    return result;
  }

  /** Swap in a freshly loaded site (mkdocs.yml or config changed): everything is checked again. */
  replaceSite(site: Site): UpdateResult {
    const result: UpdateResult = { changed: new Set(), rechecked: [] };
    const oldFiles = new Set(this.reportedFiles());
    for (const [p, s] of this.pages) if (!site.pages.has(p) && s.findings.length) result.changed.add(this.site.siteRel(p));
    this.site = site;
    this.catalog = catalogKey(site);
    for (const p of [...this.pages.keys()]) {
      if (!site.pages.has(p)) {
        this.setTargets(p, new Set());
        this.pages.delete(p);
      }
    }
    for (const p of site.pages.keys()) this.recheckInto(p, result);
    this.recheckSiteFiles(result);
    const now = new Set(this.reportedFiles());
    for (const f of oldFiles) if (!now.has(f)) result.changed.add(f);
    return result;
  }

  // ---------------------------------------------------------------- internals

  /** After the file set changed: pages whose links resolve differently, or that have broken links. */
  private fileSetChanged(toCheck: Set<string>, _result: UpdateResult): void {
    for (const [p, state] of this.pages) {
      if (toCheck.has(p)) continue;
      const page = this.site.pages.get(p);
      if (!page) continue;
      const facts = pageFacts(this.site, page);
      if (state.hasBroken || facts.resolution !== state.resolution) toCheck.add(p);
    }
  }

  private recheckInto(path: string, result: UpdateResult): void {
    const before = this.pages.get(path)?.key;
    this.recheck(path);
    result.rechecked.push(path);
    const after = this.pages.get(path)?.key;
    if (before !== after && !(before === undefined && after === '[]')) result.changed.add(this.site.siteRel(path));
  }

  private recheck(path: string): void {
    const page = this.site.pages.get(path);
    if (!page) return;
    const findings = checkPage(this.site, page);
    const facts = pageFacts(this.site, page);
    this.setTargets(path, facts.targets);
    this.pages.set(path, { findings, key: JSON.stringify(findings), ...facts });
  }

  private setTargets(path: string, targets: Set<string>): void {
    const old = this.pages.get(path)?.targets ?? EMPTY;
    for (const t of old) {
      if (targets.has(t)) continue;
      const s = this.from.get(t);
      if (s) {
        s.delete(path);
        if (!s.size) this.from.delete(t);
      }
    }
    for (const t of targets) {
      if (old.has(t)) continue;
      let s = this.from.get(t);
      if (!s) this.from.set(t, (s = new Set()));
      s.add(path);
    }
  }

  private recheckSiteFiles(result: UpdateResult): void {
    const next = groupByFile(checkSiteFiles(this.site));
    for (const f of new Set([...next.keys(), ...this.siteFiles.keys()])) {
      if (JSON.stringify(next.get(f) ?? []) !== JSON.stringify(this.siteFiles.get(f) ?? [])) result.changed.add(f);
    }
    this.siteFiles = next;
  }
}

/** The pattern pages whose listing on the patterns index changed between two snapshots (`not-in-index` depends on it). */
function indexChanges(a: Site, b: Site): string[] {
  const x = a.patternsIndex;
  const y = b.patternsIndex;
  if (x === y) return [];
  if (!x || !y || x.path !== y.path) return b.patterns.map((p) => p.path);
  const out: string[] = [];
  for (const p of x.links) if (!y.links.has(p) && b.pages.has(p)) out.push(p);
  for (const p of y.links) if (!x.links.has(p)) out.push(p);
  return out;
}

function merge(into: UpdateResult, more: UpdateResult): void {
  for (const f of more.changed) into.changed.add(f);
  into.rechecked.push(...more.rechecked);
}

function groupByFile(findings: Finding[]): Map<string, Finding[]> {
  const out = new Map<string, Finding[]>();
  for (const f of findings) {
    let l = out.get(f.file);
    if (!l) out.set(f.file, (l = []));
    l.push(f);
  }
  return out;
}

/** The `loadSite` inclusion rules for one docs-relative file. */
export function isSitePage(site: Site, rel: string): boolean {
  rel = normalizePath(rel);
  if (!rel || rel.startsWith('..') || !isMarkdownPath(rel)) return false;
  if (rel.startsWith('templates/') || /(^|\/)\./.test(rel)) return false;
  if (site.config.ignore.length) {
    const ignore = picomatch(site.config.ignore);
    if (ignore(rel) || ignore(site.docsRelPrefix() + rel)) return false;
  }
  if (/(^|\/)README\.md$/.test(rel) && site.files.has(rel.replace(/README\.md$/, 'index.md'))) return false;
  return true;
}
