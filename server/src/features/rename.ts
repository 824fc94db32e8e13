/**
 * Rename: a heading (its text, and every `#anchor` across the site that
 * pointed at an id the rename changes), or a page or asset (every link to it
 * across the site, the moved page's own relative links, and its mkdocs.yml
 * nav entry).
 *
 * Edits are minimal: only the part of a target that changes is replaced (the
 * anchor after `#`, or the path before it), and each link keeps its own style
 * (`x.md` source links, `../x/` URL-relative, `/x/` site-absolute, `./`,
 * query and `#anchor` suffixes). A link that still reaches its target after
 * a move is left alone.
 *
 * Edits are keyed by absolute file path and refer to the files as they are
 * before the rename: they are applied first, then the files are moved
 * (`workspace/willRenameFiles` order; the LSP layer puts the `renames` after
 * the text edits of a `textDocument/rename`).
 */
import { headingAttrs } from '../parse/prepare.ts';
import type { Link, Pos, Range } from '../parse/types.ts';
import { LineIndex } from '../parse/line-index.ts';
import { isMarkdownPath, linkFromTo, pageUrl, resolveLink, sourceStyled, splitTarget, type FileLookup } from '../site/resolve.ts';
import type { Page, Site } from '../site/site.ts';
import { uniqueSlugger } from '../site/slug.ts';
import { dirname, normalizePath, relativePath } from '../site/workspace.ts';
import { headingAt, linkAt, snapshotLinkIndex, type LinkIndex } from './link-context.ts';
import { splitLines } from '../parse/prepare.ts';

export interface TextEdit {
  range: Range;
  newText: string;
}

export interface FileRename {
  /** Absolute paths. */
  oldPath: string;
  newPath: string;
}

export interface WorkspaceEdit {
  /** Absolute file path -> non-overlapping edits on the file as it is before the rename. */
  changes: Record<string, TextEdit[]>;
  /** Files to move once the edits are applied (only for a rename started on a link target). */
  renames?: FileRename[];
}

/** Why a rename cannot be done here; the LSP layer shows the message. */
export interface RenameError {
  error: string;
}

export type RenameTarget =
  | {
      kind: 'heading';
      /** The heading's text as written (no `#`s, closing sequence or `{#id}`). */
      range: Range;
      placeholder: string;
    }
  | {
      kind: 'file';
      /** The path part of the link target (no `?query` or `#anchor`). */
      range: Range;
      placeholder: string;
      /** docs-relative path of the page or asset the link reaches. */
      path: string;
    };

export function isRenameError(x: unknown): x is RenameError {
  return typeof x === 'object' && x !== null && typeof (x as RenameError).error === 'string';
}

// ---------------------------------------------------------------------------
// Where things are written

/** The heading's own text on its line(s): after the `#`s, before a closing `#` sequence and a `{...}` attribute list. */
function headingTextRange(lines: string[], h: Page['doc']['headings'][number]): { range: Range; text: string } | undefined {
  const first = h.range.start.line;
  const last = h.range.end.line;
  const line = lines[first];
  if (line === undefined) return undefined;
  if (last === first) {
    // ATX: `## Text ##  {#id}`
    const end = Math.min(line.length, h.range.end.character);
    let s = line.indexOf('#', h.range.start.character);
    if (s < 0 || s >= end) return undefined;
    while (s < end && line[s] === '#') s++;
    while (s < end && (line[s] === ' ' || line[s] === '\t')) s++;
    let body = line.slice(s, end);
    const attrs = headingAttrs(body);
    if (attrs.text !== body.trim() && /\}\s*$/.test(body)) body = body.slice(0, body.lastIndexOf('{'));
    body = body.replace(/\s+$/, '');
    body = body.replace(/(^|\s+)#+$/, '').replace(/\s+$/, '');
    if (!body) return undefined;
    return { range: { start: { line: first, character: s }, end: { line: first, character: s + body.length } }, text: body };
  }
  // Setext: the text lines, then the `---` / `===` underline.
  const textEnd = last - 1;
  const s = line.length - line.trimStart().length;
  let endLine = textEnd;
  let endText = lines[endLine] ?? '';
  const attrs = headingAttrs(endText);
  if (attrs.text !== endText.trim() && /\}\s*$/.test(endText)) endText = endText.slice(0, endText.lastIndexOf('{'));
  endText = endText.replace(/\s+$/, '');
  if (endLine === first && endText.length <= s) return undefined;
  const range = { start: { line: first, character: s }, end: { line: endLine, character: endText.length } };
  const text = lines.slice(first, endLine + 1).map((l, i) => (i === endLine - first ? endText : l)).join('\n').slice(s);
  return { range, text };
}

/** The path part (before `?` / `#`) of a link's target, where it is written. */
function pathRange(link: Link): { range: Range; text: string } {
  const raw = link.target;
  const cut = raw.search(/[?#]/);
  const text = cut < 0 ? raw : raw.slice(0, cut);
  const r = link.targetRange;
  if (r.start.line === r.end.line && r.end.character - r.start.character === raw.length) {
    return { range: { start: r.start, end: { line: r.start.line, character: r.start.character + text.length } }, text };
  }
  return { range: r, text };
}

/** The `#anchor` part (after `#`) of a link's target, where it is written. */
function anchorRange(link: Link): { range: Range; text: string } | undefined {
  const raw = link.target;
  const h = raw.indexOf('#');
  if (h < 0) return undefined;
  const text = raw.slice(h + 1);
  const end = link.targetRange.end;
  if (end.character < text.length) return undefined;
  return { range: { start: { line: end.line, character: end.character - text.length }, end }, text };
}

class Edits {
  readonly changes: Record<string, TextEdit[]> = {};
  add(file: string, range: Range, newText: string): void {
    (this.changes[file] ??= []).push({ range, newText });
  }
  result(): WorkspaceEdit {
    for (const list of Object.values(this.changes)) {
      list.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
    }
    return { changes: this.changes };
  }
}

// ---------------------------------------------------------------------------
// prepareRename

/**
 * What a rename at `pos` would change: a heading's text, or (on a link's
 * target) the file the link reaches. `undefined` when nothing here can be
 * renamed; a `RenameError` when the cursor is on something that cannot be
 * renamed for a reason worth telling.
 */
export function prepareRename(site: Site, path: string, pos: Pos, text: string): RenameTarget | RenameError | undefined {
  const page = site.pages.get(path);
  if (!page) return undefined;
  const link = linkAt(page, pos);
  if (link && link.kind !== 'reference' && inRange(link.targetRange, pos)) {
    const r = site.resolve(path, link.target, link.kind);
    if (r.kind === 'page' || r.kind === 'asset') {
      const p = pathRange(link);
      return { kind: 'file', range: p.range, placeholder: p.text, path: r.path };
    }
    if (r.kind === 'self') return { error: 'Rename the heading itself: its anchors are updated everywhere.' };
    if (r.kind === 'broken') return { error: `'${link.target}' does not reach a file, so there is nothing to rename.` };
    return { error: 'An external link cannot be renamed.' };
  }
  const h = headingAt(page, pos);
  if (h) {
    const t = headingTextRange(splitLines(text), h.heading);
    if (!t) return { error: 'This heading has no text to rename.' };
    return { kind: 'heading', range: t.range, placeholder: t.text };
  }
  return undefined;
}

function inRange(r: Range, p: Pos): boolean {
  const after = p.line > r.start.line || (p.line === r.start.line && p.character >= r.start.character);
  const before = p.line < r.end.line || (p.line === r.end.line && p.character <= r.end.character);
  return after && before;
}

/** `textDocument/rename` in one call: a heading, or the file a link target reaches. */
export function rename(site: Site, path: string, pos: Pos, newName: string, text: string, index?: LinkIndex): WorkspaceEdit | RenameError | undefined {
  const t = prepareRename(site, path, pos, text);
  if (!t || isRenameError(t)) return t;
  return t.kind === 'heading' ? renameHeading(site, path, pos, newName, text, index) : renameFromLink(site, path, pos, newName);
}

// ---------------------------------------------------------------------------
// Headings

/** Rendered plain text of a heading written in Markdown, for its slug (as `Heading.text` holds it). */
function plainText(md: string): string {
  return md
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/!?\[([^\]]*)\]\[[^\]]*\]/g, '$1')
    .replace(/`+([^`]*)`+/g, '$1')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/(^|[^\w*])\*(?!\s)(.+?)\*(?!\w)/g, '$1$2')
    .replace(/(^|\W)_(?!\s)(.+?)_(?!\w)/g, '$1$2')
    .replace(/~~(.+?)~~/g, '$1')
    .replace(/\\([\\`*_{}[\]()#+\-.!])/g, '$1')
    .trim();
}

/**
 * Replace the text of the heading at `pos` with `newName`, and update every
 * `#anchor` (same page `#x`, other pages `x.md#x`, `../x/#x`, the mkdocs.yml
 * nav) pointing at an id the rename changes: the heading's own slug, and the
 * `_1`, `_2` suffixes of later headings with the same text.
 */
export function renameHeading(
  site: Site,
  path: string,
  pos: Pos,
  newName: string,
  text: string,
  index: LinkIndex = snapshotLinkIndex(site),
): WorkspaceEdit | RenameError {
  const page = site.pages.get(path);
  const h = page && headingAt(page, pos);
  if (!page || !h) return { error: 'There is no heading here.' };
  const name = newName.trim();
  if (!name) return { error: 'A heading needs some text.' };
  if (/[\r\n]/.test(name)) return { error: 'A heading is one line.' };
  const lines = splitLines(text);
  const where = headingTextRange(lines, h.heading);
  if (!where) return { error: 'This heading has no text to rename.' };
  const edits = new Edits();
  const file = site.absPath(path);
  if (where.text !== name) edits.add(file, where.range, name);

  // The page's ids after the rename, numbered as Python-Markdown does (explicit ids reserved first).
  const written = headingAttrs(name);
  const headings = page.doc.headings;
  const explicit = headings.map((x, i) => (i === h.index && !x.id && written.id ? written.id : x.id));
  const unique = uniqueSlugger(site.slugify, explicit.filter((id): id is string => !!id));
  const newIds = headings.map((x, i) => explicit[i] ?? unique(i === h.index ? plainText(written.text) : x.text));
  // Ids also defined elsewhere in the text (`{#id}` lists, `<a id>`) keep resolving: leave their links alone.
  const elsewhere = new Set<string>();
  for (const m of text.matchAll(/\{:?[^{}\n]*?#([\w:.-]+)[^{}\n]*\}/g)) elsewhere.add(m[1]);
  for (const m of text.matchAll(/<[a-zA-Z][^>\n]*?\s(?:id|name)\s*=\s*["']([^"']+)["']/g)) elsewhere.add(m[1]);
  const moved = new Map<string, string>();
  page.headingIds.forEach((old, i) => {
    if (old !== newIds[i] && !elsewhere.has(old) && !moved.has(old)) moved.set(old, newIds[i]);
  });
  if (!moved.size) return edits.result();

  const sources = new Set(index.linkedFrom(path));
  sources.add(path);
  for (const from of [...sources].sort()) {
    const p = site.pages.get(from);
    if (!p) continue;
    for (const link of p.doc.links) {
      if (link.kind === 'reference' || link.kind === 'autolink') continue;
      const r = site.resolve(from, link.target, link.kind);
      const to = r.kind === 'page' ? r.path : r.kind === 'self' ? from : undefined;
      if (to !== path || (r.kind !== 'page' && r.kind !== 'self') || r.anchor === undefined) continue;
      const next = moved.get(r.anchor);
      const a = anchorRange(link);
      if (next === undefined || !a) continue;
      edits.add(site.absPath(from), a.range, a.text === r.anchor ? next : encodeURIComponent(next));
    }
  }
  // mkdocs.yml nav entries `page.md#anchor`.
  if (site.mkdocsPath && site.mkdocsText !== undefined) {
    const idx = new LineIndex(site.mkdocsText);
    for (const e of site.mkdocs.nav ?? []) {
      if (!e.path) continue;
      const { path: p, anchor } = splitTarget(e.path);
      if (anchor === undefined || normalizePath(p) !== path) continue;
      const next = moved.get(anchor);
      if (next === undefined) continue;
      const value = locate(idx, e.range, e.path);
      if (!value) continue;
      const rawAnchor = e.path.slice(e.path.indexOf('#') + 1);
      edits.add(site.mkdocsPath, { start: idx.pos(value.end - rawAnchor.length), end: idx.pos(value.end) }, next);
    }
  }
  return edits.result();
}

/** Where `written` sits inside a YAML scalar's range (quotes excluded), as offsets. */
function locate(idx: LineIndex, range: Range, written: string): { start: number; end: number } | undefined {
  const s = idx.offset(range.start);
  const e = idx.offset(range.end);
  const i = idx.text.slice(s, e).indexOf(written);
  return i < 0 ? undefined : { start: s + i, end: s + i + written.length };
}

// ---------------------------------------------------------------------------
// Files

export interface FileMove {
  /** docs-relative paths; a folder moves every file under it. */
  oldPath: string;
  newPath: string;
}

/** Update every link to a page or asset (and its nav entry) for a move from `oldPath` to `newPath` (docs-relative). */
export function renameFile(site: Site, oldPath: string, newPath: string): WorkspaceEdit {
  return renameFiles(site, [{ oldPath, newPath }]);
}

/** As `renameFile`, for several files or folders at once (`workspace/willRenameFiles`). */
export function renameFiles(site: Site, moves: FileMove[]): WorkspaceEdit {
  const clean = moves
    .map((m) => ({ oldPath: normalizePath(m.oldPath).replace(/^\/+|\/+$/g, ''), newPath: normalizePath(m.newPath).replace(/^\/+|\/+$/g, '') }))
    .filter((m) => m.oldPath && m.newPath && m.oldPath !== m.newPath);
  const move = (p: string): string => {
    for (const m of clean) {
      if (p === m.oldPath) return m.newPath;
      if (p.startsWith(m.oldPath + '/')) return m.newPath + p.slice(m.oldPath.length);
    }
    return p;
  };
  const edits = new Edits();
  if (!clean.length) return edits.result();
  const after = new Set([...site.files].map(move));
  const lookup: FileLookup = { has: (p) => after.has(p), useDirectoryUrls: site.mkdocs.useDirectoryUrls };

  for (const page of site.pages.values()) {
    const from = page.path;
    const fromAfter = move(from);
    for (const link of page.doc.links) {
      if (link.kind === 'reference' || link.kind === 'autolink') continue;
      const html = link.kind === 'html';
      const r = site.resolve(from, link.target, link.kind);
      if (r.kind !== 'page' && r.kind !== 'asset') continue;
      const to = r.path;
      const toAfter = move(to);
      if (fromAfter === from && toAfter === to) continue;
      // Still right after the move (a link within a moved folder, a rename that keeps the URL): leave it.
      const still = resolveLink(fromAfter, link.target, lookup, html);
      if ((still.kind === 'page' || still.kind === 'asset') && still.path === toAfter) continue;
      const p = pathRange(link);
      const next = rewrite(p.text, r.kind === 'page' ? r.style : sourceStyled(p.text, html) ? 'source' : 'url', fromAfter, toAfter, site.mkdocs.useDirectoryUrls);
      const suffix = link.target.slice(p.text.length);
      const check = resolveLink(fromAfter, next + suffix, lookup, html);
      let text = next;
      if (!((check.kind === 'page' || check.kind === 'asset') && check.path === toAfter)) {
        // The style cannot express the new place (rare): fall back to a source link, which always can.
        if (html) continue;
        text = relativePath(dirname(fromAfter), toAfter);
      }
      if (text !== p.text) edits.add(site.absPath(from), p.range, text);
    }
  }
  if (site.mkdocsPath && site.mkdocsText !== undefined) {
    const idx = new LineIndex(site.mkdocsText);
    for (const e of site.mkdocs.nav ?? []) {
      if (!e.path) continue;
      const cut = e.path.search(/[?#]/);
      const written = cut < 0 ? e.path : e.path.slice(0, cut);
      const target = normalizePath(written).replace(/^\/+/, '');
      const next = move(target);
      if (next === target) continue;
      const value = locate(idx, e.range, e.path);
      if (!value) continue;
      edits.add(site.mkdocsPath, { start: idx.pos(value.start), end: idx.pos(value.start + written.length) }, next);
    }
  }
  return edits.result();
}

/** Whether MkDocs reads a written target as a source-file link (see resolveLink). */
/** The path part of a target written `old`, re-aimed from `from` at `to`, in the same style. */
function rewrite(old: string, style: 'source' | 'url', from: string, to: string, useDirectoryUrls: boolean): string {
  const abs = old.startsWith('/');
  let out: string;
  if (style === 'source') {
    out = abs ? '/' + to : relativePath(dirname(from), to);
    if (!abs && old.startsWith('./') && !out.startsWith('..')) out = './' + out;
  } else if (isMarkdownPath(to)) {
    out = abs ? '/' + pageUrl(to, useDirectoryUrls) : linkFromTo(from, to, 'url-relative', useDirectoryUrls);
    if (!old.endsWith('/') && out.endsWith('/') && out.length > 1) out = out.slice(0, -1);
  } else {
    // An asset by URL: relative to the URL the page is served at.
    if (abs) out = '/' + to;
    else {
      const url = pageUrl(from, useDirectoryUrls);
      const dir = url.endsWith('/') ? url.slice(0, -1) : dirname(url);
      out = relativePath(dir, to);
    }
  }
  // Keep the escaping the author used.
  if (/%[0-9a-fA-F]{2}/.test(old)) out = encodeURI(out);
  else if (!old.includes(' ')) out = out.replace(/ /g, '%20');
  return out;
}

/**
 * `textDocument/rename` on a link target: `newTarget` is the new path part of
 * the target as written in this page (`../patterns/new-name.md`, `../new-name/`);
 * the file it reaches moves there and every link to it follows.
 */
export function renameFromLink(site: Site, path: string, pos: Pos, newTarget: string): WorkspaceEdit | RenameError {
  const page = site.pages.get(path);
  const link = page && linkAt(page, pos);
  if (!page || !link || link.kind === 'reference' || !inRange(link.targetRange, pos)) return { error: 'There is no link target here.' };
  const r = site.resolve(path, link.target, link.kind);
  if (r.kind !== 'page' && r.kind !== 'asset') return { error: `'${link.target}' does not reach a file, so there is nothing to rename.` };
  const written = newTarget.trim().replace(/[?#].*$/, '');
  if (!written) return { error: 'The new target is empty.' };
  const dest = fileForTarget(path, written, r.path, link.kind === 'html', site.mkdocs.useDirectoryUrls);
  if (!dest) return { error: `'${written}' is outside the docs folder.` };
  if (dest === r.path) return { changes: {} };
  if (site.files.has(dest)) return { error: `${dest} already exists.` };
  const edit = renameFile(site, r.path, dest);
  edit.renames = [{ oldPath: site.absPath(r.path), newPath: site.absPath(dest) }];
  return edit;
}

/** The docs-relative file a new target would name, read the way `resolveLink` reads targets. */
function fileForTarget(from: string, written: string, current: string, html: boolean, useDirectoryUrls: boolean): string | undefined {
  let p = written;
  try {
    p = decodeURIComponent(p);
  } catch {
    /* keep as written */
  }
  let out: string;
  if (sourceStyled(p, html)) {
    out = p.startsWith('/') ? normalizePath(p).slice(1) : normalizePath(dirname(from) ? dirname(from) + '/' + p : p);
  } else {
    let url: string;
    if (p.startsWith('/')) url = normalizePath(p);
    else {
      const base = '/' + pageUrl(from, useDirectoryUrls);
      url = normalizePath((base.endsWith('/') ? base : base.slice(0, base.lastIndexOf('/') + 1)) + p);
    }
    url = url.replace(/^\/+/, '');
    if (!isMarkdownPath(current)) out = url;
    else {
      const stem = url.replace(/\/$/, '').replace(/\.html?$/i, '');
      const base = current.split('/').pop()!;
      // Keep the file's shape: a folder's index.md stays an index.md.
      out = base === 'index.md' || base === 'README.md' ? (stem ? stem + '/' : '') + base : stem.replace(/\/index$/, '') + '.md';
    }
  }
  return !out || out.startsWith('..') ? undefined : out;
}
