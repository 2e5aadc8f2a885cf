/** Binary search over sorted numbers; pure. */

/** Number of items of `sorted` (ascending) that are strictly below `bound`: the index of the first item ≥ bound. */
export function countBelow(sorted: readonly number[], bound: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! < bound) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Number of items of `sorted` (ascending) that are at or below `bound`: the index of the first item > bound. */
export function countAtOrBelow(sorted: readonly number[], bound: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! <= bound) low = middle + 1;
    else high = middle;
  }
  return low;
}
