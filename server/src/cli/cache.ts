/**
 * A parse cache keyed by content hash, so a second `check` of an unchanged
 * site skips parsing. Stored with v8 serialization under the user's cache
 * folder (one file per site root). A corrupt or stale cache is ignored.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import v8 from 'node:v8';
import { defaultWorkerFile, isErrorList } from '../mermaid/pool.ts';
import type { MermaidError } from '../mermaid/validate.ts';
import { extractFast } from '../parse/fast.ts';
import { cacheDir } from './cache-dir.ts';
import type { PatternDoc } from '../parse/types.ts';

/** Bump when PatternDoc or an extractor changes what it produces. */
export const PARSE_CACHE_VERSION = 3;

export interface CachedParser {
  parse(text: string): PatternDoc;
  save(): void;
  stats: { hits: number; misses: number };
}

export function cacheFile(root: string): string {
  return `${cacheDir()}/${crypto.createHash('sha1').update(root).digest('hex').slice(0, 16)}.v8`;
}

/** A v8-serialized value from a cache file, or undefined when there is none or it cannot be read. */
export function readV8(file: string): unknown {
  try {
    return v8.deserialize(fs.readFileSync(file));
  } catch {
    return undefined;
  }
}

/** Writes a v8-serialized value atomically (temp file, then rename); a read-only home just means no cache. */
export function writeV8Atomic(file: string, value: unknown): void {
  try {
    fs.mkdirSync(file.slice(0, file.lastIndexOf('/')), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, v8.serialize(value));
    fs.renameSync(tmp, file);
  } catch {
    /* a read-only home: run without a cache */
  }
}

export function cachedParser(root: string, enabled: boolean, parse: (text: string) => PatternDoc = extractFast): CachedParser {
  const stats = { hits: 0, misses: 0 };
  if (!enabled) return { parse: (t) => (stats.misses++, parse(t)), save() {}, stats };
  const file = cacheFile(root);
  const v = readV8(file) as { version: number; docs: Map<string, PatternDoc> } | undefined;
  const old = v && v.version === PARSE_CACHE_VERSION && v.docs instanceof Map ? v.docs : new Map<string, PatternDoc>();
  const used = new Map<string, PatternDoc>();
  return {
    stats,
    parse(text) {
      const key = crypto.createHash('sha1').update(text).digest('base64');
      const hit = old.get(key) ?? used.get(key);
      if (hit) {
        stats.hits++;
        used.set(key, hit);
        return hit;
      }
      stats.misses++;
      const doc = parse(text);
      used.set(key, doc);
      return doc;
    },
    save() {
      if (stats.misses === 0 && used.size === old.size) return;
      writeV8Atomic(file, { version: PARSE_CACHE_VERSION, docs: used });
    },
  };
}

/**
 * The Mermaid verdict cache: validation results by block content key
 * (`contentKey`), beside the parse cache, so a warm `check` validates nothing.
 * Valid only for the validator that produced them: `validator` (the identity of
 * the worker bundle, so a new mermaid or validator drops the old verdicts).
 */
export const MERMAID_CACHE_VERSION = 1;

export function mermaidCacheFile(root: string): string {
  return cacheFile(root).replace(/\.v8$/, '.mermaid.v8');
}

export interface VerdictCache {
  /** Verdicts read from the file (0 without one, or with the cache off). */
  known: number;
  get(key: string): MermaidError[] | undefined;
  set(key: string, value: MermaidError[]): void;
  save(): void;
  stats: { hits: number; misses: number };
}

/**
 * What identifies the validator: the worker bundle's path, size and mtime
 * (hashing its 8 MB would cost more than the warm check), or '' when it
 * cannot be read. A rebuild drops the verdicts: safe, and cheap to redo.
 */
export function fileIdentity(file: string): string {
  try {
    const st = fs.statSync(file);
    return `${file}:${st.size}:${st.mtimeMs}`;
  } catch {
    return '';
  }
}

/** The identity of the Mermaid worker bundle (see `fileIdentity`), '' when it is missing. */
export function mermaidValidatorIdentity(): string {
  try {
    return fileIdentity(defaultWorkerFile());
  } catch {
    return ''; // no worker bundle: the pool reports it on every block
  }
}

/** The verdicts stored for the site at `root` by this `validator`, if any (entries a damaged file holds left out). */
export function readVerdicts(root: string, validator: string): Map<string, MermaidError[]> | undefined {
  if (!validator) return undefined;
  const v = readV8(mermaidCacheFile(root)) as { version: number; validator: string; verdicts: Map<unknown, unknown> } | undefined;
  if (!v || v.version !== MERMAID_CACHE_VERSION || v.validator !== validator || !(v.verdicts instanceof Map)) return undefined;
  const out = new Map<string, MermaidError[]>();
  for (const [key, errors] of v.verdicts) if (typeof key === 'string' && isErrorList(errors)) out.set(key, errors);
  return out;
}

/** Store the verdicts of `validator` for the site at `root` (replacing the file at once). */
export function writeVerdicts(root: string, validator: string, verdicts: Map<string, MermaidError[]>): void {
  if (validator) writeV8Atomic(mermaidCacheFile(root), { version: MERMAID_CACHE_VERSION, validator, verdicts });
}

export function verdictCache(root: string, enabled: boolean, validator: string): VerdictCache {
  const stats = { hits: 0, misses: 0 };
  const used = new Map<string, MermaidError[]>();
  if (!enabled || !validator) {
    return { known: 0, get: () => (stats.misses++, undefined), set() {}, save() {}, stats };
  }
  const old = readVerdicts(root, validator) ?? new Map<string, MermaidError[]>();
  let added = 0;
  return {
    known: old.size,
    stats,
    get(key) {
      const hit = old.get(key) ?? used.get(key);
      if (hit === undefined) {
        stats.misses++;
        return undefined;
      }
      stats.hits++;
      used.set(key, hit);
      return hit;
    },
    set(key, value) {
      added++;
      used.set(key, value);
    },
    save() {
      if (added === 0 && used.size === old.size) return;
      writeVerdicts(root, validator, used);
    },
  };
}
