/**
 * The Mermaid validator on fixtures: every diagram type the catalog uses,
 * valid and invalid, and every error shape, with exact ranges (found in the
 * fixture text independently of the validator).
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_TEXT_SIZE, configAfterParse, freshConfigsAfter, naiveParse, validateDiagram, validatorStats, type MermaidError } from '../../server/src/mermaid/validate.ts';
import { lineStarts, mermaidPipeline } from '../../server/src/mermaid/positions.ts';
import { mermaidBlocks, toPageError, validatePage } from '../../server/src/mermaid/blocks.ts';
import { MermaidPool } from '../../server/src/mermaid/pool.ts';
import { parseMarkdown } from '../../server/src/parse/remark.ts';
import type { Range } from '../../server/src/parse/types.ts';
import { naiveVerdicts } from './fixtures/naive.ts';
import { BROKEN, LANGIUM_SAMPLES, SAMPLES } from './fixtures/samples.ts';

/** Lines joined with `\n`, so columns stay visible in the source. */
const lines = (...l: string[]): string => l.join('\n');

/** Where `needle` is written in `text` (its `nth` occurrence), as a 0-based range. */
function at(text: string, needle: string, nth = 0): Range {
  let i = -1;
  for (let k = 0; k <= nth; k++) {
    i = text.indexOf(needle, i + 1);
    assert.ok(i >= 0, `fixture does not contain ${JSON.stringify(needle)} #${nth}`);
  }
  const starts = lineStarts(text);
  let line = 0;
  while (line + 1 < starts.length && starts[line + 1] <= i) line++;
  const sc = i - starts[line];
  return { start: { line, character: sc }, end: { line, character: sc + needle.length } };
}

/** `needle` inside the first occurrence of `context`. */
function within(text: string, context: string, needle: string): Range {
  const c = at(text, context);
  const k = context.indexOf(needle);
  assert.ok(k >= 0);
  return { start: { line: c.start.line, character: c.start.character + k }, end: { line: c.start.line, character: c.start.character + k + needle.length } };
}

async function one(code: string): Promise<MermaidError> {
  const errors = await validateDiagram(code);
  assert.equal(errors.length, 1, `expected one error, got ${JSON.stringify(errors, null, 1)}`);
  return errors[0];
}

describe('valid diagrams of every type in use', () => {
  const valid: Record<string, string> = {
    graph: lines('graph TD', '  A[Start] --> B{Choice}', '  B -->|yes| C["Compute O(n)"]', '  B -- no --> D((End))'),
    flowchart: lines('flowchart LR', '  subgraph S [Stage]', '    A --> B', '  end', '  S --> C[(Store)]'),
    sequenceDiagram: lines('sequenceDiagram', '  participant A as Client', '  A->>B: request', '  B-->>A: response', '  Note over A,B: done'),
    'stateDiagram-v2': lines('stateDiagram-v2', '  [*] --> Idle', '  Idle --> Busy : start', '  Busy --> [*]'),
    classDiagram: lines('classDiagram', '  class Animal {', '    +String name', '    +eat()', '  }', '  Animal <|-- Dog'),
    gantt: lines('gantt', '  title Plan', '  dateFormat YYYY-MM-DD', '  section A', '  Task one :a1, 2024-01-01, 3d'),
    timeline: lines('timeline', '  title History', '  2020 : Started', '  2021 : Grew'),
    mindmap: lines('mindmap', '  root((Center))', '    A', '      A1', '    B'),
    pie: lines('pie title Pets', '  "Dogs" : 3', '  "Cats" : 2'),
    erDiagram: lines('erDiagram', '  CUSTOMER ||--o{ ORDER : places', '  ORDER ||--|{ LINE-ITEM : contains'),
  };
  for (const [type, code] of Object.entries(valid)) {
    test(type, async () => {
      assert.deepEqual(await validateDiagram(code), []);
    });
  }
});

describe('invalid diagrams of every type in use (Jison parser errors on the offending token)', () => {
  test('graph: parentheses in a [ ] label, with the quoting fix', async () => {
    const code = lines('graph TD', '  A[Compute O(n) cost] --> B');
    const e = await one(code);
    assert.equal(e.kind, 'parse');
    assert.equal(e.severity, 'error');
    assert.equal(e.diagramType, 'flowchart');
    assert.equal(e.message, 'Parentheses inside a [ ] label must be quoted: use ["..."]');
    assert.deepEqual(e.range, at(code, '('));
    assert.deepEqual(e.fix, { title: 'Quote the label: ["…"]', range: at(code, '[Compute O(n) cost]'), newText: '["Compute O(n) cost"]' });
  });

  test('flowchart: quotes inside a label, fix writes them as #quot;', async () => {
    const code = lines('flowchart LR', '  K[Key: "user:123"<br/>Hash: 142] --> S');
    const e = await one(code);
    assert.deepEqual(e.range, at(code, 'user:123'));
    assert.match(e.message, /^Quotes inside a \[ \] label must be written #quot;/);
    assert.deepEqual(e.fix?.range, at(code, '[Key: "user:123"<br/>Hash: 142]'));
    assert.equal(e.fix?.newText, '["Key: #quot;user:123#quot;<br/>Hash: 142"]');
  });

  test('flowchart: parentheses in an edge label, fix quotes |...|', async () => {
    const code = lines('flowchart TD', '  C[Client] -->|Hash(key)| N');
    const e = await one(code);
    assert.deepEqual(e.range, at(code, '('));
    assert.equal(e.message, 'Parentheses inside a | | edge label must be quoted: use |"..."|');
    assert.deepEqual(e.fix, { title: 'Quote the edge label: |"…"|', range: at(code, '|Hash(key)|'), newText: '|"Hash(key)"|' });
  });

  test('applying a fix makes the diagram valid', async () => {
    for (const code of [
      lines('graph TD', '  A[Compute O(n) cost] --> B'),
      lines('flowchart LR', '  K[Key: "user:123"<br/>Hash: 142] --> S'),
      lines('flowchart TD', '  C[Client] -->|Hash(key)| N'),
      lines('flowchart LR', '  E[App] -->|Expose| F[/metrics]'),
      lines('graph TD', '  D{{Check (a)}} --> E([Stadium [x]])'),
    ]) {
      let text = code;
      for (let round = 0; round < 3; round++) {
        const errors = await validateDiagram(text);
        if (errors.length === 0) break;
        const fix = errors[0].fix;
        assert.ok(fix, `no fix for ${JSON.stringify(text)}: ${errors[0].message}`);
        const starts = lineStarts(text);
        text = text.slice(0, starts[fix.range.start.line] + fix.range.start.character) + fix.newText + text.slice(starts[fix.range.end.line] + fix.range.end.character);
      }
      assert.deepEqual(await validateDiagram(text), [], text);
    }
  });

  test('sequenceDiagram: unterminated loop (end of diagram) on the last word', async () => {
    const code = lines('sequenceDiagram', '  Alice->>Bob: Hi', '  loop Every minute', '  Bob-->>Alice: ok');
    const e = await one(code);
    assert.equal(e.diagramType, 'sequence');
    assert.match(e.message, /^Unexpected end of diagram; expected /);
    assert.deepEqual(e.range, at(code, 'ok'));
  });

  test('sequenceDiagram: unexpected token', async () => {
    const code = lines('sequenceDiagram', '  A->>B: hello', '  A->>B ;');
    const e = await one(code);
    assert.equal(e.message, "Unexpected ';'; expected text");
    assert.deepEqual(e.range, at(code, ';'));
  });

  test('stateDiagram-v2: single-dash arrow', async () => {
    const code = lines('stateDiagram-v2', '  [*] --> A', '  A --> B : ok', '  B -> C');
    const e = await one(code);
    assert.equal(e.diagramType, 'stateDiagram');
    assert.match(e.message, /^Unexpected '-'; expected /);
    assert.deepEqual(e.range, within(code, '-> C', '-'));
  });

  test('classDiagram: class body never closed', async () => {
    const code = lines('classDiagram', '  class A {', '    +foo()', '');
    const e = await one(code);
    assert.equal(e.diagramType, 'class');
    assert.equal(e.message, "Unexpected end of diagram; expected '}', 'MEMBER'");
    assert.deepEqual(e.range, at(code, '+foo()'));
  });

  test('gantt: style line is not gantt syntax', async () => {
    const code = lines('gantt', '  title x', '  section A', '  style exec1 fill:#ffcdd2');
    const e = await one(code);
    assert.equal(e.diagramType, 'gantt');
    assert.equal(e.message, "Unexpected ':'; expected 'taskData'");
    assert.deepEqual(e.range, at(code, ':', 0));
  });

  test('timeline: a colon inside the time period', async () => {
    const code = lines('timeline', '  title Incident', '  14:32 : Alert');
    const e = await one(code);
    assert.equal(e.diagramType, 'timeline');
    assert.deepEqual(e.range, at(code, ':'));
  });

  test('mindmap: text after a node shape', async () => {
    const code = lines('mindmap', '  root', '    a(b)c');
    const e = await one(code);
    assert.equal(e.diagramType, 'mindmap');
    assert.deepEqual(e.range, at(code, 'c', 0));
    assert.match(e.message, /^Unexpected 'c'; expected /);
  });

  test('mindmap: a second root (database error, placed on the node)', async () => {
    const code = lines('mindmap', '  root', '    A', '  B');
    const e = await one(code);
    assert.equal(e.kind, 'other');
    assert.equal(e.message, 'A mindmap has one root: "B" is not indented under it');
    assert.deepEqual(e.range, at(code, 'B'));
  });

  test('erDiagram: relationship without its label', async () => {
    const code = lines('erDiagram', '  CUSTOMER ||--o{ ORDER places');
    const e = await one(code);
    assert.equal(e.diagramType, 'er');
    assert.equal(e.message, "Unexpected 'places'; expected ':', ':::'");
    assert.deepEqual(e.range, at(code, 'places'));
  });
});

describe('error shapes', () => {
  test('Jison lexer error: unreadable text, with a label fix when it is one', async () => {
    const code = lines('flowchart LR', '  E[App] -->|Expose| F[/metrics]');
    const e = await one(code);
    assert.equal(e.kind, 'lexer');
    assert.deepEqual(e.range, at(code, ']', 1));
    assert.equal(e.message, 'A [ ] label starting with "/" must be quoted ("[/" opens another shape): use ["..."]');
    assert.deepEqual(e.fix?.range, at(code, '[/metrics]'));
    assert.equal(e.fix?.newText, '["/metrics"]');
  });

  test('Jison lexer error without a fix', async () => {
    const code = lines('classDiagram', '  A <|-- B', '  C ||| D');
    const e = await one(code);
    assert.equal(e.kind, 'lexer');
    assert.equal(e.message, "Mermaid cannot read the text here (starting at '|'): unrecognized text");
    assert.deepEqual(e.range, at(code, '|', 1));
    assert.equal(e.fix, undefined);
  });

  test('Langium parser error (pie), 1-based token position mapped', async () => {
    const code = lines('pie', '  "Dogs" 3');
    const e = await one(code);
    assert.equal(e.kind, 'langium-parse');
    assert.equal(e.message, "Unexpected '3'; expected ':'");
    assert.deepEqual(e.range, at(code, '3'));
  });

  test('Langium lexer error (pie); the parser error it causes is not repeated', async () => {
    const code = lines('pie title Pets', '  "Dogs" : 3', '  "Cats": x');
    const e = await one(code);
    assert.equal(e.kind, 'langium-lexer');
    assert.equal(e.message, 'Unexpected character "x"');
    assert.deepEqual(e.range, at(code, 'x'));
  });

  test('unknown diagram type, with a suggestion', async () => {
    const code = lines('flowchat TD', '  A --> B');
    const e = await one(code);
    assert.equal(e.kind, 'unknown-type');
    assert.equal(e.message, 'Unknown diagram type "flowchat": did you mean "flowchart"?');
    assert.deepEqual(e.range, at(code, 'flowchat'));
    const r = await one(lines('', 'radar', '  axis a'));
    assert.equal(r.message, 'Unknown diagram type "radar": did you mean "radar-beta"?');
    assert.deepEqual(r.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 5 } });
  });

  test('YAML front matter in the block shifts lines', async () => {
    const code = lines('---', 'title: Flow', 'config:', '  theme: dark', '---', 'graph TD', '  A[f(x)] --> B');
    const e = await one(code);
    assert.deepEqual(e.range, at(code, '('));
    assert.deepEqual(e.range.start, { line: 6, character: 5 });
  });

  test('invalid YAML front matter', async () => {
    const code = lines('---', 'title: [x', '---', 'graph LR', '  A --> B');
    const e = await one(code);
    assert.equal(e.kind, 'front-matter');
    assert.match(e.message, /^Front matter is not valid YAML: /);
    assert.deepEqual(e.range, at(code, 'x'));
  });

  test('%%{init}%% directive, comments and blank lines before the error', async () => {
    const code = lines("%%{init: {'theme': 'dark'}}%%", '%% a comment', '', 'graph LR', '  %% another comment', '  A --> B', '  B --> C[g(x)]');
    const e = await one(code);
    assert.deepEqual(e.range, at(code, '('));
    assert.deepEqual(e.fix?.range, at(code, '[g(x)]'));
  });

  test('blank lines after a } that the flowchart grammar drops', async () => {
    const code = lines('graph TD', '  A{x}', '', '', '  A --> B[f(x)]');
    const e = await one(code);
    assert.deepEqual(e.range, at(code, '('));
  });

  test('entities (#35;) change lengths before the error', async () => {
    const code = lines('graph TD', '  A[a #35; b] --> B[f(x)]');
    const e = await one(code);
    assert.deepEqual(e.range, at(code, '('));
  });

  test('CRLF line ends', async () => {
    const code = 'graph TD\r\n  A --> B\r\n  B --> C[f(x)]';
    const e = await one(code);
    assert.deepEqual(e.range, { start: { line: 2, character: 11 }, end: { line: 2, character: 12 } });
  });

  test(`a warning over ${MAX_TEXT_SIZE} characters (parse does not enforce it)`, async () => {
    const body = Array.from({ length: 400 }, (_, i) => `  N${i}["${'x'.repeat(120)}"] --> N${i + 1}`);
    const code = ['graph TD', ...body].join('\n');
    assert.ok(code.length > MAX_TEXT_SIZE);
    const errors = await validateDiagram(code);
    assert.equal(errors.length, 1);
    assert.equal(errors[0].severity, 'warning');
    assert.equal(errors[0].kind, 'too-large');
    assert.deepEqual(errors[0].range, at(code, 'graph TD'));
  });
});

describe('the text mermaid parses', () => {
  test('the replayed pipeline maps every character back to the block', () => {
    const code = lines('---', 'title: t', '---', '%%{init: {}}%%', '%% c', 'graph TD', '  A[#quot;q#quot;] --> B');
    const p = mermaidPipeline(code, true);
    assert.equal(p.code.text, 'graph TD\n  A[#quot;q#quot;] --> B');
    assert.equal(p.parsed.text, 'graph TD\n  A[\uFB02\xB0quot\xB6\xDFq\uFB02\xB0quot\xB6\xDF] --> B\n');
    assert.equal(p.parsed.map.length, p.parsed.text.length + 1);
    assert.equal(code[p.parsed.map[p.parsed.text.indexOf('-->')]], '-');
    assert.equal(code.slice(p.parsed.map[p.parsed.text.indexOf('B\n')]), 'B');
  });
});

describe('speed-up does not change verdicts', () => {
  test('fast config path is on, and agrees with a plain parse', async () => {
    const samples = [
      lines('graph TD', '  A[x] --> B'),
      lines('graph TD', '  A[O(n)] --> B'),
      lines('sequenceDiagram', '  A->>B: hi'),
      lines("%%{init: {'flowchart': {'htmlLabels': false}}}%%", 'flowchart LR', '  A --> B'),
      lines('pie', '  "a" : 1'),
    ];
    for (const code of samples) {
      const fast = (await validateDiagram(code)).every((e) => e.severity !== 'error');
      assert.equal(fast, await naiveParse(code), code);
    }
    const s = validatorStats();
    assert.equal(s.fastConfig, true, 'mermaid source patches should be applied when running from source');
  });
});

/** Diagrams the configuration tests below parse in several states. */
const FLOW = lines('flowchart LR', '  A --> B');
const FLOW_FOREST = lines("%%{init: {'theme': 'forest', 'flowchart': {'curve': 'basis'}}}%%", 'flowchart LR', '  A --> B');
const SEQUENCE = lines('sequenceDiagram', '  A->>B: hi');

describe('memoized configuration states', () => {
  test('each parse leaves mermaid in the state an unpatched parse leaves it in', async () => {
    // Directives change the state a parse runs in; the memo must hand back the
    // state of these directives, on this base, never one computed for others.
    const sequence = [
      FLOW,
      FLOW_FOREST,
      FLOW,
      lines('---', 'config:', '  theme: dark', '  sequence:', '    wrap: true', '---', 'sequenceDiagram', '  A->>B: hi'),
      lines("%%{init: {'wrap': true}}%%", 'sequenceDiagram', '  A->>B: hi'),
      SEQUENCE,
      lines("%%{init: {'theme': 'forest', 'flowchart': {'curve': 'linear'}}}%%", 'graph TD', '  A --> B'),
      FLOW_FOREST,
      lines('pie', '  "a" : 1'),
      FLOW,
      // Values JSON cannot tell apart (Infinity and null both print as null) make different states.
      lines('---', 'config:', '  flowchart:', '    diagramPadding: .inf', '---', 'flowchart LR', '  A --> B'),
      lines('---', 'config:', '  flowchart:', '    diagramPadding: ~', '---', 'flowchart LR', '  A --> B'),
      lines('---', 'config:', '  flowchart:', '    diagramPadding: .nan', '---', 'flowchart LR', '  A --> B'),
    ];
    const plain: string[] = [];
    for (const code of sequence) plain.push(await configAfterParse(code, false));
    // The states differ from one another, so a memo answering with the wrong one shows.
    assert.ok(new Set(plain).size >= 4, `only ${new Set(plain).size} distinct states`);
    for (let round = 0; round < 2; round++) {
      for (const [i, code] of sequence.entries()) assert.equal(await configAfterParse(code, true), plain[i], `round ${round}, diagram ${i}:\n${code}`);
    }
  });
});

describe('fresh configuration copies', () => {
  test("equal mermaid's own copy; the sections diagrams write to are new each time, the others read-only", async () => {
    for (const code of [FLOW, FLOW_FOREST, SEQUENCE]) {
      const { plain, fresh, violated } = await freshConfigsAfter(code);
      const a = fresh();
      assert.deepStrictEqual(a, plain, code);
      assert.deepStrictEqual(Object.keys(a), Object.keys(plain), 'same keys in the same order');
      // A diagram's init writes to its own section: the next copy must not see it.
      for (const section of ['flowchart', 'sequence', 'class', 'state']) {
        (a[section] as Record<string, unknown>).arrowMarkerAbsolute = 'written';
        const deep = Object.values(a[section] as object).find((v) => v && typeof v === 'object' && !Array.isArray(v)) as Record<string, unknown> | undefined;
        if (deep) deep.written = true;
        const b = fresh();
        assert.deepStrictEqual(b, plain, `${section} written in one copy shows in the next`);
      }
      // Any other section is a read-only view: a write is refused and recorded.
      assert.equal(violated(), false);
      assert.throws(() => {
        (a.themeVariables as Record<string, unknown>).primaryColor = 'red';
      }, TypeError);
      assert.equal(violated(), true);
      assert.deepStrictEqual(fresh(), plain);
    }
  });
});

describe('page coordinates', () => {
  test('a block indented inside !!! note, and one in a content tab', async () => {
    const page = lines(
      '# Page',
      '',
      '!!! note "Flow"',
      '',
      '    ```mermaid',
      '    graph TD',
      '      A[Compute O(n)] --> B',
      '    ```',
      '',
      '=== "Tab"',
      '',
      '    ```mermaid',
      '    sequenceDiagram',
      '      A->>B ;',
      '    ```',
      '',
    );
    const doc = parseMarkdown(page);
    const blocks = mermaidBlocks(doc, page);
    assert.equal(blocks.length, 2);
    assert.equal(blocks[0].code, 'graph TD\n  A[Compute O(n)] --> B');
    assert.deepEqual(blocks[0].lineOffsets, [4, 4]);
    const pool = new MermaidPool();
    try {
      const errors = await validatePage(doc, page, { pool });
      assert.equal(errors.length, 2);
      assert.equal(errors[0].block, 0);
      assert.deepEqual(errors[0].range, at(page, '('));
      assert.deepEqual(errors[0].fix?.range, at(page, '[Compute O(n)]'));
      assert.equal(errors[1].block, 1);
      assert.deepEqual(errors[1].range, at(page, ';'));
      // Block-relative results map the same way in-process.
      const direct = await validateDiagram(blocks[0].code);
      assert.deepEqual(toPageError(blocks[0], direct[0]).range, at(page, '('));
    } finally {
      await pool.dispose();
    }
  });
});

after(() => {
  // mermaid keeps no handles open; nothing to close.
});

describe('every diagram type against a plain mermaid.parse', () => {
  test('each Jison and Langium type, valid and broken, twice in a row: the verdict of unpatched mermaid in a separate process', async () => {
    // Twice: a diagram module keeps state from its first parse (journey's renderer keeps the configuration it read).
    const codes = [...SAMPLES, ...LANGIUM_SAMPLES, ...BROKEN, ...SAMPLES, ...LANGIUM_SAMPLES];
    const plain = await naiveVerdicts(codes);
    const wrong: string[] = [];
    for (const [i, code] of codes.entries()) {
      const errors = await validateDiagram(code);
      const valid = !errors.some((e) => e.severity === 'error');
      if (valid !== plain[i]) wrong.push(`${JSON.stringify(code.slice(0, 40))}: plain ${plain[i] ? 'valid' : 'invalid'}, here ${errors.map((e) => e.message).join('; ') || 'valid'}`);
    }
    assert.deepEqual(wrong, []);
    // The samples are what they say: each valid one valid, each broken one broken.
    assert.ok(SAMPLES.filter((_, i) => plain[i]).length >= 15, 'most Jison samples are valid diagrams');
    assert.ok(plain.slice(SAMPLES.length + LANGIUM_SAMPLES.length, SAMPLES.length + LANGIUM_SAMPLES.length + BROKEN.length).filter((v) => !v).length >= 8, 'broken samples are broken');
  });
});
