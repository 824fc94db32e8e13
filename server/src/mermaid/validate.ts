/**
 * Mermaid diagnostics for one diagram: mermaid's own parser (11.17.2) in Node,
 * errors placed on the offending token in the block as written.
 *
 * Loads mermaid lazily and keeps it; meant to run in the validation worker
 * (`worker.ts`, bundled as dist/mermaid-worker.mjs), but works on any thread
 * (tests call it directly). Server code uses `pool.ts` / `blocks.ts`.
 *
 * Speed: see `patch.ts`. When the patches are in (the worker bundle, or a
 * loader hook when running from source), `getConfig()` returns one read-only
 * snapshot per configuration state instead of a deep copy per call. A write
 * to the snapshot (which a plain copy would have absorbed), or any error that
 * is not a diagram error, makes the diagram be parsed again with the hook
 * off, so the verdict is always the one of an unpatched `mermaid.parse`.
 *
 * Positions: mermaid reports them in the text its grammar saw, after front
 * matter, directives, comments and leading blank lines were stripped and
 * entities encoded; `positions.ts` replays that pipeline with offsets kept.
 * Jison errors are located from the `showPosition()` context in the message
 * (exact), Langium errors from their token offsets.
 */
import { register } from 'node:module';
import type { Range } from '../parse/types.ts';
import { editDistance } from '../rules/rule.ts';
import { candidateRules } from './lex-filter.ts';
import { CONFIG_HOOK, CONFIG_PATCH_BITS, LEX_HOOK, LOADING_MARK, MEMO_HOOK, PATCH_MARK, loaderHookSource } from './patch.ts';
import { lineColToOffset, lineStarts, mermaidPipeline, offsetToPos, type Pipeline } from './positions.ts';

/** Mermaid's render limit (`maxTextSize`); `parse` does not enforce it. */
export const MAX_TEXT_SIZE = 50_000;

export type MermaidErrorKind =
  /** A Jison grammar rejected a token (flowchart, sequence, class, state, er, gantt, timeline, mindmap, ...). */
  | 'parse'
  /** A Jison lexer met text it cannot tokenize. */
  | 'lexer'
  /** A Langium grammar (pie, gitGraph, packet, architecture, radar, treemap, info) rejected a token. */
  | 'langium-parse'
  | 'langium-lexer'
  | 'unknown-type'
  /** The block's `---` front matter is not valid YAML. */
  | 'front-matter'
  /** Warning: the block exceeds mermaid's 50 000-character render limit. */
  | 'too-large'
  /** Anything else mermaid threw (edge limit, a database error): no position. */
  | 'other'
  /** The validator itself failed (worker crash, timeout). */
  | 'internal';

export interface MermaidFix {
  title: string;
  /** Relative to the block content, like `MermaidError.range`. */
  range: Range;
  newText: string;
}

export interface MermaidError {
  severity: 'error' | 'warning';
  kind: MermaidErrorKind;
  /** Readable message. */
  message: string;
  /** Mermaid's own message (trimmed), when it differs. */
  detail?: string;
  /** 0-based lines and UTF-16 columns relative to the block content (the text between the fences). */
  range: Range;
  /** Detected diagram type (`flowchart-v2`, `sequence`, `pie`, ...), when known. */
  diagramType?: string;
  fix?: MermaidFix;
}

// ---------------------------------------------------------------------------
// Loading mermaid

interface Mermaid {
  parse(text: string): Promise<unknown>;
  initialize(config: Record<string, unknown>): void;
  detectType(text: string): string;
  mermaidAPI: { getConfig(fresh?: string): object };
}

type Assign = (dst: object, src: object) => object;

interface FastState {
  /** The hooks hand out snapshots and memoized states (else mermaid copies as unpatched). */
  enabled: boolean;
  /** A snapshot was written to during the current parse. */
  violated: boolean;
  /** Each configuration state's copy, as `assignWithDepth({}, state)` made it once (never written to). */
  copies: WeakMap<object, object>;
  /** Read-only view of each state's copy (states are memoized, so they recur). */
  snaps: WeakMap<object, object>;
  /** Each state's top level with its sections as read-only views (see `freshFrom`). */
  templates: WeakMap<object, Record<string, unknown>>;
  /** Configuration states by base object, then by the JSON of the directives applied to it. */
  states: WeakMap<object, Map<string, object>>;
}

export interface ValidatorStats {
  /** Both source patches are in and the snapshot hook is installed. */
  fastConfig: boolean;
  /** Diagrams parsed again with the hook off (mermaid wrote to a snapshot, or threw something that is not a diagram error). */
  fallbacks: number;
  parses: number;
  loadMs: number;
}

const fast: FastState = { enabled: false, violated: false, copies: new WeakMap(), snaps: new WeakMap(), templates: new WeakMap(), states: new WeakMap() };
const stats: ValidatorStats = { fastConfig: false, fallbacks: 0, parses: 0, loadMs: 0 };
let mermaidPromise: Promise<Mermaid> | undefined;

export function validatorStats(): ValidatorStats {
  return { ...stats };
}

/** `fastConfig: false` makes every later parse copy the config as unpatched mermaid does (for comparisons). */
export function setFastConfig(on: boolean): void {
  fast.enabled = on && stats.fastConfig;
}

function readOnly(): never {
  fast.violated = true;
  throw new TypeError('mermaid configuration snapshot is read-only (pattern-atlas validator)');
}

/**
 * A view of a fresh `assignWithDepth({}, config)` copy that throws (and
 * records) on any write. The copy's own containers are three levels deep
 * (the object, its sections, their object values); deeper objects are shared
 * with mermaid's config in an unpatched copy too, so they are handed out as is.
 */
function guard(target: object, level: number, cache: WeakMap<object, object>): object {
  const hit = cache.get(target);
  if (hit) return hit;
  const proxy = new Proxy(target, {
    get(t, key, receiver) {
      const v = Reflect.get(t, key, receiver) as unknown;
      return level < 2 && v !== null && typeof v === 'object' ? guard(v, level + 1, cache) : v;
    },
    set: readOnly,
    defineProperty: readOnly,
    deleteProperty: readOnly,
    setPrototypeOf: readOnly,
    preventExtensions: readOnly,
  });
  cache.set(target, proxy);
  return proxy;
}

/**
 * Sections of the configuration that diagrams write to in a fresh copy
 * (mermaid 11.17.2: the `init` of flowchart, sequence, class and state
 * diagrams sets a key in its own section).
 */
const WRITTEN_SECTIONS = ['flowchart', 'sequence', 'class', 'state'];

/**
 * A fresh configuration for `Diagram.fromText` (which passes it to the
 * diagram's `init`, which writes to it), in place of mermaid's new
 * `assignWithDepth({}, state)` of ~900 keys: a new top-level object whose
 * sections are the snapshot's read-only views (a write to one is recorded as
 * any write to the snapshot is, and the diagram is parsed again unpatched),
 * except the sections diagrams write to, which are new copies, two levels
 * deep as mermaid's copy makes them. Same keys, same order, same values.
 */
function freshFrom(copy: Record<string, unknown>, template: Record<string, unknown>): Record<string, unknown> {
  const top = { ...template };
  for (const k of WRITTEN_SECTIONS) {
    const section = copy[k];
    if (section === null || typeof section !== 'object' || Array.isArray(section)) continue;
    const sec: Record<string, unknown> = { ...section };
    for (const k2 of Object.keys(sec)) {
      const v = sec[k2];
      if (v !== null && typeof v === 'object') sec[k2] = Array.isArray(v) ? v.slice() : { ...v };
    }
    top[k] = sec;
  }
  return top;
}

function installConfigHooks(): void {
  const copyOf = (current: object, assign: Assign): object => {
    let copy = fast.copies.get(current);
    if (!copy) fast.copies.set(current, (copy = assign({}, current)));
    return copy;
  };
  const snapOf = (current: object, assign: Assign): object => {
    let snap = fast.snaps.get(current);
    if (!snap) fast.snaps.set(current, (snap = guard(copyOf(current, assign), 0, new WeakMap())));
    return snap;
  };
  const hook = (current: object, assign: Assign, fresh: boolean): object => {
    // A diagram module loading keeps what it reads (patch 8): a copy of its own, as unpatched.
    if (!fast.enabled || (globalThis as Record<string, unknown>)[LOADING_MARK]) return assign({}, current);
    if (!fresh) return snapOf(current, assign);
    let template = fast.templates.get(current);
    if (!template) {
      const snap = snapOf(current, assign) as Record<string, unknown>;
      template = {};
      for (const k of Object.keys(copyOf(current, assign))) template[k] = snap[k];
      fast.templates.set(current, template);
    }
    return freshFrom(copyOf(current, assign) as Record<string, unknown>, template);
  };
  // The memo key of a sum of directives: its JSON, with the values JSON prints alike told apart
  // (undefined, NaN, Infinity, -0); anything but plain data (a Date, a function, a cycle) is not memoized.
  const notPlain = new Error('not plain data');
  const key = (sum: object): string | undefined => {
    try {
      return JSON.stringify(sum, function (this: Record<string, unknown>, k: string, v: unknown) {
        const raw = this[k]; // before toJSON
        if (raw === undefined) return '\u0000undefined';
        if (typeof raw === 'number') return Number.isFinite(raw) && !Object.is(raw, -0) ? raw : `\u0000${Object.is(raw, -0) ? '-0' : String(raw)}`;
        if (typeof raw === 'function' || typeof raw === 'symbol' || typeof raw === 'bigint') throw notPlain;
        if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
          const proto = Object.getPrototypeOf(raw) as unknown;
          if (proto !== Object.prototype && proto !== null) throw notPlain;
        }
        return v;
      });
    } catch {
      return undefined; // not plain data, or a cycle (YAML aliases can make one)
    }
  };
  const memo = {
    get(base: object, sum: object): object | undefined {
      if (!fast.enabled) return undefined;
      const k = key(sum);
      return k === undefined ? undefined : fast.states.get(base)?.get(k);
    },
    set(base: object, sum: object, state: object): void {
      if (!fast.enabled) return;
      const k = key(sum);
      if (k === undefined) return;
      let byKey = fast.states.get(base);
      if (!byKey) fast.states.set(base, (byKey = new Map()));
      if (byKey.size >= 64) byKey.clear();
      byKey.set(k, state);
    },
    clear(): void {
      fast.states = new WeakMap();
    },
  };
  (globalThis as Record<string, unknown>)[CONFIG_HOOK] = hook;
  (globalThis as Record<string, unknown>)[MEMO_HOOK] = memo;
}

/** A DOM for DOMPurify (created from `window` when mermaid is first imported). */
async function installDom(): Promise<void> {
  const g = globalThis as Record<string, unknown>;
  if (g.window && g.document) return;
  const { parseHTML } = await import('linkedom');
  const { window } = parseHTML('<!doctype html><html><body></body></html>');
  g.window = window;
  g.document = window.document;
}

let hookRegistered = false;

/** Import mermaid once (DOM shim first; source patches via a loader hook when running from source). */
export function loadMermaid(): Promise<Mermaid> {
  return (mermaidPromise ??= (async () => {
    const t0 = performance.now();
    await installDom();
    // From source (tsx) mermaid is imported from node_modules: patch it on load.
    // In the worker bundle the patches were applied at build time.
    const self = typeof import.meta.url === 'string' ? import.meta.url : '';
    if (!hookRegistered && self.endsWith('.ts') && !process.env.PATTERN_ATLAS_MERMAID_NO_PATCH) {
      hookRegistered = true;
      register('data:text/javascript,' + encodeURIComponent(loaderHookSource()));
    }
    const mod = (await import('mermaid')) as unknown as { default: Mermaid };
    const mermaid = mod.default;
    // The lexers' first-character filter (patch 6): the same tokens, fewer rules tried per token.
    if (process.env.PATTERN_ATLAS_MERMAID_NO_LEX_FILTER !== '1') (globalThis as Record<string, unknown>)[LEX_HOOK] = candidateRules;
    mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', logLevel: 'fatal' });
    // Bit 2 is set the first time Diagram.fromText runs: parse a trivial diagram. A flowchart (Jison, the
    // type catalogs use most): `info` builds a Langium parser, ~100 ms that only pie, gitGraph & co. need.
    await mermaid.parse('graph TD').catch(() => undefined);
    const bits = Number((globalThis as Record<string, unknown>)[PATCH_MARK] ?? 0);
    if ((bits & CONFIG_PATCH_BITS) === CONFIG_PATCH_BITS) {
      installConfigHooks();
      stats.fastConfig = true;
      fast.enabled = true;
    }
    stats.loadMs = performance.now() - t0;
    return mermaid;
  })());
}

/** Parse with mermaid; the error it threw, or null when the diagram is valid. */
async function parseOnce(mermaid: Mermaid, code: string): Promise<unknown> {
  fast.violated = false;
  try {
    await mermaid.parse(code);
    return null;
  } catch (e) {
    return e ?? new Error('mermaid threw nothing');
  }
}

/** Errors a grammar or mermaid's front-matter / type detection throws for a bad diagram. */
function isDiagramError(e: unknown): boolean {
  const x = e as { hash?: unknown; result?: unknown; name?: unknown } | null;
  return !!x && (typeof x.hash === 'object' || typeof x.result === 'object' || x.name === 'UnknownDiagramError' || x.name === 'YAMLException');
}

async function mermaidParse(mermaid: Mermaid, code: string): Promise<unknown> {
  stats.parses++;
  let err = await parseOnce(mermaid, code);
  // A write to the snapshot, or any error that is not a diagram error (a
  // Proxy cannot be structured-cloned, say): parse again the unpatched way.
  if (fast.violated || (err !== null && fast.enabled && !isDiagramError(err))) {
    stats.fallbacks++;
    const was = fast.enabled;
    fast.enabled = false;
    try {
      err = await parseOnce(mermaid, code);
    } finally {
      fast.enabled = was;
    }
  }
  return err;
}

/** Verdict of a plain `mermaid.parse` (snapshot hook off): for tests and benchmarks. */
export async function naiveParse(code: string): Promise<boolean> {
  const mermaid = await loadMermaid();
  const was = fast.enabled;
  fast.enabled = false;
  try {
    return (await parseOnce(mermaid, code)) === null;
  } finally {
    fast.enabled = was;
  }
}

/**
 * Mermaid's configuration (as JSON) right after parsing `code`, with the
 * snapshot and memo hooks on or off: the memoized states must be the ones an
 * unpatched parse computes (for tests).
 */
export async function configAfterParse(code: string, fastOn: boolean): Promise<string> {
  const mermaid = await loadMermaid();
  const was = fast.enabled;
  fast.enabled = fastOn && stats.fastConfig;
  try {
    await parseOnce(mermaid, code);
    // Values JSON prints alike (NaN, Infinity and null; undefined and absent) told apart.
    return JSON.stringify(mermaid.mermaidAPI.getConfig(), (_, v: unknown) => ((typeof v === 'number' && !Number.isFinite(v)) || v === undefined ? `(${String(v)})` : v));
  } finally {
    fast.enabled = was;
  }
}

/**
 * After parsing `code`: mermaid's own fresh copy of its configuration (hooks
 * off), a function making the validator's fresh copies of the same state
 * (hooks on), and whether a read-only view has been written to since (for tests).
 */
export async function freshConfigsAfter(code: string): Promise<{ plain: Record<string, unknown>; fresh: () => Record<string, unknown>; violated: () => boolean }> {
  const mermaid = await loadMermaid();
  const was = fast.enabled;
  await parseOnce(mermaid, code);
  fast.enabled = false;
  const plain = mermaid.mermaidAPI.getConfig('__fresh') as Record<string, unknown>;
  fast.enabled = was;
  return {
    plain,
    fresh: () => mermaid.mermaidAPI.getConfig('__fresh') as Record<string, unknown>,
    violated: () => fast.violated,
  };
}

// ---------------------------------------------------------------------------
// Validation

export async function validateDiagram(code: string): Promise<MermaidError[]> {
  const out: MermaidError[] = [];
  if (code.length > MAX_TEXT_SIZE) {
    const first = code.indexOf('\n');
    out.push({
      severity: 'warning',
      kind: 'too-large',
      message: `Diagram is ${code.length.toLocaleString('en-US')} characters: mermaid does not render diagrams over ${MAX_TEXT_SIZE.toLocaleString('en-US')} (maxTextSize)`,
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: first < 0 ? code.length : first } },
    });
  }
  const mermaid = await loadMermaid();
  const err = await mermaidParse(mermaid, code);
  if (err === null) return out;
  for (const e of describeError(mermaid, code, err)) out.push(e.fix ? await verifyFix(mermaid, code, e) : e);
  return out;
}

/** Messages the label-quoting advice replaced, in case mermaid does not accept the fix. */
const plainMessage = new WeakMap<MermaidError, string>();

/**
 * Keep a quick fix only if mermaid accepts the fixed diagram up to and past
 * the fixed label (a later, unrelated error may remain).
 */
async function verifyFix(mermaid: Mermaid, code: string, e: MermaidError): Promise<MermaidError> {
  const fix = e.fix!;
  const starts = lineStarts(code);
  const a = starts[fix.range.start.line] + fix.range.start.character;
  const b = starts[fix.range.end.line] + fix.range.end.character;
  const fixed = code.slice(0, a) + fix.newText + code.slice(b);
  const err = await mermaidParse(mermaid, fixed);
  let ok = err === null;
  if (!ok && fix.range.start.line === fix.range.end.line) {
    const next = describeError(mermaid, fixed, err)[0];
    const r = next?.range.start;
    ok = !!r && next.kind !== 'other' && (r.line > fix.range.start.line || (r.line === fix.range.start.line && r.character >= fix.range.start.character + fix.newText.length));
  }
  if (ok) return e;
  const { fix: _dropped, ...rest } = e;
  return { ...rest, message: plainMessage.get(e) ?? e.message };
}

// ---------------------------------------------------------------------------
// Errors -> positions and messages

interface JisonHash {
  text?: unknown;
  token?: unknown;
  line?: unknown;
  loc?: { first_line: number; last_line: number; first_column: number; last_column: number };
  expected?: unknown;
}

interface LangiumLexerError {
  offset?: number;
  length?: number;
  line?: number;
  column?: number;
  message?: string;
}

interface LangiumParserError {
  message?: string;
  token?: { image?: string; startOffset?: number; endOffset?: number; startLine?: number; startColumn?: number };
}

interface Ctx {
  block: string;
  starts: number[];
  pipe: Pipeline;
  type?: string;
}

function detect(mermaid: Mermaid, code: string): string | undefined {
  try {
    return mermaid.detectType(code);
  } catch {
    return undefined;
  }
}

function describeError(mermaid: Mermaid, block: string, e: unknown): MermaidError[] {
  const err = e as { name?: string; message?: unknown; hash?: JisonHash; result?: { lexerErrors?: LangiumLexerError[]; parserErrors?: LangiumParserError[] }; mark?: { line?: number; column?: number }; reason?: string };
  const raw = String(err?.message ?? e);
  let pipe: Pipeline;
  try {
    pipe = mermaidPipeline(block, false);
  } catch {
    pipe = mermaidPipeline('', false);
  }
  const type = detect(mermaid, pipe.code.text);
  if (type?.startsWith('flowchart')) pipe = mermaidPipeline(block, true);
  const ctx: Ctx = { block, starts: lineStarts(block), pipe, type };

  if (err?.name === 'YAMLException' && pipe.frontMatter) return [frontMatterError(ctx, err, raw)];
  if (err?.hash && typeof err.hash === 'object') {
    const r = jisonError(ctx, err.hash, raw);
    if (r) return [r];
  }
  const res = err?.result;
  if (res && (Array.isArray(res.lexerErrors) || Array.isArray(res.parserErrors))) {
    const r = langiumErrors(ctx, res.lexerErrors ?? [], res.parserErrors ?? []);
    if (r.length) return r;
  }
  if (err?.name === 'UnknownDiagramError') return [unknownType(mermaid, ctx, raw)];
  const root = /^There can be only one root\. No parent could be found for \("([\s\S]*)"\)$/.exec(raw);
  if (root) {
    const r = mindmapNodeRange(ctx, root[1]);
    if (r) return [{ severity: 'error', kind: 'other', message: `A mindmap has one root: "${root[1]}" is not indented under it`, detail: raw, range: r, diagramType: type }];
  }
  return [
    {
      severity: 'error',
      kind: 'other',
      message: `Mermaid: ${firstLine(raw)}`,
      detail: raw !== firstLine(raw) ? trimDetail(raw) : undefined,
      range: headerRange(ctx),
      diagramType: type,
    },
  ];
}

function firstLine(s: string): string {
  return s.split('\n')[0].trim();
}

function trimDetail(s: string): string {
  return s.length > 600 ? s.slice(0, 600) + '…' : s;
}

/** Original offset range -> block range. */
function toRange(ctx: Ctx, start: number, end: number): Range {
  return { start: offsetToPos(ctx.starts, ctx.block, start), end: offsetToPos(ctx.starts, ctx.block, Math.max(start, end)) };
}

/** Parsed-text range [s, e) -> original offsets. */
function parsedToOriginal(ctx: Ctx, s: number, e: number): [number, number] {
  const map = ctx.pipe.parsed.map;
  const n = ctx.pipe.parsed.text.length;
  s = Math.max(0, Math.min(s, n));
  e = Math.max(s, Math.min(e, n));
  const os = map[s];
  const oe = e > s ? map[e - 1] + 1 : os;
  return [os, Math.max(os, oe)];
}

/**
 * A token that is only line breaks / the end of the diagram is shown on the
 * last visible character before it; whitespace around a token is trimmed.
 */
function visibleRange(ctx: Ctx, s: number, e: number): Range {
  const text = ctx.pipe.parsed.text;
  while (s < e && /\s/.test(text[s])) s++;
  while (e > s && /\s/.test(text[e - 1])) e--;
  if (e > s) {
    const [os, oe] = parsedToOriginal(ctx, s, e);
    return toRange(ctx, os, oe);
  }
  // Nothing visible (end of line, end of diagram): the last word before it.
  let p = s - 1;
  while (p >= 0 && /\s/.test(text[p])) p--;
  if (p < 0) return headerRange(ctx);
  let q = p;
  while (q > 0 && p - q < 40 && !/\s/.test(text[q - 1])) q--;
  const [os, oe] = parsedToOriginal(ctx, q, p + 1);
  return toRange(ctx, os, oe);
}

/** The first line of the diagram proper (after front matter, directives, comments), trimmed. */
function headerRange(ctx: Ctx): Range {
  const code = ctx.pipe.code;
  const nl = code.text.indexOf('\n');
  const line = nl < 0 ? code.text : code.text.slice(0, nl);
  const len = line.trimEnd().length;
  if (len === 0) {
    const end = ctx.starts.length > 1 ? ctx.starts[1] : ctx.block.length;
    return toRange(ctx, 0, ctx.block.slice(0, end).replace(/\r?\n$|\r$/, '').length);
  }
  return toRange(ctx, code.map[0], code.map[len - 1] + 1);
}

// Jison: `showPosition()` context in the message locates the offending token exactly.

function showPositionAt(parsed: string, s: number, matchLen: number): string {
  const past = parsed.slice(0, s);
  const pre = (past.length > 20 ? '...' : '') + past.slice(-20).replace(/\n/g, '');
  let next = parsed.substr(s, matchLen);
  if (next.length < 20) next += parsed.substr(s + next.length, 20 - next.length);
  const up = (next.substr(0, 20) + (next.length > 20 ? '...' : '')).replace(/\n/g, '');
  return pre + '\n' + up;
}

function lineAt(text: string, offset: number): number {
  let n = 0;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

/** Offset in the parsed text of the token a Jison error is about, or -1. */
function locateJisonToken(parsed: string, msg: string, tokenText: string, yylineno: number | undefined, lexical: boolean): number {
  const lines = msg.split('\n');
  const caretAt = lines.findIndex((l, i) => i > 0 && /^-*\^$/.test(l));
  const shown = caretAt > 0 ? lines[caretAt - 1] : undefined;
  const caret = caretAt > 0 ? lines[caretAt].length - 1 : -1;
  const candidates: number[] = [];
  for (let s = 0; s <= parsed.length - tokenText.length; s++) {
    if (tokenText && !parsed.startsWith(tokenText, s)) continue;
    if (shown !== undefined) {
      const [pre, up] = showPositionAt(parsed, s, tokenText.length).split('\n');
      if (pre.length !== caret || pre + up !== shown) continue;
    }
    candidates.push(s);
  }
  if (candidates.length === 0) return -1;
  if (yylineno !== undefined) {
    const onLine = candidates.filter((s) => lineAt(parsed, lexical ? s : s + tokenText.length) === yylineno);
    if (onLine.length) return onLine[0];
  }
  return candidates[0];
}

const TOKEN_NAMES: Record<string, string> = {
  SQS: "'['", SQE: "']'", PS: "'('", PE: "')'", DIAMOND_START: "'{'", DIAMOND_STOP: "'}'",
  PIPE: "'|'", TAGEND: "'>'", TAGSTART: "'<'", STR: 'a "string"', MD_STR: 'a markdown string',
  NEWLINE: 'end of line', NL: 'end of line', EOF: 'end of diagram', SPACE: 'a space', COLON: "':'",
  AMP: "'&'", MINUS: "'-'", MULT: "'*'", COMMA: "','", DOWN: "'v'", BRKT: "'#'", NUM: 'a number',
  SEMI: "';'", SEMICOLON: "';'", TXT: 'text', TEXT: 'text', NODE_STRING: 'a node id', ID: 'an id',
  STADIUMEND: "'])'", SUBROUTINEEND: "']]'", CYLINDEREND: "')]'", DOUBLECIRCLEEND: "')))'",
  TRAPEND: "'\\]'", INVTRAPEND: "'/]'", UNICODE_TEXT: 'text', STYLE_SEPARATOR: "':::'",
  ARROW_POINT: 'an arrow', LINK: 'a link', START_LINK: 'a link', EOF_IN_STRUCT: 'end of diagram inside { }',
  STRUCT_STOP: "'}'", STRUCT_START: "'{'", INVALID: 'unrecognized text',
};

function tokenName(t: string): string {
  const bare = t.replace(/^'(.*)'$/, '$1');
  return TOKEN_NAMES[bare] ?? `'${bare}'`;
}

function expectedList(expected: unknown): string {
  if (!Array.isArray(expected) || expected.length === 0) return '';
  const names = [...new Set(expected.map((x) => tokenName(String(x))))];
  const shown = names.slice(0, 6);
  return `; expected ${shown.join(', ')}${names.length > shown.length ? `, … (${names.length} in all)` : ''}`;
}

const OPENERS: Record<string, string> = { '[': ']', '(': ')', '{': '}' };
const CLOSERS: Record<string, string> = { ']': '[', ')': '(', '}': '{' };
const WHAT: Record<string, string> = {
  '(': 'Parentheses', ')': 'Parentheses', '[': 'Square brackets', ']': 'Square brackets',
  '{': 'Braces', '}': 'Braces', '|': 'A pipe "|"', '<': 'An angle bracket "<"', '>': 'An angle bracket ">"',
};
/** Text before an edge label's opening `|`: the end of a link (`-->`, `---`, `-.->`, `==>`, `--o`, `--x`). */
const LINK_BEFORE_PIPE = /(?:[-=.>]|--[ox])\s*$/;

interface LabelFix {
  message: string;
  fix: MermaidFix;
}

/**
 * An unquoted flowchart node label (`A[Compute O(n)]`) or edge label
 * (`-->|Hash(key)|`) holding a character the grammar reads as syntax, with
 * the offending token at original offset `at`: the label's range and its
 * quoted replacement (inner `"` written `#quot;`).
 */
function quoteLabelFix(ctx: Ctx, at: number, tokenChar: string): LabelFix | undefined {
  if (!ctx.type?.startsWith('flowchart')) return undefined;
  const block = ctx.block;
  const line = offsetToPos(ctx.starts, block, at).line;
  const ls = ctx.starts[line];
  let le = line + 1 < ctx.starts.length ? ctx.starts[line + 1] : block.length;
  while (le > ls && (block[le - 1] === '\n' || block[le - 1] === '\r')) le--;
  // The label's opening bracket: the nearest unmatched one to the left.
  const depth: Record<string, number> = { '[': 0, '(': 0, '{': 0 };
  let open = -1;
  for (let i = at - 1; i >= ls; i--) {
    const c = block[i];
    if (CLOSERS[c]) depth[CLOSERS[c]]++;
    else if (OPENERS[c]) {
      if (depth[c] > 0) depth[c]--;
      else {
        open = i;
        break;
      }
    } else if (c === '|' && depth['['] + depth['('] + depth['{'] === 0 && LINK_BEFORE_PIPE.test(block.slice(ls, i))) {
      open = i;
      break;
    }
  }
  if (open < 0) return undefined;
  let opener: string;
  let closer: string;
  let openStart = open;
  let close = -1;
  if (block[open] === '|') {
    opener = closer = '|';
    close = block.indexOf('|', Math.max(at, open + 1));
    if (close < 0 || close >= le) return undefined;
  } else {
    // Shape openers may be doubled (`[[`, `((`, `{{`, `[(`, `([`): the whole run after the node id.
    while (openStart > ls && OPENERS[block[openStart - 1]]) openStart--;
    if (openStart === ls || !/[\p{L}\p{N}_\-.]/u.test(block[openStart - 1])) return undefined;
    opener = block.slice(openStart, open + 1);
    closer = [...opener].reverse().map((c) => OPENERS[c]).join('');
    // The closer matching the innermost opener, counting only its own kind.
    const o = block[open];
    const cl = OPENERS[o];
    let d = 0;
    for (let i = open + 1; i < le; i++) {
      const c = block[i];
      if (c === o) d++;
      else if (c === cl) {
        if (d === 0) {
          close = i;
          break;
        }
        d--;
      }
    }
    if (close < 0 || block.slice(close, close + closer.length) !== closer) return undefined;
  }
  const inner = block.slice(open + 1, close);
  const t = inner.trim();
  if (t === '' || (t.startsWith('"') && t.endsWith('"') && t.length > 1)) return undefined;
  const kind = opener === '|' ? 'edge label' : 'label';
  const shape = opener === '|' ? '| |' : `${opener} ${closer}`;
  const use = `${opener}"..."${closer}`;
  let message: string;
  if (inner.includes('"')) message = `Quotes inside a ${shape} ${kind} must be written #quot; and the ${kind} quoted: use ${opener}"...#quot;...#quot;..."${closer}`;
  else if (opener === '[' && /^[/\\]/.test(inner)) message = `A [ ] label starting with "${inner[0]}" must be quoted ("[${inner[0]}" opens another shape): use ["..."]`;
  else message = `${WHAT[tokenChar] ?? `"${tokenChar}"`} inside a ${shape} ${kind} must be quoted: use ${use}`;
  return {
    message,
    fix: {
      title: `Quote the ${kind}: ${opener}"…"${closer}`,
      range: toRange(ctx, openStart, close + closer.length),
      newText: `${opener}"${inner.replace(/"/g, '#quot;')}"${closer}`,
    },
  };
}

/** Original offset of the first visible character of a parsed-text range, or -1. */
function originalStart(ctx: Ctx, s: number, e: number): number {
  const text = ctx.pipe.parsed.text;
  while (s < e && /\s/.test(text[s])) s++;
  return s < e ? ctx.pipe.parsed.map[s] : -1;
}

function labelFixAt(ctx: Ctx, s: number, e: number): LabelFix | undefined {
  const at = originalStart(ctx, s, e);
  if (at < 0) return undefined;
  const ch = ctx.block[at];
  if (WHAT[ch]) return quoteLabelFix(ctx, at, ch);
  // Text right after a `"` inside a label: the quote ended the label's text.
  let p = at - 1;
  while (p >= 0 && (ctx.block[p] === ' ' || ctx.block[p] === '\t')) p--;
  if (p >= 0 && ctx.block[p] === '"') return quoteLabelFix(ctx, at, '"');
  return undefined;
}

function jisonError(ctx: Ctx, hash: JisonHash, raw: string): MermaidError | undefined {
  const parsed = ctx.pipe.parsed.text;
  const lexical = /^Lexical error/.test(raw);
  const tokenText = typeof hash.text === 'string' ? hash.text : '';
  const yylineno = typeof hash.line === 'number' ? hash.line : undefined;
  const tokenName_ = hash.token === 1 || hash.token === 'EOF' ? 'EOF' : String(hash.token ?? '');
  let s = locateJisonToken(parsed, raw, lexical ? '' : tokenText, yylineno, lexical);
  if (s < 0 && hash.loc) {
    // Without the context: the offending token follows the last shifted one (`loc.last_*`).
    s = lineColToOffset(parsed, hash.loc.last_line, hash.loc.last_column);
    if (tokenText) {
      const k = parsed.indexOf(tokenText, s);
      if (k >= 0 && k - s < 80) s = k;
    }
  }
  if (s < 0 && yylineno !== undefined) s = lineColToOffset(parsed, yylineno + 1, 0);
  if (s < 0) return undefined;
  const base = { severity: 'error' as const, diagramType: ctx.type, detail: trimDetail(raw) };
  if (lexical) {
    // One character of the text the lexer could not read.
    let e = s;
    while (e < parsed.length && /\s/.test(parsed[e])) e++;
    const range = e < parsed.length ? visibleRange(ctx, e, e + 1) : visibleRange(ctx, s, s);
    const ch = e < parsed.length ? parsed[e] : '';
    const q = e < parsed.length ? labelFixAt(ctx, e, e + 1) : undefined;
    const plain = `Mermaid cannot read the text here${ch ? ` (starting at '${ch}')` : ''}: unrecognized text`;
    return withPlain({ ...base, kind: 'lexer', message: q?.message ?? plain, range, fix: q?.fix }, plain);
  }
  const range = visibleRange(ctx, s, s + tokenText.length);
  const eof = tokenName_ === 'EOF' || tokenName_ === 'EOF_IN_STRUCT' || (tokenText === '' && !hash.token);
  const shownTok = tokenText.trim();
  const got = eof ? 'end of diagram' : shownTok ? `'${shownTok.length > 40 ? shownTok.slice(0, 40) + '…' : shownTok}'` : tokenName(tokenName_);
  const q = eof ? undefined : labelFixAt(ctx, s, s + tokenText.length);
  const plain = `Unexpected ${got}${expectedList(hash.expected)}`;
  return withPlain({ ...base, kind: 'parse', message: q?.message ?? plain, range, fix: q?.fix }, plain);
}

function withPlain(e: MermaidError, plain: string): MermaidError {
  if (e.fix) plainMessage.set(e, plain);
  return e;
}

function langiumErrors(ctx: Ctx, lexerErrors: LangiumLexerError[], parserErrors: LangiumParserError[]): MermaidError[] {
  const out: MermaidError[] = [];
  const parsed = ctx.pipe.parsed.text;
  for (const le of lexerErrors.slice(0, 10)) {
    const off = Number.isFinite(le.offset) ? (le.offset as number) : Number.isFinite(le.line) ? lineColToOffset(parsed, le.line as number, (le.column ?? 1) - 1) : parsed.length;
    const len = Math.max(1, le.length ?? 1);
    const ch = parsed.slice(off, off + len);
    out.push({
      severity: 'error',
      kind: 'langium-lexer',
      message: `Unexpected character${len > 1 ? 's' : ''} ${JSON.stringify(ch.length > 40 ? ch.slice(0, 40) + '…' : ch)}`,
      detail: le.message,
      range: visibleRange(ctx, off, off + len),
      diagramType: ctx.type,
    });
  }
  for (const pe of parserErrors.slice(0, 10)) {
    const t = pe.token ?? {};
    const image = typeof t.image === 'string' ? t.image : '';
    const off = Number.isFinite(t.startOffset) ? (t.startOffset as number) : parsed.length;
    const end = Number.isFinite(t.endOffset) ? (t.endOffset as number) + 1 : off + image.length;
    const m = /^Expecting (?:token of type )?(.*?) but found `([\s\S]*)`\.?$/.exec(pe.message ?? '');
    let message = pe.message ?? 'Parse error';
    if (m) {
      const found = m[2].trim() === '' ? (m[2].includes('\n') ? 'end of line' : 'end of diagram') : `'${m[2].trim()}'`;
      message = `Unexpected ${found}; expected ${m[1].replace(/^--> /, '')}`;
    }
    const range = visibleRange(ctx, off, Math.max(off, end));
    // A parser error where the lexer already failed is its consequence.
    if (out.some((o) => o.kind === 'langium-lexer' && o.range.start.line === range.start.line && o.range.start.character === range.start.character)) continue;
    out.push({ severity: 'error', kind: 'langium-parse', message, detail: pe.message, range, diagramType: ctx.type });
  }
  return out;
}

/** The first line after the diagram's first node that holds `label` (a mindmap node mermaid could not place). */
function mindmapNodeRange(ctx: Ctx, label: string): Range | undefined {
  const code = ctx.pipe.code;
  const lines = code.text.split('\n');
  let off = 0;
  let nodes = 0;
  for (const l of lines) {
    const t = l.trim();
    if (t && !/^mindmap\b/.test(t) && !t.startsWith('%%')) {
      nodes++;
      const i = l.indexOf(label);
      if (nodes > 1 && i >= 0) {
        const s = off + l.length - l.trimStart().length;
        const e = off + l.trimEnd().length;
        return toRange(ctx, code.map[s], code.map[e - 1] + 1);
      }
    }
    off += l.length + 1;
  }
  return undefined;
}

/** A diagram keyword mermaid knows that `word` probably meant (`radar` -> `radar-beta`, `flowchat` -> `flowchart`). */
function suggestType(mermaid: Mermaid, word: string): string | undefined {
  const bare = word.replace(/[:;,{]+$/, '');
  const known = ['flowchart', 'graph', 'sequenceDiagram', 'classDiagram', 'stateDiagram-v2', 'stateDiagram', 'erDiagram', 'gantt', 'pie', 'mindmap', 'timeline', 'journey', 'gitGraph', 'quadrantChart', 'requirementDiagram', 'C4Context', 'kanban'];
  const close = known.filter((k) => editDistance(k.toLowerCase(), bare.toLowerCase()) <= 2).sort((x, y) => editDistance(x, bare) - editDistance(y, bare));
  const candidates = [`${bare}-beta`, bare, `${bare}-v2`, ...close];
  for (const c of candidates) {
    if (c === word) continue;
    if (detect(mermaid, `${c}\n`) !== undefined) return c;
  }
  return undefined;
}

function unknownType(mermaid: Mermaid, ctx: Ctx, raw: string): MermaidError {
  const code = ctx.pipe.code;
  const m = /^\s*(\S+)/.exec(code.text);
  let range = headerRange(ctx);
  let word = '';
  if (m) {
    const s = m[0].length - m[1].length;
    word = m[1];
    range = toRange(ctx, code.map[s], code.map[s + m[1].length - 1] + 1);
  }
  const hint = word ? suggestType(mermaid, word) : undefined;
  const message = hint
    ? `Unknown diagram type "${word}": did you mean "${hint}"?`
    : word
    ? `Unknown diagram type "${word}": a diagram starts with its type (flowchart, sequenceDiagram, classDiagram, stateDiagram-v2, erDiagram, gantt, pie, mindmap, timeline, …)`
    : 'Empty diagram: a diagram starts with its type (flowchart, sequenceDiagram, classDiagram, …)';
  return { severity: 'error', kind: 'unknown-type', message, detail: firstLine(raw), range };
}

function frontMatterError(ctx: Ctx, err: { mark?: { line?: number; column?: number }; reason?: string }, raw: string): MermaidError {
  const fm = ctx.pipe.frontMatter!;
  const body = offsetToPos(ctx.starts, ctx.block, fm.bodyStart);
  const ml = err.mark?.line ?? 0;
  // A mark past the body (an unterminated flow collection) goes to the end of the body's last line.
  const bodyEnd = offsetToPos(ctx.starts, ctx.block, fm.bodyEnd);
  const line = Math.min(body.line + ml, Math.max(body.line, bodyEnd.character === 0 && bodyEnd.line > body.line ? bodyEnd.line - 1 : bodyEnd.line));
  const lineStart = ctx.starts[line] ?? ctx.block.length;
  const lineText = ctx.block.slice(lineStart, ctx.starts[line + 1] ?? ctx.block.length).replace(/\r?\n$|\r$/, '');
  let col = line < body.line + ml ? lineText.length : (err.mark?.column ?? 0) + (fm.indent && lineText.startsWith(fm.indent) ? fm.indent.length : 0);
  if (line === body.line) col += body.character;
  col = Math.min(col, lineText.length);
  const end = Math.min(col + 1, lineText.length);
  return {
    severity: 'error',
    kind: 'front-matter',
    message: `Front matter is not valid YAML: ${err.reason ?? firstLine(raw)}`,
    detail: trimDetail(raw),
    range: { start: { line, character: col === end && col > 0 ? col - 1 : col }, end: { line, character: end } },
  };
}
