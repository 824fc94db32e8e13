/**
 * "Create page from template": for a `nav-missing-file` entry or a
 * `broken-link` to a Markdown page that does not exist, a fix that creates
 * the page. Never preferred (removing the entry or changing the link is);
 * `pattern-atlas fix --create-pages` applies it only where it is the one fix.
 *
 * A page where patterns live (its folder holds patterns, or the nav section
 * listing it does) is made from the site's pattern template: the name
 * placeholder becomes the title, `status: stub`, `category` what the sibling
 * patterns agree on, every other `{{ placeholder }}` an empty value with the
 * hint kept as a `# TODO:` comment in the frontmatter and `TODO: hint` in the
 * body. Without a usable template, a pattern stub with the required sections;
 * elsewhere, `# Title` and a TODO line.
 */
import picomatch from 'picomatch';
import { prepare } from '../parse/prepare.ts';
import { frontmatterString } from '../rules/maturity.ts';
import type { Finding } from '../rules/rule.ts';
import { navPagePath } from '../site/mkdocs.ts';
import { candidatesForUrl, isMarkdownPath } from '../site/resolve.ts';
import type { Site } from '../site/site.ts';
import { dirname } from '../site/workspace.ts';
import { yamlScalar } from './not-in-nav.ts';
import type { Fix, FixProvider, TextSource } from './types.ts';
import { absOf, eolOf, lines, pageOf, textIn } from './types.ts';

/** A page to create: docs-relative path, and the title the nav entry or the link gives it. */
export interface PageRequest {
  path: string;
  title?: string;
}

const PLACEHOLDER = /\{\{\s*(.*?)\s*\}\}/g;
const NAME_PLACEHOLDER = /^(?:pattern\s+)?(?:name|title)$/i;

/** Whether a missing docs path could be created as a page MkDocs builds (and the checker reads). */
function creatable(site: Site, path: string, texts: TextSource): boolean {
  if (!isMarkdownPath(path) || path.startsWith('/') || path.startsWith('..') || site.files.has(path)) return false;
  // Not a file name anyone means (`https:` from a mangled link, characters some systems refuse).
  if (/[:*?"<>|\\\u0000-\u001f]/.test(path)) return false;
  // MkDocs never builds dot-files or the top-level templates/ folder; the config's `ignore` is never read.
  if (path.startsWith('templates/') || /(^|\/)\./.test(path)) return false;
  if (site.config.ignore.length) {
    const ignored = picomatch(site.config.ignore);
    if (ignored(path) || ignored(site.siteRel(path))) return false;
  }
  // A file the snapshot does not hold may still exist: never overwrite it.
  return texts(site.absPath(path)) === undefined;
}

/** "Gossip" from "Gossip Pattern", or from the file name `gossip.md` (the folder name for an index page). */
function titleFor(req: PageRequest): string {
  const given = (req.title ?? '').replace(/\s+/g, ' ').trim();
  const stripped = given.replace(/\s+pattern$/i, '').trim();
  if (stripped) return stripped;
  const parts = req.path.replace(/\.(md|markdown)$/i, '').split('/');
  let base = parts.pop() ?? '';
  if ((base === 'index' || base === 'README') && parts.length) base = parts[parts.length - 1];
  return base
    .split(/[-_\s]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join(' ');
}

/** The pages listed next to `path` in the nav (same section), and in the same folder. */
function neighbours(site: Site, path: string): { nav: string[]; folder: string[] } {
  const same = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
  const entries = (site.mkdocs.nav ?? []).flatMap((e) => {
    const p = navPagePath(e, site.mkdocs);
    return p === undefined ? [] : [{ path: p, section: e.section }];
  });
  const sections = entries.filter((e) => e.path === path).map((e) => e.section);
  const nav = entries.filter((e) => e.path !== path && sections.some((s) => same(s, e.section))).map((e) => e.path);
  const dir = dirname(path);
  const folder = [...site.pages.keys()].filter((p) => p !== path && dirname(p) === dir);
  return { nav, folder };
}

/** The one category the given patterns share, or undefined when they disagree or say none. */
function agreedCategory(site: Site, paths: string[]): string | undefined {
  const cats = new Set<string>();
  for (const p of paths) {
    const page = site.pages.get(p);
    const c = page?.isPattern ? frontmatterString(page, 'category')?.trim() : undefined;
    if (c) cats.add(c);
  }
  return cats.size === 1 ? [...cats][0] : undefined;
}

/** Replace each `{{ placeholder }}` of a line with the title (name placeholders) or `other(hint)`. */
function fill(line: string, title: string, other: (hint: string) => string): string {
  return line.replace(PLACEHOLDER, (_, hint: string) => (NAME_PLACEHOLDER.test(hint) ? title : other(hint)));
}

/** A frontmatter line of the template, filled in. */
function frontmatterLine(line: string, title: string, category: string | undefined, topLevel: boolean): string {
  const m = /^(\s*)(?:(-\s+)|([\w-]+)(\s*:\s*))(.*?)\s*$/.exec(line);
  if (!m) return line;
  const [, indent, dash, key, sep, value] = m;
  const head = indent + (dash ?? key + sep);
  if (topLevel && key === 'status') return head + 'stub';
  if (topLevel && key === 'category' && category) return head + yamlScalar(category);
  const hints = [...value.matchAll(PLACEHOLDER)].map((p) => p[1]);
  const named = hints.length > 0 && hints.every((h) => NAME_PLACEHOLDER.test(h));
  // A title the template spells without a placeholder (`title: Pattern Name`) is the title all the same.
  if (topLevel && key === 'title' && !named) return head + yamlScalar(title);
  if (!value.includes('{{')) return line;
  if (named) {
    // The title, inside the template's own quoting.
    const q = value[0];
    if ((q === '"' || q === "'") && value.endsWith(q) && value.length >= 2) {
      const esc = q === '"' ? JSON.stringify(title).slice(1, -1) : title.replace(/'/g, "''");
      return head + value.replace(PLACEHOLDER, () => esc);
    }
    return head + yamlScalar(fill(value, title, () => ''));
  }
  const unquoted = /^(["']).*\1$/.test(value) ? value.slice(1, -1) : value;
  return `${head}""  # TODO: ${unquoted.replace(PLACEHOLDER, (_, h: string) => h).replace(/\s+/g, ' ').trim()}`;
}

/** The template's text with the title, `status: stub` and the category filled in. */
function fromTemplate(text: string, title: string, category: string | undefined): string {
  const ls = lines(text);
  const eol = eolOf(text);
  let fmEnd = -1;
  if (/^---\s*$/.test(ls[0] ?? '')) {
    for (let i = 1; i < ls.length; i++) {
      if (/^(---|\.\.\.)\s*$/.test(ls[i])) {
        fmEnd = i;
        break;
      }
    }
  }
  let fence: string | undefined;
  let h1 = false;
  const out = ls.map((l, i) => {
    if (i === 0 && fmEnd > 0) return l;
    if (i < fmEnd) return frontmatterLine(l, title, category, !/^\s/.test(l));
    if (i === fmEnd) return l;
    const f = /^\s*(`{3,}|~{3,})/.exec(l);
    if (fence) {
      if (f && f[1][0] === fence[0] && f[1].length >= fence.length) fence = undefined;
      return l;
    }
    if (f) {
      fence = f[1];
      return l;
    }
    const heading = /^#\s+(.*)$/.exec(l);
    if (heading && !h1) {
      h1 = true;
      // The title, in the template's own words when it has a name placeholder (`{{ Pattern Name }} Pattern`).
      if (![...heading[1].matchAll(PLACEHOLDER)].some((p) => NAME_PLACEHOLDER.test(p[1]))) return `# ${title}`;
    }
    return fill(l, title, (hint) => `TODO: ${hint}`);
  });
  // What makes the page a recognized pattern stub, when the template does not say it.
  const keys = new Set(fmEnd > 0 ? ls.slice(1, fmEnd).map((l) => /^([\w-]+)\s*:/.exec(l)?.[1]) : []);
  const missing = [...(keys.has('type') ? [] : ['type: pattern']), ...(keys.has('status') ? [] : ['status: stub'])];
  if (missing.length && fmEnd > 0) out.splice(fmEnd, 0, ...missing);
  else if (missing.length) out.unshift('---', ...missing, '---');
  return out.join(eol);
}

/** A pattern stub without a template: the frontmatter the rules want and the required sections. */
function patternStub(site: Site, title: string, category: string | undefined): string {
  const fm = [`title: ${yamlScalar(title)}`, 'type: pattern', ...(category ? [`category: ${yamlScalar(category)}`] : []), 'status: stub'];
  const sections = site.requiredSections.labels.map((l) => `## ${l}\n\nTODO: write the ${l} section.\n`);
  return `---\n${fm.join('\n')}\n---\n\n# ${title}\n\n${sections.join('\n')}`;
}

/** The text of a new page at `path`, and whether it came from the pattern template. */
export function newPageText(site: Site, req: PageRequest, texts: TextSource): { text: string; kind: 'template' | 'pattern' | 'page' } {
  const title = titleFor(req);
  const near = neighbours(site, req.path);
  const isPattern = [...near.nav, ...near.folder].some((p) => site.pages.get(p)?.isPattern);
  if (!isPattern) return { text: `# ${title}\n\nTODO: write this page.\n`, kind: 'page' };
  const category = agreedCategory(site, near.nav) ?? agreedCategory(site, near.folder);
  for (const rel of site.templatePaths()) {
    const tpl = texts(absOf(site, rel));
    if (tpl === undefined) continue;
    const text = fromTemplate(tpl, title, category);
    // A template whose frontmatter cannot be filled in as valid YAML is not used.
    if (!prepare(text).problems.some((p) => p.code === 'frontmatter-yaml')) return { text, kind: 'template' };
  }
  return { text: patternStub(site, title, category), kind: 'pattern' };
}

/** The fix creating the page a request asks for, or undefined when it cannot or should not be created. */
export function createPageFix(site: Site, req: PageRequest, texts: TextSource): Fix | undefined {
  if (!creatable(site, req.path, texts)) return undefined;
  const { text, kind } = newPageText(site, req, texts);
  const shown = site.siteRel(req.path);
  const title = kind === 'template' ? `Create ${shown} from the pattern template` : kind === 'pattern' ? `Create ${shown} as a pattern stub` : `Create ${shown}`;
  return { title, edits: {}, creates: [{ path: site.absPath(req.path), text }] };
}

/** The docs path a nav entry names (as MkDocs reads it, when a file there would make it a page) and its title. */
function navRequest(site: Site, finding: Finding): PageRequest | undefined {
  const target = finding.data?.target;
  const path = typeof target === 'string' ? navPagePath({ path: target }, site.mkdocs) : undefined;
  // `x.md#part`, `a/../x.md`: MkDocs would not find the page even once it exists.
  if (path === undefined || /[#?]|(^|\/)\.\.(\/|$)/.test(path)) return undefined;
  const title = finding.data?.title;
  return { path, title: typeof title === 'string' ? title : undefined };
}

/**
 * The page file a broken link asks for: a source link's `.md` path, or the
 * file a URL-style link's URL would be served from (`x/` -> `x.md` with
 * `use_directory_urls`, `x/index.md` when `x/` is a folder of pages). Never
 * for external links, anchors, images, assets or raw-HTML `.md` links.
 */
function linkRequest(site: Site, finding: Finding, texts: TextSource): PageRequest | undefined {
  const from = pageOf(site, finding.file);
  const page = from ? site.pages.get(from) : undefined;
  if (!from || !page) return undefined;
  const at = (r: Finding['range']) => r.start.line === finding.range.start.line && r.start.character === finding.range.start.character;
  const link = page.doc.links.find((l) => at(l.targetRange) && l.target === finding.data?.target);
  if (!link || link.kind === 'image' || link.kind === 'autolink') return undefined;
  if (link.kind === 'html') {
    const text = texts(absOf(site, finding.file));
    if (text === undefined || /^<img\b/i.test(textIn(text, link.range))) return undefined;
  }
  const r = site.resolve(from, link.target, link.kind);
  if (r.kind !== 'broken' || r.outside || r.rawMd) return undefined;
  const title = link.kind === 'definition' ? undefined : link.text;
  if (r.style === 'source') return isMarkdownPath(r.wanted) ? { path: r.wanted, title } : undefined;
  // Read as a path from the linking file's folder (as a file browser shows it), it names an existing page:
  // the link is the directory-URL mistake, to be changed, not a page to create.
  if (fileReadings(link.target).some((t) => site.resolve(from, t).kind === 'page')) return undefined;
  const url = r.wanted.replace(/^\/+/, '');
  const last = url.replace(/\/+$/, '').split('/').pop() ?? '';
  if (last.includes('.') && !/\.html?$/i.test(last)) return undefined;
  const candidates = candidatesForUrl(url, site.mkdocs.useDirectoryUrls);
  if (!candidates.length) return undefined;
  const folder = url.replace(/\/+$/, '');
  const isFolder = folder !== '' && [...site.files].some((p) => p.startsWith(folder + '/'));
  const flat = candidates.find((c) => !/(^|\/)(index|README)\.md$/.test(c));
  return { path: flat && !isFolder ? flat : candidates[0], title };
}

/** A URL-style relative target read as source links from the page's folder: `../x/` -> `../x.md`, `../x/index.md`. */
function fileReadings(target: string): string[] {
  const h = target.search(/[?#]/);
  const path = (h >= 0 ? target.slice(0, h) : target).replace(/\/+$/, '');
  if (!path || path.startsWith('/') || /(^|\/)\.{1,2}$/.test(path)) return [];
  return [path + '.md', path + '/index.md'];
}

export const createPageForNavEntry: FixProvider = (site, finding, texts) => {
  const req = navRequest(site, finding);
  const fix = req && createPageFix(site, req, texts);
  return fix ? [fix] : [];
};

export const createPageForLink: FixProvider = (site, finding, texts) => {
  const req = linkRequest(site, finding, texts);
  const fix = req && createPageFix(site, req, texts);
  return fix ? [fix] : [];
};
