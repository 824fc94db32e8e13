/**
 * `mkdocs.yml`: finding it, and reading it the way MkDocs 1.6 does.
 *
 * The YAML is read as YAML 1.1 (PyYAML, which MkDocs uses: `yes`/`no` are
 * booleans, merge keys work). Custom tags (`!ENV`, `!relative`,
 * `!!python/name:...`, `!!python/object/apply:...`, any other) are never
 * errors: they become `TaggedValue`s holding the tag and the tagged value.
 *
 * Nothing here throws; every issue is a `problem` with a 0-based range.
 */

import * as path from 'node:path';
import {
  Document,
  parseDocument,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  type Node as YamlNode,
  type ScalarTag,
  type CollectionTag,
  type YAMLMap,
  type YAMLSeq,
  type Pair,
  type Tags,
} from 'yaml';
import type { Pos, Range } from '../parse/types.ts';
import { LineIndex } from '../parse/line-index.ts';
import {
  slugifyPymdown,
  slugifyToc,
  slugifyTocUnicode,
  pymdownLegacySlugify,
  type PymdownSlugOptions,
  type Slugify,
} from './slug.ts';

/** A MkDocs validation level (`links.absolute_links` also allows `relative_to_docs`). */
export type Severity = 'warn' | 'info' | 'ignore';
export type AbsoluteLinksSeverity = Severity | 'relative_to_docs';

/** A value carrying a YAML tag that MkDocs resolves in Python (`!ENV`, `!!python/name:x`, ...). */
export class TaggedValue {
  constructor(
    /** Short form: `!ENV`, `!relative`, `!!python/name:material.extensions.emoji.twemoji`. */
    readonly tag: string,
    /** The tagged scalar (string), sequence (array) or mapping (object). */
    readonly value: unknown,
  ) {}
}

export function isTagged(v: unknown, tag?: string): v is TaggedValue {
  return v instanceof TaggedValue && (tag === undefined || v.tag === tag);
}

export interface NavEntry {
  title?: string;
  /** Docs-relative path exactly as written, e.g. `patterns/x.md` or `patterns/index.md#all`. */
  path?: string;
  /** External link (has a URL scheme or starts with `//`). */
  url?: string;
  /** Titles of enclosing sections, outermost first. */
  section: string[];
  /** The scalar value's range in mkdocs.yml. */
  range: Range;
  /** The whole line holding the list item (from column 0 to the end of the line). */
  lineRange: Range;
  /** The title key's range, for `Title: value` items. */
  titleRange?: Range;
}

export interface NavSection {
  title: string;
  /** Titles of enclosing sections, outermost first (not including this one). */
  section: string[];
  /** The title key's range. */
  range: Range;
  lineRange: Range;
}

export interface MarkdownExtension {
  /** As written, e.g. `toc`, `markdown.extensions.toc`, `pymdownx.tabbed`. */
  name: string;
  /** Its options mapping (`{}` when none). Tagged values stay `TaggedValue`s. */
  options: unknown;
  /** Where the name is written; absent for MkDocs' built-ins not in the file. */
  range?: Range;
}

export interface TocConfig {
  /**
   * - `default`: Python-Markdown's ASCII slugify;
   * - `unicode`: `markdown.extensions.toc.slugify_unicode`;
   * - `pymdownx`: `pymdownx.slugs.slugify(**kwds)` or a legacy `uslugify*`/`gfm*`;
   * - `custom`: some other Python callable (approximated by `default`).
   */
  slugify: 'default' | 'pymdownx' | 'unicode' | 'custom';
  slugifyOptions?: { case?: string; percent_encode?: boolean; normalize?: string; [k: string]: unknown };
  /** The Python name of the configured callable (`pymdownx.slugs.slugify`), when set. */
  slugifyRef?: string;
  /** Word separator (toc `separator`, default `-`). */
  separator: string;
  permalink?: unknown;
}

export interface ConfigProblem {
  message: string;
  range: Range;
  severity: 'error' | 'warning';
}

export interface MkdocsConfig {
  siteName?: string;
  /** Default `docs`. */
  docsDir: string;
  /** Default true. */
  useDirectoryUrls: boolean;
  /** Flattened pages and links, in order; undefined when there is no (non-null) `nav` key. */
  nav?: NavEntry[];
  /** Sections of the nav, in order. */
  navSections?: NavSection[];
  /** From the `nav` key to the end of its value. */
  navRange?: Range;
  validation: {
    /** nav.omitted_files */
    omittedFiles: Severity;
    /** links.not_found */
    notFound: Severity;
    /** links.absolute_links */
    absoluteLinks: AbsoluteLinksSeverity;
    /** links.unrecognized_links */
    unrecognizedLinks: Severity;
    /** links.anchors */
    anchors: Severity;
    /** nav.not_found */
    navNotFound: Severity;
    /** nav.absolute_links */
    navAbsoluteLinks: AbsoluteLinksSeverity;
  };
  /** Built-ins (`toc`, `tables`, `fenced_code`) first, then as configured; later configs of one name win. */
  markdownExtensions: MarkdownExtension[];
  toc: TocConfig;
  /** `attr_list` (or `extra`, which includes it) is enabled. */
  attrList: boolean;
  strict: boolean;
  /** `not_in_nav` (gitignore-style lines), as written. */
  notInNav?: string;
  /** `exclude_docs` (gitignore-style lines), as written. */
  excludeDocs?: string;
  /** `draft_docs` (gitignore-style lines), as written. */
  draftDocs?: string;
  /** `INHERIT`: a parent config this one is merged over (not followed). */
  inherit?: string;
  /** Plugin names, as configured (`search` when the key is absent). */
  plugins: string[];
  /** The whole document as plain data (tagged values kept), or undefined when unreadable. */
  data?: Record<string, unknown>;
  problems: ConfigProblem[];
}

export interface ParseMkdocsOptions {
  /** Environment for `!ENV`; when absent, an `!ENV` value is its default. */
  env?: Record<string, string | undefined>;
  /** Find the custom tags by a first parse rather than by reading the text (for the test comparing both). */
  twoPassTags?: boolean;
}

// ---------------------------------------------------------------------------
// Finding the file

/** `mkdocs.yml` (preferred) or `mkdocs.yaml` in startDir or the nearest directory above it. */
export function findMkdocsConfig(startDir: string, fs: { exists(p: string): boolean }): string | undefined {
  try {
    if (typeof startDir !== 'string' || !fs || typeof fs.exists !== 'function') return undefined;
    let dir = path.resolve(startDir);
    for (let i = 0; i < 1000; i++) {
      for (const name of ['mkdocs.yml', 'mkdocs.yaml']) {
        const candidate = path.join(dir, name);
        let ok = false;
        try {
          ok = fs.exists(candidate) === true;
        } catch {
          ok = false;
        }
        if (ok) return candidate;
      }
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  } catch {
    /* fall through */
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// Positions

const ZERO: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

// ---------------------------------------------------------------------------
// Defaults

function defaults(): MkdocsConfig {
  return {
    docsDir: 'docs',
    useDirectoryUrls: true,
    validation: {
      omittedFiles: 'info',
      notFound: 'warn',
      absoluteLinks: 'info',
      unrecognizedLinks: 'info',
      anchors: 'info',
      navNotFound: 'warn',
      navAbsoluteLinks: 'info',
    },
    markdownExtensions: BUILTIN_EXTENSIONS.map((name) => ({ name, options: {} })),
    toc: { slugify: 'default', separator: '-' },
    attrList: false,
    strict: false,
    plugins: ['search'],
    problems: [],
  };
}

const BUILTIN_EXTENSIONS = ['toc', 'tables', 'fenced_code'];

const KNOWN_KEYS = new Set([
  'site_name', 'nav', 'pages', 'exclude_docs', 'draft_docs', 'not_in_nav', 'site_url', 'site_description',
  'site_author', 'theme', 'docs_dir', 'site_dir', 'copyright', 'google_analytics', 'dev_addr',
  'use_directory_urls', 'repo_url', 'repo_name', 'edit_uri_template', 'edit_uri', 'extra_css',
  'extra_javascript', 'extra_templates', 'markdown_extensions', 'mdx_configs', 'strict', 'remote_branch',
  'remote_name', 'extra', 'plugins', 'hooks', 'watch', 'validation', 'INHERIT',
]);

// ---------------------------------------------------------------------------
// YAML

const YAML_PREFIX = 'tag:yaml.org,2002:';

function shortTag(tag: string): string {
  return tag.startsWith(YAML_PREFIX) ? '!!' + tag.slice(YAML_PREFIX.length) : tag;
}

function collectionToJS(coll: unknown): unknown {
  try {
    const c = coll as { toJSON?: () => unknown };
    return typeof c.toJSON === 'function' ? c.toJSON() : undefined;
  } catch {
    return undefined;
  }
}

function tagsFor(fullTag: string): Array<ScalarTag | CollectionTag> {
  const short = shortTag(fullTag);
  return [
    { tag: fullTag, resolve: (value: string) => new TaggedValue(short, value) },
    { tag: fullTag, collection: 'map', resolve: (m: YAMLMap.Parsed | YAMLSeq.Parsed) => new TaggedValue(short, collectionToJS(m)) },
    { tag: fullTag, collection: 'seq', resolve: (s: YAMLMap.Parsed | YAMLSeq.Parsed) => new TaggedValue(short, collectionToJS(s)) },
  ];
}

const BASE_OPTIONS = {
  version: '1.1' as const,
  prettyErrors: false,
  uniqueKeys: false,
  keepSourceTokens: false,
};

// PyYAML's YAML 1.1 booleans (the `yaml` package also takes y/Y/n/N).
const PY_TRUE = /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
const PY_FALSE = /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/;

function withPyYamlTags(extra: Array<ScalarTag | CollectionTag>) {
  return (tags: Tags): Tags => [
    ...tags.map((t) => {
      if (typeof t === 'string' || t.tag !== YAML_PREFIX + 'bool' || t.collection || !t.test) return t;
      let isTrue = false;
      try {
        isTrue = t.identify?.(true) === true;
      } catch {
        isTrue = false;
      }
      return { ...t, test: isTrue ? PY_TRUE : PY_FALSE } as ScalarTag;
    }),
    ...extra,
  ];
}

/**
 * Every tag the text may use that the schema does not know, as the `yaml`
 * package names it (`!!x` is `tag:yaml.org,2002:x`), found by reading every
 * `!` token of the text: a superset of the tags it uses (a `!` in a string or
 * a comment adds a tag nothing uses, which changes nothing). Undefined when a
 * tag could resolve otherwise: `%TAG` directives, verbatim `!<...>` tags,
 * named handles, bad `%` escapes, tags of the schema itself (`!!str`).
 */
export function scanUnknownTags(text: string): Set<string> | undefined {
  if (!text.includes('!')) return new Set();
  if (/^%TAG/m.test(text) || text.includes('!<')) return undefined;
  const known = knownTags();
  const out = new Set<string>();
  for (const m of text.matchAll(/!(?:[0-9A-Za-z\-#;/?:@&=+$_.!~*'()]|%[0-9A-Fa-f]{2})*/g)) {
    const source = m[0];
    if (source === '!') continue;
    const cut = source.lastIndexOf('!');
    const handle = source.slice(0, cut + 1);
    if (handle !== '!' && handle !== '!!') return undefined;
    let suffix: string;
    try {
      suffix = decodeURIComponent(source.slice(cut + 1));
    } catch {
      return undefined;
    }
    const tag = handle === '!!' ? YAML_PREFIX + suffix : source;
    // A tag the schema knows may still be unresolved for some values (`!!float 1`): only a parse can tell.
    if (known.has(tag)) return undefined;
    out.add(tag);
  }
  return out;
}

let knownTagNames: Set<string> | undefined;
/** Tags the schema of mkdocs.yml resolves by itself (YAML 1.1 and the PyYAML booleans). */
function knownTags(): Set<string> {
  if (!knownTagNames) {
    const schema = new Document(null, { ...BASE_OPTIONS, customTags: withPyYamlTags([]) }).schema as unknown as { tags: Array<{ tag: string }>; knownTags: Record<string, unknown> };
    knownTagNames = new Set([...schema.tags.map((t) => t.tag), ...Object.keys(schema.knownTags)]);
  }
  return knownTagNames;
}

/** `twoPass`: always find the tags by parsing (the test comparing both ways asks for it). */
function parseYaml(text: string, twoPass = false): Document.Parsed {
  // The tags the file uses are registered as custom tags, so that each resolves
  // to a TaggedValue instead of a warning. They are found by reading the text;
  // when that is not sure, by a first parse (its unresolved-tag warnings).
  const tags = new Set<string>(['!ENV', '!relative']);
  const scanned = twoPass ? undefined : scanUnknownTags(text);
  if (scanned) for (const t of scanned) tags.add(t);
  else {
    try {
      const first = parseDocument(text, { ...BASE_OPTIONS, customTags: withPyYamlTags([]) });
      for (const w of first.warnings) {
        const m = /^Unresolved tag: (\S+)/.exec(w.message);
        if (w.code === 'TAG_RESOLVE_FAILED' && m) tags.add(m[1]);
      }
    } catch {
      /* pass 2 will report */
    }
  }
  const customTags: Array<ScalarTag | CollectionTag> = [];
  for (const t of tags) customTags.push(...tagsFor(t));
  return parseDocument(text, { ...BASE_OPTIONS, customTags: withPyYamlTags(customTags) });
}

// ---------------------------------------------------------------------------
// Helpers on nodes

type AnyNode = YamlNode | null | undefined;

function nodeRange(idx: LineIndex, n: AnyNode): Range | undefined {
  const r = (n as { range?: [number, number, number] } | null | undefined)?.range;
  return r ? idx.range(r[0], r[1]) : undefined;
}

function deref(doc: Document.Parsed, n: unknown): AnyNode {
  if (isAlias(n)) {
    try {
      return n.resolve(doc) as AnyNode;
    } catch {
      return undefined;
    }
  }
  return n as AnyNode;
}

function scalarValue(n: AnyNode): unknown {
  return isScalar(n) ? n.value : undefined;
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (v instanceof TaggedValue) return `a ${v.tag} value`;
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return 'a string';
  if (typeof v === 'boolean') return 'a boolean';
  if (typeof v === 'number' || typeof v === 'bigint') return 'a number';
  return typeof v;
}

/** `!ENV` resolution as MkDocs (pyyaml_env_tag): try each variable, else the default. */
export function resolveEnvTag(v: unknown, env?: Record<string, string | undefined>): unknown {
  if (!isTagged(v, '!ENV')) return v;
  let vars: unknown[];
  let fallback: unknown = null;
  if (Array.isArray(v.value)) {
    vars = v.value.slice();
    if (vars.length > 1) fallback = vars.pop();
  } else {
    vars = [v.value];
  }
  if (env) {
    for (const name of vars) {
      const key = String(name);
      const value = Object.prototype.hasOwnProperty.call(env, key) ? env[key] : undefined;
      if (typeof value === 'string') {
        try {
          const d = parseDocument(value, { version: '1.1' });
          const js = d.errors.length ? value : d.toJS();
          return typeof js === 'object' && js !== null ? value : js;
        } catch {
          return value;
        }
      }
    }
  }
  return fallback;
}

function pyUrlIsExternal(s: string): boolean {
  // urllib.parse.urlsplit: a scheme (letter then letters/digits/+-.) or a netloc.
  return /^[a-zA-Z][a-zA-Z0-9+.\-]*:/.test(s) || s.startsWith('//');
}

function extName(name: string): string {
  let n = name.trim();
  const colon = n.indexOf(':');
  if (colon >= 0) n = n.slice(0, colon);
  if (n.startsWith('markdown.extensions.')) n = n.slice('markdown.extensions.'.length);
  return n;
}

// ---------------------------------------------------------------------------
// The parser

export function parseMkdocsConfig(text: string, opts: ParseMkdocsOptions = {}): MkdocsConfig {
  const cfg = defaults();
  try {
    parseInto(cfg, typeof text === 'string' ? text : '', opts ?? {});
  } catch (e) {
    const fresh = defaults();
    fresh.problems.push({
      message: `Could not read mkdocs.yml: ${e instanceof Error ? e.message : String(e)}`,
      range: ZERO,
      severity: 'error',
    });
    return fresh;
  }
  return cfg;
}

function parseInto(cfg: MkdocsConfig, text: string, opts: ParseMkdocsOptions): void {
  const idx = new LineIndex(text);
  const problems = cfg.problems;
  const error = (message: string, range: Range | undefined) =>
    problems.push({ message, range: range ?? ZERO, severity: 'error' });
  const warning = (message: string, range: Range | undefined) =>
    problems.push({ message, range: range ?? ZERO, severity: 'warning' });

  const doc = parseYaml(text, opts.twoPassTags);
  for (const e of doc.errors) error(`YAML: ${e.message}`, idx.range(e.pos[0], e.pos[1]));
  if (doc.errors.length) return;
  for (const w of doc.warnings) warning(`YAML: ${w.message}`, idx.range(w.pos[0], w.pos[1]));

  const root = doc.contents;
  if (!isMap(root)) {
    error(
      `The configuration is invalid: expected a mapping of settings, got ${describe(scalarValue(root) ?? (isSeq(root) ? [] : null))}.`,
      nodeRange(idx, root) ?? idx.lineRange(0),
    );
    return;
  }

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    error(`YAML: ${e instanceof Error ? e.message : String(e)}`, nodeRange(idx, root));
    return;
  }
  if (data && typeof data === 'object' && !Array.isArray(data)) cfg.data = data as Record<string, unknown>;
  const env = opts.env;
  const get = (key: string): unknown => resolveEnvTag(cfg.data?.[key], env);

  // Top-level pairs: last occurrence of a key wins (as PyYAML); ranges for each.
  const pairs = new Map<string, Pair<unknown, unknown>>();
  for (const item of root.items) {
    if (!isPair(item)) continue;
    const keyNode = deref(doc, item.key);
    const k = scalarValue(keyNode);
    if (k === '<<') continue;
    const key = k === null || k === undefined ? '' : String(k);
    const keyRange = nodeRange(idx, keyNode);
    if (pairs.has(key)) warning(`Duplicate configuration key '${key}': the last one is used.`, keyRange);
    pairs.set(key, item);
    if (!KNOWN_KEYS.has(key)) warning(`Unrecognised configuration name: ${key}`, keyRange);
  }
  const keyRangeOf = (key: string) => nodeRange(idx, deref(doc, pairs.get(key)?.key));
  const valueRangeOf = (key: string) => nodeRange(idx, deref(doc, pairs.get(key)?.value)) ?? keyRangeOf(key);
  const has = (key: string) => cfg.data !== undefined && Object.prototype.hasOwnProperty.call(cfg.data, key);

  if (pairs.has('pages')) error("The configuration option 'pages' was removed from MkDocs. Use 'nav' instead.", keyRangeOf('pages'));
  if (pairs.has('google_analytics'))
    warning("The configuration option 'google_analytics' is deprecated; use the theme's analytics option.", keyRangeOf('google_analytics'));

  // site_name (required)
  const siteName = get('site_name');
  if (typeof siteName === 'string') cfg.siteName = siteName;
  else if (!has('site_name')) error("Required configuration 'site_name' not provided.", idx.lineRange(0));
  else if (siteName !== null && !isTagged(siteName))
    error(`Config value 'site_name': expected a string, got ${describe(siteName)}.`, valueRangeOf('site_name'));

  // docs_dir
  if (has('docs_dir')) {
    const v = get('docs_dir');
    if (typeof v === 'string') cfg.docsDir = v;
    else if (v !== null && !isTagged(v)) error(`Config value 'docs_dir': expected a string, got ${describe(v)}.`, valueRangeOf('docs_dir'));
  }

  // use_directory_urls, strict
  for (const [key, set] of [
    ['use_directory_urls', (b: boolean) => (cfg.useDirectoryUrls = b)],
    ['strict', (b: boolean) => (cfg.strict = b)],
  ] as const) {
    if (!has(key)) continue;
    const v = get(key);
    if (typeof v === 'boolean') set(v);
    else if (v !== null && !isTagged(v)) error(`Config value '${key}': expected a boolean, got ${describe(v)}.`, valueRangeOf(key));
  }

  // gitignore-style path specs
  for (const [key, set] of [
    ['not_in_nav', (s: string) => (cfg.notInNav = s)],
    ['exclude_docs', (s: string) => (cfg.excludeDocs = s)],
    ['draft_docs', (s: string) => (cfg.draftDocs = s)],
    ['INHERIT', (s: string) => (cfg.inherit = s)],
  ] as const) {
    if (!has(key)) continue;
    const v = get(key);
    if (typeof v === 'string') set(v);
    else if (v !== null && !isTagged(v)) error(`Config value '${key}': expected a string, got ${describe(v)}.`, valueRangeOf(key));
  }

  // plugins
  if (has('plugins')) {
    const v = get('plugins');
    cfg.plugins = [];
    const list = Array.isArray(v) ? v : v && typeof v === 'object' && !isTagged(v) ? Object.keys(v) : null;
    if (list) {
      for (const p of list) {
        if (typeof p === 'string') cfg.plugins.push(p);
        else if (p && typeof p === 'object' && !Array.isArray(p) && !isTagged(p)) cfg.plugins.push(...Object.keys(p));
      }
    } else if (v !== null && !isTagged(v)) {
      error(`Config value 'plugins': expected a list, got ${describe(v)}.`, valueRangeOf('plugins'));
    }
  }

  const rangeAt = (p: string[]): Range | undefined => {
    try {
      return nodeRange(idx, deref(doc, doc.getIn(p, true) as unknown)) ?? (p.length > 1 ? rangeAt(p.slice(0, -1)) : undefined);
    } catch {
      return undefined;
    }
  };
  readValidation(cfg, get('validation'), has('validation'), rangeAt, error);
  readExtensions(cfg, doc, idx, pairs.get('markdown_extensions'), error, warning);

  // nav
  const navPair = pairs.get('nav');
  if (navPair) {
    const navNode = deref(doc, navPair.value);
    const keyNode = deref(doc, navPair.key);
    const kr = keyNode?.range;
    const vr = navNode?.range;
    if (kr) cfg.navRange = idx.trimmedRange(kr[0], vr ? vr[1] : kr[1]);
    if (isSeq(navNode)) {
      cfg.nav = [];
      cfg.navSections = [];
      readNav(doc, idx, navNode, [], cfg.nav, cfg.navSections, error);
    } else if (navNode && !(isScalar(navNode) && navNode.value === null)) {
      error(`Config value 'nav': expected a list, got ${describe(isMap(navNode) ? {} : scalarValue(navNode))}.`, nodeRange(idx, navNode));
    }
  }
}

function readValidation(
  cfg: MkdocsConfig,
  raw: unknown,
  present: boolean,
  rangeAt: (p: string[]) => Range | undefined,
  error: (m: string, r: Range | undefined) => void,
): void {
  const range = rangeAt(['validation']);
  if (!present || raw === null || raw === undefined) return;
  if (typeof raw !== 'object' || Array.isArray(raw) || isTagged(raw)) {
    error(`Config value 'validation': expected a mapping, got ${describe(raw)}.`, range);
    return;
  }
  const top = { ...(raw as Record<string, unknown>) };
  const subKeys: Record<'nav' | 'links', string[]> = {
    nav: ['omitted_files', 'not_found', 'absolute_links'],
    links: ['not_found', 'absolute_links', 'unrecognized_links', 'anchors'],
  };
  // PropagatingSubConfig: a key given at the top applies to each sub-config
  // that has it, unless that sub-config sets it explicitly.
  const sub: Record<'nav' | 'links', Record<string, unknown>> = { nav: {}, links: {} };
  for (const s of ['nav', 'links'] as const) {
    const v = top[s];
    if (v !== undefined && v !== null && (typeof v !== 'object' || Array.isArray(v) || isTagged(v))) {
      error(`Config value 'validation': Sub-option '${s}': expected a mapping, got ${describe(v)}.`, rangeAt(['validation', s]));
      continue;
    }
    sub[s] = { ...((v as Record<string, unknown>) ?? {}) };
  }
  const propagated = new Set<string>();
  const from: Record<'nav' | 'links', Record<string, string[]>> = { nav: {}, links: {} };
  for (const s of ['nav', 'links'] as const) {
    for (const k of Object.keys(sub[s])) from[s][k] = ['validation', s, k];
    for (const k of subKeys[s]) {
      if (k in top) {
        propagated.add(k);
        if (!(k in sub[s])) {
          sub[s][k] = top[k];
          from[s][k] = ['validation', k];
        }
      }
    }
  }
  for (const k of Object.keys(top)) {
    if (k !== 'nav' && k !== 'links' && !propagated.has(k))
      error(`Config value 'validation': Unrecognised configuration name: ${k}`, rangeAt(['validation', k]));
  }
  for (const s of ['nav', 'links'] as const) {
    for (const k of Object.keys(sub[s])) {
      if (!subKeys[s].includes(k))
        error(`Config value 'validation': Sub-option '${s}': Unrecognised configuration name: ${k}`, rangeAt(['validation', s, k]));
    }
  }
  const level = (s: 'nav' | 'links', k: string, allowRelative: boolean): AbsoluteLinksSeverity | undefined => {
    const v = sub[s][k];
    if (v === undefined) return undefined;
    const allowed = allowRelative ? ['warn', 'info', 'ignore', 'relative_to_docs'] : ['warn', 'info', 'ignore'];
    if (typeof v === 'string' && allowed.includes(v)) return v as AbsoluteLinksSeverity;
    error(
      `Config value 'validation': Sub-option '${s}': Sub-option '${k}': Expected one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${typeof v === 'string' ? `'${v}'` : describe(v)}.`,
      rangeAt(from[s][k] ?? ['validation']),
    );
    return undefined;
  };
  const val = cfg.validation;
  val.omittedFiles = (level('nav', 'omitted_files', false) as Severity | undefined) ?? val.omittedFiles;
  val.navNotFound = (level('nav', 'not_found', false) as Severity | undefined) ?? val.navNotFound;
  val.navAbsoluteLinks = level('nav', 'absolute_links', true) ?? val.navAbsoluteLinks;
  val.notFound = (level('links', 'not_found', false) as Severity | undefined) ?? val.notFound;
  val.absoluteLinks = level('links', 'absolute_links', true) ?? val.absoluteLinks;
  val.unrecognizedLinks = (level('links', 'unrecognized_links', false) as Severity | undefined) ?? val.unrecognizedLinks;
  val.anchors = (level('links', 'anchors', false) as Severity | undefined) ?? val.anchors;
}

function readExtensions(
  cfg: MkdocsConfig,
  doc: Document.Parsed,
  idx: LineIndex,
  pair: Pair<unknown, unknown> | undefined,
  error: (m: string, r: Range | undefined) => void,
  warning: (m: string, r: Range | undefined) => void,
): void {
  const found: MarkdownExtension[] = [];
  const add = (name: unknown, options: unknown, range: Range | undefined) => {
    if (typeof name !== 'string' || name === '') {
      error(`Config value 'markdown_extensions': invalid extension name ${describe(name)}.`, range);
      return;
    }
    let opts: unknown = options;
    if (opts === null || opts === undefined) opts = {};
    else if (typeof opts !== 'object' || Array.isArray(opts) || isTagged(opts)) {
      error(`Config value 'markdown_extensions': invalid config options for Markdown Extension '${name}'.`, range);
      opts = {};
    }
    found.push({ name, options: opts, range });
  };
  if (pair) {
    const node = deref(doc, pair.value);
    const toJS = (n: unknown): unknown => {
      const d = deref(doc, n);
      try {
        return d ? (d as unknown as { toJS(doc: Document.Parsed): unknown }).toJS(doc) : null;
      } catch {
        return null;
      }
    };
    if (isSeq(node)) {
      for (const item of node.items) {
        const it = deref(doc, item);
        if (isScalar(it)) add(it.value, undefined, nodeRange(idx, it));
        else if (isMap(it)) {
          if (it.items.length !== 1)
            warning(`Config value 'markdown_extensions': expected one extension per list item, got ${it.items.length}.`, nodeRange(idx, it));
          for (const p of it.items) {
            const k = deref(doc, p.key);
            add(scalarValue(k), toJS(p.value), nodeRange(idx, k));
          }
        } else add(undefined, undefined, nodeRange(idx, it));
      }
    } else if (isMap(node)) {
      for (const p of node.items) {
        const k = deref(doc, p.key);
        add(scalarValue(k), toJS(p.value), nodeRange(idx, k));
      }
    } else if (node && !(isScalar(node) && node.value === null)) {
      error(`Config value 'markdown_extensions': expected a list, got ${describe(scalarValue(node))}.`, nodeRange(idx, node));
    }
  }

  // MkDocs: builtins first, then configured names, first occurrence keeps its
  // place; the last configuration given for a name wins.
  const list: MarkdownExtension[] = BUILTIN_EXTENSIONS.map((name) => ({ name, options: {} }));
  const byName = new Map<string, MarkdownExtension>(list.map((e) => [e.name, e]));
  for (const e of found) {
    const existing = byName.get(e.name);
    if (existing) {
      existing.options = e.options;
      if (!existing.range) existing.range = e.range;
    } else {
      const copy = { ...e };
      byName.set(e.name, copy);
      list.push(copy);
    }
  }
  cfg.markdownExtensions = list;

  const names = new Set(list.map((e) => extName(e.name)));
  cfg.attrList = names.has('attr_list') || names.has('extra');

  // toc: merge options of every spelling (toc, markdown.extensions.toc)
  let tocOptions: Record<string, unknown> = {};
  let tocRange: Range | undefined;
  for (const e of list) {
    if (extName(e.name) === 'toc' && e.options && typeof e.options === 'object') {
      tocOptions = { ...tocOptions, ...(e.options as Record<string, unknown>) };
      tocRange = e.range ?? tocRange;
    }
  }
  cfg.toc = readToc(tocOptions, tocRange, warning);
}

function readToc(
  o: Record<string, unknown>,
  range: Range | undefined,
  warning: (m: string, r: Range | undefined) => void,
): TocConfig {
  const toc: TocConfig = { slugify: 'default', separator: typeof o.separator === 'string' ? o.separator : '-' };
  if ('permalink' in o) toc.permalink = o.permalink;
  const s = o.slugify;
  if (s === undefined || s === null) return toc;
  if (isTagged(s)) {
    const m = /^!!python\/(name|object\/apply|object\/new|object):(.*)$/.exec(s.tag);
    const ref = m ? m[2] : undefined;
    if (ref) toc.slugifyRef = ref;
    if (m && m[1] === 'object/apply' && ref === 'pymdownx.slugs.slugify') {
      toc.slugify = 'pymdownx';
      const v = s.value;
      let kwds: Record<string, unknown> = {};
      if (v && typeof v === 'object' && !Array.isArray(v)) {
        const k = (v as Record<string, unknown>).kwds;
        if (k && typeof k === 'object' && !Array.isArray(k)) kwds = { ...(k as Record<string, unknown>) };
      }
      toc.slugifyOptions = kwds;
      return toc;
    }
    if (m && m[1] === 'name' && ref) {
      if (ref === 'markdown.extensions.toc.slugify') return toc;
      if (ref === 'markdown.extensions.toc.slugify_unicode') {
        toc.slugify = 'unicode';
        return toc;
      }
      const legacy = /^pymdownx\.slugs\.(uslugify|uslugify_encoded|uslugify_cased|uslugify_cased_encoded|gfm|gfm_encoded)$/.exec(ref);
      if (legacy) {
        toc.slugify = 'pymdownx';
        const enc = legacy[1].endsWith('_encoded');
        const kase = legacy[1].startsWith('gfm') ? 'lower-ascii' : legacy[1].startsWith('uslugify_cased') ? 'none' : 'lower';
        toc.slugifyOptions = { case: kase, ...(enc ? { percent_encode: true } : {}) };
        return toc;
      }
    }
    toc.slugify = 'custom';
    warning(`toc slugify '${ref ?? s.tag}' is not known to Pattern Atlas; heading ids are approximated with the default slugify.`, range);
    return toc;
  }
  toc.slugify = 'custom';
  warning(`toc slugify should be a Python callable (e.g. !!python/name:...); got ${describe(s)}.`, range);
  return toc;
}

function readNav(
  doc: Document.Parsed,
  idx: LineIndex,
  seq: YAMLSeq,
  section: string[],
  out: NavEntry[],
  sections: NavSection[],
  error: (m: string, r: Range | undefined) => void,
): void {
  for (const raw of seq.items) {
    const item = deref(doc, raw);
    const start = (item as { range?: [number, number, number] } | null)?.range?.[0];
    const lineRange = idx.lineRange(start !== undefined ? idx.pos(start).line : 0);
    if (isScalar(item)) {
      const v = item.value;
      const range = nodeRange(idx, item) ?? lineRange;
      if (typeof v !== 'string') {
        error(`Expected nav item to be a string or dict, got ${describe(v)}.`, range);
        continue;
      }
      out.push(entryFor(undefined, v, section, range, lineRange, undefined));
    } else if (isMap(item)) {
      if (item.items.length !== 1) {
        error(`Expected nav item to be a dict of size 1, got a dict with ${item.items.length} keys.`, nodeRange(idx, item) ?? lineRange);
        if (item.items.length === 0) continue;
      }
      for (const p of item.items) {
        const keyNode = deref(doc, p.key);
        const k = scalarValue(keyNode);
        const title = k === null || k === undefined ? '' : String(k);
        const titleRange = nodeRange(idx, keyNode) ?? lineRange;
        const keyLine = idx.lineRange(titleRange.start.line);
        const valueNode = deref(doc, p.value);
        if (isSeq(valueNode)) {
          sections.push({ title, section: section.slice(), range: titleRange, lineRange: keyLine });
          readNav(doc, idx, valueNode, [...section, title], out, sections, error);
        } else if (isScalar(valueNode) && typeof valueNode.value === 'string') {
          const range = nodeRange(idx, valueNode) ?? titleRange;
          out.push(entryFor(title, valueNode.value, section, range, keyLine, titleRange));
        } else {
          const v = isMap(valueNode) ? {} : scalarValue(valueNode);
          error(`Expected nav item '${title}' to be a string or a list, got ${describe(v)}.`, nodeRange(idx, valueNode) ?? titleRange);
        }
      }
    } else {
      error(`Expected nav item to be a string or dict, got ${isSeq(item) ? 'a list' : 'null'}.`, nodeRange(idx, item) ?? lineRange);
    }
  }
}

function entryFor(
  title: string | undefined,
  value: string,
  section: string[],
  range: Range,
  lineRange: Range,
  titleRange: Range | undefined,
): NavEntry {
  const e: NavEntry = { section: section.slice(), range, lineRange };
  if (title !== undefined) e.title = title;
  if (pyUrlIsExternal(value)) e.url = value;
  else e.path = value;
  if (titleRange) e.titleRange = titleRange;
  return e;
}

// ---------------------------------------------------------------------------
// The page a nav entry names

/**
 * The docs-relative path MkDocs looks a nav entry up as, or undefined when it
 * never looks it up among the files (a URL, or an absolute path). The entry
 * is a page exactly when a file of that path exists; otherwise MkDocs makes it
 * a link (and warns about a relative one). Every reading of "which page does
 * this nav entry list" goes through here.
 *
 * MkDocs (1.4 `nav.py`, measured; 1.6 the same) takes `PurePath(path).as_posix()`:
 * `./`, `.` segments, doubled and trailing slashes go, but `..` stays
 * (`a/../a/x.md` is not `a/x.md`) and `#anchor` / `?query` stay part of the
 * name (`x.md#part` is not `x.md`). A path starting with `/` is an absolute
 * URL ("presumably points to an external resource"), unless
 * `validation: nav: absolute_links: relative_to_docs` (1.6), which strips
 * the leading slashes first. `test/nav-page-path.test.ts` holds the forms.
 */
export function navPagePath(entry: Pick<NavEntry, 'path' | 'url'>, config?: Pick<MkdocsConfig, 'validation'>): string | undefined {
  let written = entry.path ?? entry.url;
  if (written === undefined) return undefined;
  if (written.startsWith('/') && config?.validation?.navAbsoluteLinks === 'relative_to_docs') written = written.replace(/^\/+/, '');
  else if (entry.url !== undefined || written.startsWith('/')) return undefined;
  return purePosixPath(written);
}

/**
 * The title of the innermost section over a docs-relative page in the nav
 * MkDocs makes when mkdocs.yml has no `nav:` (`nest_paths`: one section per
 * folder, titled by `dirname_to_title`: `-` and `_` become spaces, and an
 * all-lowercase name gets a capital first letter); undefined for a page at
 * the top of `docs_dir`.
 */
export function autoNavSection(path: string): string | undefined {
  const parts = path.split('/');
  if (parts.length < 2) return undefined;
  const title = parts[parts.length - 2].replace(/[-_]/g, ' ');
  return title === title.toLowerCase() ? title.charAt(0).toUpperCase() + title.slice(1) : title;
}

/** Python's `PurePosixPath(p).as_posix()` for a relative `p`: empty and `.` segments dropped, `..` kept; `''` is `.`. */
function purePosixPath(p: string): string {
  return (
    p
      .split('/')
      .filter((s) => s !== '' && s !== '.')
      .join('/') || '.'
  );
}

// ---------------------------------------------------------------------------

/** The site's heading-id rule: the toc default unless configured otherwise. */
export function resolveSlugify(cfg: MkdocsConfig): Slugify {
  const toc = cfg?.toc;
  const sep = typeof toc?.separator === 'string' ? toc.separator : '-';
  if (toc?.slugify === 'pymdownx') {
    const o = toc.slugifyOptions ?? {};
    const opts: PymdownSlugOptions = { sep };
    if (typeof o.case === 'string') opts.case = o.case;
    if (typeof o.percent_encode === 'boolean') opts.percent_encode = o.percent_encode;
    if (typeof o.normalize === 'string') opts.normalize = o.normalize;
    return slugifyPymdown(opts);
  }
  if (toc?.slugify === 'unicode') return (t: string) => slugifyTocUnicode(t, sep);
  return (t: string) => slugifyToc(t, sep);
}

// Re-exported so callers can name legacy slugifies by their Python names.
export { pymdownLegacySlugify };
