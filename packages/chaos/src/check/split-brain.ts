import type { WriteTerm } from "../model/observations.js";
import type { SplitBrainResult, SplitBrainWindow } from "../model/report.js";
import { intersectRanges, normalizeRanges } from "./slot-ranges.js";

/**
 * Split brain: two nodes accepting writes for the same slot at the same
 * time, from the nodes' own write records (`writeTerms`). Two terms of
 * different nodes conflict when their slot ranges intersect and their
 * [firstWriteMs, lastWriteMs] intervals overlap strictly (each began before
 * the other's last write): intervals that only touch are a clean handover.
 * Each conflict is a window of the intersected slots, both nodes, and the
 * overlap; windows of the same two nodes that overlap or touch in time are
 * merged into one. A node's terms never conflict with its own.
 *
 * Every pair of terms is compared: terms are few (one per node per
 * configuration change), so the quadratic cost is that of a few hundred
 * comparisons.
 */
export function splitBrain(terms: readonly WriteTerm[]): SplitBrainResult {
  const windows: SplitBrainWindow[] = [];
  for (let i = 0; i < terms.length; i += 1) {
    for (let j = i + 1; j < terms.length; j += 1) {
      const window = conflict(terms[i]!, terms[j]!);
      if (window !== undefined) windows.push(window);
    }
  }
  return { windows: merge(windows) };
}

/** The window in which two terms took writes for the same slots, if they did. */
export function conflict(a: WriteTerm, b: WriteTerm): SplitBrainWindow | undefined {
  if (a.node === b.node) return undefined;
  const overlaps = a.firstWriteMs < b.lastWriteMs && b.firstWriteMs < a.lastWriteMs;
  if (!overlaps) return undefined;
  const slots = intersectRanges(normalizeRanges(a.slots), normalizeRanges(b.slots));
  if (slots.length === 0) return undefined;
  const nodes: [string, string] = a.node < b.node ? [a.node, b.node] : [b.node, a.node];
  return { slots, nodes, fromMs: Math.max(a.firstWriteMs, b.firstWriteMs), toMs: Math.min(a.lastWriteMs, b.lastWriteMs) };
}

/** Joins windows of the same node pair that overlap or touch in time; the result is in time order. */
function merge(windows: readonly SplitBrainWindow[]): SplitBrainWindow[] {
  const sorted = [...windows].sort((a, b) => a.fromMs - b.fromMs || a.toMs - b.toMs);
  const merged: SplitBrainWindow[] = [];
  for (const window of sorted) {
    const same = merged.find((m) => m.nodes[0] === window.nodes[0] && m.nodes[1] === window.nodes[1] && window.fromMs <= m.toMs);
    if (same === undefined) {
      merged.push({ ...window, slots: window.slots.map(([first, last]) => [first, last]) });
      continue;
    }
    same.toMs = Math.max(same.toMs, window.toMs);
    same.slots = normalizeRanges([...same.slots, ...window.slots]);
  }
  return merged;
}
