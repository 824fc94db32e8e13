/**
 * A first-character filter for mermaid's Jison lexers (patch 6 of
 * `patch.ts`). A Jison lexer finds the next token by trying its rules'
 * regular expressions (`/^(?:...)/`) one after the other on the rest of the
 * input and taking the first that matches: ~100 attempts per token in a
 * flowchart, most of them failing on the first character. Here each rule's
 * possible first characters are computed once from its pattern, and the
 * lexer tries only the rules that can match at the next character, in their
 * order. A rule is skipped only when its pattern provably cannot match there,
 * so the first rule that matches is the same, and so is every token.
 *
 * The analysis is conservative: anything it does not read exactly (a
 * backreference, a flag other than `i`, a construct it does not know) makes
 * the rule a candidate everywhere; a lookahead is read as matching the empty
 * string (it only narrows what follows).
 *
 * Invariant: `candidateRules` returns a subsequence of the rules it is given
 * that contains every rule whose pattern matches at the input's start.
 */

/** Buckets of the next character: 0-127 its ASCII code, NON_ASCII any other code unit, END no character left. */
const NON_ASCII = 128;
const END = 129;
const BUCKETS = 130;

/** What a pattern can begin with: one flag per bucket (END unused), and whether it can match without consuming. */
export interface FirstSet {
  first: Uint8Array;
  nullable: boolean;
}

class Unsupported extends Error {}

const ANY: () => FirstSet = () => ({ first: new Uint8Array(BUCKETS).fill(1, 0, END), nullable: true });

function set(codes: Iterable<number>, nonAscii: boolean): Uint8Array {
  const a = new Uint8Array(BUCKETS);
  for (const c of codes) a[c < 128 ? c : NON_ASCII] = 1;
  if (nonAscii) a[NON_ASCII] = 1;
  return a;
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const DIGITS = range(48, 57);
const WORD = [...DIGITS, ...range(65, 90), ...range(97, 122), 95];
// \s in ASCII: tab, line feed, vertical tab, form feed, carriage return, space (and many code points above 127).
const SPACE = [9, 10, 11, 12, 13, 32];

/** The complement within ASCII, with every non-ASCII code unit. */
function complement(a: Uint8Array): Uint8Array {
  const out = new Uint8Array(BUCKETS);
  for (let c = 0; c < 128; c++) out[c] = a[c] ? 0 : 1;
  out[NON_ASCII] = 1;
  return out;
}

function union(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(BUCKETS);
  for (let i = 0; i < BUCKETS; i++) out[i] = a[i] | b[i];
  return out;
}

/** `first` with the other case of every ASCII letter (the `i` flag; without `u`, no non-ASCII character folds to ASCII). */
function caseless(a: Uint8Array): Uint8Array {
  const out = a.slice();
  for (let c = 65; c <= 90; c++) if (a[c] || a[c + 32]) out[c] = out[c + 32] = 1;
  return out;
}

/** Reads a pattern (no `u` flag) far enough to know its first characters. */
class Reader {
  private i = 0;
  constructor(private readonly src: string) {}

  parse(): FirstSet {
    const r = this.alternation();
    if (this.i !== this.src.length) throw new Unsupported(`unexpected ${this.src[this.i]}`);
    return r;
  }

  private alternation(): FirstSet {
    let r = this.sequence();
    while (this.src[this.i] === '|') {
      this.i++;
      const next = this.sequence();
      r = { first: union(r.first, next.first), nullable: r.nullable || next.nullable };
    }
    return r;
  }

  private sequence(): FirstSet {
    let first: Uint8Array = new Uint8Array(BUCKETS);
    let nullable = true;
    while (this.i < this.src.length && this.src[this.i] !== '|' && this.src[this.i] !== ')') {
      const t = this.term();
      if (nullable) first = union(first, t.first);
      nullable &&= t.nullable;
    }
    return { first, nullable };
  }

  private term(): FirstSet {
    const atom = this.atom();
    const q = this.quantifier();
    if (q === undefined) return atom;
    return { first: atom.first, nullable: atom.nullable || q === 0 };
  }

  /** The minimum count of a quantifier at the cursor (consumed, with a lazy `?`), or undefined when there is none. */
  private quantifier(): number | undefined {
    const c = this.src[this.i];
    let min: number | undefined;
    if (c === '*' || c === '?') min = 0;
    else if (c === '+') min = 1;
    else if (c === '{') {
      const m = /^\{(\d+)(,\d*)?\}/.exec(this.src.slice(this.i));
      if (!m) return undefined; // a literal `{` (read as an atom next)
      this.i += m[0].length - 1;
      min = Number(m[1]);
    } else return undefined;
    this.i++;
    if (this.src[this.i] === '?') this.i++;
    return min;
  }

  private atom(): FirstSet {
    const c = this.src[this.i++];
    switch (c) {
      case '^':
      case '$':
        return { first: new Uint8Array(BUCKETS), nullable: true };
      case '.':
        // Any code unit but the line terminators \n, \r, \u2028, \u2029.
        return { first: set(range(0, 127).filter((x) => x !== 10 && x !== 13), true), nullable: false };
      case '(': {
        let lookaround = false;
        if (this.src[this.i] === '?') {
          const kind = this.src.slice(this.i, this.i + 3);
          if (kind.startsWith('?:')) this.i += 2;
          else if (kind.startsWith('?=') || kind.startsWith('?!')) {
            this.i += 2;
            lookaround = true;
          } else if (kind === '?<=' || kind === '?<!') {
            this.i += 3;
            lookaround = true;
          } else if (kind.startsWith('?<')) {
            const close = this.src.indexOf('>', this.i);
            if (close < 0) throw new Unsupported('group name');
            this.i = close + 1;
          } else throw new Unsupported('group kind');
        }
        const inner = this.alternation();
        if (this.src[this.i++] !== ')') throw new Unsupported('unclosed group');
        // A lookaround consumes nothing; what it requires of the text is not used (a superset is safe).
        return lookaround ? { first: new Uint8Array(BUCKETS), nullable: true } : inner;
      }
      case '[':
        return { first: this.charClass(), nullable: false };
      case '\\':
        return this.escape();
      case ')':
      case '|':
      case '*':
      case '+':
      case '?':
        throw new Unsupported(`unexpected ${c}`);
      case undefined:
        throw new Unsupported('end of pattern');
      default:
        return { first: set([c.charCodeAt(0)], false), nullable: false };
    }
  }

  /** After a `\\` outside a class. */
  private escape(): FirstSet {
    const c = this.src[this.i];
    if (c === 'b' || c === 'B') {
      this.i++;
      return { first: new Uint8Array(BUCKETS), nullable: true };
    }
    if (c !== undefined && c >= '1' && c <= '9') throw new Unsupported('backreference');
    return { first: this.classEscape(), nullable: false };
  }

  /** The characters of an escape (cursor after the `\\`), as in a class or outside one. */
  private classEscape(): Uint8Array {
    const c = this.src[this.i++];
    switch (c) {
      case 'd':
        return set(DIGITS, false);
      case 'D':
        return complement(set(DIGITS, false));
      case 'w':
        return set(WORD, false);
      case 'W':
        return complement(set(WORD, false));
      case 's':
        return set(SPACE, true);
      case 'S':
        return complement(set(SPACE, false));
      case 'n':
        return set([10], false);
      case 'r':
        return set([13], false);
      case 't':
        return set([9], false);
      case 'f':
        return set([12], false);
      case 'v':
        return set([11], false);
      case '0':
        if (/[0-9]/.test(this.src[this.i] ?? '')) throw new Unsupported('octal escape');
        return set([0], false);
      case 'k':
        throw new Unsupported('named backreference');
      case 'u': {
        const m = /^[0-9a-fA-F]{4}/.exec(this.src.slice(this.i));
        if (!m) return set([117], false); // `\u` without four hex digits is the letter u
        this.i += 4;
        return set([parseInt(m[0], 16)], false);
      }
      case 'x': {
        const m = /^[0-9a-fA-F]{2}/.exec(this.src.slice(this.i));
        if (!m) return set([120], false);
        this.i += 2;
        return set([parseInt(m[0], 16)], false);
      }
      case 'c':
        throw new Unsupported('control escape');
      case undefined:
        throw new Unsupported('trailing backslash');
      default:
        // Digits: a backreference outside a class, an octal escape inside one.
        if (c >= '1' && c <= '9') throw new Unsupported('backreference or octal escape');
        return set([c.charCodeAt(0)], false);
    }
  }

  /** A class `[...]` (cursor after the `[`). */
  private charClass(): Uint8Array {
    const negated = this.src[this.i] === '^';
    if (negated) this.i++;
    let out: Uint8Array = new Uint8Array(BUCKETS);
    // In JavaScript a `]` right after `[` or `[^` closes the class (`[]` matches nothing, `[^]` anything).
    while (this.src[this.i] !== ']') {
      if (this.i >= this.src.length) throw new Unsupported('unclosed class');
      const lo = this.classAtom();
      if (this.src[this.i] === '-' && this.src[this.i + 1] !== ']' && this.i + 1 < this.src.length) {
        this.i++;
        const hi = this.classAtom();
        if (lo.code === undefined || hi.code === undefined) {
          // `[\w-x]`: the dash is a literal between them.
          out = union(union(out, lo.set), union(hi.set, set([45], false)));
          continue;
        }
        if (hi.code < lo.code) throw new Unsupported('reversed range');
        out = union(out, set(range(Math.min(lo.code, 127), Math.min(hi.code, 127)).filter((x) => x >= lo.code!), hi.code > 127));
      } else out = union(out, lo.set);
    }
    this.i++; // ]
    return negated ? complement(out) : out;
  }

  /** One character or escape of a class: its set, and its code when it is a single character. */
  private classAtom(): { set: Uint8Array; code?: number } {
    const c = this.src[this.i++];
    if (c !== '\\') return { set: set([c.charCodeAt(0)], false), code: c.charCodeAt(0) };
    const e = this.src[this.i];
    if (e === 'b') {
      this.i++;
      return { set: set([8], false), code: 8 }; // backspace in a class
    }
    const at = this.i;
    const s = this.classEscape();
    const single = !'dDwWsS'.includes(this.src[at]);
    if (!single) return { set: s };
    const code = s.indexOf(1);
    return { set: s, code: code === NON_ASCII ? codeOfEscape(this.src.slice(at, this.i)) : code };
  }
}

/** The code of a single-character escape's text (after the backslash) that is above 127. */
function codeOfEscape(text: string): number {
  if (text[0] === 'u' && text.length === 5) return parseInt(text.slice(1), 16);
  if (text[0] === 'x' && text.length === 3) return parseInt(text.slice(1), 16);
  return text.charCodeAt(0);
}

/** The first characters of `re` (see `FirstSet`); every character and nullable when the pattern is not understood. */
export function firstSet(re: RegExp): FirstSet {
  if (re.flags.replace('i', '') !== '') return ANY();
  try {
    const r = new Reader(re.source).parse();
    return re.flags.includes('i') ? { first: caseless(r.first), nullable: r.nullable } : r;
  } catch (e) {
    if (e instanceof Unsupported) return ANY();
    throw e;
  }
}

export interface JisonLexer {
  rules: RegExp[];
  _input: string;
}

/**
 * A lexer condition's candidates per bucket. Rules written `^(?:.*word...)`
 * (flowchart's five `.*direction\s+TB[^\n]*` rules) can match anywhere a
 * line goes on, so first characters say nothing about them; they can match
 * only when `word` occurs before the line ends. `without` holds the
 * candidates without them, used when the current line lacks `word`.
 */
interface Table {
  all: number[][];
  word?: string;
  without?: number[][];
}

const tables = new WeakMap<number[], Table>();
const firsts = new WeakMap<RegExp, FirstSet>();

/**
 * The word a rule written `^(?:.*word...)` needs on the current line (letters, digits, `_`; not quantified, and
 * no `|` anywhere in the pattern, so that no alternative does without it).
 */
export function lineWord(re: RegExp): string | undefined {
  if (re.flags !== '' || re.source.includes('|')) return undefined;
  return /^\^\(\?:\.\*(\w+)(?![*+?{\w])[^]*\)$/.exec(re.source)?.[1];
}

function table(lexer: JisonLexer, rules: number[]): Table {
  const patternOf = (r: number): RegExp | undefined => (lexer.rules[r] instanceof RegExp ? lexer.rules[r] : undefined);
  const wordOf = (r: number): string | undefined => {
    const re = patternOf(r);
    return re && lineWord(re);
  };
  const buckets = (skip: (r: number) => boolean): number[][] => {
    const t: number[][] = Array.from({ length: BUCKETS }, () => []);
    for (const r of rules) {
      if (skip(r)) continue;
      const re = patternOf(r);
      let f = re && firsts.get(re);
      if (!f) {
        f = re ? firstSet(re) : ANY();
        if (re) firsts.set(re, f);
      }
      for (let b = 0; b < BUCKETS; b++) if (f.nullable || f.first[b]) t[b].push(r);
    }
    return t;
  };
  const all = buckets(() => false);
  const words = new Set(rules.map(wordOf));
  words.delete(undefined);
  // One word for all such rules (as in flowchart): else they stay candidates everywhere.
  if (words.size !== 1) return { all };
  const word = [...words][0]!;
  return { all, word, without: buckets((r) => wordOf(r) === word) };
}

/** Whether `word` occurs in `input` before its first line terminator (what `.` does not match: \n, \r, U+2028, U+2029). */
export function onFirstLine(input: string, word: string): boolean {
  let end = 0;
  for (const n = input.length; end < n; end++) {
    const c = input.charCodeAt(end);
    if (c === 10 || c === 13 || c === 0x2028 || c === 0x2029) break;
  }
  // An occurrence starting at most at end - word.length lies on the line (a word has no line terminator).
  return end >= word.length && input.lastIndexOf(word, end - word.length) >= 0;
}

/** The rules of `rules` (a lexer condition's list, in order) that can match at the start of `lexer._input`. */
export function candidateRules(lexer: JisonLexer, rules: number[]): number[] {
  let t = tables.get(rules);
  if (!t) tables.set(rules, (t = table(lexer, rules)));
  const input = lexer._input;
  const byBucket = t.word !== undefined && !onFirstLine(input, t.word) ? t.without! : t.all;
  if (!input) return byBucket[END];
  const c = input.charCodeAt(0);
  return byBucket[c < 128 ? c : NON_ASCII];
}
