/** Applying fixes to in-memory fixtures. */
import { applyEdits } from '../../server/src/fixes/edits.ts';
import { getFixes, type Fix } from '../../server/src/fixes/index.ts';
import type { Finding } from '../../server/src/rules/rule.ts';
import type { Site } from '../../server/src/site/site.ts';
import { ROOT, rawFindings } from '../helpers/site.ts';

export const textsOf = (files: Record<string, string>) => (abs: string) => (abs.startsWith(ROOT + '/') ? files[abs.slice(ROOT.length + 1)] : undefined);

/** The files (site-relative) after applying a fix (its edits, and the files it creates, which must not exist). */
export function applyFix(files: Record<string, string>, fix: Fix): Record<string, string> {
  const out = { ...files };
  for (const [abs, edits] of Object.entries(fix.edits)) {
    const rel = abs.slice(ROOT.length + 1);
    out[rel] = applyEdits(files[rel], edits);
  }
  for (const c of fix.creates ?? []) {
    const rel = c.path.slice(ROOT.length + 1);
    if (rel in files) throw new Error(`the fix creates ${rel}, which exists`);
    out[rel] = c.text;
  }
  return out;
}

export function fixesFor(site: Site, files: Record<string, string>, code: string, file?: string): { finding: Finding; fixes: Fix[] }[] {
  return rawFindings(site, code)
    .filter((f) => !file || f.file === file)
    .map((finding) => ({ finding, fixes: getFixes(site, finding, textsOf(files)) }));
}
