/**
 * LSP code actions for the fixes: a quick fix per offered fix of each of our
 * diagnostics (their `data` comes back in the request), and the
 * `source.fixAll.patternAtlas` action for the whole file.
 *
 * A fix that creates a file becomes `documentChanges` (a `CreateFile`, then
 * the text inserted at 0:0), offered only to clients that announced
 * `documentChanges` and the `create` resource operation; every other fix
 * stays plain `changes`.
 */
import type { Finding } from '../rules/rule.ts';
import type { Severity } from '../site/config.ts';
import type { Site } from '../site/site.ts';
import { combineFixes } from './apply.ts';
import { FIX_PROVIDERS, getFixes } from './index.ts';
import type { Fix, TextEdit, TextSource } from './types.ts';

export const FIX_ALL_KIND = 'source.fixAll.patternAtlas';

// The LSP shapes this needs, structurally (LSP types stay in server/src/lsp/).
export interface DiagnosticLike {
  range: TextEdit['range'];
  code?: string | number;
  source?: string;
  message: string;
  severity?: number;
  data?: unknown;
}

export interface CreateFileLike {
  kind: 'create';
  uri: string;
  options: { ignoreIfExists: boolean };
}

export interface TextDocumentEditLike {
  textDocument: { uri: string; version: null };
  edits: TextEdit[];
}

export type WorkspaceEditLike = { changes: Record<string, TextEdit[]> } | { documentChanges: Array<CreateFileLike | TextDocumentEditLike> };

export interface CodeActionLike<D> {
  title: string;
  kind: string;
  diagnostics?: D[];
  isPreferred?: boolean;
  edit: WorkspaceEditLike;
}

export interface FixActionContext {
  site: Site;
  /** Absolute path of the document the request is on. */
  path: string;
  /** Our findings on that document (for "Fix all"). */
  findings: Finding[];
  texts: TextSource;
  uriFor: (absPath: string) => string;
  source: string;
  /** The client applies `documentChanges` with `CreateFile` (else fixes creating files are not offered). */
  createFiles?: boolean;
}

const SEV: Record<number, Severity> = { 1: 'error', 2: 'warning', 3: 'info', 4: 'hint' };

function wants(only: readonly string[] | undefined, kind: string): boolean {
  return !only || only.some((k) => k === '' || kind === k || kind.startsWith(k + '.'));
}

function changes(edits: Record<string, TextEdit[]> | Map<string, TextEdit[]>, uriFor: (p: string) => string): Record<string, TextEdit[]> {
  const out: Record<string, TextEdit[]> = {};
  for (const [p, es] of edits instanceof Map ? edits : Object.entries(edits)) out[uriFor(p)] = es.map((e) => ({ range: e.range, newText: e.newText }));
  return out;
}

/** A fix as a workspace edit: `changes`, or `documentChanges` when it creates files. */
function workspaceEdit(fix: Fix, uriFor: (p: string) => string): WorkspaceEditLike {
  if (!fix.creates?.length) return { changes: changes(fix.edits, uriFor) };
  const documentChanges: Array<CreateFileLike | TextDocumentEditLike> = [];
  for (const c of fix.creates) {
    const uri = uriFor(c.path);
    documentChanges.push({ kind: 'create', uri, options: { ignoreIfExists: true } });
    documentChanges.push({ textDocument: { uri, version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: c.text }] });
  }
  for (const [uri, edits] of Object.entries(changes(fix.edits, uriFor))) documentChanges.push({ textDocument: { uri, version: null }, edits });
  return { documentChanges };
}

export function fixCodeActions<D extends DiagnosticLike>(diagnostics: readonly D[], only: readonly string[] | undefined, ctx: FixActionContext): CodeActionLike<D>[] {
  const out: CodeActionLike<D>[] = [];
  const file = ctx.path.startsWith(ctx.site.root + '/') ? ctx.path.slice(ctx.site.root.length + 1) : undefined;
  if (!file) return out;
  if (wants(only, 'quickfix')) {
    for (const d of diagnostics) {
      if (d.source !== undefined && d.source !== ctx.source) continue;
      if (typeof d.code !== 'string' || !FIX_PROVIDERS[d.code]) continue;
      const finding: Finding = {
        file,
        range: d.range,
        code: d.code as Finding['code'],
        severity: SEV[d.severity ?? 2] ?? 'warning',
        message: d.message,
        ...(d.data && typeof d.data === 'object' ? { data: d.data as Record<string, unknown> } : {}),
      };
      for (const fix of getFixes(ctx.site, finding, ctx.texts)) {
        if (fix.creates?.length && !ctx.createFiles) continue;
        out.push({ title: fix.title, kind: 'quickfix', diagnostics: [d], isPreferred: !!fix.isPreferred, edit: workspaceEdit(fix, ctx.uriFor) });
      }
    }
  }
  if (wants(only, FIX_ALL_KIND)) {
    const { edits, applied } = combineFixes(ctx.site, ctx.findings.filter((f) => FIX_PROVIDERS[f.code]), ctx.texts);
    if (applied.length) out.push({ title: `Fix all Pattern Atlas problems in this file (${applied.length})`, kind: FIX_ALL_KIND, edit: { changes: changes(edits, ctx.uriFor) } });
  }
  return out;
}
