/**
 * A unified-style line diff ("-" removed, "+" added, " " kept, with a few lines of context), for showing
 * what a file step will change. LCS on lines: fine for config files; large inputs get a summary instead.
 */
export function lineDiff(before: string, after: string, context = 3, maxLines = 4000): string {
  const a = before.split('\n');
  const b = after.split('\n');
  if (before === after) return '';
  if (a.length > maxLines || b.length > maxLines) return `(${a.length} lines → ${b.length} lines; too long to compare line by line)`;
  const n = a.length;
  const m = b.length;
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  }
  const ops: Array<[' ' | '-' | '+', string]> = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      ops.push([' ', a[i]!]);
      i++;
      j++;
    } else if (i < n && (j >= m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
      ops.push(['-', a[i]!]);
      i++;
    } else {
      ops.push(['+', b[j]!]);
      j++;
    }
  }
  const keep = ops.map((op, k) => op[0] !== ' ' || ops.slice(Math.max(0, k - context), k + context + 1).some((o) => o[0] !== ' '));
  const out: string[] = [];
  let skipped = false;
  ops.forEach(([sign, line], k) => {
    if (keep[k]) {
      out.push(`${sign}${line}`);
      skipped = false;
    } else if (!skipped) {
      out.push('…');
      skipped = true;
    }
  });
  return out.join('\n');
}
