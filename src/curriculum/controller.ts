/**
 * The curriculum as a pure state machine: `init` → (`next` → train → `feedback`)*.
 *
 * The state is JSON-plain and is the whole controller: a trainer can store it, send it over HTTP
 * or log it, and the same state always yields the same next batch. Nothing here reads a clock,
 * the environment or Math.random; batch seeds are derived from the run seed and the batch index.
 */
import { deriveSeed, Rng } from "./random.js";
import {
  CurriculumError,
  isLevel,
  LEVELS,
  MAX_DEPTH,
  validateSchedule,
  type Checked,
  type CurriculumIssue,
  type Issues,
  type Level,
  type Schedule,
  type ScheduleKind,
} from "./schedule.js";

/** Tag of the state format; bumped if the layout ever changes. */
export const STATE_FORMAT = "scalelogic-curriculum/1";

/** How many items of one depth a batch holds. */
export interface DepthCount {
  readonly depth: number;
  readonly count: number;
}

/** What one batch should contain: enough for a generator (or a sampler over a pool) to build it. */
export interface BatchSpec {
  /** 0-based batch index within the run. */
  readonly batch: number;
  readonly schedule: ScheduleKind;
  readonly level: Level;
  /** Inclusive [lowest, highest] depth in the batch. */
  readonly depthRange: readonly [number, number];
  /** Sampling weight of each depth in the range (they sum to 1). */
  readonly weights: readonly { readonly depth: number; readonly weight: number }[];
  /** Exact number of items per depth (sums to `count`); remainders rotate with the batch seed. */
  readonly allocation: readonly DepthCount[];
  readonly count: number;
  /** The run seed the state was initialised with. */
  readonly seed: number;
  /** This batch's generator seed, derived from (run seed, batch index). */
  readonly generatorSeed: number;
  /** The depth the schedule is working at: fixed depth, cap, top depth or controlled depth. */
  readonly frontier: number;
}

/** Controller memory beyond the schedule itself. */
export type ControllerState =
  | { readonly kind: "static" }
  | { readonly kind: "step"; readonly cap: number }
  | {
      readonly kind: "adaptive";
      /** Index into the schedule's level ladder. */
      readonly rung: number;
      readonly depth: number;
      /** EMA of batch success since the last move; null right after a move. */
      readonly ema: number | null;
      /** Consecutive batches whose EMA was above / below the band. */
      readonly above: number;
      readonly below: number;
    };

/** The complete, JSON-plain state of a curriculum run. */
export interface CurriculumState {
  readonly format: typeof STATE_FORMAT;
  readonly schedule: Schedule;
  readonly seed: number;
  /** Number of batches issued so far (the next batch's index). */
  readonly issued: number;
  /** Highest batch index that feedback named explicitly, or −1. */
  readonly lastReported: number;
  readonly controller: ControllerState;
}

/** One scored item: its depth, its reward in [0, 1] and optionally its level. */
export interface FeedbackItem {
  readonly depth: number;
  readonly reward: number;
  readonly level?: Level;
}

/**
 * Rewards for a batch: per-item (`items`) or an already computed in-range mean (`accuracy`),
 * exactly one of the two. `batch`, when given, must name an issued batch not yet reported.
 */
export interface FeedbackReport {
  readonly batch?: number;
  readonly level?: Level;
  readonly items?: readonly FeedbackItem[];
  readonly accuracy?: number;
}

/** What the controller did with a report. */
export type FeedbackAction = "none" | "hold" | "raise" | "lower" | "level-up" | "level-down";

/** The new state and a summary trainers can log. */
export interface FeedbackOutcome {
  readonly state: CurriculumState;
  /** Number of items that counted (in range); null when the report gave `accuracy`. */
  readonly inRange: number | null;
  /** In-range mean reward, or null when no item was in range. */
  readonly accuracy: number | null;
  readonly action: FeedbackAction;
}

/** Largest number of items one report may carry. */
export const MAX_REPORT_ITEMS = 1_000_000;

const SAFE_SEED = Number.MAX_SAFE_INTEGER;

function fail<T>(code: CurriculumIssue["code"], path: string, message: string): Checked<T> {
  return { ok: false, issues: [{ code, path, message }] };
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

function checkSeed(seed: unknown, path: string): Checked<number> {
  if (typeof seed !== "number" || !Number.isInteger(seed) || seed < 0 || seed > SAFE_SEED) {
    return fail("invalid-type", path, "expected a non-negative safe integer");
  }
  return { ok: true, value: seed };
}

/** Starts a run: validates the schedule (defaults filled) and the seed (default 0). Never throws. */
export function init(schedule: unknown, options: { readonly seed?: unknown } = {}): Checked<CurriculumState> {
  const s = validateSchedule(schedule, "schedule.");
  if (!s.ok) return s;
  const seed = checkSeed(options.seed ?? 0, "seed");
  if (!seed.ok) return seed;
  return {
    ok: true,
    value: {
      format: STATE_FORMAT,
      schedule: s.value,
      seed: seed.value,
      issued: 0,
      lastReported: -1,
      controller: initialController(s.value),
    },
  };
}

/** Throwing twin of `init`. */
export function initOrThrow(schedule: unknown, options: { readonly seed?: unknown } = {}): CurriculumState {
  return orThrow(init(schedule, options));
}

function initialController(s: Schedule): ControllerState {
  switch (s.kind) {
    case "fixed":
    case "uniform":
    case "difficult":
      return { kind: "static" };
    case "step":
      return { kind: "step", cap: Math.min(s.start, s.maxDepth) };
    case "adaptive":
      return { kind: "adaptive", rung: 0, depth: s.startDepth, ema: null, above: 0, below: 0 };
  }
}

/** Where the controller currently is: level, frontier depth and the depth range of a batch. */
export function position(state: CurriculumState): {
  readonly level: Level;
  readonly frontier: number;
  readonly range: readonly [number, number];
} {
  const s = state.schedule;
  const c = state.controller;
  switch (s.kind) {
    case "fixed":
      return { level: s.level, frontier: s.depth, range: [s.depth, s.depth] };
    case "uniform":
      return { level: s.level, frontier: s.maxDepth, range: [1, s.maxDepth] };
    case "difficult":
      return { level: s.level, frontier: s.maxDepth, range: [s.maxDepth, s.maxDepth] };
    case "step": {
      const cap = c.kind === "step" ? c.cap : s.start;
      return { level: s.level, frontier: cap, range: s.mix === "uniform" ? [1, cap] : [cap, cap] };
    }
    case "adaptive": {
      const rung = c.kind === "adaptive" ? c.rung : 0;
      const depth = c.kind === "adaptive" ? c.depth : s.startDepth;
      const lv = s.levels[rung] ?? s.levels[0];
      return { level: lv, frontier: depth, range: [Math.max(s.minDepth, depth - s.window), depth] };
    }
  }
}

/** Splits `count` over the depths of `range` as evenly as possible; remainders go where `seed` says. */
export function allocate(range: readonly [number, number], count: number, seed: number): DepthCount[] {
  const [lo, hi] = range;
  const n = hi - lo + 1;
  const base = Math.floor(count / n);
  const extra = count - base * n;
  // A seeded shuffle decides which depths get the remainder, so small batches over a wide range
  // still cover every depth evenly across batches instead of always favouring the shallow end.
  const order = Array.from({ length: n }, (_, i) => i);
  const rng = new Rng(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    const t = order[i] ?? i;
    order[i] = order[j] ?? j;
    order[j] = t;
  }
  const bonus = new Set(order.slice(0, extra));
  const out: DepthCount[] = [];
  for (let i = 0; i < n; i++) {
    const c = base + (bonus.has(i) ? 1 : 0);
    if (c > 0) out.push({ depth: lo + i, count: c });
  }
  return out;
}

/** The next batch's spec and the state after issuing it. Pure: same state, same result. */
export function next(state: CurriculumState): { readonly spec: BatchSpec; readonly state: CurriculumState } {
  const { level, frontier, range } = position(state);
  const batch = state.issued;
  const generatorSeed = deriveSeed(state.seed, batch);
  const count = state.schedule.batchSize;
  const n = range[1] - range[0] + 1;
  const spec: BatchSpec = {
    batch,
    schedule: state.schedule.kind,
    level,
    depthRange: range,
    weights: Array.from({ length: n }, (_, i) => ({ depth: range[0] + i, weight: 1 / n })),
    allocation: allocate(range, count, deriveSeed(generatorSeed, 0xa110c)),
    count,
    seed: state.seed,
    generatorSeed,
    frontier,
  };
  return { spec, state: { ...state, issued: batch + 1 } };
}

/** Validates an untrusted report against the state's shape (not yet against its position). */
export function validateReport(input: unknown): Checked<FeedbackReport> {
  if (!isObject(input)) return fail("invalid-type", "report", "expected an object");
  const issues: CurriculumIssue[] = [];
  const add = (code: CurriculumIssue["code"], path: string, message: string): void => {
    issues.push({ code, path, message });
  };
  for (const k of Object.keys(input)) {
    if (!["batch", "level", "items", "accuracy"].includes(k))
      add("unknown-field", `report.${k}`, "not a report field");
  }
  const out: { batch?: number; level?: Level; items?: FeedbackItem[]; accuracy?: number } = {};
  const b = input["batch"];
  if (b !== undefined) {
    if (typeof b !== "number" || !Number.isInteger(b) || b < 0) {
      add("invalid-type", "report.batch", "expected a non-negative integer batch index");
    } else out.batch = b;
  }
  const lv = input["level"];
  if (lv !== undefined) {
    if (isLevel(lv)) out.level = lv;
    else
      add(
        "unknown-level",
        "report.level",
        `unknown level ${JSON.stringify(lv)}; expected one of ${LEVELS.join(", ")}`,
      );
  }
  const items = input["items"];
  const acc = input["accuracy"];
  if ((items === undefined) === (acc === undefined)) {
    add("missing", "report", 'give exactly one of "items" (per-item depth and reward) or "accuracy"');
  }
  if (acc !== undefined) {
    if (typeof acc !== "number" || Number.isNaN(acc))
      add("invalid-type", "report.accuracy", "expected a number in [0, 1]");
    else if (!(acc >= 0 && acc <= 1))
      add("out-of-range", "report.accuracy", `expected a number in [0, 1], got ${acc}`);
    else out.accuracy = acc;
  }
  if (items !== undefined) {
    if (!Array.isArray(items))
      add("invalid-type", "report.items", "expected an array of {depth, reward, level?}");
    else if (items.length > MAX_REPORT_ITEMS) {
      add("out-of-range", "report.items", `at most ${MAX_REPORT_ITEMS} items per report`);
    } else {
      const list: FeedbackItem[] = [];
      items.forEach((it: unknown, i) => {
        const at = `report.items[${i}]`;
        // Only the first few bad items are listed; one bad item already rejects the report.
        if (issues.length >= 20) return;
        if (!isObject(it)) return add("invalid-type", at, "expected an object {depth, reward, level?}");
        for (const k of Object.keys(it)) {
          if (!["depth", "reward", "level"].includes(k))
            add("unknown-field", `${at}.${k}`, "not an item field");
        }
        const d = it["depth"];
        const r = it["reward"];
        const l = it["level"];
        let ok = true;
        if (typeof d !== "number" || !Number.isInteger(d) || d < 1 || d > MAX_DEPTH) {
          add("out-of-range", `${at}.depth`, `expected an integer depth in 1..${MAX_DEPTH}`);
          ok = false;
        }
        if (typeof r !== "number" || Number.isNaN(r)) {
          add("invalid-type", `${at}.reward`, "expected a number in [0, 1]");
          ok = false;
        } else if (!(r >= 0 && r <= 1)) {
          add("out-of-range", `${at}.reward`, `expected a number in [0, 1], got ${r}`);
          ok = false;
        }
        if (l !== undefined && !isLevel(l)) {
          add(
            "unknown-level",
            `${at}.level`,
            `unknown level ${JSON.stringify(l)}; expected one of ${LEVELS.join(", ")}`,
          );
          ok = false;
        }
        if (ok && typeof d === "number" && typeof r === "number") {
          list.push(isLevel(l) ? { depth: d, reward: r, level: l } : { depth: d, reward: r });
        }
      });
      out.items = list;
    }
  }
  const [first, ...rest] = issues;
  if (first !== undefined) return { ok: false, issues: [first, ...rest] };
  return { ok: true, value: out };
}

/**
 * Applies a report to the state. Rejected reports (bad values, unknown level, a batch that was
 * never issued or was already reported) leave no trace: the caller keeps its old state.
 */
export function feedback(state: CurriculumState, input: unknown): Checked<FeedbackOutcome> {
  const r = validateReport(input);
  if (!r.ok) return r;
  const report = r.value;
  if (state.issued === 0) return fail("no-batch", "report", "no batch has been issued yet; call next first");
  let lastReported = state.lastReported;
  if (report.batch !== undefined) {
    if (report.batch >= state.issued) {
      return fail(
        "future-batch",
        "report.batch",
        `batch ${report.batch} was not issued (issued: ${state.issued})`,
      );
    }
    if (report.batch <= state.lastReported) {
      return fail(
        "stale-batch",
        "report.batch",
        `batch ${report.batch} is already reported or older than reported batch ${state.lastReported}`,
      );
    }
    lastReported = report.batch;
  }
  const { level, range } = position(state);
  const s = state.schedule;
  // Items count when they are at the batch's level and inside the depth range the schedule is
  // working on; for the step curriculum that is everything up to the cap, as in the paper.
  const lowest = s.kind === "step" ? 1 : range[0];
  let inRange: number | null = null;
  let accuracy: number | null;
  if (report.accuracy !== undefined) {
    accuracy = report.level !== undefined && report.level !== level ? null : report.accuracy;
  } else {
    let n = 0;
    let sum = 0;
    for (const it of report.items ?? []) {
      const lv = it.level ?? report.level ?? level;
      if (lv !== level || it.depth < lowest || it.depth > range[1]) continue;
      n++;
      sum += it.reward;
    }
    inRange = n;
    accuracy = n > 0 ? sum / n : null;
  }
  const moved = accuracy === null ? null : advance(state, accuracy);
  return {
    ok: true,
    value: {
      state: { ...state, lastReported, controller: moved?.controller ?? state.controller },
      inRange,
      accuracy,
      action: moved?.action ?? "none",
    },
  };
}

/** Throwing twin of `feedback`. */
export function feedbackOrThrow(state: CurriculumState, report: unknown): FeedbackOutcome {
  return orThrow(feedback(state, report));
}

function advance(
  state: CurriculumState,
  acc: number,
): { readonly controller: ControllerState; readonly action: FeedbackAction } {
  const s = state.schedule;
  const c = state.controller;
  if (s.kind === "step" && c.kind === "step") {
    if (acc >= s.threshold && c.cap < s.maxDepth) {
      return { controller: { kind: "step", cap: Math.min(s.maxDepth, c.cap + s.step) }, action: "raise" };
    }
    return { controller: c, action: "hold" };
  }
  if (s.kind === "adaptive" && c.kind === "adaptive") {
    // Clamped because the convex combination can round a hair past 1.
    const ema = c.ema === null ? acc : Math.min(1, Math.max(0, c.ema + s.smoothing * (acc - c.ema)));
    const [lo, hi] = s.band;
    const above = ema > hi ? c.above + 1 : 0;
    const below = ema < lo ? c.below + 1 : 0;
    if (above >= s.patience) {
      if (c.depth < s.maxDepth) {
        const depth = Math.min(s.maxDepth, c.depth + s.stepSize);
        return { controller: { ...c, depth, ema: null, above: 0, below: 0 }, action: "raise" };
      }
      if (c.rung + 1 < s.levels.length) {
        return {
          controller: { ...c, rung: c.rung + 1, depth: s.minDepth, ema: null, above: 0, below: 0 },
          action: "level-up",
        };
      }
      // Pinned at the top: keep the counter below patience so the state stays canonical.
      return { controller: { ...c, ema, above: s.patience - 1, below: 0 }, action: "hold" };
    }
    if (below >= s.patience) {
      if (c.depth > s.minDepth) {
        const depth = Math.max(s.minDepth, c.depth - s.stepSize);
        return { controller: { ...c, depth, ema: null, above: 0, below: 0 }, action: "lower" };
      }
      if (c.rung > 0) {
        return {
          controller: { ...c, rung: c.rung - 1, depth: s.maxDepth, ema: null, above: 0, below: 0 },
          action: "level-down",
        };
      }
      return { controller: { ...c, ema, above: 0, below: s.patience - 1 }, action: "hold" };
    }
    return { controller: { ...c, ema, above, below }, action: "hold" };
  }
  return { controller: c, action: "none" };
}

/** Validates an untrusted state (e.g. carried by an HTTP client): shape, ranges and consistency. */
export function validateState(input: unknown): Checked<CurriculumState> {
  if (!isObject(input)) return fail("invalid-type", "state", "expected an object");
  if (input["format"] !== STATE_FORMAT) {
    return fail("invalid-type", "state.format", `expected "${STATE_FORMAT}"`);
  }
  for (const k of Object.keys(input)) {
    if (!["format", "schedule", "seed", "issued", "lastReported", "controller"].includes(k)) {
      return fail("unknown-field", `state.${k}`, "not a state field");
    }
  }
  const sched = validateSchedule(input["schedule"], "state.schedule.");
  if (!sched.ok) return sched;
  const s = sched.value;
  const seed = checkSeed(input["seed"], "state.seed");
  if (!seed.ok) return seed;
  const issued = input["issued"];
  if (typeof issued !== "number" || !Number.isInteger(issued) || issued < 0 || issued > SAFE_SEED) {
    return fail("invalid-type", "state.issued", "expected a non-negative integer");
  }
  const last = input["lastReported"];
  if (typeof last !== "number" || !Number.isInteger(last) || last < -1 || last >= issued) {
    return fail("inconsistent", "state.lastReported", `expected an integer in -1..${issued - 1}`);
  }
  const c = checkController(s, input["controller"]);
  if (!c.ok) return c;
  return {
    ok: true,
    value: {
      format: STATE_FORMAT,
      schedule: s,
      seed: seed.value,
      issued,
      lastReported: last,
      controller: c.value,
    },
  };
}

/** Throwing twin of `validateState`. */
export function stateOrThrow(input: unknown): CurriculumState {
  return orThrow(validateState(input));
}

function checkController(s: Schedule, input: unknown): Checked<ControllerState> {
  const at = "state.controller";
  if (!isObject(input)) return fail("invalid-type", at, "expected an object");
  const isInt = (x: unknown, lo: number, hi: number): x is number =>
    typeof x === "number" && Number.isInteger(x) && x >= lo && x <= hi;
  const keys = Object.keys(input).sort().join(",");
  switch (s.kind) {
    case "fixed":
    case "uniform":
    case "difficult":
      if (input["kind"] !== "static" || keys !== "kind") {
        return fail("inconsistent", at, `a "${s.kind}" schedule has controller {"kind":"static"}`);
      }
      return { ok: true, value: { kind: "static" } };
    case "step": {
      const cap = input["cap"];
      if (
        input["kind"] !== "step" ||
        keys !== "cap,kind" ||
        !isInt(cap, Math.min(s.start, s.maxDepth), s.maxDepth)
      ) {
        return fail(
          "inconsistent",
          at,
          `expected {"kind":"step","cap":n} with n in ${s.start}..${s.maxDepth}`,
        );
      }
      return { ok: true, value: { kind: "step", cap } };
    }
    case "adaptive": {
      const { rung, depth, ema, above, below } = input;
      if (
        input["kind"] !== "adaptive" ||
        keys !== "above,below,depth,ema,kind,rung" ||
        !isInt(rung, 0, s.levels.length - 1) ||
        !isInt(depth, s.minDepth, s.maxDepth) ||
        !(ema === null || (typeof ema === "number" && ema >= 0 && ema <= 1)) ||
        !isInt(above, 0, s.patience - 1) ||
        !isInt(below, 0, s.patience - 1) ||
        (above > 0 && below > 0)
      ) {
        return fail(
          "inconsistent",
          at,
          `expected {"kind":"adaptive",rung,depth,ema,above,below} within the schedule's ladder, depths and patience`,
        );
      }
      return { ok: true, value: { kind: "adaptive", rung, depth, ema, above, below } };
    }
  }
}

function orThrow<T>(r: Checked<T>): T {
  if (!r.ok) throw new CurriculumError(r.issues);
  return r.value;
}

/** Re-exported so callers of the controller need one import. */
export type { Checked, Issues, Schedule };
