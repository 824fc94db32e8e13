/**
 * The one world boundary. Everything below it (site model, rules, features)
 * reads files only through this interface, so the same engine runs on disk
 * (CLI), on the editor's open buffers (LSP) and in memory (tests).
 *
 * Paths are absolute, `/`-separated.
 */
export interface Workspace {
  /** Every file under `dir` (recursively), absolute paths; hidden folders and node_modules skipped. */
  listFiles(dir: string): string[];
  /** The text of a file, or undefined when it does not exist or cannot be read. */
  readFile(path: string): string | undefined;
  exists(path: string): boolean;
}

/** A workspace held in memory: `files` maps absolute paths to contents. */
export class MemoryWorkspace implements Workspace {
  readonly files: Map<string, string>;
  constructor(files: Record<string, string> | Map<string, string>) {
    this.files = files instanceof Map ? files : new Map(Object.entries(files));
  }
  listFiles(dir: string): string[] {
    const prefix = dir.endsWith('/') ? dir : dir + '/';
    return [...this.files.keys()].filter((p) => p.startsWith(prefix)).sort();
  }
  readFile(path: string): string | undefined {
    return this.files.get(path);
  }
  exists(path: string): boolean {
    if (this.files.has(path)) return true;
    const prefix = path.endsWith('/') ? path : path + '/';
    for (const k of this.files.keys()) if (k.startsWith(prefix)) return true;
    return false;
  }
}

export function posixJoin(...parts: string[]): string {
  return normalizePath(parts.filter(Boolean).join('/'));
}

/** A path with an empty, `.` or `..` segment (or a trailing `/`): only these does normalizePath change. */
const NOT_NORMAL = /\/\/|\/$|(?:^|\/)\.\.?(?:\/|$)/;

/** Collapse `.`, `..` and repeated slashes. Keeps a leading `/`. `..` above the root is kept as `..`. */
export function normalizePath(p: string): string {
  return NOT_NORMAL.test(p) ? collapseSegments(p) : p;
}

/** `normalizePath` read segment by segment, for any path (exported for the test that holds the two equal). */
export function collapseSegments(p: string): string {
  const abs = p.startsWith('/');
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length && out[out.length - 1] !== '..') out.pop();
      else if (!abs) out.push('..');
    } else out.push(seg);
  }
  return (abs ? '/' : '') + out.join('/');
}

export function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  return i <= 0 ? (p.startsWith('/') ? '/' : '') : p.slice(0, i);
}

export function relativePath(from: string, to: string): string {
  const a = from.split('/').filter(Boolean);
  const b = to.split('/').filter(Boolean);
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return [...a.slice(i).map(() => '..'), ...b.slice(i)].join('/');
}

/**
 * The order of paths and names the tool prints (the report's patterns, ties
 * among "did you mean" suggestions): case-insensitive, then by code units.
 * Unlike `localeCompare` it is the same on every machine whatever its locale
 * (a CI runner and an author's laptop print the same report; Estonian sorts
 * `z` before `t`, Danish `aa` after `z`), and it needs no ICU collator, which
 * takes 8-11 ms to create in a fresh process.
 */
export function comparePaths(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (x !== y) return x < y ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
