/** A small unified diff (Myers-free LCS on lines; fine for config and page sizes). */

function splitKeep(text: string): string[] {
  if (text === '') return [];
  const out = text.split('\n');
  if (out[out.length - 1] === '') out.pop();
  return out;
}

type Op = { k: ' ' | '-' | '+'; line: string; a: number; b: number };

function lcsOps(a: string[], b: string[]): Op[] {
  // Trim common prefix/suffix, then LCS on the middle.
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  const am = a.slice(pre, a.length - suf);
  const bm = b.slice(pre, b.length - suf);
  const n = am.length;
  const m = bm.length;
  const ops: Op[] = [];
  for (let i = 0; i < pre; i++) ops.push({ k: ' ', line: a[i], a: i, b: i });
  if (n * m > 25_000_000) {
    for (let i = 0; i < n; i++) ops.push({ k: '-', line: am[i], a: pre + i, b: pre });
    for (let j = 0; j < m; j++) ops.push({ k: '+', line: bm[j], a: pre + n, b: pre + j });
  } else {
    const dp: Uint32Array[] = [];
    for (let i = 0; i <= n; i++) dp.push(new Uint32Array(m + 1));
    for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) dp[i][j] = am[i] === bm[j] ? dp[i + 1][j + 1] + 1 : Math.max(dp[i + 1][j], dp[i][j + 1]);
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && am[i] === bm[j]) {
        ops.push({ k: ' ', line: am[i], a: pre + i, b: pre + j });
        i++;
        j++;
      } else if (i < n && (j === m || dp[i + 1][j] >= dp[i][j + 1])) {
        ops.push({ k: '-', line: am[i], a: pre + i, b: pre + j });
        i++;
      } else {
        ops.push({ k: '+', line: bm[j], a: pre + i, b: pre + j });
        j++;
      }
    }
  }
  for (let i = 0; i < suf; i++) ops.push({ k: ' ', line: a[a.length - suf + i], a: a.length - suf + i, b: b.length - suf + i });
  return ops;
}

/** Line-level changes: the lines removed from `a` and added in `b`. */
export function lineChanges(a: string, b: string): { removed: string[]; added: string[] } {
  const ops = lcsOps(splitKeep(a), splitKeep(b));
  return { removed: ops.filter((o) => o.k === '-').map((o) => o.line), added: ops.filter((o) => o.k === '+').map((o) => o.line) };
}

/** A unified diff with `context` lines around each change; empty when equal. */
export function unifiedDiff(a: string, b: string, nameA: string, nameB: string, context = 3): string {
  if (a === b) return '';
  const ops = lcsOps(splitKeep(a), splitKeep(b));
  const out = [`--- ${nameA}`, `+++ ${nameB}`];
  let i = 0;
  while (i < ops.length) {
    if (ops[i].k === ' ') {
      i++;
      continue;
    }
    const start = Math.max(0, i - context);
    let end = i;
    // Extend the hunk while changes are within 2*context of each other.
    for (;;) {
      while (end < ops.length && ops[end].k !== ' ') end++;
      let next = end;
      while (next < ops.length && ops[next].k === ' ') next++;
      if (next < ops.length && next - end <= 2 * context) end = next;
      else break;
    }
    const stop = Math.min(ops.length, end + context);
    const hunk = ops.slice(start, stop);
    const aStart = hunk[0].a;
    const bStart = hunk[0].b;
    const aLen = hunk.filter((o) => o.k !== '+').length;
    const bLen = hunk.filter((o) => o.k !== '-').length;
    out.push(`@@ -${aLen ? aStart + 1 : aStart},${aLen} +${bLen ? bStart + 1 : bStart},${bLen} @@`);
    for (const o of hunk) out.push(o.k + o.line);
    i = stop;
  }
  // An empty side (a created file) has no last line to lack a line break.
  if ((a && !a.endsWith('\n')) || (b && !b.endsWith('\n'))) out.push('\\ (the last line of one side has no final line break)');
  return out.join('\n') + '\n';
}
