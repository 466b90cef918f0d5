/**
 * The generator facade: `generateItem(config, seed, index)` builds, certifies and renders one
 * item; `generateItems` streams a range. Item i is a pure function of (config, seed, i): its
 * randomness comes from a hash of (config hash, seed, split, index, attempt) only.
 *
 * Nothing is emitted unchecked. Each attempt builds a draft (tree.ts), keeps it only if its dedup
 * key belongs to the config's split, and then requires, in order of cost:
 *   1. a countermodel for every wrong candidate and a model of the theory (witness.ts, checked),
 *   2. a stage model of the layered theory T_{D-1} without the goal (no derivation of height < D),
 *   3. the gold proof, rendered as text, accepted by the checker in strict mode with height D,
 *   4. the prover's own decision procedure: theory consistent, gold entailed, others not.
 * A failed attempt retries with the next attempt number; after the budget a `GenerationError`
 * names the setting that could not be met.
 */
import { problemToJson, type ProblemJson } from "../logic/serialize.js";
import { check, prepare } from "../prover/check.js";
import { decideCandidates, packModel, verifyModel } from "../prover/decide.js";
import { ground, literalCode } from "../prover/ground.js";
import { configHash, validateConfig, type GenConfig, type Level, type Task } from "./config.js";
import { dedupKey, splitOwns } from "./dedup.js";
import { goldProof, proofText } from "./gold.js";
import { assemble, type Assembled } from "./problem.js";
import { candidateTexts, literalText, renderPrompt } from "./prompt.js";
import { itemSeed, makeRng, seedHash } from "./random.js";
import { buildDraft, type Draft, type Lit } from "./tree.js";
import { classicalModel, depthWitness, groundDraft, litCode, NEVER, type Grounded } from "./witness.js";

export type { GenConfig, Level, Task } from "./config.js";
export { configHash, defaultConfig, validateConfig, parseConfig } from "./config.js";

/** Attempts that reach certification before an item is declared infeasible. */
export const MAX_ATTEMPTS = 50;
/** Drafts drawn while looking for one whose dedup key belongs to the split. */
export const MAX_SPLIT_DRAWS = 400;

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
     * Lower bound: a model of the layered theory T_{depth-1} in which the goal is not established,
     * as [literal, stage] pairs (literal in English, stage = least layer where it holds; every
     * literal not listed holds in no layer ≤ depth-1). Empty when depth is 0.
     */
    readonly below: readonly (readonly [string, number])[];
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

/** Why one attempt was rejected (for the error message and the tests). */
type Reject = "entailed-candidate" | "inconsistent" | "shortcut" | "gold-proof" | "decision-procedure";

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

interface Witnesses {
  readonly g: Grounded;
  readonly countermodels: (Uint8Array | null)[];
  readonly model: Uint8Array;
  readonly below: Int32Array;
}

/** Step 1–2 on the draft's integer form: cheap witnesses, each checked before it is trusted. */
function witnesses(a: Assembled, depth: number): Witnesses | Reject {
  const d = a.draft;
  const g = groundDraft(a.facts, a.rules, d.preds.length, d.people.length);
  const countermodels: (Uint8Array | null)[] = [];
  let model: Uint8Array | undefined;
  for (let i = 0; i < a.candidates.length; i++) {
    if (i === a.answer) {
      countermodels.push(null);
      continue;
    }
    const m = classicalModel(g, litCode(a.candidates[i] as Lit, d.people.length));
    if (m === undefined) return "entailed-candidate";
    countermodels.push(m);
    model ??= m;
  }
  model ??= classicalModel(g, -1);
  if (model === undefined) return "inconsistent";
  const goal = litCode(a.candidates[a.answer] as Lit, d.people.length);
  const below = depthWitness(g, depth - 1, goal);
  if (below === undefined) return "shortcut";
  return { g, countermodels, model, below };
}

function build(config: GenConfig, hash: string, seed: number, index: number, depth: number): Item {
  const setting = settingOf(config, depth);
  const rejects = new Map<Reject, number>();
  let attempts = 0;
  for (let draw = 0; draw < MAX_SPLIT_DRAWS && attempts < MAX_ATTEMPTS; draw++) {
    const rng = makeRng(itemSeed(hash, seed, config.split, index, draw));
    const draft = buildDraft(config, depth, rng);
    const key = keyOf(draft);
    if (!splitOwns(config.split, key)) continue;
    attempts++;
    const a = assemble(draft, rng);
    const w = witnesses(a, depth);
    if (typeof w === "string") {
      rejects.set(w, (rejects.get(w) ?? 0) + 1);
      continue;
    }
    const item = certify(config, hash, seed, index, depth, a, w, key);
    if (typeof item === "string") {
      rejects.set(item, (rejects.get(item) ?? 0) + 1);
      continue;
    }
    return item;
  }
  if (attempts === 0) {
    throw new GenerationError(
      setting,
      `none of ${MAX_SPLIT_DRAWS} drafts has a structure that belongs to split "${config.split}" ` +
        `(the structure space of this setting is too small to split; add distractors or candidates)`,
    );
  }
  const why = [...rejects.entries()].map(([k, v]) => `${k}×${v}`).join(", ");
  throw new GenerationError(setting, `no draft passed certification in ${attempts} attempts (${why})`);
}

function keyOf(draft: Draft): string {
  const facts = draft.facts.filter((f) => f.alive).map((f) => f.value);
  const rules = draft.rules.filter((r) => r.alive).map((r) => r.value);
  return dedupKey({
    facts,
    rules,
    candidates: draft.roots.map((r) => r.lit),
    answer: 0,
    predCount: draft.preds.length,
    peopleCount: draft.people.length,
  });
}

/** Steps 3–4 and rendering. */
function certify(
  config: GenConfig,
  hash: string,
  seed: number,
  index: number,
  depth: number,
  a: Assembled,
  w: Witnesses,
  key: string,
): Item | Reject {
  const problem = a.problem;
  const proof = proofText(goldProof(a));
  const verdict = check(prepare(problem), `<proof>\n${proof}\n</proof>`, { mode: "strict" });
  if (!verdict.ok || verdict.height !== depth) return "gold-proof";

  const candidates = problem.candidates ?? [];
  const gr = ground(problem.theory, candidates);
  if (!gr.ok) return "decision-procedure";
  const g = gr.grounded;
  const codes = candidates.map((c) => literalCode(g, c));
  if (codes.some((c) => c < 0)) return "decision-procedure";
  // Map the draft's atom numbering onto the prover's, to hand it our witnesses for checking.
  const d = a.draft;
  const n = d.people.length;
  const atomMap = new Int32Array(w.g.atoms).fill(-1);
  for (let person = 0; person < n; person++) {
    const c = g.table.constIndex.get(d.people[person] as string);
    if (c === undefined) continue;
    for (let pred = 0; pred < d.preds.length; pred++) {
      atomMap[pred * n + person] = g.table.unaryAtom(d.preds[pred] as string, c, false);
    }
  }
  const toProver = (m: Uint8Array): Uint8Array => {
    const out = new Uint8Array(g.atomCount);
    for (let atom = 0; atom < atomMap.length; atom++) {
      const code = atomMap[atom] as number;
      if (code >= 0) out[code] = m[atom] as number;
    }
    return out;
  };
  const model = toProver(w.model);
  if (!verifyModel(g, model)) return "decision-procedure";
  const countermodels: (string | null)[] = [];
  for (let i = 0; i < codes.length; i++) {
    const m = w.countermodels[i];
    if (i === a.answer || m === undefined || m === null) {
      countermodels.push(null);
      continue;
    }
    const pm = toProver(m);
    const c = codes[i] as number;
    if (!verifyModel(g, pm) || pm[c >> 1] === 1 - (c & 1)) return "decision-procedure";
    countermodels.push(packModel(pm));
  }
  // The prover's complete procedure must agree that the gold candidate is entailed.
  const decision = decideCandidates(g, [codes[a.answer] as number]);
  if (!decision.consistency.consistent || decision.verdicts[0]?.entailed !== true)
    return "decision-procedure";

  const below: [string, number][] = [];
  for (let l = 0; l < w.below.length; l++) {
    const s = w.below[l] as number;
    if (s < NEVER && s <= depth - 1) {
      const atom = l >> 1;
      const lit = { pred: Math.floor(atom / n), person: atom % n, pos: (l & 1) === 0 };
      below.push([literalText(lit, d), s]);
    }
  }
  const certificates: Certificates = {
    model: packModel(model),
    countermodels,
    minDepth: { depth, proofHeight: verdict.height, below },
    corruptions: d.corruptions,
  };
  const texts = candidateTexts(a);
  const goalText = texts[a.answer] as string;
  return {
    id: `${hash}/${seed}/${index}`,
    index,
    seed,
    split: config.split,
    level: config.level,
    depth,
    task: config.task,
    config,
    prompt: renderPrompt(a, config.task),
    answer: goalText,
    candidates: config.task === "proof" ? [] : texts,
    problem: problemToJson(problem),
    goldProof: proof,
    certificates,
    dedupKey: key,
  };
}

/** Generates item `index` of (config, seed); throws `GenerationError` when the setting is infeasible. */
export function generateItem(config: GenConfig, seed: number, index: number): Item {
  const v = validateConfig(config);
  if (!v.ok) throw new GenerationError("config", v.issues.join("; "));
  const cfg = v.config;
  const hash = configHash(cfg);
  return build(cfg, hash, seed, index, depthOf(cfg, hash, seed, index));
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
