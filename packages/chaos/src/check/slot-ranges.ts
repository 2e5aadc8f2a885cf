/** Inclusive slot ranges ([first, last]) as sets; pure. */

export type SlotRange = [number, number];

/** Sorted, with overlapping and adjacent ranges joined. */
export function normalizeRanges(ranges: readonly SlotRange[]): SlotRange[] {
  const sorted = ranges.map(([first, last]): SlotRange => [Math.min(first, last), Math.max(first, last)]).sort((a, b) => a[0] - b[0]);
  const joined: SlotRange[] = [];
  for (const range of sorted) {
    const previous = joined[joined.length - 1];
    if (previous !== undefined && range[0] <= previous[1] + 1) previous[1] = Math.max(previous[1], range[1]);
    else joined.push([range[0], range[1]]);
  }
  return joined;
}

/** The slots in both (normalized in, normalized out). */
export function intersectRanges(a: readonly SlotRange[], b: readonly SlotRange[]): SlotRange[] {
  const both: SlotRange[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const first = Math.max(a[i]![0], b[j]![0]);
    const last = Math.min(a[i]![1], b[j]![1]);
    if (first <= last) both.push([first, last]);
    if (a[i]![1] < b[j]![1]) i += 1;
    else j += 1;
  }
  return both;
}
