import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { findCrossings, type LogRow } from "../../src/fit/index.js";
import { fcSeed } from "./helpers.js";

function run(depth: number, seed: string, evals: ReadonlyArray<[number, number]>): LogRow[] {
  return evals.map(([x, accuracy], i) => ({
    setting: "s",
    depth,
    seed,
    x,
    accuracy,
    source: "t",
    row: i + 1,
  }));
}

describe("threshold crossings", () => {
  const evals: Array<[number, number]> = [
    [0, 0.1],
    [10, 0.5],
    [20, 0.8],
    [30, 0.95],
    [40, 0.85],
  ];

  it("T is the first evaluation at or above the threshold (order of rows does not matter)", () => {
    const r = findCrossings([...run(8, "0", evals)].reverse());
    expect(r.ok && r.value.runs[0]).toMatchObject({
      t: 30,
      crossedAt: 30,
      accuracyAt: 0.95,
      interpolated: false,
    });
    const exact = findCrossings(
      run(8, "0", [
        [5, 0.2],
        [7, 0.9],
        [9, 0.99],
      ]),
    );
    expect(exact.ok && exact.value.runs[0]?.t).toBe(7);
  });

  it("interpolates linearly between the last evaluation below and the first at/above", () => {
    const r = findCrossings(run(8, "0", evals), { interpolate: true });
    // 20 + (0.90 − 0.80)/(0.95 − 0.80)·10 = 26.666…
    expect(r.ok && r.value.runs[0]?.t).toBeCloseTo(20 + (0.1 / 0.15) * 10, 12);
    expect(r.ok && r.value.runs[0]?.interpolated).toBe(true);
  });

  it("interpolated T always lies in (previous evaluation, crossing evaluation]", () => {
    const seed = fcSeed("interpolation-bounds");
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 10_000 }), fc.double({ min: 0, max: 1, noNaN: true })), {
          minLength: 1,
          maxLength: 30,
        }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        (pairs, threshold) => {
          const uniq = new Map(pairs.map(([x, a]) => [x, a] as const));
          const rows = run(4, "0", [...uniq]);
          const r = findCrossings(rows, { threshold, interpolate: true });
          expect(r.ok).toBe(true);
          if (!r.ok) return;
          const sorted = [...uniq].sort((p, q) => p[0] - q[0]);
          const idx = sorted.findIndex(([, a]) => a >= threshold);
          if (idx < 0) {
            expect(r.value.censored).toHaveLength(1);
            expect(r.value.runs).toHaveLength(0);
            return;
          }
          const t = r.value.runs[0]?.t ?? NaN;
          const hit = sorted[idx]?.[0] ?? NaN;
          const prev = idx > 0 ? (sorted[idx - 1]?.[0] ?? NaN) : hit;
          expect(t).toBeLessThanOrEqual(hit);
          if (idx > 0) expect(t).toBeGreaterThan(prev);
          else expect(t).toBe(hit);
        },
      ),
      { seed, numRuns: 300 },
    );
  });

  it("runs that never cross are listed as censored with how far they got", () => {
    const rows = [
      ...run(8, "0", evals),
      ...run(16, "1", [
        [0, 0.1],
        [50, 0.6],
        [100, 0.88],
      ]),
    ];
    const r = findCrossings(rows);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.runs).toHaveLength(1);
    expect(r.value.censored).toEqual([
      { setting: "s", depth: 16, seed: "1", lastX: 100, bestAccuracy: 0.88, evaluations: 3 },
    ]);
  });

  it("a run already at the threshold at its first evaluation is marked (T is an upper bound)", () => {
    const r = findCrossings(
      run(8, "0", [
        [100, 0.93],
        [200, 0.97],
      ]),
      { interpolate: true },
    );
    expect(r.ok && r.value.runs[0]).toMatchObject({ t: 100, firstEvaluation: true, interpolated: false });
  });

  it("separates runs by setting, depth and seed", () => {
    const rows = [...run(8, "0", evals), ...run(8, "1", evals), ...run(12, "0", evals)];
    const r = findCrossings(rows);
    expect(r.ok && r.value.runs.map((x) => `${x.depth}/${x.seed}`)).toEqual(["8/0", "8/1", "12/0"]);
  });

  it("exact duplicate evaluations are merged; conflicting ones are errors", () => {
    const dup = findCrossings([...run(8, "0", evals), ...run(8, "0", evals)]);
    expect(dup.ok && dup.value.runs[0]?.evaluations).toBe(5);
    const conflict = findCrossings([...run(8, "0", evals), ...run(8, "0", [[20, 0.7]])]);
    expect(conflict.ok ? null : conflict.issues[0].code).toBe("conflicting-evaluation");
  });

  it("rejects a threshold outside (0, 1] and an empty log", () => {
    for (const threshold of [0, -0.5, 1.5, NaN]) {
      const r = findCrossings(run(8, "0", evals), { threshold });
      expect(r.ok ? null : r.issues[0].code).toBe("bad-option");
    }
    const e = findCrossings([]);
    expect(e.ok ? null : e.issues[0].code).toBe("empty-log");
  });
});
