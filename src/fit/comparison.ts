/**
 * Comparing exponents between settings: is γ really larger under one regime than another? The two
 * fits use disjoint runs, so their errors are independent and the variance of the difference is
 * the sum of the variances.
 */
import { quantileSorted } from "./bootstrap.js";
import { tQuantile } from "./regression.js";

/** What a comparison needs from each setting's fit. */
export interface GammaEstimate {
  readonly setting: string;
  readonly gamma: number;
  readonly seGamma: number | null;
  readonly df: number;
  /** Bootstrap draws of γ, when a bootstrap was run. */
  readonly draws?: Float64Array;
}

/** γ_a − γ_b with two intervals. */
export interface GammaComparison {
  readonly a: string;
  readonly b: string;
  readonly difference: number;
  /** √(SE_a² + SE_b²); null when either SE is unknown. */
  readonly se: number | null;
  /** Welch–Satterthwaite degrees of freedom for the t interval. */
  readonly df: number | null;
  readonly level: number;
  /** t interval of the difference; null when either SE is unknown. */
  readonly interval: readonly [number, number] | null;
  /**
   * Percentile interval of draw-by-draw differences of the two independent bootstraps; null when
   * either side has no draws.
   */
  readonly bootstrapInterval: readonly [number, number] | null;
  /** True when the t interval (or, without one, the bootstrap interval) excludes 0. */
  readonly distinguishable: boolean | null;
}

/** Compares γ of two settings. */
export function compareGammas(a: GammaEstimate, b: GammaEstimate, level = 0.95): GammaComparison {
  const difference = a.gamma - b.gamma;
  let se: number | null = null;
  let df: number | null = null;
  let interval: readonly [number, number] | null = null;
  if (a.seGamma !== null && b.seGamma !== null && a.df > 0 && b.df > 0) {
    const va = a.seGamma * a.seGamma;
    const vb = b.seGamma * b.seGamma;
    se = Math.sqrt(va + vb);
    // When both variances are 0 (noise-free data) any df gives a zero-width interval.
    df = va + vb > 0 ? ((va + vb) * (va + vb)) / ((va * va) / a.df + (vb * vb) / b.df) : a.df + b.df;
    const q = tQuantile(1 - (1 - level) / 2, df);
    interval = [difference - q * se, difference + q * se];
  }
  let bootstrapInterval: readonly [number, number] | null = null;
  if (a.draws !== undefined && b.draws !== undefined && a.draws.length > 0 && b.draws.length > 0) {
    const m = Math.min(a.draws.length, b.draws.length);
    const diffs = new Float64Array(m);
    for (let i = 0; i < m; i++) diffs[i] = (a.draws[i] ?? 0) - (b.draws[i] ?? 0);
    diffs.sort();
    const alpha = (1 - level) / 2;
    bootstrapInterval = [quantileSorted(diffs, alpha), quantileSorted(diffs, 1 - alpha)];
  }
  const iv = interval ?? bootstrapInterval;
  return {
    a: a.setting,
    b: b.setting,
    difference,
    se,
    df,
    level,
    interval,
    bootstrapInterval,
    distinguishable: iv === null ? null : iv[0] > 0 || iv[1] < 0,
  };
}
