/**
 * Mermaid validation results as `Finding`s (code `mermaid-syntax`), with the
 * rule's severity (config, then the default) and inline suppressions applied
 * like every rule's. Validation itself is asynchronous and runs in the pool
 * (`pool.ts`), so this is not a synchronous `Rule`: the CLI awaits it for the
 * whole site, the server for each page as it changes.
 *
 * Suppression: `<!-- pattern-atlas-disable-next-line mermaid-syntax -->` on
 * the line before the ```` ```mermaid ```` fence silences the whole block; the
 * other forms (`disable` ... `enable`, `disable-line`) apply as usual, by the
 * line of the finding or of the opening fence.
 */
import type { Severity } from '../site/config.ts';
import type { Page, Site } from '../site/site.ts';
import { isSuppressed, mermaidSyntax, milder, severityOf } from '../rules/index.ts';
import type { Finding } from '../rules/rule.ts';
import { MERMAID_RULE, mermaidBlocks, toPageError, type MermaidBlock, type PageMermaidError } from './blocks.ts';
import { contentKey, getMermaidPool, storable, type MermaidPool, type ValidateOptions } from './pool.ts';
import type { MermaidError } from './validate.ts';

/** The severity `mermaid-syntax` has on this site, or 'off' (then nothing needs validating). */
export function mermaidSeverity(site: Site): Severity | 'off' {
  return severityOf(site, mermaidSyntax);
}

/**
 * Findings of one page from its errors in page coordinates (`validatePage`,
 * or `toPageError` per block). A validator warning (the render size limit)
 * stays a warning unless the rule is set milder.
 */
export function toMermaidFindings(site: Site, page: Page, errors: readonly PageMermaidError[], blocks?: readonly MermaidBlock[]): Finding[] {
  const severity = mermaidSeverity(site);
  if (severity === 'off' || errors.length === 0) return [];
  const file = site.siteRel(page.path);
  const out: Finding[] = [];
  for (const e of errors) {
    const fenceLine = blocks?.[e.block]?.openRange.start.line;
    if (isSuppressed(page, MERMAID_RULE, e.range.start.line)) continue;
    if (fenceLine !== undefined && isSuppressed(page, MERMAID_RULE, fenceLine)) continue;
    out.push({
      file,
      range: e.range,
      code: MERMAID_RULE,
      severity: milder(severity, e.severity),
      message: e.message,
      ...(e.fix ? { data: { fix: e.fix } } : {}),
    });
  }
  return out;
}

/** Validate one page's blocks (through the pool) and turn the errors into findings. Rejects when `signal` aborts. */
export async function checkPageMermaid(
  site: Site,
  page: Page,
  text: string,
  options: ValidateOptions & { pool?: MermaidPool } = {},
): Promise<Finding[]> {
  if (mermaidSeverity(site) === 'off') return [];
  const blocks = mermaidBlocks(page.doc, text);
  if (blocks.length === 0) return [];
  const pool = options.pool ?? getMermaidPool();
  const results = await pool.validateBlocks(
    blocks.map((b) => ({ key: b.index, code: b.code })),
    options,
  );
  return toMermaidFindings(site, page, pageErrors(blocks, (b) => results.get(b.index)), blocks);
}

/**
 * The findings of the blocks whose result the pool already has, without
 * waiting; `complete` says whether every block had one (else validation is
 * still needed for the rest).
 */
export function cachedPageMermaid(site: Site, page: Page, text: string, pool: MermaidPool = getMermaidPool()): { findings: Finding[]; complete: boolean } {
  if (mermaidSeverity(site) === 'off') return { findings: [], complete: true };
  const blocks = mermaidBlocks(page.doc, text);
  let complete = true;
  const errors = pageErrors(blocks, (b) => {
    const r = pool.cached(b.code);
    if (!r) complete = false;
    return r;
  });
  return { findings: toMermaidFindings(site, page, errors, blocks), complete };
}

function pageErrors(blocks: readonly MermaidBlock[], resultOf: (b: MermaidBlock) => readonly MermaidError[] | undefined): PageMermaidError[] {
  const out: PageMermaidError[] = [];
  for (const b of blocks) for (const e of resultOf(b) ?? []) out.push(toPageError(b, e));
  return out;
}

/** A persistent store of verdicts by block content key (`contentKey`), e.g. the CLI's cache file. */
export interface VerdictStore {
  get(key: string): MermaidError[] | undefined;
  set(key: string, errors: MermaidError[]): void;
}

export interface SiteMermaidStats {
  pages: number;
  blocks: number;
  /** Blocks answered by the verdict store. */
  stored: number;
  /** Blocks sent to the pool (some may be answered by its in-memory cache). */
  validated: number;
}

/**
 * Every Mermaid block of every page, validated in one pool request (one
 * worker by default); blocks the store knows are not validated again, and new
 * verdicts go into it (a validator failure is not stored: it may not happen
 * next time). Findings of all pages, in page order.
 */
export async function checkSiteMermaid(
  site: Site,
  read: (page: Page) => string | undefined,
  options: ValidateOptions & { pool?: MermaidPool; store?: VerdictStore; stats?: SiteMermaidStats } = {},
): Promise<Finding[]> {
  const stats = options.stats ?? { pages: 0, blocks: 0, stored: 0, validated: 0 };
  if (mermaidSeverity(site) === 'off') return [];
  const store = options.store;
  const perPage: Array<{ page: Page; blocks: MermaidBlock[] }> = [];
  const known = new Map<string, MermaidError[]>();
  const wanted = new Map<string, string>();
  for (const page of site.pages.values()) {
    if (!page.doc.fences.some((f) => f.lang === 'mermaid')) continue;
    const text = read(page);
    if (text === undefined) continue;
    const blocks = mermaidBlocks(page.doc, text);
    if (!blocks.length) continue;
    stats.pages++;
    perPage.push({ page, blocks });
    for (const b of blocks) {
      stats.blocks++;
      const key = contentKey(b.code);
      if (known.has(key) || wanted.has(key)) continue;
      const hit = store?.get(key);
      if (hit) {
        stats.stored++;
        known.set(key, hit);
      } else wanted.set(key, b.code);
    }
  }
  if (wanted.size) {
    stats.validated += wanted.size;
    const pool = options.pool ?? getMermaidPool();
    const results = await pool.validateBlocks(
      [...wanted].map(([key, code]) => ({ key, code })),
      options,
    );
    for (const [key, errors] of results) {
      known.set(key, errors);
      if (store && storable(errors)) store.set(key, errors);
    }
  }
  const out: Finding[] = [];
  for (const { page, blocks } of perPage) {
    out.push(...toMermaidFindings(site, page, pageErrors(blocks, (b) => known.get(contentKey(b.code))), blocks));
  }
  return out;
}
