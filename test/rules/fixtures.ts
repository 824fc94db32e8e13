/**
 * Small generators for rule tests: pattern pages with frontmatter and
 * sections, concept pages, a whole catalog, and a way to say where a needle
 * sits in a fixture (1-based `line:col`, as `findings()` prints it).
 *
 * Everything is generated, deterministic and short; no corpus text.
 */
import assert from 'node:assert/strict';
import { makeSite } from '../helpers/site.ts';
import type { Site } from '../../server/src/site/site.ts';

/** The built-in Level 1-5 structure a catalog without a template is held to. */
export const LEVELS = ['Level 1: Intuition', 'Level 2: Foundation', 'Level 3: Deep Dive', 'Level 4: Expert', 'Level 5: Mastery', 'Related Patterns'];

const VOCAB = [
  'replicas', 'acknowledge', 'every', 'write', 'before', 'the', 'leader', 'answers', 'a', 'client',
  'so', 'that', 'one', 'failed', 'node', 'never', 'loses', 'committed', 'state', 'while',
  'timeouts', 'bound', 'how', 'long', 'callers', 'wait', 'for', 'slow', 'peers', 'under',
];

/** `n` plain prose words (each counts as one word), wrapped at `perLine` words, ending with a period. */
export function prose(n: number, perLine = 20): string {
  const lines: string[] = [];
  let line: string[] = [];
  for (let i = 0; i < n; i++) {
    line.push(VOCAB[i % VOCAB.length]);
    if (line.length === perLine) {
      lines.push(line.join(' '));
      line = [];
    }
  }
  if (line.length) lines.push(line.join(' '));
  if (lines.length) lines[lines.length - 1] += '.';
  return lines.join('\n');
}

export const MERMAID = ['```mermaid', 'graph LR', '  Client --> Leader', '  Leader --> Replica', '```'].join('\n');

export interface PatternOptions {
  /** Frontmatter `title:` and the H1 (default 'Circuit Breaker'). */
  title?: string;
  /** `status:`; `null` leaves the key out (default 'complete'). */
  status?: string | null;
  /** Further frontmatter keys, or overrides; `null` removes a key. Values are written as is. */
  frontmatter?: Record<string, string | null>;
  /** `false`: no frontmatter block at all. */
  withFrontmatter?: boolean;
  /** H2 section headings, in order (default LEVELS). */
  sections?: string[];
  /** Prose words spread evenly over the sections that are not empty or placeholders (default 600). */
  words?: number;
  /** A Mermaid diagram in the first written section (default true). */
  diagram?: boolean;
  /** Sections written with no content at all. */
  empty?: string[];
  /** Sections whose only content is a placeholder line. */
  placeholder?: Record<string, string>;
  /** Extra Markdown appended to a section, after its prose. */
  extra?: Record<string, string>;
  /** Markdown appended after the last section. */
  tail?: string;
}

/** The frontmatter every pattern of these fixtures carries unless told otherwise. */
export function patternFrontmatter(o: PatternOptions = {}): Record<string, string> {
  const title = o.title ?? 'Circuit Breaker';
  const fm: Record<string, string | null> = {
    title,
    description: `How ${title} keeps a distributed system healthy`,
    type: 'pattern',
    category: 'resilience',
    difficulty: 'intermediate',
    status: o.status === undefined ? 'complete' : o.status,
    ...o.frontmatter,
  };
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(fm)) if (v !== null) out[k] = v;
  return out;
}

/** A pattern page: frontmatter, H1, one H2 per section with prose, optionally a Mermaid diagram. */
export function patternPage(o: PatternOptions = {}): string {
  const title = o.title ?? 'Circuit Breaker';
  const sections = o.sections ?? LEVELS;
  const empty = new Set(o.empty ?? []);
  const placeholder = o.placeholder ?? {};
  const written = sections.filter((s) => !empty.has(s) && placeholder[s] === undefined);
  const total = o.words ?? 600;
  const out: string[] = [];
  if (o.withFrontmatter !== false) {
    out.push('---');
    for (const [k, v] of Object.entries(patternFrontmatter(o))) out.push(`${k}: ${v}`);
    out.push('---', '');
  }
  out.push(`# ${title}`, '');
  let diagram = o.diagram ?? true;
  let given = 0;
  for (const s of sections) {
    out.push(`## ${s}`, '');
    if (placeholder[s] !== undefined) out.push(placeholder[s], '');
    else if (!empty.has(s)) {
      const idx = written.indexOf(s);
      const n = Math.floor((total * (idx + 1)) / written.length) - given;
      given += n;
      if (n > 0) out.push(prose(n), '');
      if (diagram) {
        out.push(MERMAID, '');
        diagram = false;
      }
    }
    if (o.extra?.[s] !== undefined) out.push(o.extra[s], '');
  }
  if (o.tail !== undefined) out.push(o.tail, '');
  return out.join('\n');
}

/** A concept page such as "Law 2: Asynchronous Reality", with a little prose. */
export function conceptPage(title: string, body = prose(40)): string {
  return `# ${title}\n\n${body}\n`;
}

/**
 * A site from docs-relative pages (`'patterns/x.md': ...`), with an optional
 * mkdocs.yml and .pattern-atlas.yml.
 */
export function catalog(pages: Record<string, string>, opts: { mkdocs?: string; atlas?: string } = {}): Site {
  const files: Record<string, string> = {};
  if (opts.mkdocs !== undefined) files['mkdocs.yml'] = opts.mkdocs;
  if (opts.atlas !== undefined) files['.pattern-atlas.yml'] = opts.atlas;
  for (const [k, v] of Object.entries(pages)) files[`docs/${k}`] = v;
  return makeSite(files);
}

/** Where `needle` (its `nth` occurrence) starts in `text`, as 1-based `line:col`. */
export function at(text: string, needle: string, nth = 0): string {
  let i = -1;
  for (let k = 0; k <= nth; k++) {
    i = text.indexOf(needle, i + 1);
    assert.ok(i >= 0, `fixture does not contain ${JSON.stringify(needle)} #${nth}`);
  }
  const before = text.slice(0, i).split('\n');
  return `${before.length}:${before[before.length - 1].length + 1}`;
}

/** Where the value of a top-level frontmatter `key:` starts in `text`, as 1-based `line:col`. */
export function valueAt(text: string, key: string): string {
  const lines = text.split('\n');
  const i = lines.findIndex((l) => l.startsWith(`${key}:`));
  assert.ok(i >= 0, `fixture has no frontmatter key ${key}`);
  const m = /^[^:]+:\s*/.exec(lines[i])!;
  return `${i + 1}:${m[0].length + 1}`;
}
