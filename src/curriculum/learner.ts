/**
 * A SIMULATED learner: a toy stand-in for an RL-trained policy, used only to compare schedules.
 * Nothing here is a claim about real models.
 *
 * The learner has one number, its skill s (in depth units). Its chance of solving an item of depth
 * d at a level with cost c is 1 / (1 + (c·d / s)^k): one half at c·d = s, falling as a power of
 * depth beyond it. It learns only from rewarded items, and more from the surprising ones: each
 * solved item adds rate·(1 − p) to s, averaged over the batch. The expected gain of an item is
 * rate·p·(1 − p), largest at the frontier (p = ½) and vanishing for items far too easy or far too
 * hard, which is the reason curricula help in this model (and, as the paper argues, in RL).
 */
import { isLevel, LEVELS, type Checked, type CurriculumIssue, type Level } from "./schedule.js";

/** Parameters of the simulated learner. */
export interface LearnerConfig {
  /** Initial skill in depth units (p = ½ at this implication depth). */
  readonly skill: number;
  /** Skill gained per step when every item of the batch is solved with p = 0. */
  readonly rate: number;
  /** Exponent k: how sharply success falls beyond the frontier. */
  readonly sharpness: number;
  /** Depth multiplier per level (harder levels make each step count more). */
  readonly levelCost: Readonly<Record<Level, number>>;
}

/** Invented per-level costs for the simulation (ordered like the paper's γ, not fitted to it). */
export const DEFAULT_LEVEL_COST: Readonly<Record<Level, number>> = {
  implication: 1,
  conjunction: 1.2,
  negation: 1.4,
  disjunction: 1.7,
  quantification: 2,
};

/** Named learners for the CLI and tests. */
export const LEARNER_PRESETS: Readonly<Record<"weak" | "medium" | "strong", LearnerConfig>> = {
  weak: { skill: 1.5, rate: 0.15, sharpness: 3, levelCost: DEFAULT_LEVEL_COST },
  medium: { skill: 3, rate: 0.2, sharpness: 3, levelCost: DEFAULT_LEVEL_COST },
  strong: { skill: 6, rate: 0.3, sharpness: 4, levelCost: DEFAULT_LEVEL_COST },
};

/** Probability that a learner of skill `skill` solves an item of (level, depth). */
export function successProbability(
  config: LearnerConfig,
  skill: number,
  level: Level,
  depth: number,
): number {
  const x = (config.levelCost[level] * depth) / Math.max(skill, 1e-9);
  return 1 / (1 + Math.pow(x, config.sharpness));
}

/** Skill after one batch of (level, depth, reward) results; p is taken at the pre-batch skill. */
export function learn(
  config: LearnerConfig,
  skill: number,
  results: readonly { readonly level: Level; readonly depth: number; readonly reward: number }[],
): number {
  if (results.length === 0) return skill;
  let gain = 0;
  for (const r of results) gain += r.reward * (1 - successProbability(config, skill, r.level, r.depth));
  return skill + (config.rate * gain) / results.length;
}

/** Held-out accuracy as the paper measures it: mean success over depths 1..maxDepth (noise-free). */
export function evalAccuracy(config: LearnerConfig, skill: number, level: Level, maxDepth: number): number {
  let sum = 0;
  for (let d = 1; d <= maxDepth; d++) sum += successProbability(config, skill, level, d);
  return sum / maxDepth;
}

/**
 * Validates an untrusted learner description: a preset name, or an object with any of skill,
 * rate, sharpness, levelCost (missing fields from the `medium` preset).
 */
export function validateLearner(input: unknown): Checked<LearnerConfig> {
  const bad = (path: string, message: string): Checked<LearnerConfig> => ({
    ok: false,
    issues: [{ code: "invalid-type", path, message } satisfies CurriculumIssue],
  });
  if (input === undefined) return { ok: true, value: LEARNER_PRESETS.medium };
  if (typeof input === "string") {
    if (input === "weak" || input === "medium" || input === "strong")
      return { ok: true, value: LEARNER_PRESETS[input] };
    return bad("learner", `unknown learner "${input}"; expected weak, medium, strong or an object`);
  }
  if (typeof input !== "object" || input === null || Array.isArray(input))
    return bad("learner", "expected an object");
  const o = input as Record<string, unknown>;
  const base = LEARNER_PRESETS.medium;
  const num = (k: string, fallback: number, lo: number, hi: number): number | null => {
    const v = o[k] ?? fallback;
    return typeof v === "number" && Number.isFinite(v) && v > lo && v <= hi ? v : null;
  };
  const skill = num("skill", base.skill, 0, 1e6);
  if (skill === null) return bad("learner.skill", "expected a number in (0, 1e6]");
  const rate = num("rate", base.rate, 0, 1e6);
  if (rate === null) return bad("learner.rate", "expected a number in (0, 1e6]");
  const sharpness = num("sharpness", base.sharpness, 0, 100);
  if (sharpness === null) return bad("learner.sharpness", "expected a number in (0, 100]");
  const costIn = o["levelCost"] ?? base.levelCost;
  if (typeof costIn !== "object" || costIn === null || Array.isArray(costIn)) {
    return bad("learner.levelCost", "expected an object from level name to a positive number");
  }
  const cost: Record<Level, number> = { ...base.levelCost };
  for (const [k, v] of Object.entries(costIn)) {
    if (!isLevel(k)) {
      return {
        ok: false,
        issues: [
          {
            code: "unknown-level",
            path: `learner.levelCost.${k}`,
            message: `expected one of ${LEVELS.join(", ")}`,
          },
        ],
      };
    }
    if (typeof v !== "number" || !Number.isFinite(v) || v <= 0)
      return bad(`learner.levelCost.${k}`, "expected a positive number");
    cost[k] = v;
  }
  for (const k of Object.keys(o)) {
    if (!["skill", "rate", "sharpness", "levelCost"].includes(k)) {
      return {
        ok: false,
        issues: [{ code: "unknown-field", path: `learner.${k}`, message: "not a learner field" }],
      };
    }
  }
  return { ok: true, value: { skill, rate, sharpness, levelCost: cost } };
}
