/**
 * Offline planning: turn a schedule into a concrete sequence of batches, and batches into items.
 *
 * Static schedules (fixed, uniform, difficult) need no feedback. The step curriculum and the
 * adaptive controller only move when told how a learner did, and offline there is no learner, so
 * `planBatches` feeds them rewards from the SIMULATED learner (learner.ts) and labels every batch
 * `feedback: "simulated"`. The plan's history is a normal curriculum log: `replay` reproduces it.
 */
import { validateConfig, type GenConfig } from "../generator/config.js";
import { generateItems, type Item } from "../generator/index.js";
import { init, type BatchSpec, type FeedbackAction } from "./controller.js";
import { Recorder, type History } from "./history.js";
import { learn, LEARNER_PRESETS, type LearnerConfig } from "./learner.js";
import { deriveSeed, Rng } from "./random.js";
import { CurriculumError, type Checked } from "./schedule.js";
import { drawRewards } from "./simulation.js";

/** Options of `planBatches`. */
export interface PlanOptions {
  readonly schedule: unknown;
  readonly seed: number;
  readonly batches: number;
  /** The simulated learner that stands in for a trainer (default: the `medium` preset). */
  readonly learner?: LearnerConfig;
}

/** One planned batch and where its controller feedback came from. */
export interface PlannedBatch {
  readonly spec: BatchSpec;
  /** "simulated": the controller saw rewards from the simulated learner; "none": static schedule. */
  readonly feedback: "simulated" | "none";
  /** The simulated learner's mean reward on this batch (null when no feedback was used). */
  readonly simulatedSuccess: number | null;
  readonly action: FeedbackAction;
}

/** A whole plan: the batches, whether it involved simulation, and its replayable log. */
export interface Plan {
  readonly simulated: boolean;
  readonly batches: readonly PlannedBatch[];
  readonly history: History;
}

/** Largest number of batches one plan may hold. */
export const MAX_PLAN_BATCHES = 1_000_000;

/** Plans `batches` batches of a schedule. Never throws on bad input. */
export function planBatches(options: PlanOptions): Checked<Plan> {
  const start = init(options.schedule, { seed: options.seed });
  if (!start.ok) return start;
  if (!Number.isInteger(options.batches) || options.batches < 1 || options.batches > MAX_PLAN_BATCHES) {
    return {
      ok: false,
      issues: [
        { code: "out-of-range", path: "batches", message: `expected an integer in 1..${MAX_PLAN_BATCHES}` },
      ],
    };
  }
  const kind = start.value.schedule.kind;
  const simulated = kind === "step" || kind === "adaptive";
  const learner = options.learner ?? LEARNER_PRESETS.medium;
  const rng = new Rng(deriveSeed(options.seed, 0x91a4));
  const rec = new Recorder(start.value);
  let skill = learner.skill;
  const out: PlannedBatch[] = [];
  for (let b = 0; b < options.batches; b++) {
    const spec = rec.next();
    if (!simulated) {
      out.push({ spec, feedback: "none", simulatedSuccess: null, action: "none" });
      continue;
    }
    const items = drawRewards(learner, skill, spec, rng);
    skill = learn(learner, skill, items);
    const fb = rec.feedback({ batch: spec.batch, items });
    // Built here from valid numbers: a rejection would be a bug in this module.
    if (!fb.ok) throw new CurriculumError(fb.issues);
    const success = items.reduce((a, x) => a + x.reward, 0) / Math.max(1, items.length);
    out.push({ spec, feedback: "simulated", simulatedSuccess: success, action: fb.value.action });
  }
  return { ok: true, value: { simulated, batches: out, history: rec.history } };
}

/** Where an item sits in a plan; added to every planned item as its `curriculum` field. */
export interface CurriculumTag {
  readonly batch: number;
  /** Position of the item within its batch. */
  readonly position: number;
  readonly schedule: BatchSpec["schedule"];
  readonly frontier: number;
  readonly feedback: PlannedBatch["feedback"];
}

/**
 * The items of one batch, lazily, from the generator: for each (depth, count) of the allocation,
 * items of config {base…, level, depth, mix: "exact"} with the batch's generator seed, indexed
 * by position in the batch. Throws the generator's error when a depth is infeasible.
 */
export function* batchItems(
  batch: PlannedBatch,
  base: Partial<GenConfig> = {},
): Generator<Item & { readonly curriculum: CurriculumTag }> {
  const { spec } = batch;
  let position = 0;
  for (const { depth, count } of spec.allocation) {
    const v = validateConfig({ ...base, level: spec.level, depth, mix: "exact" });
    if (!v.ok)
      throw new Error(`curriculum plan: generator config for depth ${depth}: ${v.issues.join("; ")}`);
    const config = v.config;
    for (const item of generateItems(config, spec.generatorSeed, position, count)) {
      yield {
        ...item,
        curriculum: {
          batch: spec.batch,
          position,
          schedule: spec.schedule,
          frontier: spec.frontier,
          feedback: batch.feedback,
        },
      };
      position++;
    }
  }
}
