import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  analyzeRowsOrThrow,
  fitLine,
  fitPowerLaw,
  predictT,
  tQuantile,
  unwrap,
  type LogRow,
} from "../../src/fit/index.js";
import { fcSeed, linearRun, normalSampler } from "./helpers.js";

/** An independent least-squares solver: the normal equations (XᵀX)β = Xᵀy by Gaussian elimination with partial pivoting. */
function normalEquations(
  xs: readonly number[],
  ys: readonly number[],
): { b0: number; b1: number; sse: number } {
  const A = [
    [0, 0, 0],
    [0, 0, 0],
  ];
  for (let i = 0; i < xs.length; i++) {
    const row = [1, xs[i] ?? 0];
    for (let r = 0; r < 2; r++) {
      for (let c = 0; c < 2; c++)
        (A[r] as number[])[c] = ((A[r] as number[])[c] ?? 0) + (row[r] ?? 0) * (row[c] ?? 0);
      (A[r] as number[])[2] = ((A[r] as number[])[2] ?? 0) + (row[r] ?? 0) * (ys[i] ?? 0);
    }
  }
  const [r0, r1] = A as [number[], number[]];
  const [p, q] = Math.abs(r0[0] ?? 0) >= Math.abs(r1[0] ?? 0) ? [r0, r1] : [r1, r0];
  const m = (q[0] ?? 0) / (p[0] ?? 1);
  const q1 = (q[1] ?? 0) - m * (p[1] ?? 0);
  const q2 = (q[2] ?? 0) - m * (p[2] ?? 0);
  const b1 = q2 / q1;
  const b0 = ((p[2] ?? 0) - (p[1] ?? 0) * b1) / (p[0] ?? 1);
  let sse = 0;
  for (let i = 0; i < xs.length; i++) sse += ((ys[i] ?? 0) - b0 - b1 * (xs[i] ?? 0)) ** 2;
  return { b0, b1, sse };
}

describe("power-law fit", () => {
  for (const gamma of [0.5, 1.04, 1.33, 1.7, 2.36, 2.6, 3.5]) {
    it(`recovers γ = ${gamma} within 1 % on noise-free data (through logs, crossings and the fit)`, () => {
      const rows: LogRow[] = [];
      for (const d of [2, 4, 8, 12, 16, 24, 32]) rows.push(...linearRun("s", d, "0", 7 * d ** gamma));
      const a = analyzeRowsOrThrow(rows, { bootstrap: 200 });
      const s = a.settings[0];
      expect(s?.ok).toBe(true);
      if (s === undefined || !s.ok) return;
      expect(Math.abs(s.fit.gamma - gamma) / gamma).toBeLessThan(0.01);
      expect(s.fit.gamma).toBeCloseTo(gamma, 9);
      expect(s.fit.a).toBeCloseTo(7, 6);
      expect(s.fit.r2).toBeCloseTo(1, 12);
    });
  }

  it("recovers γ with interpolated crossings when no evaluation lands on T", () => {
    // Accuracy linear in compute, evaluated every 10 steps: linear interpolation is exact.
    const rows: LogRow[] = [];
    for (const d of [4, 8, 16, 32]) {
      const T = 30 * d ** 1.7; // ≥ 318, so an evaluation 10 steps later stays below accuracy 1
      for (let x = 0; x <= 2 * T + 10; x += 10)
        rows.push({
          setting: "s",
          depth: d,
          seed: "0",
          x,
          accuracy: Math.min(1, (0.9 * x) / T),
          source: "t",
          row: x,
        });
    }
    const s = analyzeRowsOrThrow(rows, { interpolate: true, bootstrap: 0 }).settings[0];
    if (s === undefined || !s.ok) throw new Error("no fit");
    expect(Math.abs(s.fit.gamma - 1.7) / 1.7).toBeLessThan(1e-9);
  });

  it("agrees with an independent normal-equations solver to 1e-9", () => {
    const seed = fcSeed("ols-vs-normal-equations");
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            d: fc.integer({ min: 1, max: 200 }),
            t: fc.double({ min: 1, max: 1e7, noNaN: true }),
          }),
          { minLength: 3, maxLength: 60 },
        ),
        (pts) => {
          fc.pre(new Set(pts.map((p) => p.d)).size >= 2);
          const depths = pts.map((p) => p.d);
          const ts = pts.map((p) => p.t);
          const f = unwrap(fitPowerLaw(depths, ts));
          const ref = normalEquations(depths.map(Math.log), ts.map(Math.log));
          expect(Math.abs(f.gamma - ref.b1)).toBeLessThan(1e-9 * Math.max(1, Math.abs(ref.b1)));
          expect(Math.abs(f.logA - ref.b0)).toBeLessThan(1e-9 * Math.max(1, Math.abs(ref.b0)));
          expect(Math.abs(f.line.sse - ref.sse)).toBeLessThan(1e-9 * Math.max(1, ref.sse));
        },
      ),
      { seed, numRuns: 300 },
    );
  });

  it("matches a hand-computed textbook example (SE, R², t interval)", () => {
    // x = log D, y = log T chosen so that the sums are round: y = 1 + 2x + e, e = (+.1, −.2, +.1)
    const xs = [0, 1, 2];
    const ys = [1.1, 2.8, 5.1];
    const f = fitLine(xs, ys);
    // Sxx = 2, Sxy = 4 → slope 2; intercept = ȳ − 2·1 = 1; SSE = 0.01+0.04+0.01 = 0.06, σ² = 0.06
    expect(f.slope).toBeCloseTo(2, 12);
    expect(f.intercept).toBeCloseTo(1, 12);
    expect(f.sse).toBeCloseTo(0.06, 12);
    expect(f.seSlope).toBeCloseTo(Math.sqrt(0.06 / 2), 12);
    const syy = (1.1 - 3) ** 2 + (2.8 - 3) ** 2 + (5.1 - 3) ** 2;
    expect(f.r2).toBeCloseTo(1 - 0.06 / syy, 12);
  });

  it("t quantiles match published table values", () => {
    const table: Array<[number, number, number]> = [
      [0.975, 1, 12.706204736],
      [0.975, 2, 4.30265273],
      [0.975, 4, 2.776445105],
      [0.975, 10, 2.228138852],
      [0.975, 30, 2.042272456],
      [0.95, 5, 2.015048373],
      [0.995, 20, 2.84533971],
    ];
    for (const [p, df, q] of table) expect(tQuantile(p, df)).toBeCloseTo(q, 8);
    expect(tQuantile(0.975, 1e7)).toBeCloseTo(1.959963985, 5);
  });

  it("95 % t interval covers the true γ in ≥ 90 % of 200 seeded noisy trials", () => {
    const normal = normalSampler("coverage-t");
    const trueGamma = 1.7;
    let covered = 0;
    const trials = 200;
    for (let k = 0; k < trials; k++) {
      const depths: number[] = [];
      const ts: number[] = [];
      for (const d of [8, 12, 16, 20, 24, 28])
        for (let s = 0; s < 3; s++) {
          depths.push(d);
          ts.push(2 * d ** trueGamma * Math.exp(0.15 * normal()));
        }
      const f = unwrap(fitPowerLaw(depths, ts));
      const ci = f.ciGamma;
      if (ci !== null && ci[0] <= trueGamma && trueGamma <= ci[1]) covered++;
    }
    console.log(`t-interval coverage: ${covered}/${trials}`);
    expect(covered / trials).toBeGreaterThanOrEqual(0.9);
    // An interval that always covers would be useless: it must also miss sometimes at 95 %.
    expect(covered).toBeLessThan(trials);
  });

  it("bootstrap interval covers the true γ in ≥ 90 % of 200 seeded noisy trials (one run per depth)", () => {
    const normal = normalSampler("coverage-bootstrap");
    const trueGamma = 2.36;
    let covered = 0;
    const trials = 200;
    for (let k = 0; k < trials; k++) {
      const rows: LogRow[] = [];
      for (const d of [2, 3, 4, 6, 8, 10, 12, 16, 20, 24, 28, 32])
        rows.push(...linearRun("s", d, "0", 0.5 * d ** trueGamma * Math.exp(0.1 * normal())));
      const s = analyzeRowsOrThrow(rows, { bootstrap: 1000, seed: k }).settings[0];
      if (s === undefined || !s.ok || s.bootstrap === null) throw new Error("no fit");
      const [lo, hi] = s.bootstrap.gammaInterval;
      if (lo <= trueGamma && trueGamma <= hi) covered++;
    }
    console.log(`bootstrap coverage (points scheme, n = 12): ${covered}/${trials}`);
    expect(covered / trials).toBeGreaterThanOrEqual(0.9);
  });

  it("prediction intervals: zero width on noise-free data, nested (confidence ⊂ prediction) otherwise", () => {
    const exact = unwrap(fitPowerLaw([2, 4, 8], [3 * 2 ** 2, 3 * 4 ** 2, 3 * 8 ** 2]));
    const p = predictT(exact, 64);
    expect(p.t).toBeCloseTo(3 * 64 ** 2, 6);
    expect(p.prediction?.[1]).toBeCloseTo(3 * 64 ** 2, 6);
    const noisy = unwrap(fitPowerLaw([2, 4, 8, 16], [10, 45, 150, 700]));
    const q = predictT(noisy, 32);
    if (q.confidence === null || q.prediction === null) throw new Error("no intervals");
    expect(q.prediction[0]).toBeLessThan(q.confidence[0]);
    expect(q.confidence[0]).toBeLessThan(q.t);
    expect(q.t).toBeLessThan(q.confidence[1]);
    expect(q.confidence[1]).toBeLessThan(q.prediction[1]);
  });

  it("two points: a γ but no standard error or interval", () => {
    const f = unwrap(fitPowerLaw([4, 8], [10, 40]));
    expect(f.gamma).toBeCloseTo(2, 12);
    expect(f.seGamma).toBeNull();
    expect(f.ciGamma).toBeNull();
  });

  it("rejects unusable points with stable codes", () => {
    const one = fitPowerLaw([8, 8, 8], [10, 11, 12]);
    expect(one.ok ? null : one.issues[0].code).toBe("too-few-depths");
    const zero = fitPowerLaw([4, 8], [0, 12]);
    expect(zero.ok ? null : zero.issues[0].code).toBe("non-positive-t");
    const neg = fitPowerLaw([4, 8], [-3, 12]);
    expect(neg.ok ? null : neg.issues[0].code).toBe("non-positive-t");
    const nan = fitPowerLaw([4, NaN], [3, 12]);
    expect(nan.ok ? null : nan.issues[0].code).toBe("non-positive-depth");
    const empty = fitPowerLaw([], []);
    expect(empty.ok ? null : empty.issues[0].code).toBe("too-few-depths");
  });
});
