/**
 * LSP code actions for the fixes: a quick fix per offered fix of each of our
 * diagnostics (their `data` comes back in the request), and the
 * `source.fixAll.patternAtlas` action for the whole file.
 */
import type { Finding } from '../rules/rule.ts';
import type { Severity } from '../site/config.ts';
import type { Site } from '../site/site.ts';
import { combineFixes } from './apply.ts';
import { FIX_PROVIDERS, getFixes } from './index.ts';
import type { TextEdit, TextSource } from './types.ts';

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

export interface CodeActionLike<D> {
  title: string;
  kind: string;
  diagnostics?: D[];
  isPreferred?: boolean;
  edit: { changes: Record<string, TextEdit[]> };
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
        out.push({ title: fix.title, kind: 'quickfix', diagnostics: [d], isPreferred: !!fix.isPreferred, edit: { changes: changes(fix.edits, ctx.uriFor) } });
      }
    }
  }
  if (wants(only, FIX_ALL_KIND)) {
    const { edits, applied } = combineFixes(ctx.site, ctx.findings.filter((f) => FIX_PROVIDERS[f.code]), ctx.texts);
    if (applied.length) out.push({ title: `Fix all Pattern Atlas problems in this file (${applied.length})`, kind: FIX_ALL_KIND, edit: { changes: changes(edits, ctx.uriFor) } });
  }
  return out;
}
