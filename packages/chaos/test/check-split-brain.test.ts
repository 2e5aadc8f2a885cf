import { describe, expect, it } from "vitest";
import { splitBrain } from "../src/check/index.js";
import type { WriteTerm } from "../src/model/observations.js";

const term = (node: string, slots: [number, number][], firstWriteMs: number, lastWriteMs: number, configEpoch = 1): WriteTerm => ({ node, configEpoch, slots, firstWriteMs, lastWriteMs, writes: 10 });

describe("split brain", () => {
  it("finds two nodes taking writes for the same slots at the same time", () => {
    const result = splitBrain([term("a", [[0, 5460]], 0, 5000), term("b", [[5000, 5460], [8000, 9000]], 3000, 9000, 2)]);
    expect(result.windows).toEqual([{ slots: [[5000, 5460]], nodes: ["a", "b"], fromMs: 3000, toMs: 5000 }]);
  });

  it("accepts a handover whose intervals only touch", () => {
    expect(splitBrain([term("a", [[0, 5460]], 0, 5000), term("b", [[0, 5460]], 5000, 9000, 2)]).windows).toEqual([]);
  });

  it("accepts overlapping times on different slots, and a node's own terms", () => {
    expect(splitBrain([term("a", [[0, 100]], 0, 5000), term("b", [[101, 200]], 0, 5000)]).windows).toEqual([]);
    expect(splitBrain([term("a", [[0, 100]], 0, 5000), term("a", [[0, 100]], 1000, 6000, 2)]).windows).toEqual([]);
  });

  it("merges the windows of the same two nodes that overlap in time", () => {
    const terms = [term("b", [[0, 100]], 1000, 8000, 3), term("a", [[0, 50]], 0, 4000), term("a", [[40, 100]], 4000, 9000, 2)];
    expect(splitBrain(terms).windows).toEqual([{ slots: [[0, 100]], nodes: ["a", "b"], fromMs: 1000, toMs: 8000 }]);
  });

  it("keeps windows of different node pairs apart", () => {
    const terms = [term("a", [[0, 10]], 0, 100), term("b", [[0, 10]], 50, 150), term("c", [[0, 10]], 120, 200)];
    expect(splitBrain(terms).windows.map((w) => w.nodes)).toEqual([
      ["a", "b"],
      ["b", "c"],
    ]);
  });
});
