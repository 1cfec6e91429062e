/*
 * Redis' pqsort: a quicksort (Bentley & McIlroy's "Engineering a Sort
 * Function", as in the BSD libc) that only recurses into partitions
 * overlapping the wanted index range, so the first `count` elements come out
 * sorted without sorting the rest. GEOSEARCH ... COUNT uses it; equal
 * elements end up in the order this exact algorithm leaves them, which is
 * what makes the reply identical to redis-server's when distances tie.
 */

/** A three-way comparison. */
export type Compare<T> = (a: T, b: T) => number;

function swap<T>(items: T[], i: number, j: number): void {
  const tmp = items[i]!;
  items[i] = items[j]!;
  items[j] = tmp;
}

function swapRuns<T>(items: T[], i: number, j: number, n: number): void {
  for (let k = 0; k < n; k++) swap(items, i + k, j + k);
}

function median3<T>(items: T[], a: number, b: number, c: number, cmp: Compare<T>): number {
  return cmp(items[a]!, items[b]!) < 0
    ? cmp(items[b]!, items[c]!) < 0
      ? b
      : cmp(items[a]!, items[c]!) < 0
        ? c
        : a
    : cmp(items[b]!, items[c]!) > 0
      ? b
      : cmp(items[a]!, items[c]!) < 0
        ? a
        : c;
}

/**
 * Sort `items[0, n)` enough that positions `first..last` (inclusive) hold
 * what a full sort would put there, in order, exactly as Redis' pqsort does.
 */
export function partialSort<T>(items: T[], n: number, cmp: Compare<T>, first: number, last: number): void {
  sortRange(items, 0, n, cmp, first, last);
}

function outside(first: number, last: number, low: number, high: number): boolean {
  return (first < low && last < low) || (first > high && last > high);
}

function sortRange<T>(
  items: T[],
  start: number,
  count: number,
  cmp: Compare<T>,
  first: number,
  last: number,
): void {
  let a = start;
  let n = count;
  for (;;) {
    if (n < 7) {
      for (let pm = a + 1; pm < a + n; pm++) {
        for (let pl = pm; pl > a && cmp(items[pl - 1]!, items[pl]!) > 0; pl--) swap(items, pl, pl - 1);
      }
      return;
    }
    let pm = a + Math.floor(n / 2);
    if (n > 7) {
      let pl = a;
      let pn = a + n - 1;
      if (n > 40) {
        const d = Math.floor(n / 8);
        pl = median3(items, pl, pl + d, pl + 2 * d, cmp);
        pm = median3(items, pm - d, pm, pm + d, cmp);
        pn = median3(items, pn - 2 * d, pn - d, pn, cmp);
      }
      pm = median3(items, pl, pm, pn, cmp);
    }
    swap(items, a, pm);
    let pa = a + 1;
    let pb = a + 1;
    let pc = a + n - 1;
    let pd = a + n - 1;
    for (;;) {
      let result: number;
      while (pb <= pc && (result = cmp(items[pb]!, items[a]!)) <= 0) {
        if (result === 0) {
          swap(items, pa, pb);
          pa++;
        }
        pb++;
      }
      while (pb <= pc && (result = cmp(items[pc]!, items[a]!)) >= 0) {
        if (result === 0) {
          swap(items, pc, pd);
          pd--;
        }
        pc--;
      }
      if (pb > pc) break;
      swap(items, pb, pc);
      pb++;
      pc--;
    }
    const pn = a + n;
    let r = Math.min(pa - a, pb - pa);
    swapRuns(items, a, pb - r, r);
    r = Math.min(pd - pc, pn - pd - 1);
    swapRuns(items, pb, pn - r, r);
    r = pb - pa;
    if (r > 1 && !outside(first, last, a, a + r - 1)) sortRange(items, a, r, cmp, first, last);
    r = pd - pc;
    if (r > 1) {
      a = pn - r;
      n = r;
      if (!outside(first, last, a, a + r - 1)) continue;
    }
    return;
  }
}
