/** One line of a diff: kept, added (in the edit only) or removed (in the original only). */
export interface DiffLine {
  kind: 'same' | 'add' | 'remove';
  text: string;
}

/**
 * Line diff of `before` and `after` by longest common subsequence, with the
 * common head and tail trimmed first. O(n·m) in the lines that differ, which is
 * fine for tool inputs a person edits; past 4 million cells it falls back to
 * "all removed, all added" rather than freeze the page.
 */
export function lineDiff(before: string, after: string): DiffLine[] {
  const a = before.split('\n');
  const b = after.split('\n');
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);
  const out: DiffLine[] = a.slice(0, head).map((text) => ({ kind: 'same', text }));
  if (midA.length * midB.length > 4_000_000) {
    out.push(...midA.map((text): DiffLine => ({ kind: 'remove', text })));
    out.push(...midB.map((text): DiffLine => ({ kind: 'add', text })));
  } else {
    // lcs[i][j]: length of the LCS of midA[i..] and midB[j..].
    const rows = midA.length + 1;
    const cols = midB.length + 1;
    const lcs = new Uint32Array(rows * cols);
    for (let i = midA.length - 1; i >= 0; i--) {
      for (let j = midB.length - 1; j >= 0; j--) {
        lcs[i * cols + j] =
          midA[i] === midB[j] ? lcs[(i + 1) * cols + j + 1]! + 1 : Math.max(lcs[(i + 1) * cols + j]!, lcs[i * cols + j + 1]!);
      }
    }
    let i = 0;
    let j = 0;
    while (i < midA.length && j < midB.length) {
      if (midA[i] === midB[j]) {
        out.push({ kind: 'same', text: midA[i]! });
        i++;
        j++;
      } else if (lcs[(i + 1) * cols + j]! >= lcs[i * cols + j + 1]!) {
        out.push({ kind: 'remove', text: midA[i++]! });
      } else {
        out.push({ kind: 'add', text: midB[j++]! });
      }
    }
    while (i < midA.length) out.push({ kind: 'remove', text: midA[i++]! });
    while (j < midB.length) out.push({ kind: 'add', text: midB[j++]! });
  }
  out.push(...a.slice(a.length - tail).map((text): DiffLine => ({ kind: 'same', text })));
  return out;
}
