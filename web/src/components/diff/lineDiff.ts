export type DiffLine = { op: ' ' | '+' | '-'; text: string };

/**
 * A line diff of two texts (longest common subsequence; fine for objects of a few thousand
 * lines). Lines of `before` only are '-', of `after` only '+', shared ' '.
 */
export function lineDiff(before: string, after: string): DiffLine[] {
  const a = before.split('\n');
  const b = after.split('\n');
  const n = a.length;
  const m = b.length;
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      out.push({ op: ' ', text: a[i++] });
      j++;
    } else if (lcs[i + 1][j] >= lcs[i][j + 1]) out.push({ op: '-', text: a[i++] });
    else out.push({ op: '+', text: b[j++] });
  }
  while (i < n) out.push({ op: '-', text: a[i++] });
  while (j < m) out.push({ op: '+', text: b[j++] });
  return out;
}

/** Only the changed lines with `context` unchanged lines around them; skipped runs become '…'; no changes: []. */
export function hunks(diff: DiffLine[], context = 3): (DiffLine | '…')[] {
  const keep = diff.map(() => false);
  diff.forEach((d, k) => {
    if (d.op === ' ') return;
    for (let x = Math.max(0, k - context); x <= Math.min(diff.length - 1, k + context); x++) keep[x] = true;
  });
  const out: (DiffLine | '…')[] = [];
  diff.forEach((d, k) => {
    if (keep[k]) out.push(d);
    else if (out[out.length - 1] !== '…') out.push('…');
  });
  return out.every((d) => d === '…') ? [] : out;
}
