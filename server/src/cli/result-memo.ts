/**
 * The whole-result memo of `check`: when no input of the site changed since
 * the last run (every Markdown and YAML file by content, every other file by
 * name), the findings of that run are the answer. Keyed by a fingerprint of
 * those inputs plus the tool's version and the options that change findings,
 * so any edit, added or removed file, config change or new build misses.
 *
 * The fingerprint reads each file once; the texts are handed on to the
 * engine, so a miss costs one extra hash per file and no extra IO.
 *
 * Before reading anything, a run compares the files' stamps (name, size and
 * modification time of every file, `fileStamps`) with those the memo was
 * written with: equal stamps answer without reading or hashing a page (as
 * ESLint's default cache strategy does). A file modified within two seconds
 * of the memo's writing gives no stamp (its next change could keep the same
 * time on a coarse clock), so the next run compares contents.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
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

/** What the memo file holds: the content fingerprint, the file stamps when they could be trusted, the result. */
export interface StoredMemo {
  key: string;
  stamp?: string;
  memo: Memo;
}

export function readMemo(root: string): StoredMemo | undefined {
  const v = readV8(memoFile(root)) as Partial<StoredMemo> | undefined;
  return v && typeof v.key === 'string' && v.memo ? (v as StoredMemo) : undefined;
}

export function writeMemo(root: string, stored: StoredMemo): void {
  writeV8Atomic(memoFile(root), stored);
}

/** How long after a file's modification time its stamp is trusted: a later change within it could keep the time. */
const RACY_MS = 2000;

/**
 * A hash of every file's name, size and modification time under `root` (the
 * files `fingerprint` reads), with `salt`; `trusted` is false when a file
 * was modified less than two seconds ago (or cannot be read): such a stamp
 * is not stored.
 */
export function fileStamps(ws: Workspace, root: string, salt: string): { stamp: string; trusted: boolean } {
  const h = crypto.createHash('sha1').update(`${MEMO_VERSION}\0${salt}\0`);
  const now = Date.now();
  let trusted = true;
  for (const f of ws.listFiles(root)) {
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(f);
    } catch {
      st = undefined;
    }
    if (!st || now - st.mtimeMs < RACY_MS) trusted = false;
    h.update(f).update(st ? `\0${st.size}\0${st.mtimeMs}\0` : '\0-\0');
  }
  return { stamp: h.digest('hex'), trusted };
}
