/**
 * The generator facade: `generateItem(config, seed, index)` builds, certifies and renders one
 * item; `generateItems` streams a range. Item i is a pure function of (config, seed, i): its
 * randomness comes from a hash of (config hash, seed, split, index, attempt) only.
 *
 * Nothing is emitted unchecked. Each attempt builds a draft (tree.ts), keeps it only if its dedup
 * key belongs to the config's split, and then requires from src/prover/:
 *   1. `decideCandidates` on the grounded theory: a model (consistency), the gold candidate
 *      entailed, a countermodel for every other candidate;
 *   2. `certifyMinDepth`: a model of the layered theory T_{D-1} without the goal (no derivation
 *      of height < D, whatever distractors, shared nodes or other trees offer);
 *   3. the gold proof, rendered as proof-language text, accepted by `check` in strict mode with
 *      height exactly D (so the minimum depth is exactly D).
 * A failed attempt retries with the next attempt number; after the budget a `GenerationError`
 * names the setting that could not be met.
 */
import type { Formula } from "../logic/formula.js";
import type { ProblemJson } from "../logic/serialize.js";
import { check, prepare } from "../prover/check.js";
import { decideCandidates, packModel } from "../prover/decide.js";
import { certifyMinDepth, packDepthCertificate } from "../prover/depth.js";
import { ground, literalCode } from "../prover/ground.js";
import { configHash, validateConfig, type GenConfig, type Level, type Task } from "./config.js";
import { dedupKey, draftKey, splitOwns } from "./dedup.js";
import { goldText } from "./gold.js";
import { assemble, type Assembled } from "./problem.js";
import { candidateTexts, renderPrompt, Texts, wireForm } from "./prompt.js";
import { attemptSeed, itemSeed, makeRng, seedHash } from "./random.js";
import { buildDraft } from "./tree.js";

export type { GenConfig, Level, Task } from "./config.js";
export { configHash, defaultConfig, validateConfig, parseConfig } from "./config.js";

/** Attempts that reach certification before an item is declared infeasible. */
export const MAX_ATTEMPTS = 50;
/** Drafts drawn while looking for one whose dedup key belongs to the split. */
export const MAX_SPLIT_DRAWS = 2000;

/** The certificates stored with an item (JSON-plain). */
export interface Certificates {
  /**
   * A model of the theory (consistency), packed with the prover's `packModel`; atoms are numbered
   * as `ground(problem.theory, problem.candidates)` in src/prover/ground.ts numbers them.
   */
  readonly model: string;
  /** Per candidate: null for the answer, else a packed model of the theory where it is false. */
  readonly countermodels: readonly (string | null)[];
  /** Minimum-depth certificate. */
  readonly minDepth: {
    readonly depth: number;
    /** Height of the gold proof as reported by the checker (an upper bound: depth ≤ this). */
    readonly proofHeight: number;
    /**
     * Lower bound: a model of the layered theory T_{depth-1} in which the goal is not established
     * (`certifyMinDepth` of src/prover/depth.ts, packed with `packDepthCertificate`; check it with
     * `verifyDepthCertificate`). Literal codes follow the same grounding as the models.
     */
    readonly below: string;
  };
  /** Construction notes: the corruption applied to each non-gold tree. */
  readonly corruptions: readonly string[];
}

/** One generated item (see the generator contract in docs/generator.md). */
export interface Item {
  readonly id: string;
  readonly index: number;
  readonly seed: number;
  readonly split: string;
  readonly level: Level;
  readonly depth: number;
  readonly task: Task;
  readonly config: GenConfig;
  readonly prompt: string;
  readonly answer: string;
  readonly candidates: string[];
  readonly problem: ProblemJson;
  readonly goldProof: string;
  readonly certificates: Certificates;
  readonly dedupKey: string;
}

/** Thrown when a configuration cannot be met within the retry budget; the message names the setting. */
export class GenerationError extends Error {
  override name = "GenerationError";
  /** The failing setting, e.g. `level=disjunction depth=64`. */
  readonly setting: string;
  constructor(setting: string, message: string) {
    super(`cannot generate ${setting}: ${message}`);
    this.setting = setting;
  }
}

/** Counters (and per-phase times in ms) a caller can collect across `generateItem` calls. */
export interface GenerationStats {
  /** Drafts built, including those whose dedup key belonged to another split. */
  drafts: number;
  /** Drafts that reached certification. */
  attempts: number;
  /** Items emitted. */
  items: number;
  /** Rejections by reason. */
  rejects: Record<string, number>;
  /**
   * CPU milliseconds per phase: build (drafts, keys, formulas), ground, decide, depth, goldProof,
   * prepare, check, render (prompt and wire JSON).
   */
  ms: Record<string, number>;
}

/** A fresh, zeroed stats object. */
export function newStats(): GenerationStats {
  return { drafts: 0, attempts: 0, items: 0, rejects: {}, ms: {} };
}

/** CPU milliseconds of this process (user + system), so other load on the machine does not count. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/**
 * Phase timing without a closure per phase (they were allocated for every item even without
 * stats): `const t = clock(stats)` before the phase, `lap(stats, "phase", t)` after it.
 */
function clock(stats: GenerationStats | undefined): number {
  return stats === undefined ? 0 : cpuMs();
}

/** Adds the CPU time since `t0` (from `clock`) to `phase`; a no-op without stats. */
function lap(stats: GenerationStats | undefined, phase: string, t0: number): void {
  if (stats !== undefined) stats.ms[phase] = (stats.ms[phase] ?? 0) + cpuMs() - t0;
}

/** Why one attempt was rejected (for the error message and the tests). */
export type Reject =
  | "entailed-candidate"
  | "gold-not-entailed"
  | "inconsistent"
  | "shortcut"
  | "gold-proof"
  | "decision-procedure";

function depthOf(config: GenConfig, hash: string, seed: number, index: number): number {
  if (config.mix === "exact") return config.depth;
  const rng = makeRng(seedHash(["depth", hash, seed, config.split, index]));
  return rng.range(1, config.depth);
}

function settingOf(config: GenConfig, depth: number): string {
  return (
    `level=${config.level} depth=${depth} candidates=${config.candidates} people=${config.people} ` +
    `maxPremises=${config.maxPremises} maxDisjuncts=${config.maxDisjuncts} split=${config.split}`
  );
}

function build(
  config: GenConfig,
  hash: string,
  seed: number,
  index: number,
  depth: number,
  stats: GenerationStats | undefined,
): Item {
  // Only a failure needs these: the setting string is made when throwing, the map on first reject.
  let rejects: Map<Reject, number> | undefined;
  let attempts = 0;
  const base = itemSeed(hash, seed, config.split, index);
  for (let draw = 0; draw < MAX_SPLIT_DRAWS && attempts < MAX_ATTEMPTS; draw++) {
    if (stats !== undefined) stats.drafts++;
    const rng = makeRng(attemptSeed(base, draw));
    const t = clock(stats);
    const draft = buildDraft(config, depth, rng);
    const key = draftKey(draft);
    const owned = splitOwns(config.split, key);
    const a = owned ? assemble(draft, rng) : undefined;
    lap(stats, "build", t);
    if (a === undefined) continue;
    attempts++;
    if (stats !== undefined) stats.attempts++;
    const item = certify(config, hash, seed, index, depth, a, key, stats);
    if (typeof item === "string") {
      rejects ??= new Map<Reject, number>();
      rejects.set(item, (rejects.get(item) ?? 0) + 1);
      if (stats !== undefined) stats.rejects[item] = (stats.rejects[item] ?? 0) + 1;
      continue;
    }
    if (stats !== undefined) stats.items++;
    return item;
  }
  if (attempts === 0) {
    throw new GenerationError(
      settingOf(config, depth),
      `none of ${MAX_SPLIT_DRAWS} drafts has a structure that belongs to split "${config.split}" ` +
        `(the structure space of this setting is too small to split; add distractors or candidates)`,
    );
  }
  const why = [...(rejects ?? [])].map(([k, v]) => `${k}×${v}`).join(", ");
  throw new GenerationError(
    settingOf(config, depth),
    `no draft passed certification in ${attempts} attempts (${why})`,
  );
}

/**
 * Certifies one assembled draft at `depth` as `generateItem` does (seed and index 0): the item, or
 * why it was rejected. Exposed so tests can show that each check rejects what it should.
 */
export function certifyDraft(config: GenConfig, depth: number, a: Assembled): Item | Reject {
  const key = dedupKey({
    facts: a.facts,
    rules: a.rules,
    candidates: a.candidates,
    answer: a.answer,
    predCount: a.draft.preds.length,
    peopleCount: a.draft.people.length,
  });
  return certify(config, configHash(config), 0, 0, depth, a, key, undefined);
}

/** Certification (prover procedures and checker) and rendering of one assembled draft. */
function certify(
  config: GenConfig,
  hash: string,
  seed: number,
  index: number,
  depth: number,
  a: Assembled,
  key: string,
  stats: GenerationStats | undefined,
): Item | Reject {
  const problem = a.problem;
  const candidates = problem.candidates ?? [];
  let t = clock(stats);
  const gr = ground(problem.theory, candidates);
  lap(stats, "ground", t);
  if (!gr.ok) return "decision-procedure";
  const g = gr.grounded;
  const codes: number[] = new Array<number>(candidates.length);
  for (let i = 0; i < candidates.length; i++) {
    const c = literalCode(g, candidates[i] as Formula);
    if (c < 0) return "decision-procedure";
    codes[i] = c;
  }
  t = clock(stats);
  const decision = decideCandidates(g, codes);
  lap(stats, "decide", t);
  const consistency = decision.consistency;
  if (!consistency.consistent) return "inconsistent";
  const model = consistency.model;
  const countermodels: (string | null)[] = [];
  for (let i = 0; i < codes.length; i++) {
    const v = decision.verdicts[i];
    if (v === undefined) return "decision-procedure";
    if (i === a.answer) {
      if (!v.entailed) return "gold-not-entailed";
      countermodels.push(null);
    } else {
      if (v.entailed) return "entailed-candidate";
      countermodels.push(packModel(v.countermodel));
    }
  }
  t = clock(stats);
  const below = certifyMinDepth(g, codes[a.answer] as number, depth);
  lap(stats, "depth", t);
  if (!below.ok) return "shortcut";

  t = clock(stats);
  const texts = new Texts(a);
  const proof = goldText(a, texts);
  lap(stats, "goldProof", t);
  t = clock(stats);
  const prepared = prepare(problem);
  lap(stats, "prepare", t);
  t = clock(stats);
  const verdict = check(prepared, `<proof>\n${proof}\n</proof>`, { mode: "strict" });
  lap(stats, "check", t);
  if (!verdict.ok || verdict.height !== depth) return "gold-proof";
  t = clock(stats);
  const item = render(
    config,
    hash,
    seed,
    index,
    depth,
    a,
    texts,
    key,
    proof,
    model,
    countermodels,
    verdict.height ?? depth,
    packDepthCertificate(below.certificate),
  );
  lap(stats, "render", t);
  return item;
}

function render(
  config: GenConfig,
  hash: string,
  seed: number,
  index: number,
  depth: number,
  a: Assembled,
  texts: Texts,
  key: string,
  proof: string,
  model: Uint8Array,
  countermodels: (string | null)[],
  proofHeight: number,
  below: string,
): Item {
  const certificates: Certificates = {
    model: packModel(model),
    countermodels,
    minDepth: { depth, proofHeight, below },
    corruptions: a.draft.corruptions,
  };
  const candidates = candidateTexts(a, texts);
  return {
    id: `${hash}/${seed}/${index}`,
    index,
    seed,
    split: config.split,
    level: config.level,
    depth,
    task: config.task,
    config,
    prompt: renderPrompt(a, config.task, texts),
    answer: candidates[a.answer] as string,
    candidates: config.task === "proof" ? [] : candidates,
    problem: wireForm(a, texts),
    goldProof: proof,
    certificates,
    dedupKey: key,
  };
}

/**
 * Validated configs and their hashes by object identity, so a run over one config object validates
 * and hashes it once. Configs are treated as immutable (they are readonly and JSON-plain).
 */
const validated = new WeakMap<GenConfig, { config: GenConfig; hash: string }>();

/** Generates item `index` of (config, seed); throws `GenerationError` when the setting is infeasible. */
export function generateItem(config: GenConfig, seed: number, index: number, stats?: GenerationStats): Item {
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new GenerationError("seed", `seed must be a non-negative safe integer, got ${String(seed)}`);
  }
  if (!Number.isSafeInteger(index) || index < 0) {
    throw new GenerationError("index", `index must be a non-negative safe integer, got ${String(index)}`);
  }
  let known = validated.get(config);
  if (known === undefined) {
    const v = validateConfig(config);
    if (!v.ok) throw new GenerationError("config", v.issues.join("; "));
    known = { config: v.config, hash: configHash(v.config) };
    validated.set(config, known);
  }
  const { config: cfg, hash } = known;
  return build(cfg, hash, seed, index, depthOf(cfg, hash, seed, index), stats);
}

/** Items start … start+count-1 of (config, seed), lazily; each is independent of the others. */
export function* generateItems(
  config: GenConfig,
  seed: number,
  start: number,
  count: number,
): Iterable<Item> {
  for (let i = 0; i < count; i++) yield generateItem(config, seed, start + i);
}
