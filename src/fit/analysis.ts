/**
 * The whole fitting job on validated log rows: crossings → points per setting → power-law fit,
 * bootstrap, floor-aware fit, predictions → comparisons between settings. Returns plain data
 * (JSON-ready) plus what the plot needs.
 */
import * as aq from "arquero";
import { bootstrapGamma, aggregatePoints, type Aggregate, type BootstrapResult } from "./bootstrap.js";
import { compareGammas, type GammaComparison } from "./comparison.js";
import { findCrossings, type CensoredRun, type CrossedRun, type Crossings } from "./crossing.js";
import { fitFloor, type FloorFit } from "./floor.js";
import { resultOf, unwrap, type FitIssue, type FitIssues, type FitResult } from "./issue.js";
import type { LogRow } from "./log.js";
import { fitPowerLaw, predictT, type PowerLawFit, type Prediction } from "./regression.js";

/** Options of the whole analysis; every field has a documented default. */
export interface AnalysisOptions {
  /** Accuracy threshold for T (default 0.90). */
  readonly threshold?: number;
  /** Interpolate the crossing linearly between evaluations (default false). */
  readonly interpolate?: boolean;
  /** Fit every run as a point ("points", default) or one geometric-mean T per depth ("geomean"). */
  readonly aggregate?: Aggregate;
  /** Bootstrap resamples (default 1000; 0 turns the bootstrap off). */
  readonly bootstrap?: number;
  /** Bootstrap seed (default "scalelogic"); each setting uses `${seed}/${setting}` so their draws are independent. */
  readonly seed?: string | number;
  /** Interval level (default 0.95). */
  readonly level?: number;
  /** Depths to predict T at (default none). */
  readonly predict?: readonly number[];
  /** Relative γ difference at which the floor-aware fit is flagged (default 0.05). */
  readonly floorTolerance?: number;
  /**
   * The rows are already one measured T per run (`x`), e.g. read with `measuredColumn`: no
   * threshold crossing is computed, and threshold/interpolate are ignored (default false).
   */
  readonly measured?: boolean;
}

/** Bootstrap figures as they appear in JSON (the draws themselves are left out). */
export interface BootstrapSummary {
  readonly scheme: BootstrapResult["scheme"];
  readonly seed: string;
  readonly resamples: number;
  readonly redrawn: number;
  readonly level: number;
  readonly gammaInterval: readonly [number, number];
  readonly seGamma: number;
}

/** A setting that was fitted. */
export interface FittedSetting {
  readonly ok: true;
  readonly setting: string;
  /** The (D, T) points the line was fitted to. */
  readonly points: ReadonlyArray<{ readonly depth: number; readonly t: number }>;
  readonly runs: number;
  readonly censored: number;
  readonly depths: readonly number[];
  readonly fit: Omit<PowerLawFit, "line">;
  readonly bootstrap: BootstrapSummary | null;
  /** The floor-aware fit, or why it was skipped. */
  readonly floor: FloorFit | { readonly skipped: string };
  readonly predictions: readonly Prediction[];
  /** Things a reader should know (censoring, upper-bound T, too few points for an SE …). */
  readonly warnings: readonly string[];
}

/** A setting that could not be fitted, with why. */
export interface FailedSetting {
  readonly ok: false;
  readonly setting: string;
  readonly runs: number;
  readonly censored: number;
  readonly issues: FitIssues;
}

/** Per (setting, depth): how many runs crossed or were censored, and the spread of T. */
export interface DepthSummary {
  readonly setting: string;
  readonly depth: number;
  readonly runs: number;
  readonly censored: number;
  readonly tGeomean: number | null;
  readonly tMin: number | null;
  readonly tMax: number | null;
}

/** Everything the analysis found. */
export interface Analysis {
  readonly threshold: number;
  readonly interpolate: boolean;
  readonly aggregate: Aggregate;
  readonly level: number;
  readonly settings: ReadonlyArray<FittedSetting | FailedSetting>;
  readonly comparisons: readonly GammaComparison[];
  readonly depthTable: readonly DepthSummary[];
  readonly runs: readonly CrossedRun[];
  readonly censored: readonly CensoredRun[];
}

function checkOptions(o: AnalysisOptions): FitIssue[] {
  const issues: FitIssue[] = [];
  const bad = (message: string): void => {
    issues.push({ code: "bad-option", message });
  };
  if (o.bootstrap !== undefined && !(Number.isInteger(o.bootstrap) && o.bootstrap >= 0 && o.bootstrap <= 1e6))
    bad(`bootstrap ${o.bootstrap} must be an integer from 0 to 1,000,000`);
  if (o.level !== undefined && !(o.level > 0 && o.level < 1)) bad(`level ${o.level} must be in (0, 1)`);
  if (o.floorTolerance !== undefined && !(o.floorTolerance > 0)) bad(`floor tolerance must be positive`);
  if (o.aggregate !== undefined && o.aggregate !== "points" && o.aggregate !== "geomean")
    bad(`aggregate must be "points" or "geomean"`);
  for (const d of o.predict ?? [])
    if (!(Number.isFinite(d) && d > 0)) bad(`prediction depth ${d} must be positive`);
  return issues;
}

function depthTable(runs: readonly CrossedRun[], censored: readonly CensoredRun[]): DepthSummary[] {
  const crossed = runs.map((r) => ({ setting: r.setting, depth: r.depth, t: r.t, c: 0 }));
  const cens = censored.map((r) => ({ setting: r.setting, depth: r.depth, t: NaN, c: 1 }));
  const all = [...crossed, ...cens];
  if (all.length === 0) return [];
  const rows = aq
    .from(all)
    .groupby("setting", "depth")
    .rollup({
      runs: "d => op.sum(1 - d.c)",
      censored: "d => op.sum(d.c)",
      logMean: "d => op.mean(d.c === 0 ? op.log(d.t) : undefined)",
      tMin: "d => op.min(d.c === 0 ? d.t : undefined)",
      tMax: "d => op.max(d.c === 0 ? d.t : undefined)",
    })
    .orderby("setting", "depth")
    .objects() as Array<Record<string, unknown>>;
  const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
  return rows.map((r) => {
    const logMean = num(r["logMean"]);
    const runsN = num(r["runs"]) ?? 0;
    return {
      setting: String(r["setting"]),
      depth: num(r["depth"]) ?? NaN,
      runs: runsN,
      censored: num(r["censored"]) ?? 0,
      tGeomean: runsN > 0 && logMean !== null ? Math.exp(logMean) : null,
      tMin: runsN > 0 ? num(r["tMin"]) : null,
      tMax: runsN > 0 ? num(r["tMax"]) : null,
    };
  });
}

function analyzeSetting(
  setting: string,
  runs: readonly CrossedRun[],
  censored: readonly CensoredRun[],
  o: Required<Omit<AnalysisOptions, "threshold" | "interpolate" | "measured">>,
): { result: FittedSetting | FailedSetting; draws?: Float64Array } {
  const { depths, ts } = aggregatePoints(runs, o.aggregate);
  const plain = fitPowerLaw(depths, ts, o.level, setting);
  if (!plain.ok) {
    const issues: FitIssues =
      runs.length === 0
        ? [
            {
              code: "no-crossing",
              message: `no run reached the threshold (${censored.length} censored)`,
              setting,
            },
          ]
        : plain.issues;
    return { result: { ok: false, setting, runs: runs.length, censored: censored.length, issues } };
  }
  const f = plain.value;
  const warnings: string[] = [];
  if (censored.length > 0) {
    const where = [...new Set(censored.map((c) => c.depth))].sort((a, b) => a - b).join(", ");
    warnings.push(
      `${censored.length} run(s) never reached the threshold (depths ${where}); they are excluded from the fit, which biases γ downward if they are at the deep end`,
    );
  }
  const early = runs.filter((r) => r.firstEvaluation).length;
  if (early > 0)
    warnings.push(
      `${early} run(s) were at the threshold at their first evaluation; their T is an upper bound`,
    );
  if (f.df === 0)
    warnings.push("only 2 points: no standard error or t interval (n − 2 = 0 degrees of freedom)");

  let bootstrap: BootstrapSummary | null = null;
  let draws: Float64Array | undefined;
  if (o.bootstrap > 0) {
    const b = bootstrapGamma(runs, {
      resamples: o.bootstrap,
      seed: `${String(o.seed)}/${setting}`,
      level: o.level,
      aggregate: o.aggregate,
    });
    draws = b.gammas;
    bootstrap = {
      scheme: b.scheme,
      seed: b.seed,
      resamples: b.resamples,
      redrawn: b.redrawn,
      level: b.level,
      gammaInterval: b.gammaInterval,
      seGamma: b.seGamma,
    };
  }
  const floor =
    f.distinctDepths >= 4
      ? fitFloor(depths, ts, o.floorTolerance)
      : { skipped: `needs at least 4 distinct depths for 3 parameters (has ${f.distinctDepths})` };
  if ("disagrees" in floor && floor.disagrees) {
    warnings.push(
      `floor-aware fit T = c + a·D^γ gives γ = ${floor.gamma.toFixed(3)} vs ${f.gamma.toFixed(3)} (${(100 * floor.relativeDifference).toFixed(1)} % apart > ${(100 * floor.tolerance).toFixed(0)} %)`,
    );
  }
  const { line: _line, ...fitJson } = f;
  const result: FittedSetting = {
    ok: true,
    setting,
    points: depths.map((d, i) => ({ depth: d, t: ts[i] ?? NaN })),
    runs: runs.length,
    censored: censored.length,
    depths: [...new Set(depths)].sort((a, b) => a - b),
    fit: fitJson,
    bootstrap,
    floor,
    predictions: o.predict.map((d) => predictT(f, d)),
    warnings,
  };
  return draws === undefined ? { result } : { result, draws };
}

/** Runs the analysis on validated rows; input problems come back as issues, never thrown. */
export function analyzeRows(rows: readonly LogRow[], opts: AnalysisOptions = {}): FitResult<Analysis> {
  const optIssues = checkOptions(opts);
  if (optIssues.length > 0) return resultOf<Analysis>(optIssues, () => unreachable());
  const crossings =
    opts.measured === true
      ? measuredRuns(rows)
      : findCrossings(rows, {
          ...(opts.threshold === undefined ? {} : { threshold: opts.threshold }),
          ...(opts.interpolate === undefined ? {} : { interpolate: opts.interpolate }),
        });
  if (!crossings.ok) return crossings;
  const { runs, censored, threshold, interpolate } = crossings.value;
  const o = {
    aggregate: opts.aggregate ?? "points",
    bootstrap: opts.bootstrap ?? 1000,
    seed: opts.seed ?? "scalelogic",
    level: opts.level ?? 0.95,
    predict: opts.predict ?? [],
    floorTolerance: opts.floorTolerance ?? 0.05,
  };
  const names = [...new Set([...runs.map((r) => r.setting), ...censored.map((c) => c.setting)])].sort();
  const settings: Array<FittedSetting | FailedSetting> = [];
  const estimates: Array<{
    setting: string;
    gamma: number;
    seGamma: number | null;
    df: number;
    draws?: Float64Array;
  }> = [];
  for (const s of names) {
    const { result, draws } = analyzeSetting(
      s,
      runs.filter((r) => r.setting === s),
      censored.filter((c) => c.setting === s),
      o,
    );
    settings.push(result);
    if (result.ok) {
      const e = { setting: s, gamma: result.fit.gamma, seGamma: result.fit.seGamma, df: result.fit.df };
      estimates.push(draws === undefined ? e : { ...e, draws });
    }
  }
  const comparisons: GammaComparison[] = [];
  for (let i = 0; i < estimates.length; i++) {
    for (let j = i + 1; j < estimates.length; j++) {
      const a = estimates[i];
      const b = estimates[j];
      if (a !== undefined && b !== undefined) comparisons.push(compareGammas(a, b, o.level));
    }
  }
  return {
    ok: true,
    value: {
      threshold,
      interpolate,
      aggregate: o.aggregate,
      level: o.level,
      settings,
      comparisons,
      depthTable: depthTable(runs, censored),
      runs,
      censored,
    },
  };
}

/** Rows that already are one T per run; a run given twice is an input error. */
function measuredRuns(rows: readonly LogRow[]): FitResult<Crossings> {
  if (rows.length === 0) return { ok: false, issues: [{ code: "empty-log", message: "no rows" }] };
  const seen = new Map<string, LogRow>();
  const issues: FitIssue[] = [];
  const runs: CrossedRun[] = [];
  for (const r of rows) {
    const key = JSON.stringify([r.setting, r.depth, r.seed]);
    const prev = seen.get(key);
    if (prev !== undefined) {
      issues.push({
        code: "conflicting-evaluation",
        message: `run (setting ${r.setting}, depth ${r.depth}, seed ${r.seed}) has a second T (also ${prev.source} row ${prev.row})`,
        source: r.source,
        row: r.row,
      });
      continue;
    }
    seen.set(key, r);
    runs.push({
      setting: r.setting,
      depth: r.depth,
      seed: r.seed,
      t: r.x,
      crossedAt: r.x,
      accuracyAt: null,
      interpolated: false,
      firstEvaluation: false,
      evaluations: 1,
    });
  }
  return resultOf(issues, () => ({ threshold: NaN, interpolate: false, runs, censored: [] }));
}

function unreachable(): never {
  throw new Error("unreachable: a result with issues has no value");
}

/** Throwing twin of `analyzeRows`. */
export function analyzeRowsOrThrow(rows: readonly LogRow[], opts: AnalysisOptions = {}): Analysis {
  return unwrap(analyzeRows(rows, opts));
}
