/**
 * Fix all: the preferred fix of every fixable finding, combined into
 * non-overlapping edits per file. `fixSite` repeats this over a few rounds
 * (re-reading the site from the edited texts), so fixes that touch the same
 * place (two fields added to a page without frontmatter) land one per round.
 */
import { comparePos } from '../parse/types.ts';
import { checkSite } from '../rules/index.ts';
import type { Finding } from '../rules/rule.ts';
import type { Site } from '../site/site.ts';
import type { Workspace } from '../site/workspace.ts';
import { applyEdits, overlaps } from './edits.ts';
import { FIX_PROVIDERS, preferredFix } from './index.ts';
import type { Fix, TextEdit, TextSource } from './types.ts';

export interface AppliedFix {
  /** Site-root relative file of the finding. */
  file: string;
  code: string;
  title: string;
}

interface Accepted {
  edit: TextEdit;
  code: string;
}

/** Codes whose line insertions at one point can stack: nav lines (ordered by their text), section skeletons (in finding order). */
const STACKABLE = new Set(['not-in-nav', 'missing-section']);

const isLineInsert = (e: TextEdit) => comparePos(e.range.start, e.range.end) === 0 && e.range.start.character === 0 && e.newText.endsWith('\n');

/** The preferred fixes of `findings` that do not collide, and their edits per absolute file. */
export function combineFixes(site: Site, findings: Finding[], texts: TextSource): { edits: Map<string, TextEdit[]>; applied: AppliedFix[] } {
  const accepted = new Map<string, Accepted[]>();
  const applied: AppliedFix[] = [];
  for (const f of findings) {
    if (!FIX_PROVIDERS[f.code]) continue;
    const fix: Fix | undefined = preferredFix(site, f, texts);
    if (!fix) continue;
    const clash = Object.entries(fix.edits).some(([file, edits]) =>
      edits.some((e) =>
        (accepted.get(file) ?? []).some(
          // Two nav lines (or two section skeletons) added at one point are fine.
          (a) => overlaps(a.edit, e) && !(a.code === f.code && STACKABLE.has(f.code) && isLineInsert(a.edit) && isLineInsert(e)),
        ),
      ),
    );
    const selfClash = Object.values(fix.edits).some((edits) => edits.some((e, i) => edits.some((o, j) => j > i && overlaps(e, o))));
    if (clash || selfClash) continue;
    for (const [file, edits] of Object.entries(fix.edits)) {
      const l = accepted.get(file) ?? [];
      for (const e of edits) l.push({ edit: e, code: f.code });
      accepted.set(file, l);
    }
    applied.push({ file: f.file, code: f.code, title: fix.title });
  }
  const edits = new Map<string, TextEdit[]>();
  for (const [file, l] of accepted) {
    const sorted = l
      .map((a, i) => ({ ...a, i }))
      .sort(
        (a, b) =>
          comparePos(a.edit.range.start, b.edit.range.start) ||
          comparePos(a.edit.range.end, b.edit.range.end) ||
          (a.code === 'not-in-nav' && b.code === 'not-in-nav' && a.edit.newText !== b.edit.newText ? (a.edit.newText < b.edit.newText ? -1 : 1) : a.i - b.i),
      );
    // Insertions at one point become one edit, so every client applies them in this order.
    const merged: TextEdit[] = [];
    for (const { edit } of sorted) {
      const last = merged[merged.length - 1];
      const point = (e: TextEdit) => comparePos(e.range.start, e.range.end) === 0;
      if (last && point(last) && point(edit) && comparePos(last.range.start, edit.range.start) === 0) merged[merged.length - 1] = { range: last.range, newText: last.newText + edit.newText };
      else merged.push(edit);
    }
    edits.set(file, merged);
  }
  return { edits, applied };
}

/** A workspace whose files are replaced by edited texts. */
export class EditedWorkspace implements Workspace {
  constructor(
    private readonly base: Workspace,
    readonly texts: Map<string, string>,
  ) {}
  listFiles(dir: string): string[] {
    return this.base.listFiles(dir);
  }
  readFile(path: string): string | undefined {
    return this.texts.get(path) ?? this.base.readFile(path);
  }
  exists(path: string): boolean {
    return this.texts.has(path) || this.base.exists(path);
  }
}

export interface FixSiteResult {
  /** Absolute path -> original and fixed text, for every file that changed. */
  files: Map<string, { before: string; after: string }>;
  applied: AppliedFix[];
  rounds: number;
}

/**
 * Apply the preferred fixes across a site, in memory. `load` builds a site
 * from a workspace; `rules` restricts the codes fixed.
 */
export function fixSite(base: Workspace, load: (ws: Workspace) => Site, opts: { rules?: string[]; maxRounds?: number } = {}): FixSiteResult {
  const texts = new Map<string, string>();
  const ws = new EditedWorkspace(base, texts);
  const originals = new Map<string, string>();
  const applied: AppliedFix[] = [];
  const maxRounds = opts.maxRounds ?? 4;
  let rounds = 0;
  for (; rounds < maxRounds; rounds++) {
    const site = load(ws);
    const findings = checkSite(site).filter((f) => FIX_PROVIDERS[f.code] && (!opts.rules?.length || opts.rules.includes(f.code)));
    const read: TextSource = (p) => ws.readFile(p);
    const { edits, applied: now } = combineFixes(site, findings, read);
    if (!now.length) break;
    let changed = false;
    for (const [file, es] of edits) {
      const before = read(file);
      if (before === undefined) continue;
      const after = applyEdits(before, es);
      if (after === before) continue;
      if (!originals.has(file)) originals.set(file, before);
      texts.set(file, after);
      changed = true;
    }
    for (const a of now) if (!applied.some((x) => x.file === a.file && x.code === a.code && x.title === a.title)) applied.push(a);
    if (!changed) break;
  }
  const files = new Map<string, { before: string; after: string }>();
  for (const [file, before] of originals) {
    const after = texts.get(file)!;
    if (after !== before) files.set(file, { before, after });
  }
  return { files, applied, rounds };
}
