/**
 * The whole-result memo of `check`: when no input of the site changed since
 * the last run (every Markdown and YAML file by content, every other file by
 * name), the findings of that run are the answer. Keyed by a fingerprint of
 * those inputs plus the tool's version and the options that change findings,
 * so any edit, added or removed file, config change or new build misses.
 *
 * The fingerprint reads each file once; the texts are handed on to the
 * engine, so a miss costs one extra hash per file and no extra IO.
 */
import crypto from 'node:crypto';
import type { Finding } from '../rules/rule.ts';
import type { Workspace } from '../site/workspace.ts';
import { cacheFile, readV8, writeV8Atomic } from './cache.ts';

export interface SiteSummary {
  docsDir: string;
  pages: number;
  patterns: number;
  concepts: Array<{ kind: string; number: number; title: string; file: string }>;
  /** Absolute site root. */
  root: string;
}

export interface Memo {
  summary: SiteSummary;
  findings: Finding[];
}

const MEMO_VERSION = 1;
const CONTENT = /\.(md|markdown|ya?ml)$/i;

/** A workspace that remembers what it read, so fingerprinting and loading share one read per file. */
export class ReadOnceWorkspace implements Workspace {
  private readonly texts = new Map<string, string | undefined>();
  private readonly lists = new Map<string, string[]>();
  constructor(private readonly inner: Workspace) {}
  listFiles(dir: string): string[] {
    let l = this.lists.get(dir);
    if (!l) this.lists.set(dir, (l = this.inner.listFiles(dir)));
    return l;
  }
  readFile(path: string): string | undefined {
    if (!this.texts.has(path)) this.texts.set(path, this.inner.readFile(path));
    return this.texts.get(path);
  }
  exists(path: string): boolean {
    return this.texts.get(path) !== undefined || this.inner.exists(path);
  }
}

/** Hash of every input of a check of the site at `root`, or undefined when a file cannot be read. */
export function fingerprint(ws: Workspace, root: string, salt: string): string | undefined {
  const h = crypto.createHash('sha1').update(`${MEMO_VERSION}\0${salt}\0`);
  for (const f of ws.listFiles(root)) {
    h.update(f).update('\0');
    if (CONTENT.test(f) || f.endsWith('/.pattern-atlas.yml')) {
      const t = ws.readFile(f);
      if (t === undefined) return undefined;
      h.update(crypto.createHash('sha1').update(t).digest()).update('\0');
    }
  }
  return h.digest('hex');
}

function memoFile(root: string): string {
  return cacheFile(root).replace(/\.v8$/, '.result.v8');
}

export function readMemo(root: string, key: string): Memo | undefined {
  const v = readV8(memoFile(root)) as { key: string; memo: Memo } | undefined;
  return v && v.key === key ? v.memo : undefined;
}

export function writeMemo(root: string, key: string, memo: Memo): void {
  writeV8Atomic(memoFile(root), { key, memo });
}
