/**
 * Fix all: the preferred fix of every fixable finding, combined into
 * non-overlapping edits per file. `fixSite` repeats this over a few rounds
 * (re-reading the site from the edited texts), so fixes that touch the same
 * place (two fields added to a page without frontmatter) land one per round.
 *
 * Creating a page is never preferred: with `createPages`, it is applied for
 * the findings whose one fix it is, before the others, and a finding that a
 * page created in the same round resolves (the nav entry naming it) is left
 * alone. An existing file is never overwritten.
 */
import { comparePos } from '../parse/types.ts';
import { checkSite } from '../rules/index.ts';
import type { Finding } from '../rules/rule.ts';
import type { Site } from '../site/site.ts';
import type { Workspace } from '../site/workspace.ts';
import { applyEdits, overlaps } from './edits.ts';
import { FIX_PROVIDERS, getFixes } from './index.ts';
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

/** Codes whose line insertions at one point can stack: nav lines and index rows (ordered by their text), section skeletons (in finding order). */
const STACKABLE = new Set(['not-in-nav', 'not-in-index', 'missing-section']);
const BY_TEXT = new Set(['not-in-nav', 'not-in-index']);

const isLineInsert = (e: TextEdit) => comparePos(e.range.start, e.range.end) === 0 && e.range.start.character === 0 && e.newText.endsWith('\n');

/** Two fixes wanting exactly the same edit agree (the Law and Pillar findings of one page both add its concept links): it is applied once. */
const sameEdit = (a: TextEdit, b: TextEdit) => a.newText === b.newText && comparePos(a.range.start, b.range.start) === 0 && comparePos(a.range.end, b.range.end) === 0;

export interface CombineOptions {
  /** Apply a page creation where it is the only fix of a finding. */
  createPages?: boolean;
}

export interface CombinedFixes {
  /** Absolute path -> edits. */
  edits: Map<string, TextEdit[]>;
  /** Absolute path -> text of a file to create. */
  creates: Map<string, string>;
  applied: AppliedFix[];
}

const onlyCreation = (fixes: Fix[]) => (fixes.length === 1 && fixes[0].creates?.length ? fixes[0] : undefined);

/** The preferred fixes of `findings` that do not collide, and their edits per absolute file. */
export function combineFixes(site: Site, findings: Finding[], texts: TextSource, opts: CombineOptions = {}): CombinedFixes {
  const accepted = new Map<string, Accepted[]>();
  const creates = new Map<string, string>();
  const applied: AppliedFix[] = [];
  const offered = findings.filter((f) => FIX_PROVIDERS[f.code]).map((f) => ({ f, fixes: getFixes(site, f, texts) }));
  // Pages first, so a nav entry naming a page created now is not removed in the same round.
  if (opts.createPages) offered.sort((a, b) => Number(!onlyCreation(a.fixes)) - Number(!onlyCreation(b.fixes)));
  for (const { f, fixes } of offered) {
    if (fixes.some((x) => x.creates?.some((c) => creates.has(c.path)))) continue;
    const fix: Fix | undefined = fixes.find((x) => x.isPreferred) ?? (opts.createPages ? onlyCreation(fixes) : undefined);
    if (!fix) continue;
    if (fix.creates?.some((c) => texts(c.path) !== undefined)) continue;
    const clash = Object.entries(fix.edits).some(([file, edits]) =>
      edits.some((e) =>
        (accepted.get(file) ?? []).some(
          // Two nav lines (or two section skeletons) added at one point are fine.
          (a) => overlaps(a.edit, e) && !sameEdit(a.edit, e) && !(a.code === f.code && STACKABLE.has(f.code) && isLineInsert(a.edit) && isLineInsert(e)),
        ),
      ),
    );
    const selfClash = Object.values(fix.edits).some((edits) => edits.some((e, i) => edits.some((o, j) => j > i && overlaps(e, o))));
    if (clash || selfClash) continue;
    for (const [file, edits] of Object.entries(fix.edits)) {
      const l = accepted.get(file) ?? [];
      for (const e of edits) if (!l.some((a) => sameEdit(a.edit, e))) l.push({ edit: e, code: f.code });
      accepted.set(file, l);
    }
    for (const c of fix.creates ?? []) creates.set(c.path, c.text);
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
          (a.code === b.code && BY_TEXT.has(a.code) && a.edit.newText !== b.edit.newText ? (a.edit.newText < b.edit.newText ? -1 : 1) : a.i - b.i),
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
  return { edits, creates, applied };
}

/** A workspace whose files are replaced by edited texts. */
export class EditedWorkspace implements Workspace {
  constructor(
    private readonly base: Workspace,
    readonly texts: Map<string, string>,
  ) {}
  listFiles(dir: string): string[] {
    const listed = this.base.listFiles(dir);
    const prefix = dir.endsWith('/') ? dir : dir + '/';
    const created = [...this.texts.keys()].filter((p) => p.startsWith(prefix) && !this.base.exists(p));
    return created.length ? [...listed, ...created].sort() : listed;
  }
  readFile(path: string): string | undefined {
    return this.texts.get(path) ?? this.base.readFile(path);
  }
  exists(path: string): boolean {
    return this.texts.has(path) || this.base.exists(path);
  }
}

export interface FixSiteResult {
  /** Absolute path -> original and fixed text, for every file that changed (`created`: did not exist, `before` is empty). */
  files: Map<string, { before: string; after: string; created?: boolean }>;
  applied: AppliedFix[];
  rounds: number;
}

/**
 * Apply the preferred fixes across a site, in memory. `load` builds a site
 * from a workspace; `rules` restricts the codes fixed.
 */
export function fixSite(base: Workspace, load: (ws: Workspace) => Site, opts: { rules?: string[]; maxRounds?: number; createPages?: boolean } = {}): FixSiteResult {
  const texts = new Map<string, string>();
  const ws = new EditedWorkspace(base, texts);
  const originals = new Map<string, string>();
  const created = new Set<string>();
  const applied: AppliedFix[] = [];
  const maxRounds = opts.maxRounds ?? 4;
  let rounds = 0;
  for (; rounds < maxRounds; rounds++) {
    const site = load(ws);
    const findings = checkSite(site).filter((f) => FIX_PROVIDERS[f.code] && (!opts.rules?.length || opts.rules.includes(f.code)));
    const read: TextSource = (p) => ws.readFile(p);
    const { edits, creates, applied: now } = combineFixes(site, findings, read, { createPages: opts.createPages });
    if (!now.length) break;
    let changed = false;
    for (const [file, text] of creates) {
      if (ws.exists(file)) continue;
      created.add(file);
      originals.set(file, '');
      texts.set(file, text);
      changed = true;
    }
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
  const files: FixSiteResult['files'] = new Map();
  for (const [file, before] of originals) {
    const after = texts.get(file)!;
    if (created.has(file)) files.set(file, { before, after, created: true });
    else if (after !== before) files.set(file, { before, after });
  }
  return { files, applied, rounds };
}
