/**
 * Custom LSP requests shared by the language server (server/src/lsp/) and the
 * VS Code client (client/src/). Plain types and method names only: no imports,
 * so both bundles can include this file without pulling in either side's
 * libraries.
 *
 * Paths are relative to the site root (the folder holding mkdocs.yml), with
 * `/` separators, e.g. `docs/patterns/circuit-breaker.md`. Every entry also
 * carries `uri`, the page's absolute `file:` URI, which is what the client
 * opens; a client that gets no `uri` resolves `path` against `root`.
 */

/** Parameters of both requests: which site (any document or folder URI inside it). */
export interface SiteParams {
  /** A document or folder URI inside the site; omitted = the first site of the workspace. */
  uri?: string;
}

export type PatternStatus = 'complete' | 'partial' | 'stub' | (string & {});

export interface CatalogPattern {
  /** Site-root relative path, e.g. `docs/patterns/cqrs.md`. */
  path: string;
  /** Absolute `file:` URI of the page. */
  uri?: string;
  title: string;
  /** Frontmatter `status` (complete / partial / stub), or `unknown`. */
  status: PatternStatus;
  /** Frontmatter `category`, when the page has one. */
  category?: string;
  /**
   * False exactly when the `not-in-nav` rule reports the page: mkdocs.yml has
   * a `nav:` that does not list it and its `not_in_nav` does not cover it
   * (the "Add Page to Nav" case). Without a `nav:` every page is in the nav.
   */
  inNav: boolean;
  /**
   * Whether the nav MkDocs builds lists the page: the `nav:` of mkdocs.yml,
   * or without one the nav MkDocs makes from the folders (which leaves out
   * the pages `not_in_nav` covers). False with `inNav` true: `not_in_nav`
   * deliberately keeps the page out of the nav.
   */
  navListed: boolean;
  /**
   * The innermost nav section listing the page (e.g. `Resilience Patterns`);
   * without a `nav:`, the section MkDocs makes from the page's folder (e.g.
   * `Patterns`). Absent when the page is listed at the top level of the nav
   * or not listed.
   */
  navSection?: string;
  /** How many diagnostics the page has (all severities). */
  problems: number;
}

export interface CatalogConcept {
  /** Concept kind id from the config, e.g. `law`, `pillar`. */
  kind: string;
  /** The word that starts the title, e.g. `Law`; absent = kind with a capital letter. */
  label?: string;
  number: number;
  title: string;
  path: string;
  uri?: string;
  /** Site-root relative paths of the patterns citing this concept. */
  citedBy: string[];
}

export interface CatalogCounts {
  complete: number;
  partial: number;
  stub: number;
  total: number;
}

export interface CatalogResult {
  /** `file:` URI of the site root (the folder with mkdocs.yml). */
  root?: string;
  /** Site name from mkdocs.yml. */
  site?: string;
  /** True when mkdocs.yml has no `nav:`: MkDocs makes the nav from the folders, and `navSection` comes from that nav. */
  autoNav?: boolean;
  patterns: CatalogPattern[];
  concepts: CatalogConcept[];
  counts: CatalogCounts;
}

export interface ReportResult {
  /** The catalog report rendered as Markdown (tables, lists). */
  markdown: string;
}

export const CatalogRequestMethod = 'patternAtlas/catalog';
export const ReportRequestMethod = 'patternAtlas/report';

/** Command-line flag the client adds when the workspace is not trusted: the server must run nothing. */
export const UNTRUSTED_FLAG = '--untrusted';

/** Settings section the client synchronizes to the server (`workspace/configuration` and didChangeConfiguration). */
export const SETTINGS_SECTION = 'patternAtlas';

/** Shape of the `patternAtlas` settings as the server receives them. */
export interface PatternAtlasSettings {
  enable: boolean;
  /** Per-rule severity overrides from the editor; `.pattern-atlas.yml` stays the site's own source of truth. */
  rules: Record<string, 'error' | 'warning' | 'info' | 'hint' | 'off'>;
  trace?: { server: 'off' | 'messages' | 'verbose' };
}

/** `patternAtlas/mermaidBlocks`: the ```mermaid blocks of one page, as the server's Markdown parser sees them (for the preview). */
export const MermaidBlocksRequestMethod = 'patternAtlas/mermaidBlocks';

export interface MermaidBlocksParams {
  /** The page's URI (an open document's text is used; else the file on disk). */
  uri: string;
}

export interface MermaidBlockInfo {
  /** 0-based index among the page's mermaid blocks. */
  index: number;
  /** Page line (0-based) of the opening fence. */
  line: number;
  /** The diagram text, container indentation removed. */
  code: string;
  /** From the opening to the closing fence line. */
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

export interface MermaidBlocksResult {
  blocks: MermaidBlockInfo[];
}

/** `patternAtlas/related`: a page's neighbourhood (links out, links in, cited Laws/Pillars), for the "Show Related Patterns" graph. */
export const RelatedRequestMethod = 'patternAtlas/related';

export interface RelatedParams {
  /** The page's URI. */
  uri: string;
}

export type RelatedNodeKind = 'pattern' | 'law' | 'pillar' | 'page';
export type RelatedEdgeKind = 'links-to' | 'linked-from' | 'cites';

export interface RelatedNode {
  /** Site-root relative path, e.g. `docs/patterns/retry-backoff.md`. */
  path: string;
  /** Absolute `file:` URI of the page. */
  uri: string;
  title: string;
  kind: RelatedNodeKind;
  /** Frontmatter `status` of a pattern page. */
  status?: PatternStatus;
}

export interface RelatedEdge {
  /** Node paths (site-root relative); one end is always the center. */
  from: string;
  to: string;
  kind: RelatedEdgeKind;
}

/** `null` when the URI is not a page of a site. */
export type RelatedResult = {
  center: RelatedNode;
  /** The neighbours, each once (the center is not among them). */
  nodes: RelatedNode[];
  edges: RelatedEdge[];
} | null;
