/**
 * Inline multi-file fixtures for feature tests, in the rust-analyzer manner:
 *
 * - `$0` marks the cursor (at most one in the whole fixture);
 * - a line made only of runs of `^` carets, each optionally followed by a
 *   label, marks ranges on the text line above it and is removed from the
 *   file (a run without a label takes the line's last label):
 *
 *       See [Law 2](../laws/law2.md).
 *                   ^^^^^^^^^^^^^^^ law
 *
 * Files are keyed by site-root relative paths (`docs/x.md`, `mkdocs.yml`),
 * as `makeSite` takes them. Positions are computed on the stripped texts.
 */
import type { Pos, Range } from '../../server/src/parse/types.ts';
import type { Site } from '../../server/src/site/site.ts';
import { makeSite, ROOT } from '../helpers/site.ts';

export interface Mark {
  /** Site-root relative file (`docs/x.md`). */
  file: string;
  range: Range;
  label: string;
}

export interface Fixture {
  site: Site;
  /** The stripped file texts, by site-root relative path. */
  files: Record<string, string>;
  /** Where `$0` was: its file (site-root relative), docs-relative path and position. */
  cursor?: { file: string; path: string; pos: Pos };
  marks: Mark[];
}

/** A line of caret runs (`^^^  ^^`), each optionally followed by a label (which holds no `^`). */
const CARETS = /^\s*\^+(?:\s+[^\s^][^^]*?)?(?:\s+\^+(?:\s+[^\s^][^^]*?)?)*\s*$/;

/** Strip `$0` and caret lines from one text. */
export function stripMarkers(text: string): { text: string; cursor?: Pos; marks: Array<{ range: Range; label: string }> } {
  const out: string[] = [];
  const marks: Array<{ range: Range; label: string }> = [];
  let cursor: Pos | undefined;
  for (const raw of text.split('\n')) {
    if (out.length && CARETS.test(raw)) {
      const line = out.length - 1;
      const runs = [...raw.matchAll(/(\^+)(?:\s+([^^]*[^\s^]))?/g)];
      // A run without a label takes the line's last label: `^^^  ^^^ link` marks two links.
      const last = [...runs].reverse().find((r) => r[2])?.[2] ?? '';
      for (const r of runs) {
        marks.push({ range: { start: { line, character: r.index! }, end: { line, character: r.index! + r[1].length } }, label: r[2] ?? last });
      }
      continue;
    }
    let line = raw;
    const at = line.indexOf('$0');
    if (at >= 0) {
      if (cursor) throw new Error('fixture: more than one $0');
      cursor = { line: out.length, character: at };
      line = line.slice(0, at) + line.slice(at + 2);
    }
    out.push(line);
  }
  return { text: out.join('\n'), cursor, marks };
}

export function fixture(files: Record<string, string>): Fixture {
  const clean: Record<string, string> = {};
  const marks: Mark[] = [];
  let cursor: Fixture['cursor'];
  for (const [file, text] of Object.entries(files)) {
    const s = stripMarkers(text);
    clean[file] = s.text;
    for (const m of s.marks) marks.push({ file, ...m });
    if (s.cursor) {
      if (cursor) throw new Error('fixture: more than one $0');
      cursor = { file, path: '', pos: s.cursor };
    }
  }
  const site = makeSite(clean);
  if (cursor) cursor.path = docsPathOf(site, cursor.file);
  return { site, files: clean, cursor, marks };
}

/** `docs/x/y.md` -> `x/y.md` for a site built by `makeSite`. */
export function docsPathOf(site: Site, file: string): string {
  const p = site.docsPath(`${ROOT}/${file}`);
  if (p === undefined) throw new Error(`fixture: ${file} is not under docs_dir`);
  return p;
}

/** `L:C-L:C` (0-based), or `L:C-C` on one line, for compact assertions. */
export function fmtRange(r: Range): string {
  const end = r.start.line === r.end.line ? `${r.end.character}` : `${r.end.line}:${r.end.character}`;
  return `${r.start.line}:${r.start.character}-${end}`;
}

/** The marks carrying a label, in fixture order. */
export function marked(f: Fixture, label: string): Mark[] {
  return f.marks.filter((m) => m.label === label);
}
