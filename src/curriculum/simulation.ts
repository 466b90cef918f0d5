/**
 * SIMULATION: runs a schedule against the simulated learner of learner.ts and measures how many
 * simulated training steps it needs. A test bed for schedules, not evidence about real models.
 *
 * Each step: the controller issues a batch spec, every item gets a Bernoulli reward from the
 * learner's success probability, the learner learns from the batch, and the controller receives
 * the rewards as feedback. Everything is seeded; the same options give the same numbers.
 */
import {
  feedback,
  init,
  next,
  type BatchSpec,
  type CurriculumState,
  type FeedbackAction,
} from "./controller.js";
import { evalAccuracy, learn, successProbability, type LearnerConfig } from "./learner.js";
import { Rng, deriveSeed } from "./random.js";
import {
  topDepth,
  topLevel,
  type Checked,
  type Level,
  type Schedule,
  type ScheduleKind,
} from "./schedule.js";

/** Options of one simulated run. */
export interface SimulationOptions {
  readonly schedule: unknown;
  readonly learner: LearnerConfig;
  readonly seed: number;
  /** Hard stop; a run that has not reached the target by then reports null. */
  readonly maxSteps: number;
  /** Held-out accuracy (mean over depths 1..top, at the top level) that counts as reached; 0.9 as in the paper. */
  readonly target: number;
  /** Keep running after the target is reached, up to maxSteps. */
  readonly runToEnd?: boolean;
}

/** One simulated training step. */
export interface SimulationStep {
  readonly step: number;
  readonly level: Level;
  readonly frontier: number;
  readonly depthRange: readonly [number, number];
  /** Mean reward of the batch actually drawn. */
  readonly success: number;
  readonly skill: number;
  /** Held-out accuracy after this step's learning. */
  readonly evalAccuracy: number;
  readonly action: FeedbackAction;
}

/** The outcome of one simulated run (always labelled `simulated: true`). */
export interface SimulationResult {
  readonly simulated: true;
  readonly schedule: Schedule;
  readonly seed: number;
  readonly steps: number;
  /** First step whose held-out accuracy reached the target (the paper's T), or null. */
  readonly stepsToTarget: number | null;
  /** First step at which the learner's success at the top (level, depth) reached ½, or null. */
  readonly stepsToTop: number | null;
  /** First step whose batch reached the top depth at the top level, or null. */
  readonly frontierAtTop: number | null;
  readonly finalSkill: number;
  readonly finalState: CurriculumState;
  readonly trajectory: readonly SimulationStep[];
}

/** Runs one schedule against the simulated learner. Never throws on bad input. */
export function simulate(options: SimulationOptions): Checked<SimulationResult> {
  const start = init(options.schedule, { seed: options.seed });
  if (!start.ok) return start;
  if (!Number.isInteger(options.maxSteps) || options.maxSteps < 1 || options.maxSteps > 10_000_000) {
    return {
      ok: false,
      issues: [{ code: "out-of-range", path: "maxSteps", message: "expected an integer in 1..1e7" }],
    };
  }
  if (!(options.target > 0 && options.target <= 1)) {
    return {
      ok: false,
      issues: [{ code: "out-of-range", path: "target", message: "expected a number in (0, 1]" }],
    };
  }
  let state = start.value;
  const schedule = state.schedule;
  const top = topDepth(schedule);
  const topLv = topLevel(schedule);
  const L = options.learner;
  // The learner's coin flips use their own stream so that changing the schedule's batch seeds
  // cannot correlate with the rewards.
  const rng = new Rng(deriveSeed(options.seed, 0x1ea4e7));
  let skill = L.skill;
  let stepsToTarget: number | null = null;
  let stepsToTop: number | null = null;
  let frontierAtTop: number | null = null;
  const trajectory: SimulationStep[] = [];
  for (let step = 1; step <= options.maxSteps; step++) {
    const issued = next(state);
    const spec = issued.spec;
    const items = drawRewards(L, skill, spec, rng);
    skill = learn(L, skill, items);
    const fb = feedback(issued.state, { batch: spec.batch, items });
    // The report is built here from valid numbers; a rejection would be a bug in this module.
    if (!fb.ok) throw new Error(`simulation: feedback rejected: ${fb.issues[0].message}`);
    state = fb.value.state;
    const acc = evalAccuracy(L, skill, topLv, top);
    const success = items.reduce((a, b) => a + b.reward, 0) / Math.max(1, items.length);
    trajectory.push({
      step,
      level: spec.level,
      frontier: spec.frontier,
      depthRange: spec.depthRange,
      success,
      skill,
      evalAccuracy: acc,
      action: fb.value.action,
    });
    if (frontierAtTop === null && spec.level === topLv && spec.depthRange[1] >= top) frontierAtTop = step;
    if (stepsToTop === null && successProbability(L, skill, topLv, top) >= 0.5) stepsToTop = step;
    if (stepsToTarget === null && acc >= options.target) {
      stepsToTarget = step;
      if (options.runToEnd !== true) break;
    }
  }
  return {
    ok: true,
    value: {
      simulated: true,
      schedule,
      seed: options.seed,
      steps: trajectory.length,
      stepsToTarget,
      stepsToTop,
      frontierAtTop,
      finalSkill: skill,
      finalState: state,
      trajectory,
    },
  };
}

/** Bernoulli rewards of the simulated learner (at skill `skill`) on every item of a batch spec. */
export function drawRewards(
  learner: LearnerConfig,
  skill: number,
  spec: BatchSpec,
  rng: Rng,
): { level: Level; depth: number; reward: number }[] {
  const items: { level: Level; depth: number; reward: number }[] = [];
  for (const { depth, count } of spec.allocation) {
    const p = successProbability(learner, skill, spec.level, depth);
    for (let i = 0; i < count; i++) items.push({ level: spec.level, depth, reward: rng.next() < p ? 1 : 0 });
  }
  return items;
}

/** Per-schedule summary over several seeds. */
export interface ComparisonRow {
  readonly schedule: ScheduleKind;
  readonly seeds: readonly number[];
  /** Steps to target per seed (null: not reached within maxSteps). */
  readonly stepsToTarget: readonly (number | null)[];
  /** Mean over seeds that reached the target, or null if none did. */
  readonly meanStepsToTarget: number | null;
  readonly meanStepsToTop: number | null;
  readonly reached: number;
}

/** Runs several schedules over the same seeds and learner; the SIMULATED comparison the docs quote. */
export function compare(
  schedules: readonly unknown[],
  learner: LearnerConfig,
  seeds: readonly number[],
  maxSteps: number,
  target: number,
): Checked<ComparisonRow[]> {
  const rows: ComparisonRow[] = [];
  for (const schedule of schedules) {
    const runs: SimulationResult[] = [];
    for (const seed of seeds) {
      const r = simulate({ schedule, learner, seed, maxSteps, target });
      if (!r.ok) return r;
      runs.push(r.value);
    }
    const row = summarize(runs);
    if (row === null) {
      return { ok: false, issues: [{ code: "missing", path: "seeds", message: "give at least one seed" }] };
    }
    rows.push(row);
  }
  return { ok: true, value: rows };
}

/** Summary of runs of one schedule over several seeds (null when there are no runs). */
export function summarize(runs: readonly SimulationResult[]): ComparisonRow | null {
  const first = runs[0];
  if (first === undefined) return null;
  return {
    schedule: first.schedule.kind,
    seeds: runs.map((r) => r.seed),
    stepsToTarget: runs.map((r) => r.stepsToTarget),
    meanStepsToTarget: mean(runs.map((r) => r.stepsToTarget)),
    meanStepsToTop: mean(runs.map((r) => r.stepsToTop)),
    reached: runs.filter((r) => r.stepsToTarget !== null).length,
  };
}

function mean(xs: readonly (number | null)[]): number | null {
  const ok = xs.filter((x): x is number => x !== null);
  return ok.length === 0 ? null : ok.reduce((a, b) => a + b, 0) / ok.length;
}

/** Least-squares slope and R² of log y on log x: the exponent γ of y ∝ x^γ. */
export function powerLawSlope(
  points: readonly { readonly x: number; readonly y: number }[],
): { readonly gamma: number; readonly r2: number } | null {
  const pts = points.filter((p) => p.x > 0 && p.y > 0).map((p) => ({ u: Math.log(p.x), v: Math.log(p.y) }));
  if (pts.length < 2) return null;
  const n = pts.length;
  const mu = pts.reduce((a, p) => a + p.u, 0) / n;
  const mv = pts.reduce((a, p) => a + p.v, 0) / n;
  let suu = 0;
  let suv = 0;
  let svv = 0;
  for (const p of pts) {
    suu += (p.u - mu) ** 2;
    suv += (p.u - mu) * (p.v - mv);
    svv += (p.v - mv) ** 2;
  }
  if (suu === 0) return null;
  const gamma = suv / suu;
  const r2 = svv === 0 ? 1 : (suv * suv) / (suu * svv);
  return { gamma, r2 };
}
