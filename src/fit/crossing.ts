/**
 * T(D) per run: the compute at which a run's accuracy first reaches the threshold. Runs that never
 * reach it are kept as censored records, because dropping them would make hard depths look cheap.
 */
import * as aq from "arquero";
import { resultOf, type FitIssue, type FitResult } from "./issue.js";
import type { LogRow } from "./log.js";

/** How a crossing is read off a run's evaluations. */
export interface CrossingOptions {
  /** Accuracy to reach (default 0.90); a run crosses at the first evaluation with accuracy ≥ threshold. */
  readonly threshold?: number;
  /**
   * When true, T is interpolated linearly (in compute, between the evaluation just before the
   * crossing, which is below the threshold, and the first one at or above it) to the point where
   * the straight line between them meets the threshold. When false, T is the compute of the first
   * evaluation at or above the threshold.
   */
  readonly interpolate?: boolean;
}

/** One run (setting, depth, seed) that reached the threshold. */
export interface CrossedRun {
  readonly setting: string;
  readonly depth: number;
  readonly seed: string;
  /** The compute T used in fits. */
  readonly t: number;
  /** Compute of the first evaluation at or above the threshold. */
  readonly crossedAt: number;
  /** Accuracy at that evaluation (null when T was given directly, see `AnalysisOptions.measured`). */
  readonly accuracyAt: number | null;
  /** Whether `t` was interpolated (false when interpolation is off or there is no earlier evaluation). */
  readonly interpolated: boolean;
  /** True when the very first evaluation was already at the threshold: T is then only an upper bound. */
  readonly firstEvaluation: boolean;
  readonly evaluations: number;
}

/** One run that never reached the threshold (right-censored: its T is larger than `lastX`). */
export interface CensoredRun {
  readonly setting: string;
  readonly depth: number;
  readonly seed: string;
  /** Compute of the last evaluation. */
  readonly lastX: number;
  /** Best accuracy the run reached. */
  readonly bestAccuracy: number;
  readonly evaluations: number;
}

/** All runs, split into crossed and censored. */
export interface Crossings {
  readonly threshold: number;
  readonly interpolate: boolean;
  readonly runs: readonly CrossedRun[];
  readonly censored: readonly CensoredRun[];
}

/** Checks a threshold option: a number in (0, 1]. */
export function checkThreshold(threshold: number): FitIssue | null {
  if (!Number.isFinite(threshold) || threshold <= 0 || threshold > 1) {
    return { code: "bad-option", message: `threshold ${threshold} must be a number in (0, 1]` };
  }
  return null;
}

interface Eval {
  readonly setting: string;
  readonly depth: number;
  readonly seed: string;
  readonly x: number;
  readonly accuracy: number;
  readonly source: string;
  readonly row: number;
}

/** Finds every run's crossing; conflicting duplicate evaluations are reported, not guessed at. */
export function findCrossings(rows: readonly LogRow[], opts: CrossingOptions = {}): FitResult<Crossings> {
  const threshold = opts.threshold ?? 0.9;
  const interpolate = opts.interpolate ?? false;
  const bad = checkThreshold(threshold);
  if (bad !== null) return { ok: false, issues: [bad] };
  if (rows.length === 0) return { ok: false, issues: [{ code: "empty-log", message: "no evaluations" }] };

  const sorted = aq
    .from(rows as LogRow[])
    .orderby("setting", "depth", "seed", "x")
    .objects() as Eval[];

  const issues: FitIssue[] = [];
  const runs: CrossedRun[] = [];
  const censored: CensoredRun[] = [];
  let start = 0;
  while (start < sorted.length) {
    const first = sorted[start];
    if (first === undefined) break;
    let end = start;
    while (end < sorted.length) {
      const e = sorted[end];
      if (e === undefined || e.setting !== first.setting || e.depth !== first.depth || e.seed !== first.seed)
        break;
      end++;
    }
    // Collapse exact repeats; a repeated compute value with a different accuracy is an input error.
    const evals: Eval[] = [];
    for (let i = start; i < end; i++) {
      const e = sorted[i];
      if (e === undefined) continue;
      const prev = evals[evals.length - 1];
      if (prev !== undefined && prev.x === e.x) {
        if (prev.accuracy !== e.accuracy) {
          issues.push({
            code: "conflicting-evaluation",
            message: `run (setting ${e.setting}, depth ${e.depth}, seed ${e.seed}) has two evaluations at ${e.x} with accuracies ${prev.accuracy} and ${e.accuracy} (also ${prev.source} row ${prev.row})`,
            source: e.source,
            row: e.row,
          });
        }
        continue;
      }
      evals.push(e);
    }
    const idx = evals.findIndex((e) => e.accuracy >= threshold);
    const hit = evals[idx];
    if (idx < 0 || hit === undefined) {
      const last = evals[evals.length - 1];
      censored.push({
        setting: first.setting,
        depth: first.depth,
        seed: first.seed,
        lastX: last?.x ?? first.x,
        bestAccuracy: Math.max(...evals.map((e) => e.accuracy)),
        evaluations: evals.length,
      });
    } else {
      const before = idx > 0 ? evals[idx - 1] : undefined;
      let t = hit.x;
      let interpolated = false;
      if (interpolate && before !== undefined) {
        // before.accuracy < threshold ≤ hit.accuracy, so the slope is positive and t ∈ (before.x, hit.x].
        const frac = (threshold - before.accuracy) / (hit.accuracy - before.accuracy);
        t = before.x + frac * (hit.x - before.x);
        interpolated = true;
      }
      runs.push({
        setting: first.setting,
        depth: first.depth,
        seed: first.seed,
        t,
        crossedAt: hit.x,
        accuracyAt: hit.accuracy,
        interpolated,
        firstEvaluation: idx === 0,
        evaluations: evals.length,
      });
    }
    start = end;
  }
  return resultOf(issues, () => ({ threshold, interpolate, runs, censored }));
}
