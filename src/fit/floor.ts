/**
 * The floor-aware alternative T = c + a·D^γ (c ≥ 0: compute every run pays regardless of depth,
 * e.g. learning the answer format). A floor flattens the small-depth end of a log-log plot, so a
 * plain power law can misread it as a smaller γ; fitting both and flagging disagreement tells the
 * reader whether the exponent is robust.
 *
 * Method: profile likelihood over c. Residuals are measured in log T (the same scale as the plain
 * fit, so c = 0 reproduces it exactly and the floor fit is never worse). For each c on a grid over
 * [0, 0.999·min T] the two remaining parameters (log a, γ) are found by Levenberg–Marquardt started
 * from the least-squares line through log(T − c); the best grid cell is then refined by a
 * golden-section search on c.
 */
import { fitLine } from "./regression.js";

/** The floor-aware fit and how it compares with the plain power law. */
export interface FloorFit {
  readonly c: number;
  readonly a: number;
  readonly gamma: number;
  /** Residual sum of squares in log T. */
  readonly sse: number;
  /** The plain fit's γ and SSE on the same points. */
  readonly plainGamma: number;
  readonly plainSse: number;
  /** |γ_floor − γ_plain| / |γ_plain|. */
  readonly relativeDifference: number;
  /** True when the two γ differ by more than `tolerance` (default 5 %). */
  readonly disagrees: boolean;
  readonly tolerance: number;
  /** True when the best c sits at the top of its range (the floor is as large as the data allow). */
  readonly cAtUpperBound: boolean;
}

interface Inner {
  readonly u: number;
  readonly g: number;
  readonly sse: number;
}

function sseAt(x: readonly number[], y: readonly number[], c: number, u: number, g: number): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    const r = (y[i] ?? 0) - Math.log(c + Math.exp(u + g * (x[i] ?? 0)));
    s += r * r;
  }
  return s;
}

/** Minimises Σ(log T − log(c + e^u·D^g))² over (u, g) for a fixed c by Levenberg–Marquardt. */
function innerFit(
  x: readonly number[],
  y: readonly number[],
  c: number,
  start: { u: number; g: number },
): Inner {
  let { u, g } = start;
  let sse = sseAt(x, y, c, u, g);
  let lambda = 1e-3;
  for (let iter = 0; iter < 200; iter++) {
    let a11 = 0;
    let a12 = 0;
    let a22 = 0;
    let b1 = 0;
    let b2 = 0;
    for (let i = 0; i < x.length; i++) {
      const xi = x[i] ?? 0;
      const m = Math.exp(u + g * xi);
      const f = c + m;
      const r = (y[i] ?? 0) - Math.log(f);
      // d log f / du = m/f, d log f / dg = m·x/f; the residual's Jacobian is their negative.
      const j1 = m / f;
      const j2 = (m * xi) / f;
      a11 += j1 * j1;
      a12 += j1 * j2;
      a22 += j2 * j2;
      b1 += j1 * r;
      b2 += j2 * r;
    }
    let improved = false;
    for (let tries = 0; tries < 30; tries++) {
      const m11 = a11 * (1 + lambda);
      const m22 = a22 * (1 + lambda);
      const det = m11 * m22 - a12 * a12;
      if (!(det > 0)) {
        lambda *= 10;
        continue;
      }
      const du = (m22 * b1 - a12 * b2) / det;
      const dg = (m11 * b2 - a12 * b1) / det;
      const next = sseAt(x, y, c, u + du, g + dg);
      if (next < sse) {
        const gain = sse - next;
        u += du;
        g += dg;
        sse = next;
        lambda = Math.max(lambda / 3, 1e-12);
        improved = gain > 1e-15 * (1 + sse);
        break;
      }
      lambda *= 4;
    }
    if (!improved) break;
  }
  return { u, g, sse };
}

function fitAtC(x: readonly number[], y: readonly number[], c: number): Inner {
  const shifted = y.map((yi) => Math.log(Math.exp(yi) - c));
  const l = fitLine(x, shifted);
  return innerFit(x, y, c, { u: l.intercept, g: l.slope });
}

/**
 * Fits T = c + a·D^γ to validated points (D > 0, T > 0, at least 4 distinct depths so that three
 * parameters leave a residual degree of freedom; callers check).
 */
export function fitFloor(
  depths: readonly number[],
  ts: readonly number[],
  tolerance = 0.05,
  gridSize = 64,
): FloorFit {
  const x = depths.map(Math.log);
  const y = ts.map(Math.log);
  const plain = fitLine(x, y);
  const cMax = 0.999 * Math.min(...ts);
  let best = { c: 0, fit: { u: plain.intercept, g: plain.slope, sse: plain.sse } as Inner, k: 0 };
  for (let k = 1; k < gridSize; k++) {
    const c = (cMax * k) / (gridSize - 1);
    const fit = fitAtC(x, y, c);
    if (fit.sse < best.fit.sse) best = { c, fit, k };
  }
  // Golden-section on c within the neighbouring grid cells of the best point.
  let lo = (cMax * Math.max(0, best.k - 1)) / (gridSize - 1);
  let hi = (cMax * Math.min(gridSize - 1, best.k + 1)) / (gridSize - 1);
  const phi = (Math.sqrt(5) - 1) / 2;
  let c1 = hi - phi * (hi - lo);
  let c2 = lo + phi * (hi - lo);
  let f1 = fitAtC(x, y, c1);
  let f2 = fitAtC(x, y, c2);
  for (let i = 0; i < 60 && hi - lo > 1e-12 * (1 + cMax); i++) {
    if (f1.sse < f2.sse) {
      hi = c2;
      c2 = c1;
      f2 = f1;
      c1 = hi - phi * (hi - lo);
      f1 = fitAtC(x, y, c1);
    } else {
      lo = c1;
      c1 = c2;
      f1 = f2;
      c2 = lo + phi * (hi - lo);
      f2 = fitAtC(x, y, c2);
    }
  }
  if (f1.sse < best.fit.sse) best = { c: c1, fit: f1, k: best.k };
  if (f2.sse < best.fit.sse) best = { c: c2, fit: f2, k: best.k };
  const rel = Math.abs(best.fit.g - plain.slope) / Math.abs(plain.slope);
  return {
    c: best.c,
    a: Math.exp(best.fit.u),
    gamma: best.fit.g,
    sse: best.fit.sse,
    plainGamma: plain.slope,
    plainSse: plain.sse,
    relativeDifference: rel,
    disagrees: !(rel <= tolerance),
    tolerance,
    cAtUpperBound: best.c >= cMax * (1 - 1e-6),
  };
}
