/** Findings at the CLI edge: text, the JSON contract, SARIF 2.1.0 and GitHub Actions annotations. */
import type { Finding } from '../rules/rule.ts';
import { RULES } from '../rules/index.ts';
import type { Site } from '../site/site.ts';
import type { SiteSummary } from './result-memo.ts';

export interface JsonDiagnostic {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Finding['severity'];
  code: string;
  message: string;
  data: Record<string, unknown>;
}

export interface JsonOutput {
  version: 1;
  site: {
    root: string;
    docsDir: string;
    pages: number;
    patterns: number;
    concepts: Array<{ kind: string; number: number; title: string; file: string }>;
  };
  diagnostics: JsonDiagnostic[];
}

export function toJsonDiagnostic(f: Finding): JsonDiagnostic {
  return {
    file: f.file,
    line: f.range.start.line + 1,
    column: f.range.start.character + 1,
    endLine: f.range.end.line + 1,
    endColumn: f.range.end.character + 1,
    severity: f.severity,
    code: f.code,
    message: f.message,
    data: f.data ?? {},
  };
}

/** What the JSON output says of a site (kept by the result memo, so a warm run needs no `Site`). */
export function siteSummary(site: Site): SiteSummary {
  return {
    root: site.root,
    docsDir: site.mkdocs.docsDir,
    pages: site.pages.size,
    patterns: site.patterns.length,
    concepts: site.concepts.map((c) => ({ kind: c.kind, number: c.number, title: c.title, file: site.siteRel(c.path) })),
  };
}

/** `root` is printed relative to the current folder, so output is stable across machines. */
export function toJson(summary: SiteSummary, findings: Finding[], rootShown: string): JsonOutput {
  return {
    version: 1,
    site: { root: rootShown, docsDir: summary.docsDir, pages: summary.pages, patterns: summary.patterns, concepts: summary.concepts },
    diagnostics: findings.map(toJsonDiagnostic),
  };
}

export function toText(findings: Finding[], prefix: string): string {
  const lines = findings.map((f) => `${prefix}${f.file}:${f.range.start.line + 1}:${f.range.start.character + 1}: ${f.severity} ${f.code}: ${f.message}`);
  const count = (s: string) => findings.filter((f) => f.severity === s).length;
  lines.push(`${findings.length} problems (${count('error')} errors, ${count('warning')} warnings, ${count('info')} info, ${count('hint')} hints)`);
  return lines.join('\n');
}

function ghEscapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function ghEscapeProp(s: string): string {
  return ghEscapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function toGithub(findings: Finding[], prefix: string): string {
  const level = { error: 'error', warning: 'warning', info: 'notice', hint: 'notice' } as const;
  return findings
    .map((f) => {
      const props = [
        `file=${ghEscapeProp(prefix + f.file)}`,
        `line=${f.range.start.line + 1}`,
        `col=${f.range.start.character + 1}`,
        `endLine=${f.range.end.line + 1}`,
        `endColumn=${f.range.end.character + 1}`,
        `title=${ghEscapeProp(f.code)}`,
      ];
      return `::${level[f.severity]} ${props.join(',')}::${ghEscapeData(f.message)}`;
    })
    .join('\n');
}

export function toSarif(findings: Finding[], prefix: string, version: string): object {
  const level = { error: 'error', warning: 'warning', info: 'note', hint: 'note' } as const;
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'pattern-atlas',
            version,
            informationUri: 'https://github.com/pattern-atlas/pattern-atlas',
            rules: RULES.map((r) => ({ id: r.code, shortDescription: { text: r.description }, defaultConfiguration: { level: level[r.defaultSeverity] } })),
          },
        },
        results: findings.map((f) => ({
          ruleId: f.code,
          level: level[f.severity],
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: prefix + f.file },
                region: {
                  startLine: f.range.start.line + 1,
                  startColumn: f.range.start.character + 1,
                  endLine: f.range.end.line + 1,
                  endColumn: f.range.end.character + 1,
                },
              },
            },
          ],
          ...(f.data ? { properties: f.data } : {}),
        })),
      },
    ],
  };
}
