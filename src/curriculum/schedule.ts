/**
 * Schedules over (level, depth): what a curriculum run is configured with.
 *
 * A validated `Schedule` has every field present and is JSON-plain, so it can live inside the
 * controller state that trainers carry around and log. Validation never throws; it returns issues
 * with stable codes so a service can pass them straight back to the caller.
 */
import { LEVELS, MAX_DEPTH, type Level } from "../generator/config.js";

export { LEVELS, MAX_DEPTH, type Level };

/** Every schedule name, in the order the docs present them. */
export const SCHEDULE_KINDS = ["fixed", "uniform", "difficult", "step", "adaptive"] as const;
/** A schedule name. */
export type ScheduleKind = (typeof SCHEDULE_KINDS)[number];

/** Stable issue codes; callers match on these, messages may change. */
export type IssueCode =
  | "invalid-type"
  | "out-of-range"
  | "unknown-level"
  | "unknown-schedule"
  | "unknown-field"
  | "missing"
  | "inconsistent"
  | "no-batch"
  | "stale-batch"
  | "future-batch"
  | "replay-mismatch";

/** One problem found in untrusted input: a stable code, where it is, and what was expected. */
export interface CurriculumIssue {
  readonly code: IssueCode;
  readonly path: string;
  readonly message: string;
}
/** A non-empty list of issues (the type guarantees at least one). */
export type Issues = readonly [CurriculumIssue, ...CurriculumIssue[]];
/** Result of validating untrusted input. */
export type Checked<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly issues: Issues };

/** Thrown by the throwing twins (`...OrThrow`) with the issues attached. */
export class CurriculumError extends Error {
  /** The issues that caused the error. */
  readonly issues: Issues;
  constructor(issues: Issues) {
    super(issues.map((i) => `${i.path}: ${i.message} [${i.code}]`).join("; "));
    this.name = "CurriculumError";
    this.issues = issues;
  }
}

/** Every batch at one (level, depth). */
export interface FixedSchedule {
  readonly kind: "fixed";
  readonly level: Level;
  readonly depth: number;
  readonly batchSize: number;
}
/** Every batch uniform over depths 1..maxDepth (the paper's "uniform" regime). */
export interface UniformSchedule {
  readonly kind: "uniform";
  readonly level: Level;
  readonly maxDepth: number;
  readonly batchSize: number;
}
/** Every batch at the top depth only (the paper's "difficult-only" regime). */
export interface DifficultSchedule {
  readonly kind: "difficult";
  readonly level: Level;
  readonly maxDepth: number;
  readonly batchSize: number;
}
/**
 * The paper's step curriculum: a depth cap that starts at `start` and rises by `step` (never
 * falls) whenever the mean reward of in-range items (depth ≤ cap) in a batch reaches `threshold`.
 */
export interface StepSchedule {
  readonly kind: "step";
  readonly level: Level;
  readonly maxDepth: number;
  readonly batchSize: number;
  readonly start: number;
  readonly step: number;
  readonly threshold: number;
  /** "uniform": batches uniform over 1..cap (the paper keeps every sample ≤ cap); "exact": at cap. */
  readonly mix: "uniform" | "exact";
}
/**
 * A controller that keeps batch success inside `band` by moving depth (and, with a ladder of
 * several levels, level) up when batches are too easy and down when too hard. Hysteresis: the
 * statistic is an EMA of batch success (`smoothing` = weight of the newest batch) and a move
 * needs `patience` consecutive out-of-band batches.
 */
export interface AdaptiveSchedule {
  readonly kind: "adaptive";
  /** Level ladder, lowest first; one level means depth-only control. */
  readonly levels: readonly [Level, ...Level[]];
  readonly minDepth: number;
  readonly maxDepth: number;
  readonly startDepth: number;
  readonly batchSize: number;
  readonly band: readonly [number, number];
  readonly patience: number;
  readonly smoothing: number;
  readonly stepSize: number;
  /** Batches are uniform over depth−window..depth (0: exactly at the controlled depth). */
  readonly window: number;
}
/** Any schedule. */
export type Schedule = FixedSchedule | UniformSchedule | DifficultSchedule | StepSchedule | AdaptiveSchedule;

/** Largest batch a spec may ask for. */
export const MAX_BATCH = 1_000_000;

/** The paper's step-curriculum numbers. */
export const PAPER_STEP = { start: 6, step: 2, threshold: 0.7 } as const;

type Raw = Record<string, unknown>;

class Collector {
  readonly list: CurriculumIssue[] = [];
  add(code: IssueCode, path: string, message: string): void {
    this.list.push({ code, path, message });
  }
  result<T>(value: T): Checked<T> {
    const [first, ...rest] = this.list;
    return first === undefined ? { ok: true, value } : { ok: false, issues: [first, ...rest] };
  }
}

function isObject(x: unknown): x is Raw {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** True when `x` is one of the ladder's level names. */
export function isLevel(x: unknown): x is Level {
  return typeof x === "string" && (LEVELS as readonly string[]).includes(x);
}

function int(
  c: Collector,
  raw: Raw,
  key: string,
  fallback: number,
  lo: number,
  hi: number,
  at: string,
): number {
  const v = raw[key] ?? fallback;
  if (typeof v !== "number" || !Number.isInteger(v)) {
    c.add("invalid-type", `${at}${key}`, `expected an integer in ${lo}..${hi}`);
    return fallback;
  }
  if (v < lo || v > hi) {
    c.add("out-of-range", `${at}${key}`, `expected an integer in ${lo}..${hi}, got ${v}`);
    return fallback;
  }
  return v;
}

function real(
  c: Collector,
  raw: Raw,
  key: string,
  fallback: number,
  lo: number,
  hi: number,
  at: string,
): number {
  const v = raw[key] ?? fallback;
  if (typeof v !== "number" || !Number.isFinite(v)) {
    c.add("invalid-type", `${at}${key}`, `expected a finite number in [${lo}, ${hi}]`);
    return fallback;
  }
  if (v < lo || v > hi) {
    c.add("out-of-range", `${at}${key}`, `expected a number in [${lo}, ${hi}], got ${v}`);
    return fallback;
  }
  return v;
}

function level(c: Collector, v: unknown, path: string): Level {
  if (isLevel(v)) return v;
  if (typeof v === "string")
    c.add("unknown-level", path, `unknown level "${v}"; expected one of ${LEVELS.join(", ")}`);
  else c.add("invalid-type", path, `expected a level name (${LEVELS.join(", ")})`);
  return "implication";
}

const FIELDS: Readonly<Record<ScheduleKind, readonly string[]>> = {
  fixed: ["kind", "level", "depth", "batchSize"],
  uniform: ["kind", "level", "maxDepth", "batchSize"],
  difficult: ["kind", "level", "maxDepth", "batchSize"],
  step: ["kind", "level", "maxDepth", "batchSize", "start", "step", "threshold", "mix"],
  adaptive: [
    "kind",
    "levels",
    "level",
    "minDepth",
    "maxDepth",
    "startDepth",
    "batchSize",
    "band",
    "patience",
    "smoothing",
    "stepSize",
    "window",
  ],
};

/**
 * Validates an untrusted schedule; missing fields take their defaults (batch size 256, maxDepth
 * 16, the paper's 6/2/0.7 for `step`, band 0.3–0.7 with patience 2 for `adaptive`). Never throws.
 * `adaptive` accepts `level` as shorthand for a one-level ladder.
 */
export function validateSchedule(input: unknown, at = ""): Checked<Schedule> {
  const c = new Collector();
  if (!isObject(input)) {
    c.add("invalid-type", at || "schedule", "expected an object");
    return c.result<Schedule>(fixedDefault());
  }
  const kind = input["kind"];
  if (typeof kind !== "string" || !(SCHEDULE_KINDS as readonly string[]).includes(kind)) {
    c.add("unknown-schedule", `${at}kind`, `expected one of ${SCHEDULE_KINDS.join(", ")}`);
    return c.result<Schedule>(fixedDefault());
  }
  const k = kind as ScheduleKind;
  for (const key of Object.keys(input)) {
    if (!FIELDS[k].includes(key)) c.add("unknown-field", `${at}${key}`, `not a field of a "${k}" schedule`);
  }
  const batchSize = int(c, input, "batchSize", 256, 1, MAX_BATCH, at);
  switch (k) {
    case "fixed": {
      const lv = level(c, input["level"] ?? "implication", `${at}level`);
      const depth = int(c, input, "depth", 8, 1, MAX_DEPTH, at);
      return c.result<Schedule>({ kind: "fixed", level: lv, depth, batchSize });
    }
    case "uniform":
    case "difficult": {
      const lv = level(c, input["level"] ?? "implication", `${at}level`);
      const maxDepth = int(c, input, "maxDepth", 16, 1, MAX_DEPTH, at);
      return c.result<Schedule>({ kind: k, level: lv, maxDepth, batchSize });
    }
    case "step": {
      const lv = level(c, input["level"] ?? "implication", `${at}level`);
      const maxDepth = int(c, input, "maxDepth", 16, 1, MAX_DEPTH, at);
      const start = int(c, input, "start", Math.min(PAPER_STEP.start, maxDepth), 1, MAX_DEPTH, at);
      const step = int(c, input, "step", PAPER_STEP.step, 1, MAX_DEPTH, at);
      const threshold = real(c, input, "threshold", PAPER_STEP.threshold, 0, 1, at);
      const mix = input["mix"] ?? "uniform";
      if (mix !== "uniform" && mix !== "exact")
        c.add("invalid-type", `${at}mix`, `expected "uniform" or "exact"`);
      if (start > maxDepth)
        c.add("inconsistent", `${at}start`, `start ${start} exceeds maxDepth ${maxDepth}`);
      return c.result<Schedule>({
        kind: "step",
        level: lv,
        maxDepth,
        batchSize,
        start,
        step,
        threshold,
        mix: mix === "exact" ? "exact" : "uniform",
      });
    }
    case "adaptive":
      return adaptive(c, input, batchSize, at);
  }
}

function adaptive(c: Collector, input: Raw, batchSize: number, at: string): Checked<Schedule> {
  let levels: [Level, ...Level[]] = ["implication"];
  const rawLevels = input["levels"];
  if (rawLevels !== undefined && input["level"] !== undefined) {
    c.add("inconsistent", `${at}level`, `give "levels" (a ladder) or "level", not both`);
  }
  if (rawLevels === undefined) {
    levels = [level(c, input["level"] ?? "implication", `${at}level`)];
  } else if (!Array.isArray(rawLevels) || rawLevels.length === 0) {
    c.add("invalid-type", `${at}levels`, "expected a non-empty array of level names");
  } else {
    const got = rawLevels.map((v: unknown, i) => level(c, v, `${at}levels[${i}]`));
    if (new Set(got).size !== got.length) c.add("inconsistent", `${at}levels`, "a level appears twice");
    const [first, ...rest] = got;
    if (first !== undefined) levels = [first, ...rest];
  }
  const minDepth = int(c, input, "minDepth", 1, 1, MAX_DEPTH, at);
  const maxDepth = int(c, input, "maxDepth", 16, 1, MAX_DEPTH, at);
  const startDepth = int(c, input, "startDepth", minDepth, 1, MAX_DEPTH, at);
  if (minDepth > maxDepth)
    c.add("inconsistent", `${at}minDepth`, `minDepth ${minDepth} exceeds maxDepth ${maxDepth}`);
  if (startDepth < minDepth || startDepth > maxDepth) {
    c.add("inconsistent", `${at}startDepth`, `startDepth ${startDepth} is outside ${minDepth}..${maxDepth}`);
  }
  let band: [number, number] = [0.3, 0.7];
  const rawBand = input["band"];
  if (rawBand !== undefined) {
    const [lo, hi] = Array.isArray(rawBand) ? rawBand : [];
    if (
      !Array.isArray(rawBand) ||
      rawBand.length !== 2 ||
      typeof lo !== "number" ||
      typeof hi !== "number" ||
      !Number.isFinite(lo) ||
      !Number.isFinite(hi)
    ) {
      c.add("invalid-type", `${at}band`, "expected [low, high], two finite numbers");
    } else if (!(0 <= lo && lo < hi && hi <= 1)) {
      c.add("out-of-range", `${at}band`, `expected 0 ≤ low < high ≤ 1, got [${lo}, ${hi}]`);
    } else band = [lo, hi];
  }
  const patience = int(c, input, "patience", 2, 1, 1000, at);
  const smoothing = real(c, input, "smoothing", 0.5, 0, 1, at);
  if (smoothing === 0)
    c.add("out-of-range", `${at}smoothing`, "expected a number in (0, 1]; 0 would never move");
  const stepSize = int(c, input, "stepSize", 1, 1, MAX_DEPTH, at);
  const window = int(c, input, "window", 0, 0, MAX_DEPTH, at);
  return c.result<Schedule>({
    kind: "adaptive",
    levels,
    minDepth,
    maxDepth,
    startDepth,
    batchSize,
    band,
    patience,
    smoothing,
    stepSize,
    window,
  });
}

function fixedDefault(): Schedule {
  return { kind: "fixed", level: "implication", depth: 1, batchSize: 1 };
}

/** Throwing twin of `validateSchedule`. */
export function scheduleOrThrow(input: unknown): Schedule {
  const r = validateSchedule(input);
  if (!r.ok) throw new CurriculumError(r.issues);
  return r.value;
}

/** The highest depth a schedule can ask for (the "top depth" simulations race to). */
export function topDepth(s: Schedule): number {
  return s.kind === "fixed" ? s.depth : s.maxDepth;
}

/** The level a schedule ends on (the ladder's top for `adaptive`). */
export function topLevel(s: Schedule): Level {
  if (s.kind !== "adaptive") return s.level;
  return s.levels[s.levels.length - 1] ?? s.levels[0];
}

/** Flat options (as the CLI and the comparison take them) from which any schedule can be built. */
export interface ScheduleOptions {
  readonly level?: string;
  readonly levels?: readonly string[];
  readonly depth?: number;
  readonly minDepth?: number;
  readonly maxDepth?: number;
  readonly startDepth?: number;
  readonly batchSize?: number;
  readonly start?: number;
  readonly step?: number;
  readonly threshold?: number;
  readonly mix?: string;
  readonly band?: readonly number[];
  readonly patience?: number;
  readonly smoothing?: number;
  readonly stepSize?: number;
  readonly window?: number;
}

/**
 * The raw schedule object for `kind` built from flat options, keeping only the fields that kind
 * has (a fixed schedule's depth defaults to maxDepth). Feed the result to `validateSchedule`.
 */
export function scheduleInput(kind: string, o: ScheduleOptions): Record<string, unknown> {
  const fields = (SCHEDULE_KINDS as readonly string[]).includes(kind) ? FIELDS[kind as ScheduleKind] : [];
  const all: Record<string, unknown> = { ...o, kind };
  if (kind === "fixed" && o.depth === undefined) all["depth"] = o.maxDepth;
  if (kind === "adaptive" && o.levels !== undefined && o.levels.length > 0) delete all["level"];
  const out: Record<string, unknown> = {};
  for (const k of fields) if (all[k] !== undefined) out[k] = all[k];
  if (fields.length === 0) out["kind"] = kind;
  return out;
}
