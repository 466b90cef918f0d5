import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  analyzeRows,
  analyzeRowsOrThrow,
  bootstrapGamma,
  checkPaperExponents,
  compareGammas,
  fitFloor,
  fitPowerLaw,
  parseLog,
  unwrap,
  fitsCsv,
  readLogFiles,
  renderPng,
  renderSvg,
  runsCsv,
  summaryText,
  FitError,
  type FittedSetting,
  type LogRow,
} from "../../src/fit/index.js";
import { linearRun, normalSampler } from "./helpers.js";

const root = join(import.meta.dirname, "..", "..");

function fitted(a: ReturnType<typeof analyzeRowsOrThrow>, name: string): FittedSetting {
  const s = a.settings.find((x) => x.setting === name);
  if (s === undefined || !s.ok) throw new Error(`setting ${name} not fitted`);
  return s;
}

describe("analysis", () => {
  it("fits each setting separately and compares their exponents", () => {
    const normal = normalSampler("compare");
    const rows: LogRow[] = [];
    for (const [name, g] of [
      ["low", 1.04],
      ["high", 2.6],
    ] as const)
      for (const d of [2, 4, 6, 8, 10])
        for (const seed of ["0", "1", "2"])
          rows.push(...linearRun(name, d, seed, 20 * d ** g * Math.exp(0.05 * normal())));
    const a = analyzeRowsOrThrow(rows, { predict: [16] });
    expect(a.settings.map((s) => s.setting)).toEqual(["high", "low"]);
    const c = a.comparisons[0];
    expect(c?.a).toBe("high");
    expect(c?.difference).toBeCloseTo(fitted(a, "high").fit.gamma - fitted(a, "low").fit.gamma, 12);
    expect(c?.distinguishable).toBe(true);
    expect(c?.interval?.[0]).toBeLessThan(1.56);
    expect(c?.interval?.[1]).toBeGreaterThan(1.56);
    expect(c?.bootstrapInterval?.[0]).toBeLessThan(c?.difference ?? NaN);
    expect(fitted(a, "high").bootstrap?.scheme).toBe("runs-within-depth");
    expect(fitted(a, "low").predictions[0]?.depth).toBe(16);
    expect(summaryText(a)).toContain("γ(high) − γ(low)");
  });

  it("a comparison of two equal exponents is not called distinguishable", () => {
    const same = compareGammas(
      { setting: "a", gamma: 1.5, seGamma: 0.1, df: 10 },
      { setting: "b", gamma: 1.52, seGamma: 0.1, df: 10 },
    );
    expect(same.distinguishable).toBe(false);
    expect(same.df).toBeCloseTo(20, 9);
  });

  it("a setting that cannot be fitted fails alone, with its code; censored runs are listed", () => {
    const rows: LogRow[] = [
      ...linearRun("ok", 4, "0", 100),
      ...linearRun("ok", 8, "0", 400),
      ...linearRun("one-depth", 8, "0", 100),
      ...linearRun("one-depth", 8, "1", 120),
      ...linearRun("never", 8, "0", 100).map((r) => ({ ...r, accuracy: r.accuracy / 2 })),
      ...linearRun("zero", 4, "0", 100).map((r) => ({ ...r, x: r.x - 100 })),
      ...linearRun("zero", 8, "0", 100),
    ];
    const r = analyzeRows(rows, { bootstrap: 100 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const code = (name: string): string | null => {
      const s = r.value.settings.find((x) => x.setting === name);
      return s === undefined || s.ok ? null : s.issues[0].code;
    };
    expect(code("ok")).toBeNull();
    expect(code("one-depth")).toBe("too-few-depths");
    expect(code("never")).toBe("no-crossing");
    expect(code("zero")).toBe("non-positive-t");
    expect(r.value.censored.map((c) => c.setting)).toEqual(["never"]);
    expect(fitsCsv(r.value)).toContain("too-few-depths");
    expect(runsCsv(r.value)).toContain("censored");
  });

  it("warns when runs are censored and excluded", () => {
    const rows: LogRow[] = [];
    for (const d of [4, 8, 16]) rows.push(...linearRun("s", d, "0", 10 * d));
    rows.push(...linearRun("s", 32, "0", 1000).map((r) => ({ ...r, accuracy: r.accuracy * 0.5 })));
    const s = fitted(analyzeRowsOrThrow(rows), "s");
    expect(s.censored).toBe(1);
    expect(s.warnings.join(" ")).toContain("never reached the threshold (depths 32)");
  });

  it("rejects bad options and throws FitError from the throwing twin", () => {
    const rows = [...linearRun("s", 4, "0", 10), ...linearRun("s", 8, "0", 20)];
    for (const opts of [
      { bootstrap: -1 },
      { bootstrap: 1.5 },
      { level: 1 },
      { predict: [0] },
      { threshold: 2 },
    ]) {
      const r = analyzeRows(rows, opts);
      expect(r.ok ? null : r.issues[0].code).toBe("bad-option");
    }
    expect(() => analyzeRowsOrThrow(rows, { level: 2 })).toThrow(FitError);
  });

  it("geometric-mean aggregation fits one point per depth", () => {
    const rows: LogRow[] = [];
    for (const d of [4, 8, 16])
      for (const [seed, f] of [
        ["0", 0.8],
        ["1", 1.25],
      ] as const)
        rows.push(...linearRun("s", d, seed, 10 * d ** 2 * f));
    const s = fitted(analyzeRowsOrThrow(rows, { aggregate: "geomean" }), "s");
    expect(s.fit.n).toBe(3);
    expect(s.fit.gamma).toBeCloseTo(2, 12);
    expect(s.points[0]?.t).toBeCloseTo(160, 9);
  });
});

describe("bootstrap", () => {
  const runs = [2, 4, 8, 16, 32].map((d, i) => ({ depth: d, t: 3 * d ** 1.5 * (1 + 0.1 * Math.sin(i * 5)) }));

  it("is reproducible by seed and changes with it", () => {
    const a = bootstrapGamma(runs, { seed: 7 });
    const b = bootstrapGamma(runs, { seed: 7 });
    const c = bootstrapGamma(runs, { seed: 8 });
    expect(a.gammaInterval).toEqual(b.gammaInterval);
    expect(Array.from(a.gammas)).toEqual(Array.from(b.gammas));
    expect(c.gammaInterval).not.toEqual(a.gammaInterval);
    expect(a.resamples).toBe(1000);
    expect(a.scheme).toBe("points");
  });

  it("redraws resamples that hit one depth only, and counts them", () => {
    const two = [
      { depth: 4, t: 10 },
      { depth: 8, t: 40 },
    ];
    const b = bootstrapGamma(two, { seed: 1, resamples: 200 });
    expect(b.redrawn).toBeGreaterThan(0);
    for (const g of b.gammas) expect(g).toBeCloseTo(2, 9);
  });
});

describe("floor-aware fit", () => {
  it("recovers c, a and γ from noise-free T = c + a·D^γ and flags the plain fit", () => {
    const depths = [2, 4, 6, 8, 12, 16, 24, 32];
    const ts = depths.map((d) => 200 + 2 * d ** 2);
    const f = fitFloor(depths, ts);
    expect(f.gamma).toBeCloseTo(2, 4);
    expect(f.c).toBeCloseTo(200, 1);
    expect(f.a).toBeCloseTo(2, 3);
    expect(f.sse).toBeLessThan(1e-10);
    expect(f.plainGamma).toBeLessThan(1.6);
    expect(f.disagrees).toBe(true);
  });

  it("agrees with the plain fit on a pure power law", () => {
    const depths = [2, 4, 8, 16, 32];
    const f = fitFloor(
      depths,
      depths.map((d) => 5 * d ** 1.33),
    );
    expect(f.relativeDifference).toBeLessThan(1e-6);
    expect(f.disagrees).toBe(false);
    expect(f.c).toBeLessThan(1e-3);
  });

  it("is skipped with a reason below 4 depths", () => {
    const rows = [4, 8, 16].flatMap((d) => linearRun("s", d, "0", d * d));
    const s = analyzeRowsOrThrow(rows, { bootstrap: 0 }).settings[0];
    expect(s?.ok && "skipped" in s.floor).toBe(true);
  });
});

describe("outputs", () => {
  const a = analyzeRowsOrThrow(
    [4, 8, 16, 32].flatMap((d) => [
      ...linearRun("x<&>", d, "0", 10 * d ** 1.2),
      ...linearRun("x<&>", d, "1", 11 * d ** 1.2),
      ...linearRun("y", d, "0", 3 * d ** 2),
    ]),
    { predict: [64] },
  );

  it("the SVG has axes labels, a legend with γ ± SE, escaped names and one band per setting", () => {
    const svg = renderSvg(a, { title: "T" });
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toContain("depth D");
    expect(svg).toMatch(/x&lt;&amp;&gt;: γ = 1\.20 ± 0\.0\d/);
    expect(svg).toContain("y: γ = 2.00");
    expect(svg.match(/<polygon /g)?.length).toBe(2);
    expect(svg).not.toContain("NaN");
    // Deterministic: the same analysis gives the same bytes.
    expect(renderSvg(a, { title: "T" })).toBe(svg);
  });

  it("renders a PNG", async () => {
    const png = await renderPng(renderSvg(a), 1);
    expect(Array.from(png.subarray(0, 8))).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
  });

  it("tables: one row per run, one per setting", () => {
    const runs = runsCsv(a).trim().split("\n");
    expect(runs[0]).toBe(
      "setting,depth,seed,status,T,crossed_at,accuracy_at,interpolated,first_evaluation,last_x,best_accuracy,evaluations",
    );
    expect(runs).toHaveLength(1 + 12);
    expect(fitsCsv(a).trim().split("\n")).toHaveLength(3);
  });
});

describe("shipped data", () => {
  it("the reference exponents file parses and holds the published values", () => {
    const json: unknown = JSON.parse(readFileSync(join(root, "data/fit/paper-exponents.json"), "utf8"));
    const r = checkPaperExponents(json);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const g = (level: string, regime: string): number | undefined =>
      r.value.find((e) => e.level === level && e.regime === regime)?.gamma;
    expect(g("implication", "default")).toBe(1.04);
    expect(g("quantification", "default")).toBe(2.6);
    expect([
      g("conjunction", "curriculum"),
      g("conjunction", "uniform"),
      g("conjunction", "difficult-only"),
    ]).toEqual([1.33, 1.7, 2.36]);
    expect(checkPaperExponents({ source: {}, exponents: [{ level: "x" }] }).ok).toBe(false);
  });

  it("the synthetic example logs fit, and their intervals cover the γ they were made with", () => {
    const regimes = readLogFiles([join(root, "data/fit/example-regimes.csv")]);
    if (!regimes.ok) throw new Error(regimes.issues[0].message);
    const a = analyzeRowsOrThrow(regimes.value, { interpolate: true });
    const truth: Record<string, number> = { curriculum: 1.33, uniform: 1.7, "difficult-only": 2.36 };
    for (const [name, g] of Object.entries(truth)) {
      const s = fitted(a, name);
      expect(Math.abs(s.fit.gamma - g) / g).toBeLessThan(0.06);
    }
    const levels = readLogFiles([join(root, "data/fit/example-levels.jsonl")], {
      metric: "tokens",
      columns: { setting: "level", depth: "D", accuracy: "val_acc" },
    });
    if (!levels.ok) throw new Error(levels.issues[0].message);
    const b = analyzeRowsOrThrow(levels.value, { interpolate: true });
    expect(fitted(b, "implication").fit.gamma).toBeGreaterThan(0.9);
    expect(fitted(b, "quantification").fit.gamma).toBeGreaterThan(2.3);
  });
});

describe("measured T (one row per run, --t-column)", () => {
  const text = [
    "level,depth,seed,T",
    "a,4,0,100",
    "a,8,0,390",
    "a,16,0,1650",
    "a,16,1,1500",
    "b,4,0,50",
    "b,8,0,120",
  ].join("\n");

  it("fits the given T directly, without crossings", () => {
    const rows = parseLog(text, "t.csv", { measuredColumn: "T", columns: { setting: "level" } });
    if (!rows.ok) throw new Error(rows.issues[0].message);
    const a = analyzeRowsOrThrow(rows.value, { measured: true, bootstrap: 0 });
    const s = fitted(a, "a");
    const ref = unwrap(fitPowerLaw([4, 8, 16, 16], [100, 390, 1650, 1500]));
    expect(s.fit.gamma).toBe(ref.gamma);
    expect(s.fit.n).toBe(4);
    expect(fitted(a, "b").fit.gamma).toBeCloseTo(Math.log2(120 / 50), 12);
    expect(renderSvg(a)).toContain("T (log scale)");
  });

  it("requires the named column, and reports a run given twice", () => {
    const missing = parseLog(text, "t.csv", { measuredColumn: "steps" });
    expect(missing.ok ? null : missing.issues[0]).toMatchObject({ code: "missing-column", column: "steps" });
    const rows = parseLog(text + "\na,8,0,400", "t.csv", {
      measuredColumn: "T",
      columns: { setting: "level" },
    });
    if (!rows.ok) throw new Error("parse");
    const r = analyzeRows(rows.value, { measured: true });
    expect(r.ok ? null : r.issues[0]).toMatchObject({ code: "conflicting-evaluation", row: 7 });
  });
});
