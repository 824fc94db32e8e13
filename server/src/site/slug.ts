/**
 * Heading ids the way MkDocs (Python-Markdown's `toc` extension) computes them.
 *
 * - `slugifyToc`: Python-Markdown's default `toc.slugify` (ASCII only).
 * - `slugifyTocUnicode`: Python-Markdown's `toc.slugify_unicode`.
 * - `slugifyPymdown`: `pymdownx.slugs.slugify(**kwds)` (Unicode kept).
 * - `pymdownLegacySlugify`: the deprecated `pymdownx.slugs.uslugify*` / `gfm*` names.
 * - `uniqueSlugger`: Python-Markdown's `unique()` for duplicate ids in one page.
 *
 * The text given to a slugify is the heading's rendered plain text. The `toc`
 * extension strips raw inline HTML from a heading before it slugifies it, so
 * every slugify here first removes inline HTML tags and comments
 * (`stripInlineHtml`).
 *
 * Python's regex classes are reproduced exactly: on `str`, `\w` is
 * `str.isalnum()` or `_` (Unicode letters and numbers, not marks) and `\s` /
 * `str.strip()` use `str.isspace()` (which, unlike JavaScript, includes
 * U+001C..U+001F and U+0085 but not U+FEFF).
 *
 * Nothing here throws.
 */

export type Slugify = (text: string) => string;

/** A slugify that also accepts pre-seeded ids; see `uniqueSlugger`. */
export interface UniqueSlugger {
  (text: string): string;
  /** Record an id that is already taken (an explicit `{#id}`), returning it unchanged. */
  reserve(id: string): string;
  /** Every id handed out or reserved so far. */
  readonly used: ReadonlySet<string>;
}

export type PymdownCase = 'none' | 'lower' | 'lower-ascii' | 'fold';

export interface PymdownSlugOptions {
  /** Default `'none'` (as pymdownx). Unknown values behave as `'none'`. */
  case?: PymdownCase | string;
  /** Default `false`. */
  percent_encode?: boolean;
  /** `'NFC'` (default), `'NFD'`, `'NFKC'` or `'NFKD'`; anything else falls back to NFC. */
  normalize?: string;
  /** Word separator; the `toc` extension passes its `separator` option (default `'-'`). */
  sep?: string;
}

// Python str.isspace() characters.
const PY_SPACE_CHARS = '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
// Python str.isalnum() or '_'.
const PY_WORD_CHARS = '\\p{L}\\p{N}_';

const RE_PY_STRIP = new RegExp(`^[${PY_SPACE_CHARS}]+|[${PY_SPACE_CHARS}]+$`, 'gu');
const RE_TOC_INVALID = new RegExp(`[^${PY_WORD_CHARS}${PY_SPACE_CHARS}-]`, 'gu');
const RE_NON_ASCII = /[^\x00-\x7f]/g;
// The two above restricted to ASCII text: Python's `\w` is [A-Za-z0-9_] there, its spaces \t\n\v\f\r\x1c-\x1f and ' '.
const RE_TOC_INVALID_ASCII = /[^A-Za-z0-9_\t\n\v\f\r\x1c-\x1f -]/g;
const RE_PY_STRIP_ASCII = /^[\t\n\v\f\r\x1c-\x1f ]+|[\t\n\v\f\r\x1c-\x1f ]+$/g;
const RE_ALL_ASCII = /^[\x00-\x7f]*$/;

/** pymdownx `RE_TAGS`. */
const RE_PYMDOWN_TAGS = /<\/?[^>]*>/g;
/** pymdownx `RE_INVALID_SLUG_CHAR` (`[^\w\- ]`). */
const RE_PYMDOWN_INVALID = new RegExp(`[^${PY_WORD_CHARS}\\- ]`, 'gu');
const RE_ASCII_UPPER = /[A-Z]/g;

/**
 * Raw inline HTML as Python-Markdown recognises it (its `HTML_RE`: a tag whose
 * name starts with a letter, or a comment). The `toc` extension removes such
 * stashed HTML from the heading text before slugifying.
 */
const RE_INLINE_HTML = /<(?:\/?[a-zA-Z][^<>@ ]*(?: [^<>]*)?|!--(?:(?!<!--|-->)[\s\S])*--)>/g;

function pyStrip(s: string): string {
  return s.replace(RE_PY_STRIP, '');
}

function escapeForClass(s: string): string {
  return s.replace(/[\\\]\[^\-]/g, (c) => '\\' + c);
}

/** Remove inline HTML tags and comments (`<b>`, `</span>`, `<!-- x -->`). */
export function stripInlineHtml(text: string): string {
  if (typeof text !== 'string') return '';
  return text.indexOf('<') < 0 ? text : text.replace(RE_INLINE_HTML, '');
}

function tocSlugify(value: string, sep: string, unicode: boolean): string {
  if (typeof value !== 'string') return '';
  if (typeof sep !== 'string') sep = '-';
  value = stripInlineHtml(value);
  const ascii = RE_ALL_ASCII.test(value);
  if (!unicode && !ascii) {
    // unicodedata.normalize('NFKD', value).encode('ascii', 'ignore').decode('ascii') (ASCII text is unchanged by both)
    value = value.normalize('NFKD').replace(RE_NON_ASCII, '');
  }
  // re.sub(r'[^\w\s-]', '', value).strip().lower(); on ASCII text (most headings) the same classes without Unicode tables.
  value = (unicode && !ascii ? pyStrip(value.replace(RE_TOC_INVALID, '')) : value.replace(RE_TOC_INVALID_ASCII, '').replace(RE_PY_STRIP_ASCII, '')).toLowerCase();
  // re.sub(r'[{}\s]+'.format(separator), separator, value)
  return value.replace(collapseRegExp(sep), () => sep);
}

/** The regex collapsing runs of separator and whitespace, compiled once per separator (every heading asks). */
const collapseBySep = new Map<string, RegExp>();
function collapseRegExp(sep: string): RegExp {
  let re = collapseBySep.get(sep);
  if (!re) collapseBySep.set(sep, (re = new RegExp(`[${escapeForClass(sep)}${PY_SPACE_CHARS}]+`, 'gu')));
  return re;
}

/**
 * Python-Markdown's default `toc` slugify: NFKD, drop non-ASCII, remove
 * everything but word characters, whitespace and `-`, strip, lower-case, then
 * collapse runs of separator/whitespace into one separator.
 */
export function slugifyToc(text: string, sep = '-'): string {
  return tocSlugify(text, sep, false);
}

/** Python-Markdown's `toc.slugify_unicode`: as `slugifyToc` but Unicode is kept. */
export function slugifyTocUnicode(text: string, sep = '-'): string {
  return tocSlugify(text, sep, true);
}

/** `urllib.parse.quote(s.encode('utf-8'))` (safe characters: `A-Za-z0-9_.-~/`). */
function pyQuote(s: string): string {
  const bytes = new TextEncoder().encode(s);
  let out = '';
  for (const b of bytes) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9_.\-~/]/.test(c)) out += c;
    else out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/** Approximation of Python's `str.casefold()` (full case folding). */
function casefold(s: string): string {
  // Upper-then-lower performs the full (multi-character) mappings such as
  // ß -> ss and ﬁ -> fi, and folds final sigma, as casefold() does.
  return s.toUpperCase().toLowerCase();
}

function normalizeForm(n: unknown): 'NFC' | 'NFD' | 'NFKC' | 'NFKD' {
  return n === 'NFD' || n === 'NFKC' || n === 'NFKD' || n === 'NFC' ? n : 'NFC';
}

function pymdownSlug(text: string, sep: string, opts: PymdownSlugOptions): string {
  if (typeof text !== 'string') return '';
  // The toc extension removes stashed inline HTML first; pymdownx strips tags again.
  text = stripInlineHtml(text);
  let slug = pyStrip(text.normalize(normalizeForm(opts.normalize)).replace(RE_PYMDOWN_TAGS, ''));
  switch (opts.case) {
    case 'lower':
      slug = slug.toLowerCase();
      break;
    case 'lower-ascii':
      slug = slug.replace(RE_ASCII_UPPER, (c) => c.toLowerCase());
      break;
    case 'fold':
      slug = casefold(slug);
      break;
    default:
      break;
  }
  slug = slug.replace(RE_PYMDOWN_INVALID, '').split(' ').join(sep);
  return opts.percent_encode === true ? pyQuote(slug) : slug;
}

/**
 * `pymdownx.slugs.slugify(case=..., percent_encode=..., normalize=...)`:
 * normalize (NFC), strip HTML tags, strip whitespace, apply the case rule,
 * remove every character that is not a word character, `-` or a space, turn
 * each space into the separator (no collapsing), optionally percent-encode.
 */
export function slugifyPymdown(opts: PymdownSlugOptions = {}): Slugify {
  const o: PymdownSlugOptions = opts && typeof opts === 'object' ? { ...opts } : {};
  const sep = typeof o.sep === 'string' ? o.sep : '-';
  return (text: string) => pymdownSlug(text, sep, o);
}

/**
 * The legacy (deprecated) callables of `pymdownx.slugs`, as named in
 * `!!python/name:pymdownx.slugs.<name>`. Returns undefined for unknown names.
 */
export function pymdownLegacySlugify(name: string, sep = '-'): Slugify | undefined {
  const table: Record<string, PymdownSlugOptions> = {
    uslugify: { case: 'lower' },
    uslugify_encoded: { case: 'lower', percent_encode: true },
    uslugify_cased: { case: 'none' },
    uslugify_cased_encoded: { case: 'none', percent_encode: true },
    gfm: { case: 'lower-ascii' },
    gfm_encoded: { case: 'lower-ascii', percent_encode: true },
  };
  const o = Object.prototype.hasOwnProperty.call(table, name) ? table[name] : undefined;
  return o ? slugifyPymdown({ ...o, sep }) : undefined;
}

/** Convenience named like the pymdownx functions: `uslugify(text)`. */
export function uslugify(text: string, sep = '-'): string {
  return pymdownSlug(text, sep, { case: 'lower' });
}

export function uslugifyEncoded(text: string, sep = '-'): string {
  return pymdownSlug(text, sep, { case: 'lower', percent_encode: true });
}

const IDCOUNT_RE = /^(.*)_([0-9]+)$/;

/**
 * Python-Markdown's `unique(id, ids)`: an id already used (or empty) gets
 * `_1`; an id already ending in `_<n>` gets `_<n+1>`, until unused.
 * `used` pre-seeds ids already present in the page (Python-Markdown collects
 * every existing `id` attribute, e.g. from `{#id}`, before numbering).
 */
export function uniqueSlugger(slugify: Slugify, used?: Iterable<string>): UniqueSlugger {
  const ids = new Set<string>();
  if (used) {
    try {
      for (const u of used) if (typeof u === 'string') ids.add(u);
    } catch {
      /* ignore a broken iterable */
    }
  }
  const unique = (id: string): string => {
    let guard = 0;
    while ((ids.has(id) || !id) && guard++ < 100000) {
      const m = IDCOUNT_RE.exec(id);
      if (m) id = `${m[1]}_${(BigInt(m[2]) + 1n).toString()}`;
      else id = `${id}_1`;
    }
    ids.add(id);
    return id;
  };
  const fn = ((text: string): string => {
    let slug = '';
    try {
      const s = slugify(text);
      slug = typeof s === 'string' ? s : '';
    } catch {
      slug = '';
    }
    return unique(slug);
  }) as UniqueSlugger;
  fn.reserve = (id: string) => {
    if (typeof id === 'string') ids.add(id);
    return id;
  };
  Object.defineProperty(fn, 'used', { get: () => ids });
  return fn;
}
