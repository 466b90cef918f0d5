/**
 * Ordinary least squares of log T on log D, with the usual normal-theory uncertainty. Sums are
 * taken around the means (two passes) because log-compute values are large and close together,
 * where the one-pass Σx², Σxy formulas lose digits.
 */
import tQuantileFn from "@stdlib/stats-base-dists-t-quantile";
import type { FitIssue, FitResult } from "./issue.js";
import { resultOf } from "./issue.js";

/** A straight-line fit y = intercept + slope·x with its uncertainty. */
export interface LineFit {
  readonly n: number;
  readonly slope: number;
  readonly intercept: number;
  /** Coefficient of determination; null when all y are equal (0/0). */
  readonly r2: number | null;
  /** Residual degrees of freedom, n − 2. */
  readonly df: number;
  /** Residual standard deviation √(SSE/(n−2)); null when df = 0. */
  readonly sigma: number | null;
  /** Standard error of the slope; null when df = 0. */
  readonly seSlope: number | null;
  /** Standard error of the intercept; null when df = 0. */
  readonly seIntercept: number | null;
  readonly xMean: number;
  /** Σ(x − x̄)². */
  readonly sxx: number;
  readonly sse: number;
}

/** The t distribution's p-quantile with df degrees of freedom (df > 0). */
export function tQuantile(p: number, df: number): number {
  return tQuantileFn(p, df);
}

/**
 * Fits y = intercept + slope·x. Callers guarantee equal lengths, finite values and at least two
 * distinct x; `fitPowerLaw` is the checked entry point.
 */
export function fitLine(xs: ArrayLike<number>, ys: ArrayLike<number>, n: number = xs.length): LineFit {
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    sx += xs[i] as number;
    sy += ys[i] as number;
  }
  const xMean = sx / n;
  const yMean = sy / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (xs[i] as number) - xMean;
    const dy = (ys[i] as number) - yMean;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  const slope = sxy / sxx;
  const intercept = yMean - slope * xMean;
  let sse = 0;
  for (let i = 0; i < n; i++) {
    const r = (ys[i] as number) - intercept - slope * (xs[i] as number);
    sse += r * r;
  }
  const df = n - 2;
  const sigma = df > 0 ? Math.sqrt(sse / df) : null;
  return {
    n,
    slope,
    intercept,
    r2: syy > 0 ? Math.max(0, 1 - sse / syy) : null,
    df,
    sigma,
    seSlope: sigma === null ? null : sigma / Math.sqrt(sxx),
    seIntercept: sigma === null ? null : sigma * Math.sqrt(1 / n + (xMean * xMean) / sxx),
    xMean,
    sxx,
    sse,
  };
}

/** A fitted power law T = a·D^γ (from the log-log line) with interval estimates. */
export interface PowerLawFit {
  /** Number of (D, T) points fitted. */
  readonly n: number;
  readonly distinctDepths: number;
  readonly gamma: number;
  readonly a: number;
  readonly logA: number;
  readonly r2: number | null;
  readonly seGamma: number | null;
  readonly seLogA: number | null;
  readonly df: number;
  /** Two-sided interval for γ from the t distribution with n − 2 df; null when n = 2. */
  readonly ciGamma: readonly [number, number] | null;
  /** Confidence level of `ciGamma` (e.g. 0.95). */
  readonly level: number;
  /** The underlying line in log space, for predictions and bands. */
  readonly line: LineFit;
}

/** Validates (D, T) points and fits log T = log a + γ log D by least squares. */
export function fitPowerLaw(
  depths: readonly number[],
  ts: readonly number[],
  level = 0.95,
  setting?: string,
): FitResult<PowerLawFit> {
  const issues: FitIssue[] = [];
  const at = setting === undefined ? {} : { setting };
  if (!(level > 0 && level < 1))
    issues.push({ code: "bad-option", message: `level ${level} must be in (0, 1)` });
  if (depths.length !== ts.length) {
    issues.push({ code: "bad-option", message: `${depths.length} depths but ${ts.length} values of T` });
  }
  depths.forEach((d, i) => {
    if (!Number.isFinite(d) || d <= 0)
      issues.push({
        code: "non-positive-depth",
        message: `depth #${i + 1} is ${d}; depths must be positive`,
        ...at,
      });
  });
  ts.forEach((t, i) => {
    if (!Number.isFinite(t) || t <= 0)
      issues.push({
        code: "non-positive-t",
        message: `T #${i + 1} (depth ${depths[i] ?? "?"}) is ${t}; log T needs T > 0 (a run that is already at the threshold at compute 0 cannot be fitted)`,
        ...at,
      });
  });
  const distinct = new Set(depths).size;
  if (issues.length === 0 && distinct < 2) {
    issues.push({
      code: "too-few-depths",
      message: `${distinct} distinct depth${distinct === 1 ? "" : "s"} with a crossing; a slope needs at least 2`,
      ...at,
    });
  }
  return resultOf(issues, () => {
    const xs = depths.map(Math.log);
    const ys = ts.map(Math.log);
    const line = fitLine(xs, ys);
    const q = line.df > 0 ? tQuantile(1 - (1 - level) / 2, line.df) : null;
    const ci: readonly [number, number] | null =
      q === null || line.seSlope === null
        ? null
        : [line.slope - q * line.seSlope, line.slope + q * line.seSlope];
    return {
      n: line.n,
      distinctDepths: distinct,
      gamma: line.slope,
      a: Math.exp(line.intercept),
      logA: line.intercept,
      r2: line.r2,
      seGamma: line.seSlope,
      seLogA: line.seIntercept,
      df: line.df,
      ciGamma: ci,
      level,
      line,
    };
  });
}

/** T predicted at one depth, with a confidence interval for the fitted (median) T and a prediction interval for one new run. */
export interface Prediction {
  readonly depth: number;
  readonly t: number;
  /** Interval for the line itself (where the typical run lands); null when n = 2. */
  readonly confidence: readonly [number, number] | null;
  /** Interval for a single new run, including run-to-run scatter; null when n = 2. */
  readonly prediction: readonly [number, number] | null;
}

/** Predicts T at a depth from a power-law fit (normal theory in log space, mapped back by exp). */
export function predictT(fit: PowerLawFit, depth: number): Prediction {
  const { line } = fit;
  const x0 = Math.log(depth);
  const y0 = line.intercept + line.slope * x0;
  if (line.sigma === null || line.df <= 0)
    return { depth, t: Math.exp(y0), confidence: null, prediction: null };
  const q = tQuantile(1 - (1 - fit.level) / 2, line.df);
  const lev = 1 / line.n + ((x0 - line.xMean) * (x0 - line.xMean)) / line.sxx;
  const seMean = line.sigma * Math.sqrt(lev);
  const sePred = line.sigma * Math.sqrt(1 + lev);
  return {
    depth,
    t: Math.exp(y0),
    confidence: [Math.exp(y0 - q * seMean), Math.exp(y0 + q * seMean)],
    prediction: [Math.exp(y0 - q * sePred), Math.exp(y0 + q * sePred)],
  };
}
