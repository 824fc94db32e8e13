/** Every diagnostic code this project reports. Stable: users put them in configs and suppressions. */
export const RULE_CODES = [
  'broken-link',
  'broken-anchor',
  'not-in-nav',
  'not-in-index',
  'nav-missing-file',
  'stub',
  'status-mismatch',
  'missing-section',
  'empty-section',
  'frontmatter-missing-field',
  'frontmatter-invalid-value',
  'frontmatter-yaml',
  'missing-diagram',
  'too-short',
  'missing-concept-links',
  'concept-mismatch',
  'unterminated-fence',
  'config-error',
  'file-unreadable',
  'mermaid-syntax',
  'prev-next-mismatch',
] as const;

export type RuleCode = (typeof RULE_CODES)[number];
