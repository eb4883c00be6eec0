/**
 * The edit distance between `a` and `b`, counting a swap of two neighbouring characters as one slip
 * (Damerau's rule, as optimal string alignment: `lsit` → `list` and `strat` → `start` are 1), or
 * `max + 1` as soon as it is known to exceed `max`.
 *
 * Its cost cannot explode whatever it is given: only the cells within `max` of the diagonal are
 * computed (time O(max(n, m) · max)), it stops at the first row whose every cell exceeds `max`, and it
 * keeps three rows as long as the shorter string (memory O(min(n, m))). A full matrix per pair, as the
 * damerau-levenshtein package allocates, costs (n + 1)² for one long word.
 */
export function editDistance(a: string, b: string, max: number): number {
  const over = max + 1;
  if (a === b) return 0;
  // Rows run along the shorter string.
  const [long, short] = a.length >= b.length ? [a, b] : [b, a];
  const n = long.length;
  const m = short.length;
  if (n - m > max) return over;
  if (m === 0) return n;
  let twoBack = new Int32Array(m + 1).fill(over);
  let previous = new Int32Array(m + 1).fill(over);
  let current = new Int32Array(m + 1).fill(over);
  for (let j = 0; j <= Math.min(m, max); j++) previous[j] = j;
  for (let i = 1; i <= n; i++) {
    const from = Math.max(1, i - max);
    const to = Math.min(m, i + max);
    // The cells just outside the band count as too far: rows are reused, so clear what may be stale.
    current[from - 1] = from === 1 ? Math.min(i, over) : over;
    if (to < m) current[to + 1] = over;
    let rowMin = current[from - 1] as number;
    const li = long.charCodeAt(i - 1);
    for (let j = from; j <= to; j++) {
      const sj = short.charCodeAt(j - 1);
      const cost = li === sj ? 0 : 1;
      let cell = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && li === short.charCodeAt(j - 2) && long.charCodeAt(i - 2) === sj) {
        cell = Math.min(cell, (twoBack[j - 2] as number) + 1);
      }
      current[j] = cell > over ? over : cell;
      if (cell < rowMin) rowMin = cell;
    }
    if (rowMin > max) return over;
    [twoBack, previous, current] = [previous, current, twoBack];
  }
  const distance = previous[m] as number;
  return distance > max ? over : distance;
}
