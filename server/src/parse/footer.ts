/**
 * The "Previous | Next" footer a page ends with, read from its lines and the
 * links its parser found:
 *
 *   **Previous**: [← Bulkhead](bulkhead.md) | **Next**: [Timeout →](timeout.md)
 *   **Previous**: [← Failover](failover.md) | **Next**: Split Brain → (Coming Soon)
 *   <a href="/patterns/bulkhead">← Previous: Bulkhead</a>
 *   <a href="/patterns/rate-limiting">Next: Rate Limiting →</a>
 *
 * A side is labelled either by a bold `**Previous**:` / `**Next**:` (`Prev`
 * too; the side is what follows, up to the next label, and its link is one
 * that starts it) or by a link whose text starts with "Previous" or "Next"
 * followed by a colon or nothing (`← Previous: Bulkhead`,
 * `:octicons-arrow-left-24: Previous`; not "Next steps"). A footer line has a
 * labelled link, or both labels (`**Previous**: ← X (Coming Soon) | **Next**:
 * ...`), so prose such as "**Next**: we add retries" is none. The footer is
 * the page's last run of footer lines (blank lines between them allowed),
 * outside fences, HTML comments and the frontmatter.
 *
 * Invariant: pure; knows nothing of the site; never throws.
 */
import { commentSpans, maskComments, own as ownText } from './common.ts';
import { lineOffsets, splitLines } from './prepare.ts';
import type { Link, PatternDoc, Range } from './types.ts';

export type FooterSideName = 'previous' | 'next';

export interface FooterSide {
  side: FooterSideName;
  /** `bold`: a `**Next**:` label and what follows it; `link`: a link whose text is the label. */
  form: 'bold' | 'link';
  /** The label and its content, without the separator that follows (` | `). */
  range: Range;
  /** What follows the label: the link, or plain text such as `Split Brain → (Coming Soon)`. Empty for a bare label. */
  bodyRange: Range;
  /** The side's link (inline, reference or raw-HTML `<a>`), when it has one. */
  link?: Link;
  /** Where the link's text is written (inside `[...]` or between `<a ...>` and `</a>`). */
  textRange?: Range;
  /** The words naming the other page as written: the link text, or what follows "Previous:" in it, or the plain body. */
  title: string;
  /** Where `title` is written, when it is one span of the line. */
  titleRange?: Range;
}

export interface Footer {
  /** From the first footer line to the end of the last. */
  range: Range;
  sides: FooterSide[];
}

const BOLD_LABEL = /(\*\*|__)\s*(previous|prev|next)\s*(:?)\s*\1\s*(:?)/gi;
/** What every footer line has: a bold label, or a link text (after `[` or `<a ...>`) holding the word. A cheap first test. */
const LIKELY = /(?:\*\*|__)\s*(?:previous|prev|next)\b|[[>][^\]<\n]*\b(?:previous|prev|next)\b/i;
/** Arrows, emoji shortcodes and emphasis around a link's label. */
const DECORATION = /^(?:\s|[*_]|[←→«»‹›⬅➡⟵⟶<>]|-{1,2}>|<-{1,2}|:[a-z0-9_+-]+:(?:\{[^}]*\})?)+/i;

function sideName(word: string): FooterSideName {
  return word.toLowerCase() === 'next' ? 'next' : 'previous';
}

const r = (line: number, s: number, e: number): Range => ({ start: { line, character: s }, end: { line, character: e } });

/** Where a one-line link's text is written, or undefined. */
function linkTextSpan(line: string, link: Link): [number, number] | undefined {
  const s = link.range.start.character;
  const e = link.range.end.character;
  if (link.kind === 'html') {
    const open = line.indexOf('>', link.targetRange.end.character);
    const close = line.slice(0, e).search(/<\/a\s*>$/i);
    return open >= 0 && close > open ? [open + 1, close] : undefined;
  }
  if (line[s] !== '[') return undefined;
  const mid = link.kind === 'reference' ? line.lastIndexOf('][', e) : line.lastIndexOf('](', link.targetRange.start.character);
  return mid > s ? [s + 1, mid] : undefined;
}

/** A link's label: `previous`/`next` and where the title after it starts in its text, or undefined. */
function linkLabel(line: string, text: [number, number]): { side: FooterSideName; titleStart: number } | undefined {
  const t = line.slice(text[0], text[1]);
  const lead = DECORATION.exec(t)?.[0].length ?? 0;
  const m = /^(previous|prev|next)\b\s*(?::\s*|(?=[\s*_←→]*$))/i.exec(t.slice(lead));
  if (!m) return undefined;
  return { side: sideName(m[1]), titleStart: text[0] + lead + m[0].length };
}

/** The words of a title span without arrows, emphasis and emoji around them, as [start, end] in `line`. */
function trimDecorations(line: string, s: number, e: number): [number, number] {
  const t = line.slice(s, e);
  const lead = DECORATION.exec(t)?.[0].length ?? 0;
  const tail = /(?:\s|[*_]|[←→«»‹›⬅➡⟵⟶<>]|-{1,2}>|:[a-z0-9_+-]+:(?:\{[^}]*\})?)+$/i.exec(t.slice(lead));
  return [s + lead, e - (tail ? tail[0].length : 0)];
}

/** The links that can label or fill a footer side, by the one line they are written on. */
function sideLinksByLine(links: readonly Link[]): Map<number, Link[]> {
  const out = new Map<number, Link[]>();
  for (const l of links) {
    const n = l.range.start.line;
    if (n !== l.range.end.line || l.kind === 'definition' || l.kind === 'image' || l.kind === 'autolink') continue;
    const on = out.get(n);
    if (on) on.push(l);
    else out.set(n, [l]);
  }
  return out;
}

const NO_LINKS: Link[] = [];

/** The sides one line holds (empty when it is no footer line); `own` are the line's links (`sideLinksByLine`). */
function footerSides(line: string, n: number, own: readonly Link[]): FooterSide[] {
  if (!LIKELY.test(line)) return [];
  const inLink = (i: number) => own.some((l) => l.range.start.character <= i && i < l.range.end.character);
  type Label = { side: FooterSideName; start: number; end: number; link?: Link; text?: [number, number]; titleStart?: number };
  const labels: Label[] = [];
  for (const m of line.matchAll(BOLD_LABEL)) {
    if (!m[3] && !m[4]) continue; // a label ends with a colon, inside or after the emphasis
    if (inLink(m.index!)) continue;
    labels.push({ side: sideName(m[2]), start: m.index!, end: m.index! + m[0].length });
  }
  for (const l of own) {
    const text = linkTextSpan(line, l);
    const lab = text && linkLabel(line, text);
    if (lab) labels.push({ side: lab.side, start: l.range.start.character, end: l.range.end.character, link: l, text, titleStart: lab.titleStart });
  }
  labels.sort((a, b) => a.start - b.start);
  const out: FooterSide[] = [];
  for (let i = 0; i < labels.length; i++) {
    const lab = labels[i];
    if (lab.link) {
      const [ts, te] = trimDecorations(line, lab.titleStart!, lab.text![1]);
      out.push({
        side: lab.side,
        form: 'link',
        range: r(n, lab.start, lab.end),
        bodyRange: r(n, lab.start, lab.end),
        link: lab.link,
        textRange: r(n, lab.text![0], lab.text![1]),
        title: ownText(line.slice(ts, Math.max(ts, te))),
        ...(te > ts ? { titleRange: r(n, ts, te) } : {}),
      });
      continue;
    }
    // The body runs to the next label, without the separator before it.
    const limit = i + 1 < labels.length ? labels[i + 1].start : line.length;
    let end = limit;
    const rest = line.slice(lab.end, limit);
    const sep = /\s*(?:[|·•]\s*)?(?:<br\s*\/?>\s*)?$/i.exec(rest);
    if (sep && i + 1 < labels.length) end = lab.end + sep.index;
    else end = lab.end + rest.trimEnd().length;
    let bodyStart = lab.end;
    while (bodyStart < end && line[bodyStart] === ' ') bodyStart++;
    // The side's link starts its body (after arrows or emphasis at most); a link inside prose is not the side's.
    const lead = bodyStart + (DECORATION.exec(line.slice(bodyStart, end))?.[0].length ?? 0);
    const link = own.find((l) => l.range.start.character >= bodyStart && l.range.start.character <= lead);
    const side: FooterSide = { side: lab.side, form: 'bold', range: r(n, lab.start, end), bodyRange: r(n, bodyStart, end), title: '' };
    if (link) {
      const text = linkTextSpan(line, link);
      side.link = link;
      if (text) {
        side.textRange = r(n, text[0], text[1]);
        const [ts, te] = trimDecorations(line, text[0], text[1]);
        side.title = ownText(line.slice(ts, Math.max(ts, te)));
        if (te > ts) side.titleRange = r(n, ts, te);
      } else side.title = link.text;
    } else {
      const [ts, te] = trimDecorations(line, bodyStart, end);
      side.title = ownText(line.slice(ts, Math.max(ts, te)));
      if (te > ts) side.titleRange = r(n, ts, te);
    }
    out.push(side);
  }
  return out;
}

/** Whether a line's sides make it a footer line: a labelled link, or both labels (`← X (Coming Soon) | Next: ...`). */
function isFooterLine(sides: FooterSide[]): boolean {
  return sides.some((s) => s.link) || (sides.some((s) => s.side === 'previous') && sides.some((s) => s.side === 'next'));
}

/** The word every footer line holds: a cheap scan of the whole text finds the few lines worth testing with LIKELY. */
const WORD = /prev|next/gi;

/**
 * The lines of a text where LIKELY matches, in one pass over the text (much
 * cheaper than a test per line): each match's line is found among the
 * lines' offsets (`lineOffsets`), searching forward from the last one.
 */
function likelyLines(text: string, lines: readonly string[]): number[] {
  const out: number[] = [];
  const off = lineOffsets(lines);
  const last = lines.length - 1;
  let line = 0;
  WORD.lastIndex = 0;
  for (let m = WORD.exec(text); m; m = WORD.exec(text)) {
    // The last line starting at or before the match (offsets ascend, and so do matches).
    let lo = line;
    let hi = last;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (off[mid] <= m.index) lo = mid;
      else hi = mid - 1;
    }
    line = lo;
    if (LIKELY.test(lines[line])) out.push(line);
    // The rest of this line is judged: go on from the next one.
    WORD.lastIndex = off[line + 1];
  }
  return out;
}

/**
 * Line `n` of `text` as `splitLines(maskComments(text))[n]` reads it (HTML
 * comments as spaces), masking only the lines asked for: a page's comments
 * are found once, and a line without one is the page's line itself.
 */
export function commentsMasked(text: string, lines: readonly string[]): (n: number) => string {
  if (!text.includes('<!--')) return (n) => lines[n];
  // Lines split at `\r` too are not at the text's offsets: mask the whole text then.
  if (text.includes('\r')) {
    let visible: readonly string[] | undefined;
    return (n) => (visible ??= splitLines(maskComments(text)))[n];
  }
  const spans = commentSpans(text);
  const off = lineOffsets(lines);
  return (n) => {
    const l = lines[n];
    const s = off[n];
    const e = s + l.length;
    let out: string | undefined;
    for (let k = 0; k < spans.length && spans[k] < e; k += 2) {
      if (spans[k + 1] <= s) continue;
      const a = Math.max(spans[k], s) - s;
      const b = Math.min(spans[k + 1], e) - s;
      out = (out ?? l).slice(0, a) + ' '.repeat(b - a) + (out ?? l).slice(b);
    }
    return out ?? l;
  };
}

/**
 * The footer of a page (`lines` is `text` split at `\n`): its last run of
 * Previous/Next lines (blank lines between them allowed), wherever it is;
 * pages that gained sections after their footer, or carry two footers from
 * merged drafts, are judged by the last.
 */
export function findFooter(text: string, lines: readonly string[], doc: PatternDoc): Footer | undefined {
  // Lines split at `\r` too are not the text's `\n` lines: read those lines' own text instead.
  const likely = text.includes('\r') ? likelyLines(lines.join('\n'), lines) : likelyLines(text, lines);
  if (!likely.length) return undefined;
  // Text inside HTML comments does not count: it is read as spaces.
  const line = commentsMasked(text, lines);
  let linksByLine: Map<number, Link[]> | undefined;
  const inFence = (n: number) => doc.fences.some((f) => f.range.start.line <= n && n <= f.range.end.line);
  const fmEnd = doc.frontmatter ? doc.frontmatter.range.end.line : -1;
  const isLikely = new Set(likely);
  const sidesAt = (n: number) => {
    if (n <= fmEnd || !isLikely.has(n) || inFence(n) || !LIKELY.test(line(n))) return [];
    const found = footerSides(line(n), n, (linksByLine ??= sideLinksByLine(doc.links)).get(n) ?? NO_LINKS);
    return isFooterLine(found) ? found : [];
  };
  let k = likely.length - 1;
  while (k >= 0 && !sidesAt(likely[k]).length) k--;
  if (k < 0) return undefined;
  const last = likely[k];
  let first = last;
  const sides: FooterSide[] = [];
  for (let i = last; i > fmEnd; i--) {
    if (!lines[i].trim()) continue;
    const found = sidesAt(i);
    if (!found.length) break;
    sides.unshift(...found);
    first = i;
  }
  const end = lines[last].replace(/\r$/, '').length;
  return { range: { start: { line: first, character: 0 }, end: { line: last, character: end } }, sides };
}
