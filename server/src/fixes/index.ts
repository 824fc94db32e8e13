/** The fix registry: the fixes offered for a finding, preferred first. */
import type { Finding } from '../rules/rule.ts';
import type { Site } from '../site/site.ts';
import { fixMissingConceptLinks } from './concept-links.ts';
import { createPageForLink, createPageForNavEntry } from './create-page.ts';
import { fixInvalidValue, fixMissingField } from './frontmatter.ts';
import { fixNotInIndex, indexRowForNotInNav } from './index-row.ts';
import { fixBrokenAnchor, fixBrokenLink } from './links.ts';
import { fixNavMissingFile } from './nav-missing-file.ts';
import { fixNotInNav } from './not-in-nav.ts';
import { fixPrevNext } from './prev-next.ts';
import { fixMissingSection, fixStub } from './sections.ts';
import type { Fix, FixProvider, TextSource } from './types.ts';

export type { Fix, FixProvider, TextSource } from './types.ts';

/** The fixes of several providers, in order (one that throws offers nothing, the others still do). */
function all(...providers: FixProvider[]): FixProvider {
  return (site, finding, texts) =>
    providers.flatMap((p) => {
      try {
        return p(site, finding, texts);
      } catch {
        return [];
      }
    });
}

export const FIX_PROVIDERS: Record<string, FixProvider> = {
  'not-in-nav': all(fixNotInNav, indexRowForNotInNav),
  'not-in-index': fixNotInIndex,
  'broken-link': all(fixBrokenLink, createPageForLink),
  'broken-anchor': fixBrokenAnchor,
  'missing-section': fixMissingSection,
  stub: fixStub,
  'frontmatter-missing-field': fixMissingField,
  'frontmatter-invalid-value': fixInvalidValue,
  'nav-missing-file': all(fixNavMissingFile, createPageForNavEntry),
  'missing-concept-links': fixMissingConceptLinks,
  'prev-next-mismatch': fixPrevNext,
};

export const FIXABLE_CODES = Object.keys(FIX_PROVIDERS);

/** Reads the site's own texts: mkdocs.yml as the snapshot has it, pages from `texts`. */
export function getFixes(site: Site, finding: Finding, texts: TextSource): Fix[] {
  const provider = FIX_PROVIDERS[finding.code];
  if (!provider) return [];
  try {
    return provider(site, finding, texts);
  } catch {
    return [];
  }
}
