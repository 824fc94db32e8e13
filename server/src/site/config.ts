/**
 * `.pattern-atlas.yml`: optional per-site overrides, validated with clear
 * messages. Zero config is the normal case; every key has a default that
 * works on catalogs laid out differently (`docs/patterns/`,
 * `docs/pattern-library/<category>/`, ...).
 */
import { parseDocument, isMap, isScalar, type Pair } from 'yaml';
import type { Range } from '../parse/types.ts';
import { LineIndex } from '../parse/line-index.ts';

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export type RuleSetting = Severity | 'off';

export interface ConceptKind {
  /** Stable id used in JSON output, e.g. `law`. */
  kind: string;
  /** The word that starts a title, e.g. `Law` in "Law 2: Asynchronous Reality". */
  label: string;
}

export interface AtlasConfig {
  /** Globs (relative to the site root) of pages that are patterns. */
  patterns: string[];
  /** Globs of pages under `patterns` that are not patterns (indexes, templates, reports). */
  exclude: string[];
  /** Globs of files never read or checked. */
  ignore: string[];
  concepts: ConceptKind[];
  /** Section labels every pattern must have; undefined = learn from the template. */
  requiredSections?: string[];
  /** Site-root relative path of the pattern template; undefined = discover. */
  template?: string;
  frontmatter: { required: string[]; enums: Record<string, string[]> };
  minWords: number;
  rules: Record<string, RuleSetting>;
  checklist?: { title: string; items: string[] };
  /**
   * The patterns index page (site-root relative, with the range of the setting
   * for messages), `false` for none; undefined = discover it from the links.
   */
  patternsIndex?: { path: string; range: Range } | false;
}

export interface ConfigProblem {
  message: string;
  range: Range;
}

export const CONFIG_FILE = '.pattern-atlas.yml';

export const DEFAULT_LEVEL_SECTIONS = [
  'Level 1',
  'Level 2',
  'Level 3',
  'Level 4',
  'Level 5',
  'Related Patterns',
];

export function defaultConfig(): AtlasConfig {
  return {
    patterns: ['docs/patterns/**/*.md', 'docs/pattern-library/**/*.md'],
    exclude: [
      '**/index.md',
      '**/README.md',
      '**/templates/**',
      '**/*template*.md',
      '**/*[Rr][Ee][Pp][Oo][Rr][Tt]*.md',
      '**/[A-Z][A-Z_]*[A-Z].md',
    ],
    ignore: [],
    concepts: [
      { kind: 'law', label: 'Law' },
      { kind: 'pillar', label: 'Pillar' },
    ],
    frontmatter: {
      required: ['title', 'description', 'type', 'category', 'difficulty', 'status'],
      enums: {},
    },
    minWords: 500,
    rules: {},
  };
}

const KNOWN_KEYS = new Set([
  'patterns',
  'exclude',
  'ignore',
  'concepts',
  'requiredSections',
  'template',
  'frontmatter',
  'minWords',
  'rules',
  'checklist',
  'patternsIndex',
]);
const SEVERITIES = new Set(['error', 'warning', 'info', 'hint', 'off']);

/** Parse and validate a config file. Never throws: problems come back with ranges. */
export function parseAtlasConfig(text: string, knownRules: readonly string[]): { config: AtlasConfig; problems: ConfigProblem[] } {
  const config = defaultConfig();
  const problems: ConfigProblem[] = [];
  const idx = new LineIndex(text);
  const pos = (o: number) => idx.pos(o);
  const at = (node: unknown): Range => {
    const r = (node as { range?: [number, number] } | null)?.range;
    return r ? { start: pos(r[0]), end: pos(r[1]) } : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  };
  let doc;
  try {
    doc = parseDocument(text, { prettyErrors: false, strict: false, logLevel: 'silent' });
  } catch (e) {
    problems.push({ message: `${CONFIG_FILE} could not be read: ${String(e)}`, range: at(null) });
    return { config, problems };
  }
  for (const err of doc.errors) {
    const p = pos(err.pos[0]);
    problems.push({ message: `${CONFIG_FILE} is not valid YAML: ${err.message.split('\n')[0]}`, range: { start: p, end: p } });
  }
  if (doc.errors.length || doc.contents == null) return { config, problems };
  if (!isMap(doc.contents)) {
    problems.push({ message: `${CONFIG_FILE} must be a mapping of settings`, range: at(doc.contents) });
    return { config, problems };
  }
  const js = doc.toJS() as Record<string, unknown>;
  const stringList = (key: string, v: unknown, node: unknown): string[] | undefined => {
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
    problems.push({ message: `'${key}' must be a list of strings`, range: at(node) });
    return undefined;
  };
  for (const item of doc.contents.items as Pair[]) {
    if (!isScalar(item.key)) continue;
    const key = String(item.key.value);
    const v = js[key];
    const node = item.value;
    if (!KNOWN_KEYS.has(key)) {
      problems.push({ message: `Unknown setting '${key}' (known: ${[...KNOWN_KEYS].join(', ')})`, range: at(item.key) });
      continue;
    }
    switch (key) {
      case 'patterns':
      case 'exclude':
      case 'ignore':
      case 'requiredSections': {
        const l = stringList(key, v, node);
        if (l) (config as unknown as Record<string, unknown>)[key] = l;
        break;
      }
      case 'template':
        if (typeof v === 'string') config.template = v;
        else problems.push({ message: `'template' must be a path`, range: at(node) });
        break;
      case 'patternsIndex':
        if (v === false) config.patternsIndex = false;
        else if (typeof v === 'string' && /\.(md|markdown)$/i.test(v.trim())) config.patternsIndex = { path: v.trim(), range: at(node) };
        else problems.push({ message: `'patternsIndex' must be the path of a page (e.g. docs/patterns/index.md) or false`, range: at(node) });
        break;
      case 'minWords':
        if (typeof v === 'number' && v >= 0) config.minWords = v;
        else problems.push({ message: `'minWords' must be a non-negative number`, range: at(node) });
        break;
      case 'concepts':
        if (Array.isArray(v) && v.every((c) => c && typeof c === 'object' && typeof c.kind === 'string' && typeof c.label === 'string')) {
          config.concepts = v as ConceptKind[];
        } else problems.push({ message: `'concepts' must be a list of {kind, label}, e.g. {kind: law, label: Law}`, range: at(node) });
        break;
      case 'frontmatter': {
        const f = v as { required?: unknown; enums?: unknown } | null;
        if (!f || typeof f !== 'object') {
          problems.push({ message: `'frontmatter' must be a mapping with 'required' and/or 'enums'`, range: at(node) });
          break;
        }
        if (f.required !== undefined) {
          const l = stringList('frontmatter.required', f.required, node);
          if (l) config.frontmatter.required = l;
        }
        if (f.enums !== undefined) {
          const e = f.enums as Record<string, unknown>;
          if (e && typeof e === 'object' && Object.values(e).every((x) => Array.isArray(x))) {
            for (const [k, vals] of Object.entries(e)) config.frontmatter.enums[k] = (vals as unknown[]).map(String);
          } else problems.push({ message: `'frontmatter.enums' must map a key to a list of allowed values`, range: at(node) });
        }
        break;
      }
      case 'rules': {
        if (!v || typeof v !== 'object' || Array.isArray(v)) {
          problems.push({ message: `'rules' must map a rule code to error|warning|info|hint|off`, range: at(node) });
          break;
        }
        const rulesNode = isMap(node) ? (node.items as Pair[]) : [];
        for (const [code, sev] of Object.entries(v as Record<string, unknown>)) {
          const n = rulesNode.find((p) => isScalar(p.key) && p.key.value === code);
          if (!knownRules.includes(code)) {
            problems.push({ message: `Unknown rule '${code}' (known: ${knownRules.join(', ')})`, range: at(n?.key) });
          } else if (typeof sev !== 'string' || !SEVERITIES.has(sev)) {
            problems.push({ message: `Rule '${code}': severity must be one of error, warning, info, hint, off`, range: at(n?.value) });
          } else config.rules[code] = sev as RuleSetting;
        }
        break;
      }
      case 'checklist': {
        const c = v as { title?: unknown; items?: unknown } | null;
        if (c && typeof c === 'object' && Array.isArray(c.items) && c.items.every((x) => typeof x === 'string')) {
          config.checklist = { title: typeof c.title === 'string' ? c.title : 'Checklist', items: c.items as string[] };
        } else problems.push({ message: `'checklist' must be {title, items: [pattern names]}`, range: at(node) });
        break;
      }
    }
  }
  return { config, problems };
}
