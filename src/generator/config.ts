/**
 * Generator configuration: the knobs of a dataset, validated once at the facade.
 *
 * A validated `GenConfig` has every field present and is JSON-plain, so it can travel inside items,
 * manifests and worker messages and be hashed canonically (`configHash`).
 */
import { createHash } from "node:crypto";

/** The five cumulative expressiveness levels, in ladder order. */
export type Level = "implication" | "conjunction" | "negation" | "disjunction" | "quantification";
/** What the model is asked to do. */
export type Task = "choice" | "proof" | "choice+proof";

/** The ladder, lowest first; a level allows every construct of the levels before it. */
export const LEVELS: readonly Level[] = [
  "implication",
  "conjunction",
  "negation",
  "disjunction",
  "quantification",
];
/** Every task name. */
export const TASKS: readonly Task[] = ["choice", "proof", "choice+proof"];

/** The paper's preset depth per level (released training scripts). */
export const PRESET_DEPTH: Readonly<Record<Level, number>> = {
  implication: 32,
  conjunction: 16,
  negation: 16,
  disjunction: 12,
  quantification: 10,
};

/** Largest depth the validator accepts; every level is tested up to 64. */
export const MAX_DEPTH = 128;
/** Size of the fixed pool of first names. */
export const PEOPLE_POOL_SIZE = 26;

/** A complete, validated generator configuration. */
export interface GenConfig {
  readonly level: Level;
  /** Requested depth (exact), or the top of the range when `mix` is "uniform". */
  readonly depth: number;
  /** "exact": every item has depth `depth`; "uniform": each item's depth is uniform over 1..depth. */
  readonly mix: "exact" | "uniform";
  readonly task: Task;
  /** Number of candidate statements B (one entailed). */
  readonly candidates: number;
  /** Inclusive [min, max] number of distractor rules per item. */
  readonly distractors: readonly [number, number];
  /** Number of people; 1 below quantification, ≥ 2 at quantification. */
  readonly people: number;
  /** Largest number of premises in one rule. */
  readonly maxPremises: number;
  /** Largest number of disjuncts in one rule's conclusion. */
  readonly maxDisjuncts: number;
  /** Split name; items of different splits never share a dedup key. */
  readonly split: string;
}

/** Index of a level on the ladder (0 = implication). */
export function levelRank(level: Level): number {
  return LEVELS.indexOf(level);
}

/** Fills every missing field with its default (level-dependent); does not validate. */
export function defaultConfig(partial: Partial<GenConfig> = {}): GenConfig {
  const level = partial.level ?? "implication";
  const rank = levelRank(level);
  return {
    level,
    depth: partial.depth ?? PRESET_DEPTH[level] ?? 8,
    mix: partial.mix ?? "exact",
    task: partial.task ?? "choice",
    candidates: partial.candidates ?? 4,
    distractors: partial.distractors ?? [0, 5],
    people: partial.people ?? (level === "quantification" ? 2 : 1),
    maxPremises: partial.maxPremises ?? (rank >= 1 ? 2 : 1),
    maxDisjuncts: partial.maxDisjuncts ?? (rank >= 3 ? 2 : 1),
    split: partial.split ?? "train",
  };
}

type Issues = [string, ...string[]];

function isInt(x: unknown): x is number {
  return typeof x === "number" && Number.isInteger(x);
}

const KNOWN_KEYS = new Set([
  "level",
  "depth",
  "mix",
  "task",
  "candidates",
  "distractors",
  "people",
  "maxPremises",
  "maxDisjuncts",
  "split",
]);

/**
 * Validates an untrusted configuration (missing fields take their defaults). Never throws; every
 * issue names the field and the accepted range.
 */
export function validateConfig(
  input: unknown,
): { ok: true; config: GenConfig } | { ok: false; issues: Issues } {
  const issues: string[] = [];
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    return { ok: false, issues: ["config: expected an object"] };
  }
  const raw = input as Record<string, unknown>;
  for (const k of Object.keys(raw)) if (!KNOWN_KEYS.has(k)) issues.push(`${k}: unknown field`);

  const level = raw["level"] ?? "implication";
  if (typeof level !== "string" || !(LEVELS as readonly string[]).includes(level)) {
    issues.push(`level: expected one of ${LEVELS.join(", ")}`);
    return { ok: false, issues: issues as Issues };
  }
  const lv = level as Level;
  const rank = levelRank(lv);
  const d = defaultConfig({ level: lv });
  const pick = (k: string, fallback: unknown): unknown => (raw[k] === undefined ? fallback : raw[k]);

  const depth = pick("depth", d.depth);
  if (!isInt(depth) || depth < 1 || depth > MAX_DEPTH)
    issues.push(`depth: expected an integer in 1..${MAX_DEPTH}`);
  const mix = pick("mix", d.mix);
  if (mix !== "exact" && mix !== "uniform") issues.push(`mix: expected "exact" or "uniform"`);
  const task = pick("task", d.task);
  if (typeof task !== "string" || !(TASKS as readonly string[]).includes(task)) {
    issues.push(`task: expected one of ${TASKS.join(", ")}`);
  }
  const candidates = pick("candidates", d.candidates);
  if (!isInt(candidates) || candidates < 1 || candidates > 10) {
    issues.push("candidates: expected an integer in 1..10");
  }
  const distractors = pick("distractors", d.distractors);
  let dist: [number, number] = [0, 0];
  if (
    !Array.isArray(distractors) ||
    distractors.length !== 2 ||
    !isInt(distractors[0]) ||
    !isInt(distractors[1]) ||
    distractors[0] < 0 ||
    distractors[0] > distractors[1] ||
    distractors[1] > 50
  ) {
    issues.push("distractors: expected [min, max] integers with 0 ≤ min ≤ max ≤ 50");
  } else {
    dist = [distractors[0], distractors[1]];
  }
  const people = pick("people", d.people);
  if (!isInt(people) || people < 1 || people > PEOPLE_POOL_SIZE) {
    issues.push(`people: expected an integer in 1..${PEOPLE_POOL_SIZE}`);
  } else if (lv === "quantification" && people < 2) {
    issues.push("people: the quantification level needs at least 2 people (cross-person rules)");
  } else if (lv !== "quantification" && people !== 1) {
    issues.push(`people: level ${lv} uses exactly 1 person; more people need level quantification`);
  }
  const maxPremises = pick("maxPremises", d.maxPremises);
  if (!isInt(maxPremises) || maxPremises < 1 || maxPremises > 6) {
    issues.push("maxPremises: expected an integer in 1..6");
  } else if (rank >= 1 && maxPremises < 2) {
    issues.push(`maxPremises: level ${lv} needs rules with at least 2 premises (got 1)`);
  } else if (rank < 1 && maxPremises !== 1) {
    issues.push("maxPremises: level implication has single-premise rules only (use 1)");
  }
  const maxDisjuncts = pick("maxDisjuncts", d.maxDisjuncts);
  if (!isInt(maxDisjuncts) || maxDisjuncts < 1 || maxDisjuncts > 6) {
    issues.push("maxDisjuncts: expected an integer in 1..6");
  } else if (rank >= 3 && maxDisjuncts < 2) {
    issues.push(`maxDisjuncts: level ${lv} needs disjunctive conclusions (at least 2 disjuncts)`);
  } else if (rank < 3 && maxDisjuncts !== 1) {
    issues.push(`maxDisjuncts: level ${lv} has no disjunctions (use 1)`);
  }
  const split = pick("split", d.split);
  if (typeof split !== "string" || !/^[a-z0-9][a-z0-9_-]{0,31}$/.test(split)) {
    issues.push("split: expected a lowercase name of 1..32 characters [a-z0-9_-]");
  }
  if (issues.length > 0) return { ok: false, issues: issues as Issues };
  return {
    ok: true,
    config: {
      level: lv,
      depth: depth as number,
      mix: mix as "exact" | "uniform",
      task: task as Task,
      candidates: candidates as number,
      distractors: dist,
      people: people as number,
      maxPremises: maxPremises as number,
      maxDisjuncts: maxDisjuncts as number,
      split: split as string,
    },
  };
}

/** Thrown by `parseConfig` when a configuration is invalid. */
export class ConfigError extends Error {
  override name = "ConfigError";
  /** The validation issues, at least one. */
  readonly issues: Issues;
  constructor(issues: Issues) {
    super(`invalid generator config: ${issues.join("; ")}`);
    this.issues = issues;
  }
}

/** Throwing twin of `validateConfig`. */
export function parseConfig(input: unknown): GenConfig {
  const r = validateConfig(input);
  if (!r.ok) throw new ConfigError(r.issues);
  return r.config;
}

/** Canonical JSON (keys sorted) of a configuration. */
export function canonicalConfigJson(config: GenConfig): string {
  const keys = Object.keys(config).sort() as (keyof GenConfig)[];
  return "{" + keys.map((k) => JSON.stringify(k) + ":" + JSON.stringify(config[k])).join(",") + "}";
}

/** sha256 hex of the canonical JSON of a configuration, first 16 characters. */
export function configHash(config: GenConfig): string {
  return createHash("sha256").update(canonicalConfigJson(config)).digest("hex").slice(0, 16);
}
