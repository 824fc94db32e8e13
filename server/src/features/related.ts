/**
 * A page's neighbourhood for the "Show Related Patterns" graph: the pages it
 * links to, the pages linking to it (from a backlink index, e.g. the
 * LiveSite's), and the Laws/Pillars (concepts) it cites. Plain data over a
 * snapshot; no IO and no LSP types.
 */
import { citedConcepts } from '../rules/concepts.ts';
import { statusOf } from '../rules/maturity.ts';
import type { Site } from '../site/site.ts';

export type RelatedKind = 'pattern' | 'law' | 'pillar' | 'page';
export type RelatedEdgeKind = 'links-to' | 'linked-from' | 'cites';

export interface RelatedNodeData {
  /** Site-root relative path, e.g. `docs/patterns/cqrs.md`. */
  path: string;
  /** Absolute file path. */
  abs: string;
  title: string;
  kind: RelatedKind;
  /** Frontmatter `status` of a pattern page. */
  status?: string;
}

export interface RelatedData {
  center: RelatedNodeData;
  /** The neighbours (the center is not among them), each once. */
  nodes: RelatedNodeData[];
  /** `from`/`to` are node paths (site-root relative). */
  edges: Array<{ from: string; to: string; kind: RelatedEdgeKind }>;
}

const KIND_ORDER: Record<RelatedKind, number> = { law: 0, pillar: 1, pattern: 2, page: 3 };

/** The neighbourhood of the docs-relative page `docsPath`; undefined when it is not a page of the site. */
export function getRelated(site: Site, docsPath: string, backlinks: (path: string) => Iterable<string>): RelatedData | undefined {
  const page = site.pages.get(docsPath);
  if (!page) return undefined;

  const nodeOf = (path: string): RelatedNodeData | undefined => {
    const concept = site.conceptAt(path);
    if (concept) {
      return { path: site.siteRel(path), abs: site.absPath(path), title: concept.title, kind: conceptKind(concept.kind) };
    }
    const p = site.pages.get(path);
    if (!p) return undefined;
    const n: RelatedNodeData = { path: site.siteRel(path), abs: site.absPath(path), title: p.title, kind: p.isPattern ? 'pattern' : 'page' };
    if (p.isPattern) n.status = statusOf(p) ?? 'unknown';
    return n;
  };

  const center = nodeOf(docsPath)!;
  const nodes = new Map<string, RelatedNodeData>();
  const edges: RelatedData['edges'] = [];
  const seenEdge = new Set<string>();
  const add = (path: string, kind: RelatedEdgeKind): void => {
    if (path === docsPath) return;
    const n = nodeOf(path);
    if (!n) return;
    const key = `${kind}\0${n.path}`;
    if (seenEdge.has(key)) return;
    seenEdge.add(key);
    nodes.set(n.path, n);
    edges.push(kind === 'linked-from' ? { from: n.path, to: center.path, kind } : { from: center.path, to: n.path, kind });
  };

  const cited = citedConcepts(site, page);
  for (const c of cited) add(c.path, 'cites');
  const citedPaths = new Set(cited.map((c) => c.path));
  for (const link of page.doc.links) {
    const r = site.resolve(page.path, link.target, link.kind);
    if (r.kind !== 'page') continue;
    // A link into a concept (its page, or a page in its folder) is a citation, drawn once as such.
    const owner = site.conceptOwning(r.path);
    if (owner && citedPaths.has(owner.path)) continue;
    add(r.path, 'links-to');
  }
  for (const from of backlinks(docsPath)) add(from, 'linked-from');

  const sorted = [...nodes.values()].sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.title.localeCompare(b.title) || (a.path < b.path ? -1 : 1));
  const order = new Map(sorted.map((n, i) => [n.path, i]));
  const edgeOrder: Record<RelatedEdgeKind, number> = { cites: 0, 'links-to': 1, 'linked-from': 2 };
  edges.sort((a, b) => edgeOrder[a.kind] - edgeOrder[b.kind] || order.get(other(a, center.path))! - order.get(other(b, center.path))!);
  return { center, nodes: sorted, edges };
}

function other(e: { from: string; to: string }, center: string): string {
  return e.from === center ? e.to : e.from;
}

function conceptKind(kind: string): RelatedKind {
  return kind === 'law' || kind === 'pillar' ? kind : 'page';
}
