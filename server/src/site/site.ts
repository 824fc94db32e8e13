/**
 * The site model: mkdocs.yml, the pages under docs_dir, the nav, and the
 * catalog (patterns and concepts such as Laws and Pillars) discovered from
 * content. Built from a `Workspace` and a parse function; does no IO itself.
 *
 * Invariant: a `Site` is an immutable snapshot. An edit produces a new `Site`
 * (`withPage`), reusing every `Page` it did not touch.
 */
import picomatch from 'picomatch';
import { findFooter, type Footer } from '../parse/footer.ts';
import type { PatternDoc } from '../parse/types.ts';
import { frontmatterFields, own } from '../parse/common.ts';
import { lineOffsets, pageLines } from '../parse/prepare.ts';
import { CONFIG_FILE, DEFAULT_LEVEL_SECTIONS, defaultConfig, parseAtlasConfig, type AtlasConfig, type ConceptKind, type ConfigProblem, type RuleSetting } from './config.ts';
import { findMkdocsConfig, navPagePath, parseMkdocsConfig, resolveSlugify, type MkdocsConfig } from './mkdocs.ts';
import { uniqueSlugger, type Slugify } from './slug.ts';
import { comparePaths, dirname, normalizePath, type Workspace } from './workspace.ts';
import { RULE_CODES } from '../rules/codes.ts';
import { isMarkdownPath, resolveLink, type FileLookup, type Resolution } from './resolve.ts';
import { deriveIndexFacts, updateIndexFacts, type IndexFacts, type PatternsIndex } from './patterns-index.ts';

export type ParseFn = (text: string) => PatternDoc;

export interface Concept {
  kind: string;
  label: string;
  number: number;
  /** "Asynchronous Reality" (emoji and the "The Law of" decorations kept as written, trailing emoji dropped). */
  name: string;
  /** "Law 2: Asynchronous Reality" */
  title: string;
  path: string;
  /** The first bold or quoted line after the title, for hovers and completion docs. */
  summary?: string;
}

export interface Page {
  /** docs-relative, `/`-separated */
  path: string;
  doc: PatternDoc;
  title: string;
  /** Heading ids the built page has (slugs and `{#id}`s). */
  anchors: Set<string>;
  /** The id of each heading of `doc.headings`, in order. */
  headingIds: string[];
  isPattern: boolean;
  /** Per heading: what is directly under it (up to the next heading of any depth). */
  sectionBodies: SectionBody[];
  /** First paragraph of prose, for hovers. */
  firstParagraph?: string;
  /** The "Previous | Next" footer the page ends with, when it has one. */
  footer?: Footer;
}

export interface SectionBody {
  /** Whether a line of real content (prose or code) is directly under the heading: not only blank lines, rules, HTML comments and placeholders ("TODO", "Coming soon"). */
  substantive: boolean;
}

export interface RequiredSections {
  labels: string[];
  source: string;
  /** Site-root relative path of the pattern template they were learned from, when they were. */
  template?: string;
}

export interface SiteOptions {
  parse: ParseFn;
  /** Rule severities that win over `.pattern-atlas.yml` (the editor's `patternAtlas.rules` setting). */
  rules?: Record<string, RuleSetting>;
}

const CONCEPT_TITLE = (label: string) => new RegExp(`^\\s*${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s+(\\d+)\\s*:\\s*(.+?)\\s*$`);

export function stripDecorations(s: string): string {
  return s
    .replace(/\p{Extended_Pictographic}|\u{FE0F}|\u{200D}/gu, '')
    .replace(/:[a-z0-9_+-]+:/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Labels of heading texts seen (a catalog repeats its section headings on every pattern); cleared when large. */
const labelMemo = new Map<string, string>();

/** "Level 3: Deep Dive" -> "level 3"; "🔗 Related Patterns" -> "related patterns". */
export function sectionLabel(text: string): string {
  let label = labelMemo.get(text);
  if (label === undefined) {
    label = readSectionLabel(text);
    if (labelMemo.size >= 50_000) labelMemo.clear();
    labelMemo.set(text, label);
  }
  return label;
}

function readSectionLabel(text: string): string {
  const t = stripDecorations(text).replace(/^[^\p{L}\p{N}]+/u, '');
  const m = /^([\p{L}]+\s+\d+)\b/u.exec(t);
  const label = m ? m[1] : t.replace(/[^\p{L}\p{N}&\s]/gu, '').replace(/\s+/g, ' ');
  return label.trim().toLowerCase();
}

/** The section labels of a document's headings, computed once per (immutable) document: the Site constructor asks on every edit. */
const labelsByDoc = new WeakMap<PatternDoc, Set<string>>();
function headingLabels(doc: PatternDoc): Set<string> {
  let l = labelsByDoc.get(doc);
  if (!l) labelsByDoc.set(doc, (l = new Set(doc.headings.map((h) => sectionLabel(h.text)))));
  return l;
}

/** What of a page the concept list depends on. */
function conceptKey(p: Page): string {
  const t = frontmatterFields(p.doc.frontmatter)?.title;
  return `${String(t)}\u0000${p.doc.headings.find((h) => h.depth === 1)?.text ?? ''}\u0000${p.firstParagraph ?? ''}`;
}

/** What of a pattern the learned required sections depend on. */
function sectionKey(p: Page): string {
  const status = frontmatterFields(p.doc.frontmatter)?.status;
  return `${String(status)}\u0000${[...headingLabels(p.doc)].join('\u0001')}`;
}

/** What of a pattern the learned enums depend on. */
function enumKey(p: Page): string {
  return JSON.stringify(frontmatterFields(p.doc.frontmatter) ?? null);
}

export class Site {
  readonly root: string;
  readonly docsDir: string;
  readonly mkdocsPath?: string;
  readonly mkdocsText?: string;
  readonly mkdocs: MkdocsConfig;
  readonly config: AtlasConfig;
  readonly configPath?: string;
  readonly configProblems: ConfigProblem[];
  readonly pages: Map<string, Page>;
  /** Every docs-relative file (pages and assets). */
  readonly files: Set<string>;
  /** What each nav entry names (`navPagePath`); a page is in the nav when its path is here. */
  readonly navPaths: Set<string>;
  readonly slugify: Slugify;
  readonly patterns: Page[];
  readonly concepts: Concept[];
  readonly requiredSections: RequiredSections;
  readonly enums: Record<string, string[]>;
  readonly lookup: FileLookup;
  /** Each page's links to patterns and the patterns index page they point to (`patterns-index.ts`). */
  private readonly indexFacts: IndexFacts;
  private readonly isPatternPath: (p: string) => boolean;
  private readonly init: ConstructorParameters<typeof Site>[0];

  constructor(init: {
    root: string;
    mkdocsPath?: string;
    mkdocsText?: string;
    mkdocs: MkdocsConfig;
    config: AtlasConfig;
    configPath?: string;
    configProblems: ConfigProblem[];
    pages: Map<string, Page>;
    files: Set<string>;
    templateDocs: Map<string, PatternDoc>;
  }, prev?: { site: Site; path?: string }) {
    this.init = init;
    this.root = init.root;
    this.mkdocsPath = init.mkdocsPath;
    this.mkdocsText = init.mkdocsText;
    this.mkdocs = init.mkdocs;
    this.docsDir = normalizePath(init.root + '/' + init.mkdocs.docsDir);
    this.config = init.config;
    this.configPath = init.configPath;
    this.configProblems = init.configProblems;
    this.pages = init.pages;
    this.files = init.files;
    const files = this.files;
    this.lookup = { has: (p) => files.has(p), useDirectoryUrls: init.mkdocs.useDirectoryUrls };
    const same = prev && prev.site.mkdocs === init.mkdocs && prev.site.config === init.config ? prev.site : undefined;
    if (same) {
      this.slugify = same.slugify;
      this.navPaths = same.navPaths;
      this.isPatternPath = same.isPatternPath;
    } else {
      this.slugify = resolveSlugify(init.mkdocs);
      // As MkDocs reads them: `page.md#anchor`, `a/../page.md` and `/page.md` list no page (`navPagePath`).
      this.navPaths = new Set((init.mkdocs.nav ?? []).map((e) => navPagePath(e, init.mkdocs)).filter((p): p is string => p !== undefined));
      const docsRel = this.docsRelPrefix();
      const include = picomatch(init.config.patterns, { dot: false });
      const exclude = picomatch(init.config.exclude.length ? init.config.exclude : ['\0'], { nocase: false });
      this.isPatternPath = (p) => include(docsRel + p) && !exclude(docsRel + p) && !exclude(p);
    }
    // An edit of one page: derive the catalog facts from the previous snapshot when that page's
    // part in them did not change (typing prose changes none of them). The index-consistency
    // test compares this with a rebuild from scratch.
    const page = same && prev!.path !== undefined ? this.pages.get(prev!.path) : undefined;
    const old = same && prev!.path !== undefined ? same.pages.get(prev!.path) : undefined;
    if (same && prev!.path === undefined) {
      this.patterns = same.patterns;
      this.concepts = same.concepts;
      this.requiredSections = same.requiredSections;
      this.enums = same.enums;
      this.indexFacts = same.indexFacts;
      return;
    }
    if (same && page && old && same.init.templateDocs === init.templateDocs) {
      page.isPattern = this.classify(page);
      if (page.isPattern === old.isPattern) {
        this.patterns = page.isPattern ? same.patterns.map((p) => (p === old ? page : p)) : same.patterns;
        this.concepts = conceptKey(old) === conceptKey(page) ? same.concepts : this.findConcepts();
        this.requiredSections = !page.isPattern || sectionKey(old) === sectionKey(page) ? same.requiredSections : this.learnSections(init.templateDocs);
        this.enums = !page.isPattern || enumKey(old) === enumKey(page) ? same.enums : this.learnEnums(init.templateDocs);
        this.indexFacts = updateIndexFacts(this, same.indexFacts, page);
        return;
      }
    }
    for (const p of this.pages.values()) p.isPattern = this.classify(p);
    this.patterns = [...this.pages.values()].filter((p) => p.isPattern).sort((a, b) => comparePaths(a.path, b.path));
    this.concepts = this.findConcepts();
    this.requiredSections = this.learnSections(init.templateDocs);
    this.enums = this.learnEnums(init.templateDocs);
    this.indexFacts = deriveIndexFacts(this);
  }

  /** The page whose table or list links to the pattern pages (`patterns/index.md`), if the catalog keeps one. */
  get patternsIndex(): PatternsIndex | undefined {
    return this.indexFacts.index;
  }

  /**
   * A new snapshot with one page replaced (or added) from its text; every
   * other page object is shared with this snapshot.
   */
  withPage(path: string, text: string, parse: ParseFn): Site {
    const pages = new Map(this.pages);
    pages.set(path, makePage(path, text, parse(text), this.slugify, pageOptions(this.mkdocs)));
    const files = this.files.has(path) ? this.files : new Set(this.files).add(path);
    const rel = this.siteRel(path);
    let templateDocs = this.init.templateDocs;
    if (templateDocs.has(rel)) {
      templateDocs = new Map(templateDocs);
      templateDocs.set(rel, pages.get(path)!.doc);
    }
    return new Site({ ...this.init, pages, files, templateDocs }, this.pages.has(path) ? { site: this, path } : undefined);
  }

  /** A new snapshot without a file (page or asset). */
  withoutFile(path: string): Site {
    if (!this.files.has(path) && !this.pages.has(path)) return this;
    const pages = new Map(this.pages);
    pages.delete(path);
    const files = new Set(this.files);
    files.delete(path);
    return new Site({ ...this.init, pages, files });
  }

  /** A new snapshot with an asset (non-Markdown file) added. */
  withAsset(path: string): Site {
    if (this.files.has(path)) return this;
    return new Site({ ...this.init, files: new Set(this.files).add(path) }, { site: this });
  }

  /**
   * Whether the nav leaves nothing to report about this page: mkdocs.yml has
   * no `nav:` (MkDocs then makes the nav from every page), the nav lists it
   * (`navPaths`), or `not_in_nav` covers it. The one reading behind the
   * not-in-nav rule, the report's "Not in the nav" and the catalog's `inNav`.
   */
  inNav(path: string): boolean {
    return !this.mkdocs.nav || this.navPaths.has(path) || this.isDeliberatelyNotInNav(path);
  }

  private notInNavMatch?: (p: string) => boolean;

  /** Whether mkdocs.yml's `not_in_nav` (gitignore-style lines) lists this page. */
  isDeliberatelyNotInNav(path: string): boolean {
    if (!this.mkdocs.notInNav) return false;
    if (!this.notInNavMatch) this.notInNavMatch = gitignoreMatcher(this.mkdocs.notInNav);
    return this.notInNavMatch(path);
  }

  /** `docs/` for a docs_dir of `docs`, relative to the site root, for globs. */
  docsRelPrefix(): string {
    const rel = this.docsDir.slice(this.root.length).replace(/^\/+/, '');
    return rel ? rel + '/' : '';
  }

  /** Site-root relative path of a docs-relative path. */
  siteRel(path: string): string {
    return this.docsRelPrefix() + path;
  }

  absPath(path: string): string {
    return this.docsDir + '/' + path;
  }

  /** docs-relative path of an absolute file, or undefined when outside docs_dir. */
  docsPath(abs: string): string | undefined {
    const prefix = this.docsDir + '/';
    return abs.startsWith(prefix) ? abs.slice(prefix.length) : undefined;
  }

  /**
   * Site-root relative paths of the pattern templates found (by name, or the
   * config's `template`), the one the required sections were learned from first.
   */
  templatePaths(): string[] {
    const learned = this.requiredSections.template;
    return [...this.init.templateDocs.keys()].sort((a, b) => Number(b === learned) - Number(a === learned));
  }

  private classify(page: Page): boolean {
    const rawType = frontmatterFields(page.doc.frontmatter)?.type;
    const type = typeof rawType === 'string' ? rawType : undefined;
    // A pattern template (found by name or named by the config) describes patterns; it is not one,
    // whatever its frontmatter says (templates copy the `type: pattern` of the pages they stand for).
    if (this.init.templateDocs.has(this.siteRel(page.path))) return false;
    if (type === 'pattern') return true;
    if (type !== undefined) return false;
    return this.isPatternPath(page.path);
  }

  /** Resolutions by page, then target (raw-HTML links apart): the rules of a check ask ~4 times per link. */
  private readonly resolved = [new Map<string, Map<string, Resolution>>(), new Map<string, Map<string, Resolution>>()];

  /** How a link from a page resolves on the built site (remembered for this snapshot; the result is frozen). */
  resolve(from: string, target: string, kind?: string): Resolution {
    const html = kind === 'html';
    const byPage = this.resolved[html ? 1 : 0];
    let byTarget = byPage.get(from);
    if (!byTarget) byPage.set(from, (byTarget = new Map()));
    let r = byTarget.get(target);
    if (!r) byTarget.set(target, (r = Object.freeze(resolveLink(from, target, this.lookup, html))));
    return r;
  }

  conceptAt(path: string): Concept | undefined {
    return this.concepts.find((c) => c.path === path);
  }

  /** The concept a page belongs to: its own page, or a sibling under a concept's `index.md` folder. */
  conceptOwning(path: string): Concept | undefined {
    const own = this.conceptAt(path);
    if (own) return own;
    for (const c of this.concepts) {
      if (/(^|\/)(index|README)\.md$/.test(c.path)) {
        const dir = dirname(c.path);
        if (dir && path.startsWith(dir + '/')) return c;
      }
    }
    return undefined;
  }

  private findConcepts(): Concept[] {
    const best = new Map<string, { c: Concept; score: number }>();
    // Compiled once per snapshot, not once per page: this runs whenever a page's concept key changes.
    const kinds = this.config.concepts.map((kind) => ({ kind, re: CONCEPT_TITLE(kind.label) }));
    for (const page of this.pages.values()) {
      const fmTitle = page.doc.frontmatter?.data?.title;
      const h1 = page.doc.headings.find((h) => h.depth === 1)?.text;
      for (const { kind, re } of kinds) {
        let m = typeof fmTitle === 'string' ? re.exec(fmTitle) : null;
        let fromFm = !!m;
        if (!m && h1) {
          m = re.exec(h1);
          fromFm = false;
        }
        if (!m) continue;
        const number = Number(m[1]);
        const name = stripDecorations(m[2]);
        const c: Concept = {
          kind: kind.kind,
          label: kind.label,
          number,
          name,
          title: `${kind.label} ${number}: ${name}`,
          path: page.path,
          summary: page.firstParagraph,
        };
        const score =
          (this.navPaths.has(page.path) ? 8 : 0) +
          (fromFm ? 4 : 0) +
          (/(^|\/)(index|README)\.md$/.test(page.path) ? 2 : 0) -
          page.path.length / 1000;
        const key = `${kind.kind}:${number}`;
        const prev = best.get(key);
        if (!prev || score > prev.score) best.set(key, { c, score });
      }
    }
    const order = (k: ConceptKind) => this.config.concepts.indexOf(k);
    return [...best.values()]
      .map((b) => b.c)
      .sort(
        (a, b) =>
          order(this.config.concepts.find((k) => k.kind === a.kind)!) - order(this.config.concepts.find((k) => k.kind === b.kind)!) ||
          a.number - b.number,
      );
  }

  private learnSections(templates: Map<string, PatternDoc>): RequiredSections {
    if (this.config.requiredSections) return { labels: this.config.requiredSections, source: CONFIG_FILE };
    // Score each candidate template by how many of the catalog's complete patterns follow it.
    const complete = this.patterns.filter((p) => p.doc.frontmatter?.data?.status === 'complete');
    const sample = complete.length ? complete : this.patterns;
    let best: RequiredSections | undefined;
    let bestScore = -1;
    for (const [path, doc] of templates) {
      const labels = doc.headings.filter((h) => h.depth === 2).map((h) => sectionLabel(h.text)).filter(Boolean);
      if (!labels.length) continue;
      const follows = sample.filter((p) => {
        const have = headingLabels(p.doc);
        return labels.filter((l) => have.has(l)).length * 2 >= labels.length;
      }).length;
      const score = sample.length ? follows / sample.length : 1;
      if (score > bestScore) {
        bestScore = score;
        // Keep the template's sections that the catalog actually writes: at least half its complete patterns have them.
        const texts = doc.headings.filter((h) => h.depth === 2).map((h) => stripDecorations(h.text));
        const used = texts.filter((t) => {
          const key = sectionLabel(t);
          const n = sample.filter((p) => headingLabels(p.doc).has(key)).length;
          return sample.length === 0 || n * 2 >= sample.length;
        });
        best = {
          labels: used,
          source: used.length === texts.length ? path : `${path} (the ${used.length} of its ${texts.length} sections at least half of the complete patterns have)`,
          template: path,
        };
      }
    }
    if (best && best.labels.length >= 2 && (bestScore >= 0.3 || sample.length === 0)) return best;
    return {
      labels: DEFAULT_LEVEL_SECTIONS,
      source: best
        ? `built-in Level 1-5 structure (the template ${best.source} is followed by ${Math.round(bestScore * 100)}% of complete patterns)`
        : 'built-in Level 1-5 structure (no pattern template found)',
    };
  }

  /**
   * Allowed values of enum-like frontmatter keys: from the config when it
   * says; otherwise the union of built-in defaults, choices the pattern
   * template spells as `[a|b|c]`, and values at least two patterns use (a
   * value only one page uses is the likely typo).
   */
  private learnEnums(templates: Map<string, PatternDoc>): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    const builtIn: Record<string, string[]> = {
      status: ['stub', 'partial', 'complete'],
      difficulty: ['beginner', 'intermediate', 'advanced', 'expert'],
      category: [],
    };
    const fromTemplate: Record<string, string[]> = {};
    for (const doc of templates.values()) {
      for (const [k, v] of Object.entries(doc.frontmatter?.data ?? {})) {
        const s = Array.isArray(v) && v.length === 1 ? v[0] : v;
        if (typeof s === 'string' && /^\[?[\w-]+(\s*\|\s*[\w-]+)+\]?$/.test(s.trim())) {
          fromTemplate[k] = s.replace(/[[\]\s]/g, '').split('|');
        }
      }
    }
    const keys = new Set([...Object.keys(builtIn), ...Object.keys(fromTemplate)]);
    for (const key of keys) {
      if (this.config.frontmatter.enums[key]) continue;
      const counts = new Map<string, number>();
      for (const p of this.patterns) {
        const v = p.doc.frontmatter?.data?.[key];
        if (typeof v === 'string') counts.set(v, (counts.get(v) ?? 0) + 1);
      }
      const learned = [...counts].filter(([, n]) => n >= 2).map(([v]) => v);
      const all = new Set([...(builtIn[key] ?? []), ...(fromTemplate[key] ?? []), ...learned]);
      if (all.size && all.size <= 24) out[key] = [...all].sort();
    }
    for (const [k, v] of Object.entries(this.config.frontmatter.enums)) out[k] = v.slice();
    return out;
  }
}

function firstParagraphOf(lines: readonly string[], doc: PatternDoc): string | undefined {
  const h1 = doc.headings.find((h) => h.depth === 1);
  let i = h1 ? h1.range.end.line + 1 : doc.frontmatter ? doc.frontmatter.range.end.line + 1 : 0;
  const codeLines = new Uint8Array(lines.length);
  for (const f of doc.fences) for (let l = f.range.start.line; l <= f.range.end.line && l < lines.length; l++) codeLines[l] = 1;
  for (const c of doc.codeBlocks) for (let l = c.startLine; l <= c.endLine && l < lines.length; l++) codeLines[l] = 1;
  for (; i < lines.length && i < 200; i++) {
    const l = lines[i].trim();
    if (!l || codeLines[i] || /^(#|---|\||<|!!!|\?\?\?|===|```|~~~)/.test(l)) continue;
    const para: string[] = [];
    for (; i < lines.length && lines[i].trim() && !codeLines[i]; i++) para.push(lines[i].trim().replace(/^>\s*/, ''));
    const text = para.join(' ').replace(/\*\*|__|\*|`/g, '').trim();
    // Kept with the page: a copy, not a view into the page text (see `own`).
    if (text) return own(text.length > 400 ? text.slice(0, 397) + '...' : text);
  }
  return undefined;
}

const PLACEHOLDER_LINE = /^(?:[-*>_\s]|\*\*|__)*(TODO|TBD|FIXME|Coming soon|To be written|Placeholder|WIP)\b.*$/i;

function sectionBodies(lines: readonly string[], doc: PatternDoc): SectionBody[] {
  const code = new Uint8Array(lines.length);
  for (const f of doc.fences) for (let l = f.range.start.line; l <= f.range.end.line && l < lines.length; l++) code[l] = 1;
  const out: SectionBody[] = [];
  const hs = doc.headings;
  for (let i = 0; i < hs.length; i++) {
    const from = hs[i].range.end.line + 1;
    const to = i + 1 < hs.length ? hs[i + 1].range.start.line : lines.length;
    let substantive = false;
    let inComment = false;
    // Up to the first line of real content (usually the first line under the heading).
    for (let l = from; l < to && !substantive; l++) {
      if (code[l]) {
        substantive = true;
        continue;
      }
      let t = lines[l].trim();
      if (inComment) {
        if (t.includes('-->')) {
          inComment = false;
          t = t.slice(t.indexOf('-->') + 3).trim();
        } else continue;
      }
      if (t.includes('<!--')) t = t.replace(/<!--.*?-->/g, '').trim();
      if (t.startsWith('<!--')) {
        inComment = true;
        continue;
      }
      if (!t || /^(-{3,}|\*{3,}|_{3,})$/.test(t)) continue;
      substantive = !(PLACEHOLDER_LINE.test(t) || /^\*[^*]*(coming soon|todo|tbd)[^*]*\*$/i.test(t));
    }
    out.push({ substantive });
  }
  return out;
}

/** A matcher for gitignore-style lines (as MkDocs' `not_in_nav` and `exclude_docs` use them). */
export function gitignoreMatcher(spec: string): (path: string) => boolean {
  const rules: Array<{ neg: boolean; match: (p: string) => boolean }> = [];
  for (let line of spec.split('\n')) {
    line = line.trim();
    if (!line || line.startsWith('#')) continue;
    const neg = line.startsWith('!');
    if (neg) line = line.slice(1);
    let glob = line.startsWith('/') ? line.slice(1) : line.includes('/') && !line.endsWith('/') ? line : '**/' + line;
    if (glob.endsWith('/')) glob += '**';
    const m = picomatch(glob, { dot: true });
    const under = picomatch(glob + '/**', { dot: true });
    rules.push({ neg, match: (p) => m(p) || under(p) });
  }
  return (p) => {
    let hit = false;
    for (const r of rules) if (r.match(p)) hit = !r.neg;
    return hit;
  };
}

/** What of mkdocs.yml changes the ids a built page has. */
export interface PageOptions {
  /** `attr_list`: `{#id}` sets an id; without it the braces are heading text. */
  attrList: boolean;
  /** `footnotes`: `[^x]` gets `fnref:x`, its definition `fn:x`. */
  footnotes: boolean;
}

export function pageOptions(mkdocs: MkdocsConfig): PageOptions {
  return {
    attrList: mkdocs.attrList,
    footnotes: mkdocs.markdownExtensions.some((e) => /(^|\.)footnotes$/.test(e.name) || /(^|\.)extra$/.test(e.name)),
  };
}

/**
 * A page of the site. Its heading ids (slugs) are computed on first use:
 * loading a site slugs nothing, and only the pages a link's `#anchor`, a
 * hover, a completion or a rename asks about are ever slugged (a check of the
 * shared corpus slugs 12 of its 451 pages).
 */
class SitePage implements Page {
  isPattern = false;
  private ids?: { headingIds: string[]; anchors: Set<string> };

  constructor(
    readonly path: string,
    readonly doc: PatternDoc,
    readonly title: string,
    readonly sectionBodies: SectionBody[],
    readonly firstParagraph: string | undefined,
    readonly footer: Footer | undefined,
    /** Ids the page has besides its headings' (attribute lists, HTML `id=`/`name=`, footnotes), in page order. */
    private readonly explicitIds: string[],
    private readonly slugify: Slugify,
    private readonly attrList: boolean,
  ) {}

  get anchors(): Set<string> {
    return (this.ids ??= this.computeIds()).anchors;
  }

  get headingIds(): string[] {
    return (this.ids ??= this.computeIds()).headingIds;
  }

  private computeIds(): { headingIds: string[]; anchors: Set<string> } {
    const doc = this.doc;
    const unique = uniqueSlugger(this.slugify, this.attrList ? doc.headings.filter((h) => h.id).map((h) => h.id!) : []);
    const headingIds: string[] = [];
    const anchors = new Set<string>();
    for (const h of doc.headings) {
      // Without attr_list, `{#id}` stays in the heading text (and so in its slug).
      const id = h.id === undefined ? unique(h.text) : this.attrList ? h.id : unique(`${h.text} {#${h.id}}`);
      headingIds.push(id);
      anchors.add(id);
    }
    for (const id of this.explicitIds) anchors.add(id);
    return { headingIds, anchors };
  }
}

/**
 * The parts of `text` outside its code: fences' code lines (the fence lines
 * themselves included in the parts) and indented code blocks, each part whole
 * lines, in page order; the whole text when its lines are not all split at
 * `\n` alone.
 */
function outsideCode(text: string, doc: PatternDoc): string[] {
  if ((!doc.fences.length && !doc.codeBlocks.length) || text.includes('\r')) return [text];
  const off = lineOffsets(pageLines(text));
  const last = off.length - 2;
  // Code line spans [first, end), in page order.
  const spans: Array<[number, number]> = [];
  for (const f of doc.fences) spans.push([f.range.start.line + 1, Math.min(f.range.end.line, last + 1)]);
  for (const c of doc.codeBlocks) spans.push([c.startLine, Math.min(c.endLine + 1, last + 1)]);
  if (doc.codeBlocks.length) spans.sort((a, b) => a[0] - b[0]);
  const parts: string[] = [];
  let from = 0;
  for (const [first, end] of spans) {
    if (first >= end || off[first] < from) continue;
    parts.push(text.slice(from, off[first]));
    from = off[end];
  }
  parts.push(text.slice(from));
  return parts;
}

/** Compute a page's anchors and title from its parsed document and text. */
export function makePage(path: string, text: string, doc: PatternDoc, slugify: Slugify, opts: PageOptions = { attrList: true, footnotes: false }): Page {
  // Explicit ids elsewhere: attribute lists, HTML `id=`/`name=` attributes and footnotes.
  const explicit: string[] = [];
  // Code is never read for ids: search the text around fenced and indented code (most of a catalog's bytes).
  let parts: string[] | undefined;
  if (text.includes('#') || text.includes('id=') || text.includes('name=')) {
    parts = outsideCode(text, doc);
    if (opts.attrList) for (const t of parts) for (const m of t.matchAll(/\{:?[^{}\n]*?#([\w:.-]+)[^{}\n]*\}/g)) explicit.push(own(m[1]));
    for (const t of parts) for (const m of t.matchAll(/<[a-zA-Z][^>\n]*?\s(?:id|name)\s*=\s*["']([^"']+)["']/g)) explicit.push(own(m[1]));
  }
  if (opts.footnotes && text.includes('[^')) {
    for (const t of (parts ??= outsideCode(text, doc))) for (const m of t.matchAll(/\[\^([^\]\s]+)\](:?)/g)) explicit.push(own(m[2] ? `fn:${m[1]}` : `fnref:${m[1]}`));
  }
  const fmTitle = frontmatterFields(doc.frontmatter)?.title;
  const h1 = doc.headings.find((h) => h.depth === 1)?.text;
  const base = path.split('/').pop()!.replace(/\.md$/, '');
  const title = typeof fmTitle === 'string' && fmTitle.trim() ? fmTitle.trim() : h1 ?? base;
  const lines = pageLines(text);
  return new SitePage(path, doc, title, sectionBodies(lines, doc), firstParagraphOf(lines, doc), findFooter(text, lines, doc), explicit, slugify, opts.attrList);
}

export interface LoadResult {
  site?: Site;
  /** Why the site could not be loaded (one line). */
  error?: string;
}

/** Find the site around `start` and load every page. */
export function loadSite(ws: Workspace, start: string, opts: SiteOptions): LoadResult {
  const steps = loadSiteSteps(ws, start, opts);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** How far `loadSiteSteps` is: Markdown pages read and parsed, of `total`. */
export interface LoadProgress {
  done: number;
  total: number;
}

/**
 * `loadSite` one page at a time: yields after every Markdown page, so that a
 * caller (the language server) can report progress and let its event loop
 * run between pages, and returns what `loadSite` returns.
 */
export function* loadSiteSteps(ws: Workspace, start: string, opts: SiteOptions): Generator<LoadProgress, LoadResult, void> {
  const startDir = normalizePath(start);
  const mkdocsPath = findMkdocsConfig(startDir, { exists: (p) => ws.exists(p) });
  let root: string;
  let mkdocsText: string | undefined;
  if (mkdocsPath) {
    root = dirname(mkdocsPath);
    mkdocsText = ws.readFile(mkdocsPath);
    if (mkdocsText === undefined) return { error: `cannot read ${mkdocsPath}` };
  } else if (ws.exists(startDir + '/' + CONFIG_FILE)) {
    root = startDir;
  } else {
    return { error: `no mkdocs.yml found at or above ${startDir}` };
  }
  const mkdocs = parseMkdocsConfig(mkdocsText ?? '');
  const cfgPath = root + '/' + CONFIG_FILE;
  let config = defaultConfig();
  let configProblems: ConfigProblem[] = [];
  const cfgText = ws.readFile(cfgPath);
  if (cfgText !== undefined) ({ config, problems: configProblems } = parseAtlasConfig(cfgText, RULE_CODES));
  if (opts.rules) config = { ...config, rules: { ...config.rules, ...opts.rules } };
  const docsDir = normalizePath(root + '/' + mkdocs.docsDir);
  if (!ws.exists(docsDir)) return { error: `docs_dir ${docsDir} does not exist` };
  const ignore = config.ignore.length ? picomatch(config.ignore) : () => false;
  const files = new Set<string>();
  const pages = new Map<string, Page>();
  const slugify = resolveSlugify(mkdocs);
  const docsRel = docsDir.slice(root.length + 1);
  const listed = ws.listFiles(docsDir).map((abs) => abs.slice(docsDir.length + 1));
  const listedSet = new Set(listed);
  const pageOpts = pageOptions(mkdocs);
  const built = (rel: string): boolean =>
    !ignore(rel) &&
    !ignore((docsRel ? docsRel + '/' : '') + rel) &&
    // MkDocs never builds dot-files or the top-level templates/ folder.
    !(rel.startsWith('templates/') || /(^|\/)\./.test(rel)) &&
    // MkDocs skips README.md where the same folder has an index.md.
    !(/(^|\/)README\.md$/.test(rel) && listedSet.has(rel.replace(/README\.md$/, 'index.md')));
  const sources = listed.filter(built);
  const progress: LoadProgress = { done: 0, total: sources.filter(isMarkdownPath).length };
  for (const rel of sources) {
    const abs = docsDir + '/' + rel;
    files.add(rel);
    if (!isMarkdownPath(rel)) continue;
    const text = ws.readFile(abs);
    if (text === undefined) {
      // The file vanished between listing and reading: treat it as absent.
      files.delete(rel);
    } else pages.set(rel, makePage(rel, text, opts.parse(text), slugify, pageOpts));
    progress.done++;
    yield progress;
  }
  const templateDocs = new Map<string, PatternDoc>();
  const tplCandidates = config.template
    ? [normalizePath(root + '/' + config.template)]
    : ws.listFiles(root).filter((f) => /pattern[-_ ]?template\.md$/i.test(f) && !f.includes('/node_modules/'));
  for (const abs of tplCandidates) {
    const rel = abs.slice(root.length + 1);
    const inDocs = abs.startsWith(docsDir + '/') ? pages.get(abs.slice(docsDir.length + 1)) : undefined;
    if (inDocs) templateDocs.set(rel, inDocs.doc);
    else {
      const t = ws.readFile(abs);
      if (t !== undefined) templateDocs.set(rel, opts.parse(t));
    }
  }
  const site = new Site({
    root,
    mkdocsPath,
    mkdocsText,
    mkdocs,
    config,
    configPath: cfgText !== undefined ? cfgPath : undefined,
    configProblems,
    pages,
    files,
    templateDocs,
  });
  return { site };
}
