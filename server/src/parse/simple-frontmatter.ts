/**
 * The frontmatter most pages have, read without the `yaml` package: top-level
 * `key: value` lines whose values are single-line scalars (plain, or quoted
 * without escapes), one-line flow lists of such scalars (`[a, "b"]`), or block
 * lists of them (`- a` lines under an empty `key:`). Values are typed as the
 * YAML 1.2 core schema types them (the `yaml` package's default: null, bool,
 * int, float, else string), ranges are those the `yaml` package gives.
 *
 * Anything else (comments, tabs, nested mappings, multi-line or escaped
 * scalars, anchors, tags, duplicate or non-word keys, ...) returns undefined
 * and the caller reads the frontmatter with `yaml`. Where this answers, the
 * answer equals what `prepare.ts` makes of `yaml`'s (test/simple-frontmatter.test.ts
 * compares both on every frontmatter of the corpus and on generated ones).
 *
 * Invariant: pure; never throws.
 */
import type { FrontmatterEntry, Range } from './types.ts';

export interface SimpleFrontmatter {
  data: Record<string, unknown>;
  entries: FrontmatterEntry[];
}

const KEY_LINE = /^([A-Za-z_][\w-]*):(?: +|$)/;
/** Keys the core schema reads as null or bool (so not as the string written). */
const NOT_A_STRING_KEY = /^(?:[Nn]ull|NULL|[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const ITEM_LINE = /^( *)- +/;
/** Characters whose handling by YAML this reader does not reproduce (tabs, controls, other line breaks, BOM). */
const UNUSUAL = /[\u0000-\u001f\u007f\u0085\u2028\u2029\ufeff]/;
const isBlank = (l: string): boolean => /^ *$/.test(l);

/** A plain scalar's value under the core schema, exactly as the `yaml` package resolves it. */
function coreScalar(s: string): unknown {
  if (/^(?:~|[Nn]ull|NULL)?$/.test(s)) return null;
  if (/^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/.test(s)) return s[0] === 't' || s[0] === 'T';
  if (/^0o[0-7]+$/.test(s)) return parseInt(s.substring(2), 8);
  if (/^[-+]?[0-9]+$/.test(s)) return parseInt(s, 10);
  if (/^0x[0-9a-fA-F]+$/.test(s)) return parseInt(s.substring(2), 16);
  if (/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/.test(s)) return s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? -Infinity : Infinity;
  if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/.test(s) || /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/.test(s)) return parseFloat(s);
  return s;
}

interface Scalar {
  value: unknown;
  /** Columns of the scalar as written (quotes included). */
  start: number;
  end: number;
}

/**
 * A single-line scalar at `text[at..]` running to the end of the text (or to `stop`
 * in a flow list), or undefined when it is not one this reader knows.
 */
function scalar(text: string, at: number, flow: boolean): Scalar | undefined {
  let end = text.length;
  while (end > at && text.charCodeAt(end - 1) === 32) end--;
  if (end === at) return undefined;
  const c = text[at];
  if (c === '"' || c === "'") {
    const inner = text.slice(at + 1, end - 1);
    if (end - at < 2 || text[end - 1] !== c || inner.includes(c) || (c === '"' && inner.includes('\\'))) return undefined;
    return { value: inner, start: at, end };
  }
  const s = text.slice(at, end);
  // Indicators that open something else (a leading `-` only before a number), and characters that may end or split a plain scalar.
  if (/^[-?:,[\]{}#&*!|>%@`]/.test(s) && !/^-[0-9.]/.test(s)) return undefined;
  if (s.includes(': ') || s.endsWith(':') || s.includes(' #')) return undefined;
  if (flow && /[,[\]{}:#"']/.test(s)) return undefined;
  return { value: coreScalar(s), start: at, end };
}

/** `[a, b]` written on one line from `at` to the end of the text, or undefined. */
function flowList(text: string, at: number): { value: unknown[]; end: number } | undefined {
  let end = text.length;
  while (end > at && text.charCodeAt(end - 1) === 32) end--;
  if (text[end - 1] !== ']') return undefined;
  const inner = text.slice(at + 1, end - 1);
  if (/[[\]{}]/.test(inner)) return undefined;
  if (isBlank(inner)) return { value: [], end };
  const value: unknown[] = [];
  for (const part of inner.split(',')) {
    const item = scalar(part, part.length - part.trimStart().length, true);
    if (!item) return undefined;
    value.push(item.value);
  }
  return { value, end };
}

/**
 * `lines` are the frontmatter's lines (without the `---` lines); positions are
 * page positions (line `k` of `lines` is page line `k + 1`).
 */
export function readSimpleFrontmatter(lines: readonly string[]): SimpleFrontmatter | undefined {
  const data: Record<string, unknown> = {};
  const entries: FrontmatterEntry[] = [];
  const pos = (line: number, character: number) => ({ line: line + 1, character });
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (UNUSUAL.test(l)) return undefined;
    if (isBlank(l)) continue;
    const m = KEY_LINE.exec(l);
    if (!m) return undefined;
    const key = m[1];
    if (NOT_A_STRING_KEY.test(key) || key === '__proto__' || Object.prototype.hasOwnProperty.call(data, key)) return undefined;
    const keyRange: Range = { start: pos(i, 0), end: pos(i, key.length) };
    const at = m[0].length;
    let value: unknown;
    let valueRange: Range;
    if (at === l.length) {
      // `key:` alone: null, a block list on the lines below, or a mapping indented below it.
      // A block value ends where the next line starts (or at the end of the last line).
      const blockEnd = (last: number) => (last + 1 < lines.length ? pos(last + 1, 0) : pos(last, lines[last].length));
      const map = blockMap(lines, i + 1);
      const items = map === undefined ? blockList(lines, i + 1) : undefined;
      if (map === null) return undefined;
      if (map) {
        value = map.value;
        valueRange = { start: pos(map.first, map.indent), end: blockEnd(map.last) };
        i = map.last;
      } else if (items === undefined) return undefined;
      else if (items.value) {
        value = items.value;
        valueRange = { start: pos(items.first, items.dash), end: blockEnd(items.last) };
        i = items.last;
      } else {
        value = null;
        valueRange = { start: pos(i, l.length), end: pos(i, l.length) };
      }
    } else {
      if (continues(lines, i + 1)) return undefined;
      const s = l[at] === '[' ? flowList(l, at) : scalar(l, at, false);
      if (!s) return undefined;
      value = s.value;
      valueRange = { start: pos(i, at), end: pos(i, s.end) };
    }
    data[key] = value;
    entries.push({ key, value, keyRange, valueRange });
  }
  return { data, entries };
}

const SUB_KEY_LINE = /^( +)([A-Za-z_][\w-]*):(?: +|$)/;

/**
 * The mapping indented below a `key:` line (`search:` / `  boost: 2`, as
 * MkDocs Material pages write): undefined when the next non-blank line is no
 * indented `key: value`; null when it is, but the lines below are more than
 * `key: value` lines of single-line scalars at one indent (left to `yaml`).
 */
function blockMap(lines: readonly string[], from: number): { value: Record<string, unknown>; first: number; indent: number; last: number } | null | undefined {
  let k = from;
  while (k < lines.length && isBlank(lines[k])) k++;
  if (k === lines.length || !SUB_KEY_LINE.test(lines[k])) return undefined;
  const value: Record<string, unknown> = {};
  const first = k;
  let indent = -1;
  let last = k;
  for (; k < lines.length; k++) {
    const l = lines[k];
    if (UNUSUAL.test(l)) return null;
    if (isBlank(l)) continue;
    if (l.charCodeAt(0) !== 32) break;
    const m = SUB_KEY_LINE.exec(l);
    if (!m || (indent >= 0 && m[1].length !== indent)) return null;
    indent = m[1].length;
    const key = m[2];
    if (NOT_A_STRING_KEY.test(key) || key === '__proto__' || Object.prototype.hasOwnProperty.call(value, key)) return null;
    const at = m[0].length;
    if (at === l.length) return null;
    const s = l[at] === '[' ? flowList(l, at) : scalar(l, at, false);
    if (!s) return null;
    value[key] = s.value;
    last = k;
  }
  return { value, first, indent, last };
}

/** Whether the next non-blank line from `from` is indented (it would continue the value above: not handled). */
function continues(lines: readonly string[], from: number): boolean {
  for (let k = from; k < lines.length; k++) {
    if (isBlank(lines[k])) continue;
    return lines[k].charCodeAt(0) === 32;
  }
  return false;
}

/**
 * The block list starting at the next non-blank line after a `key:` line:
 * `{}` when there is none (the key's value is null), undefined when the lines
 * below are something else than a list of single-line scalars at one indent.
 */
function blockList(lines: readonly string[], from: number): { value?: unknown[]; first: number; dash: number; last: number } | undefined {
  const value: unknown[] = [];
  let indent = -1;
  let first = -1;
  let last = -1;
  for (let k = from; k < lines.length; k++) {
    const l = lines[k];
    if (UNUSUAL.test(l)) return undefined;
    if (isBlank(l)) continue;
    const m = ITEM_LINE.exec(l);
    if (!m) {
      if (l.charCodeAt(0) === 32) return undefined;
      break;
    }
    if (indent >= 0 && m[1].length !== indent) return undefined;
    indent = m[1].length;
    const at = m[0].length;
    const s = l[at] === '[' ? undefined : scalar(l, at, false);
    if (!s) return undefined;
    value.push(s.value);
    if (first < 0) first = k;
    last = k;
  }
  if (last < 0) return { first, dash: 0, last: from - 1 };
  return { value, first, dash: indent, last };
}
