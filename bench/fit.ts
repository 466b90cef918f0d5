/**
 * Fit benchmark: the power-law fit plus a 1,000-resample bootstrap on 50 points (bar: well under a
 * second), beside a same-run baseline that does the same statistics the obvious way (fresh arrays
 * of objects per resample, map/reduce sums); and the whole analysis (crossings, fit, bootstrap,
 * floor-aware fit, comparisons) on 50 runs of logged evaluations.
 * Run alone: `node dist/bench/fit.js` prints the report as JSON.
 */
import { fileURLToPath } from "node:url";
import seedrandom from "seedrandom";
import { analyzeRows, bootstrapGamma, fitPowerLaw, type LogRow } from "../src/fit/index.js";
import type { BenchOptions, BenchReport } from "./report.js";

function points(n: number): Array<{ depth: number; t: number }> {
  const rng = seedrandom("bench-fit");
  const out: Array<{ depth: number; t: number }> = [];
  for (let i = 0; i < n; i++) {
    const depth = 2 + (i % 10) * 3;
    out.push({ depth, t: 5 * depth ** 1.7 * Math.exp(0.1 * (rng() - 0.5)) });
  }
  return out;
}

/** The obvious implementation: objects, map/reduce, a new array per resample. */
function naiveFitAndBootstrap(pts: ReadonlyArray<{ depth: number; t: number }>, resamples: number): number[] {
  const slope = (s: ReadonlyArray<{ depth: number; t: number }>): number => {
    const xy = s.map((p) => ({ x: Math.log(p.depth), y: Math.log(p.t) }));
    const mx = xy.reduce((a, p) => a + p.x, 0) / xy.length;
    const my = xy.reduce((a, p) => a + p.y, 0) / xy.length;
    const sxy = xy.reduce((a, p) => a + (p.x - mx) * (p.y - my), 0);
    const sxx = xy.reduce((a, p) => a + (p.x - mx) ** 2, 0);
    return sxy / sxx;
  };
  const rng = seedrandom("naive");
  const gammas = [slope(pts)];
  for (let b = 0; b < resamples; b++) {
    const s = Array.from(
      { length: pts.length },
      () => pts[Math.floor(rng() * pts.length)] ?? { depth: 1, t: 1 },
    );
    gammas.push(slope(s));
  }
  gammas.sort((a, b) => a - b);
  return [gammas[Math.floor(0.025 * gammas.length)] ?? NaN, gammas[Math.floor(0.975 * gammas.length)] ?? NaN];
}

function logs(runs: number): LogRow[] {
  const rows: LogRow[] = [];
  let row = 0;
  for (let r = 0; r < runs; r++) {
    const setting = r % 2 === 0 ? "a" : "b";
    const depth = 4 + 4 * (Math.floor(r / 2) % 5);
    const T = (setting === "a" ? 3 : 1) * depth ** (setting === "a" ? 1.3 : 2.1) * (1 + 0.05 * Math.sin(r));
    for (let k = 0; k <= 20; k++) {
      const x = (k * 2 * T) / 20;
      rows.push({
        setting,
        depth,
        seed: String(r),
        x,
        accuracy: Math.min(1, (0.9 * x) / T),
        source: "bench",
        row: ++row,
      });
    }
  }
  return rows;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

function time(reps: number, f: () => void): number {
  f(); // warm-up (JIT)
  const ms: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    f();
    ms.push(performance.now() - t0);
  }
  return median(ms);
}

/** Runs the fit benchmark. */
export async function run(opts: BenchOptions): Promise<BenchReport> {
  const reps = Math.max(3, Math.round(21 * opts.scale));
  const pts = points(50);
  const depths = pts.map((p) => p.depth);
  const ts = pts.map((p) => p.t);
  const ours = time(reps, () => {
    fitPowerLaw(depths, ts);
    bootstrapGamma(pts, { resamples: 1000, seed: 1 });
  });
  const naive = time(reps, () => {
    naiveFitAndBootstrap(pts, 1000);
  });
  const rows = logs(50);
  const full = time(Math.max(3, Math.round(reps / 3)), () => {
    analyzeRows(rows, { bootstrap: 1000, predict: [32] });
  });
  const noBoot = time(Math.max(3, Math.round(reps / 3)), () => {
    analyzeRows(rows, { bootstrap: 0 });
  });
  return {
    suite: "fit",
    figures: [
      {
        name: "OLS fit + 1,000-resample bootstrap, 50 points (median)",
        value: ours,
        unit: "ms",
        baselineName: "same statistics, naive arrays-of-objects implementation",
        baseline: naive,
        bar: "well under 1,000 ms",
        extra: { reps },
      },
      {
        name: "whole analysis: 50 runs × 21 evaluations, 2 settings, 1,000 resamples each, floor fit (median)",
        value: full,
        unit: "ms",
        baselineName: "same analysis without bootstrap",
        baseline: noBoot,
      },
    ],
  };
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  run({ scale: Number(process.env["BENCH_SCALE"] ?? 1) })
    .then((r) => process.stdout.write(JSON.stringify(r, null, 2) + "\n"))
    .catch((e: unknown) => {
      process.stderr.write(`bench fit: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(2);
    });
}
