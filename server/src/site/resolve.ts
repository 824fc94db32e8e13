/**
 * Link resolution as MkDocs and a browser judge it on the built site.
 *
 * - A relative target whose last segment has a dot (`x.md`, `img/a.png`)
 *   is a source link: relative to the linking file. That is what MkDocs
 *   rewrites (and warns about when missing). An absolute `.md` target
 *   resolves from `docs_dir`.
 * - Any other relative target is left alone by MkDocs, so it is resolved the
 *   way a browser does: against the URL the page is served at (with
 *   `use_directory_urls`, `docs/a/b.md` is served at `a/b/`), then mapped back
 *   to the file that produces that URL (`x.md`, `x/index.md`, `x/README.md`,
 *   or an asset copied as is). A leading `/` means the docs root.
 *
 * All paths here are docs-relative and `/`-separated (`patterns/x.md`).
 */
import { dirname, normalizePath } from './workspace.ts';

export type Resolution =
  | { kind: 'skip'; why: 'external' | 'template' | 'empty' }
  | { kind: 'self'; anchor: string }
  | { kind: 'page'; path: string; anchor?: string; style: 'source' | 'url' }
  | { kind: 'asset'; path: string }
  | {
      kind: 'broken';
      style: 'source' | 'url';
      /** docs-relative path (source) or URL path (url) that was looked for */
      wanted: string;
      anchor?: string;
      outside?: boolean;
      /** A raw-HTML link to a `.md` file, which MkDocs does not rewrite. */
      rawMd?: boolean;
    };

export interface FileLookup {
  /** Whether a docs-relative file exists (Markdown page or asset). */
  has(path: string): boolean;
  useDirectoryUrls: boolean;
}

const SCHEME = /^[a-zA-Z][a-zA-Z0-9+.-]*:/;

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export function isMarkdownPath(p: string): boolean {
  return /\.(md|markdown)$/i.test(p);
}

/** The URL path (no leading slash) at which a docs-relative page is served. */
export function pageUrl(path: string, useDirectoryUrls: boolean): string {
  const noExt = path.replace(/\.(md|markdown)$/i, '');
  const base = noExt.split('/').pop() ?? '';
  const dir = noExt.slice(0, noExt.length - base.length);
  if (base === 'index' || base === 'README') return dir;
  if (!useDirectoryUrls) return noExt + '.html';
  return noExt + '/';
}

/** The page files that could produce a URL path (no leading slash). */
export function candidatesForUrl(url: string, useDirectoryUrls: boolean): string[] {
  let u = url.replace(/^\/+/, '');
  if (u === '' || u.endsWith('/')) {
    const d = u;
    const out = [d + 'index.md', d + 'README.md'];
    if (useDirectoryUrls && d) out.push(d.slice(0, -1) + '.md');
    return out;
  }
  if (/\.html?$/i.test(u)) {
    const stem = u.replace(/\.html?$/i, '');
    const base = stem.split('/').pop();
    if (base === 'index') {
      const d = stem.slice(0, -5);
      const out = [d + 'index.md', d + 'README.md'];
      if (useDirectoryUrls && d) out.push(d.slice(0, -1) + '.md');
      return out;
    }
    return useDirectoryUrls ? [] : [stem + '.md'];
  }
  // No trailing slash: a static server answers a directory with a redirect to `u/`.
  u += '/';
  return candidatesForUrl(u, useDirectoryUrls);
}

export function splitTarget(target: string): { path: string; anchor?: string } {
  let t = target.trim();
  let anchor: string | undefined;
  const h = t.indexOf('#');
  if (h >= 0) {
    anchor = t.slice(h + 1);
    t = t.slice(0, h);
  }
  const q = t.indexOf('?');
  if (q >= 0) t = t.slice(0, q);
  return { path: t, anchor: anchor === undefined ? undefined : safeDecode(anchor) };
}

/**
 * Whether MkDocs reads a target as a source-file link: a relative path whose
 * last segment has a dot (`x.md`, `img/a.png`), or an absolute `.md` path;
 * never in raw HTML, which MkDocs leaves alone.
 */
export function sourceStyled(path: string, rawHtml: boolean): boolean {
  if (rawHtml) return false;
  const last = path.split('/').pop() ?? '';
  return path.startsWith('/') ? isMarkdownPath(path) : last.includes('.') && last !== '.' && last !== '..';
}

/**
 * `rawHtml`: the link is an `href`/`src` in raw HTML, which MkDocs copies to
 * the built page untouched, so even a `.md` target is judged as a URL.
 */
export function resolveLink(from: string, target: string, site: FileLookup, rawHtml = false): Resolution {
  const raw = target.trim();
  if (raw === '') return { kind: 'skip', why: 'empty' };
  if (raw.includes('{{') || raw.includes('{%')) return { kind: 'skip', why: 'template' };
  if (SCHEME.test(raw) || raw.startsWith('//')) return { kind: 'skip', why: 'external' };
  const { path: rawPath, anchor } = splitTarget(raw);
  if (rawPath === '') return anchor === undefined ? { kind: 'skip', why: 'empty' } : { kind: 'self', anchor };
  const path = safeDecode(rawPath);

  // MkDocs rewrites a relative link whose last segment has a dot (`x.md`, `img/a.png`) as a link to
  // a source file, and warns when that file is missing; absolute `.md` links resolve from docs_dir.
  if (sourceStyled(path, rawHtml)) {
    // An absolute path is clamped at the docs root, as a URL is.
    const norm = path.startsWith('/') ? normalizePath(path).slice(1) : normalizePath(dirname(from) ? dirname(from) + '/' + path : path);
    if (norm.startsWith('..')) return { kind: 'broken', style: 'source', wanted: norm, anchor, outside: true };
    if (site.has(norm)) return isMarkdownPath(norm) ? { kind: 'page', path: norm, anchor, style: 'source' } : { kind: 'asset', path: norm };
    return { kind: 'broken', style: 'source', wanted: norm, anchor };
  }

  // URL-style: resolve against the page's served URL, as a browser does.
  let urlPath: string;
  if (path.startsWith('/')) urlPath = normalizePath(path);
  else {
    const base = '/' + pageUrl(from, site.useDirectoryUrls);
    const baseDir = base.endsWith('/') ? base : base.slice(0, base.lastIndexOf('/') + 1);
    urlPath = normalizePath(baseDir + path);
    if (path.endsWith('/') && !urlPath.endsWith('/')) urlPath += '/';
  }
  if (path.endsWith('/') && !urlPath.endsWith('/')) urlPath += '/';
  const rel = urlPath.replace(/^\/+/, '');
  if (rel.startsWith('..')) return { kind: 'broken', style: 'url', wanted: '/' + rel, anchor, outside: true };
  // An asset (or any non-page file) copied to the site as is.
  if (rel && !rel.endsWith('/') && !isMarkdownPath(rel) && site.has(rel) && !/\.html?$/i.test(rel)) return { kind: 'asset', path: rel };
  for (const c of candidatesForUrl(rel, site.useDirectoryUrls)) {
    if (site.has(c)) return { kind: 'page', path: c, anchor, style: 'url' };
  }
  return { kind: 'broken', style: 'url', wanted: '/' + rel, anchor, ...(rawHtml && isMarkdownPath(rel) ? { rawMd: true } : {}) };
}

/** The link text a page would use to point at `to` from `from`, in a given style. */
export function linkFromTo(from: string, to: string, style: 'source' | 'url-relative' | 'url-absolute', useDirectoryUrls: boolean): string {
  if (style === 'url-absolute') return '/' + pageUrl(to, useDirectoryUrls);
  if (style === 'source') return relative(dirname(from), to);
  const fromUrl = pageUrl(from, useDirectoryUrls);
  const fromDir = fromUrl.endsWith('/') ? fromUrl : fromUrl.slice(0, fromUrl.lastIndexOf('/') + 1);
  const toUrl = pageUrl(to, useDirectoryUrls);
  const r = relative(fromDir.replace(/\/$/, ''), toUrl.replace(/\/$/, ''));
  return (r || '.') + (toUrl.endsWith('/') || toUrl === '' ? '/' : '');
}

function relative(fromDir: string, to: string): string {
  const a = fromDir.split('/').filter(Boolean);
  const b = to.split('/').filter(Boolean);
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return [...a.slice(i).map(() => '..'), ...b.slice(i)].join('/');
}
