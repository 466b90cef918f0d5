/**
 * One entry point for every reward: `score(request)` judges a completion for the `choice`,
 * `proof` (strict or lenient) and `choice+proof` tasks and returns the reward with diagnostics.
 *
 * Ground truth travels with the request: the gold answer text (answer-only), a serialized problem
 * (the wire form), or an item id `configHash/seed/index` plus its config, which is regenerated
 * deterministically. Resolved problems are kept in a bounded LRU so that the rollouts of one
 * prompt are parsed and prepared once.
 *
 * Nothing here throws on untrusted input: every failure is reward 0 with a stable code. The reward
 * is 1 only when every required part passed — the checker said `ok` with reward 1 for proofs, and
 * the extracted answer matched for choices.
 */
import { printEnglish } from "../logic/english.js";
import { problemFromJson } from "../logic/serialize.js";
import type { Problem } from "../logic/theory.js";
import { check, prepare, resolveOptions, type CheckOptions, type PreparedProblem } from "../prover/check.js";
import type { IssueCode } from "../prover/issue.js";
import { configHash, TASKS, validateConfig, type GenConfig, type Task } from "../generator/config.js";
import { generateItem } from "../generator/index.js";
import { DEFAULT_MAX_COMPLETION_CHARS, scoreAnswer } from "./answer.js";
import { LruCache } from "./cache.js";

/** The three task formats (the generator's). */
export type { Task };
/** Proof checking mode: citations required (`strict`) or found by the checker (`lenient`). */
export type ProofMode = "strict" | "lenient";

/** The tasks, for validation and docs. */
export { TASKS };

/**
 * Stable reward codes added by scoring; proof failures carry the checker's own issue codes.
 * - `ok`: reward 1.
 * - `format`: the answer tags are missing, repeated or out of order, or a `<think>` tag appears.
 * - `wrong-answer`: the extracted answer is not the gold candidate.
 * - `size-limit`: the completion is longer than the limit.
 * - `bad-request`: the request itself is malformed (missing completion, wrong types, bad task).
 * - `bad-item`: the ground truth cannot be resolved (bad wire form, unknown or mismatched item id).
 * - `timeout`: the wall-clock backstop fired (set by the pool, never by `score`).
 * - `internal`: an unexpected error while scoring this item (a bug; reward 0, logged).
 * Proof rejections use the checker's codes (src/prover/issue.ts): `no-proof-block`,
 * `multiple-proof-blocks`, `empty-proof`, `size-limit`, `budget`, `parse`, `structure`,
 * `duplicate-label`, `unknown-reference`, `out-of-scope`, `missing-justification`,
 * `not-an-inference`, `open-subproof`, `wrong-goal`.
 */
export type ScoreCode =
  | "ok"
  | "format"
  | "wrong-answer"
  | "size-limit"
  | "bad-request"
  | "bad-item"
  | "timeout"
  | "internal"
  | IssueCode;

/** One (ground truth, completion) pair to score. */
export interface ScoreRequest {
  /** The model's response (without the prompt). */
  readonly completion: string;
  /** Task format; defaults to the item's task, else `proof` when a problem is given, else `choice`. */
  readonly task?: Task;
  /** Proof mode, default `strict`. */
  readonly mode?: ProofMode;
  /** Lenient answer match (whitespace, case, trailing period); default false. */
  readonly lenientAnswer?: boolean;
  /** Gold candidate text (or accepted texts) for `choice`; optional when the item carries it. */
  readonly answer?: string | readonly string[];
  /** The problem in wire form (object or its JSON text). */
  readonly problem?: unknown;
  /** Item id `configHash/seed/index`, regenerated with `config`. */
  readonly id?: string;
  /** The generator config the id was made with. */
  readonly config?: unknown;
}

/** The verdict on one item. */
export interface ScoreResult {
  /** 1 or 0. */
  readonly reward: number;
  /** In 0..1; equal to `reward` (no partial credit is given). */
  readonly score: number;
  /** Stable code: `ok` or why the reward is 0. */
  readonly code: ScoreCode;
  /** Human-readable detail for logs. */
  readonly message?: string;
  /** 1-based proof line of the first failure, when the checker names one. */
  readonly firstFailingLine?: number;
  /** Inference steps the checker verified. */
  readonly steps: number;
  /** Lines in the submitted proof. */
  readonly proofLines: number;
  /** Height of the verified derivation, when the checker reports it. */
  readonly height?: number;
  /** The extracted answer, for choice tasks that passed the format gate. */
  readonly answer?: string;
}

/** Limits and cache sizes of a scorer. */
export interface ScorerOptions {
  /** Completions longer than this (UTF-16 code units) get `size-limit`. */
  readonly maxCompletionChars?: number;
  /** Resolved ground truths kept per scorer, items by id and problems by text together (default 512). */
  readonly cacheSize?: number;
  /**
   * Claim and justification readings remembered per prepared problem (`prepare`'s `readCacheSize`;
   * default 64, 0 turns it off). Multiplied by `cacheSize`, it bounds the scorer's memory.
   */
  readonly readCacheSize?: number;
}

// Rollouts of one prompt share lines, and 64 entries catch those about as well as 256 while keeping
// a cached problem near 70 KB instead of 150 KB (figures in docs/service.md).
/** Default read-cache entries per prepared problem in a scorer (smaller than `prepare`'s 256). */
export const SCORER_READ_CACHE_SIZE = 64;

/** A ground truth resolved from a request: gold answer text and/or a prepared problem. */
interface Truth {
  readonly gold?: string | readonly string[];
  readonly prepared?: PreparedProblem;
  readonly task?: Task;
}

type Resolved =
  { readonly ok: true; readonly truth: Truth } | { readonly ok: false; readonly result: ScoreResult };

function fail(code: ScoreCode, message: string, extra: Partial<ScoreResult> = {}): ScoreResult {
  return { reward: 0, score: 0, code, message, steps: 0, proofLines: 0, ...extra };
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

function isStringList(x: unknown): x is readonly string[] {
  return Array.isArray(x) && x.length > 0 && x.every((s) => typeof s === "string");
}

/** Parses an item id `configHash/seed/index`. */
export function parseItemId(
  id: string,
): { readonly hash: string; readonly seed: number; readonly index: number } | undefined {
  const parts = id.split("/");
  if (parts.length !== 3) return undefined;
  const [hash, seedText, indexText] = parts as [string, string, string];
  if (!/^[0-9a-f]{8,64}$/.test(hash)) return undefined;
  if (!/^[0-9]{1,15}$/.test(seedText) || !/^[0-9]{1,15}$/.test(indexText)) return undefined;
  return { hash, seed: Number(seedText), index: Number(indexText) };
}

/** Validates the untrusted shape of a request; the message names the first bad field. */
export function validateScoreRequest(
  input: unknown,
): { readonly ok: true; readonly request: ScoreRequest } | { readonly ok: false; readonly message: string } {
  if (!isRecord(input)) return { ok: false, message: "an item must be a JSON object" };
  if (typeof input.completion !== "string") return { ok: false, message: "completion must be a string" };
  if (input.task !== undefined && !TASKS.includes(input.task as Task)) {
    return { ok: false, message: `task must be one of ${TASKS.join(", ")}` };
  }
  if (input.mode !== undefined && input.mode !== "strict" && input.mode !== "lenient") {
    return { ok: false, message: "mode must be strict or lenient" };
  }
  if (input.lenientAnswer !== undefined && typeof input.lenientAnswer !== "boolean") {
    return { ok: false, message: "lenientAnswer must be a boolean" };
  }
  if (input.answer !== undefined && typeof input.answer !== "string" && !isStringList(input.answer)) {
    return { ok: false, message: "answer must be a string or a non-empty list of strings" };
  }
  if (input.id !== undefined && typeof input.id !== "string")
    return { ok: false, message: "id must be a string" };
  if (input.problem === undefined && input.id === undefined && input.answer === undefined) {
    return { ok: false, message: "ground truth missing: give answer, problem, or id with config" };
  }
  return { ok: true, request: input as unknown as ScoreRequest };
}

/** The gold candidate in the paper's rendering (`Alice is abcde`, no period), when there is one. */
function goldOf(problem: Problem): string | undefined {
  const c = problem.answer === undefined ? undefined : problem.candidates?.[problem.answer];
  return c === undefined ? undefined : printEnglish(c, { period: false });
}

/** Scores requests with its own cache of resolved ground truths. */
export class Scorer {
  // Two maps so the problem text itself is the key (no concatenated copy per lookup).
  private readonly byId: LruCache<string, Resolved>;
  private readonly byProblem: LruCache<string, Resolved>;
  private readonly maxChars: number;
  private readonly capacity: number;
  private readonly readCacheSize: number;
  private readonly regenerate: (config: GenConfig, seed: number, index: number) => unknown;
  /** Checker options per proof mode, validated once rather than on every completion. */
  private readonly checkOptions: { readonly strict: CheckOptions; readonly lenient: CheckOptions };

  /** A scorer with the given limits; `generate` replaces the generator (tests). */
  constructor(options: ScorerOptions = {}, generate = generateItem) {
    this.capacity = options.cacheSize ?? 512;
    this.byId = new LruCache(this.capacity);
    this.byProblem = new LruCache(this.capacity);
    this.readCacheSize = options.readCacheSize ?? SCORER_READ_CACHE_SIZE;
    if (!Number.isInteger(this.readCacheSize) || this.readCacheSize < 0)
      throw new RangeError(
        `readCacheSize must be a non-negative integer, got ${String(options.readCacheSize)}`,
      );
    this.maxChars = options.maxCompletionChars ?? DEFAULT_MAX_COMPLETION_CHARS;
    this.regenerate = generate;
    this.checkOptions = {
      strict: resolveOptions({ mode: "strict", maxCompletionChars: this.maxChars }),
      lenient: resolveOptions({ mode: "lenient", maxCompletionChars: this.maxChars }),
    };
  }

  /** Cache hit/miss counts. */
  get cacheStats(): { readonly hits: number; readonly misses: number } {
    const a = this.byId.stats;
    const b = this.byProblem.stats;
    return { hits: a.hits + b.hits, misses: a.misses + b.misses };
  }

  /** Scores one untrusted request; never throws. */
  score(input: unknown): ScoreResult {
    try {
      return this.scoreUnsafe(input);
    } catch (e) {
      // A bug somewhere below: this item gets 0 and says so, the batch carries on.
      return fail("internal", e instanceof Error ? `${e.name}: ${e.message}` : String(e));
    }
  }

  private scoreUnsafe(input: unknown): ScoreResult {
    const v = validateScoreRequest(input);
    if (!v.ok) return fail("bad-request", v.message);
    const req = v.request;
    if (req.completion.length > this.maxChars) {
      return fail("size-limit", `completion longer than ${this.maxChars} characters`);
    }
    const resolved = this.resolve(req);
    if (!resolved.ok) return resolved.result;
    const truth = resolved.truth;
    const task: Task = req.task ?? truth.task ?? (truth.prepared !== undefined ? "proof" : "choice");

    let answer: string | undefined;
    if (task === "choice" || task === "choice+proof") {
      const gold = req.answer ?? truth.gold;
      if (gold === undefined) return fail("bad-item", "no gold answer for a choice task");
      const a = scoreAnswer(req.completion, gold, {
        lenient: req.lenientAnswer === true,
        maxChars: this.maxChars,
      });
      const extra: Partial<ScoreResult> = a.answer === undefined ? {} : { answer: a.answer };
      if (a.code !== "ok") {
        const why =
          a.message ?? (a.code === "wrong-answer" ? "the answer is not the gold candidate" : a.code);
        return fail(a.code, why, extra);
      }
      if (task === "choice") return { reward: 1, score: 1, code: "ok", steps: 0, proofLines: 0, ...extra };
      answer = a.answer;
    }

    if (truth.prepared === undefined) return fail("bad-item", "a proof task needs a problem or an item id");
    // The checker finds the <proof> block itself, so line numbers refer to the whole completion.
    const outcome = check(truth.prepared, req.completion, this.checkOptions[req.mode ?? "strict"]);
    const common = {
      steps: outcome.steps,
      proofLines: outcome.lines,
      ...(answer === undefined ? {} : { answer }),
    };
    if (outcome.ok) {
      // Soundness: the checker's verdict type pins reward 1 to ok; we never add credit of our own.
      return {
        reward: outcome.reward,
        score: outcome.reward,
        code: "ok",
        ...(outcome.height === null ? {} : { height: outcome.height }),
        ...common,
      };
    }
    const issue = outcome.issues[0];
    return {
      reward: 0,
      score: 0,
      code: issue.code,
      message: issue.message,
      ...(issue.line === undefined ? {} : { firstFailingLine: issue.line }),
      ...common,
    };
  }

  private resolve(req: ScoreRequest): Resolved {
    if (req.id !== undefined) {
      // The config is part of the key, so a config that does not hash to the id is refused
      // whether or not the id was seen before. The config is read back from the key's own JSON
      // text, so the result is a function of the key and never depends on what the cache holds.
      const configText = jsonText(req.config ?? null);
      if (configText === undefined) return { ok: false, result: fail("bad-item", "config is not JSON data") };
      const key = req.id + "\u0000" + configText;
      const cached = this.byId.get(key);
      if (cached !== undefined) return cached;
      const config = req.config === undefined ? undefined : (JSON.parse(configText) as unknown);
      const r = this.resolveId(req.id, config);
      this.byId.set(key, r);
      this.trim(this.byProblem, this.byId);
      return r;
    }
    if (req.problem !== undefined) {
      // The wire form is JSON text: an object is keyed by its JSON and read back from it, so two
      // objects that print alike (an undefined field, an inherited or `toJSON` property) resolve
      // alike and a cached resolution is exactly what resolving anew would give.
      const text = typeof req.problem === "string" ? req.problem : jsonText(req.problem);
      if (text === undefined) return { ok: false, result: fail("bad-item", "problem is not JSON data") };
      const key = typeof req.problem === "string" ? text : "\u0000" + text;
      const cached = this.byProblem.get(key);
      if (cached !== undefined) return cached;
      const r = this.resolveProblem(text);
      this.byProblem.set(key, r);
      this.trim(this.byId, this.byProblem);
      return r;
    }
    return { ok: true, truth: {} };
  }

  /** Keeps both caches together within `capacity`, evicting first from the one not just written. */
  private trim(other: LruCache<string, Resolved>, written: LruCache<string, Resolved>): void {
    while (other.size + written.size > this.capacity) {
      if (!other.evictOldest()) written.evictOldest();
    }
  }

  private resolveProblem(wire: unknown): Resolved {
    let json = wire;
    if (typeof wire === "string") {
      try {
        json = JSON.parse(wire) as unknown;
      } catch {
        return { ok: false, result: fail("bad-item", "problem is not valid JSON") };
      }
    }
    const parsed = problemFromJson(json);
    if (!parsed.ok) {
      const i = parsed.issues[0];
      return { ok: false, result: fail("bad-item", `bad problem at ${i.path || "top level"}: ${i.message}`) };
    }
    const gold = goldOf(parsed.value);
    return {
      ok: true,
      truth: {
        prepared: prepare(parsed.value, { readCacheSize: this.readCacheSize }),
        ...(gold === undefined ? {} : { gold }),
      },
    };
  }

  private resolveId(id: string, config: unknown): Resolved {
    const parsedId = parseItemId(id);
    if (parsedId === undefined) {
      return { ok: false, result: fail("bad-item", "item id must look like configHash/seed/index") };
    }
    if (config === undefined) return { ok: false, result: fail("bad-item", "an item id needs its config") };
    const vc = validateConfig(config);
    if (!vc.ok) return { ok: false, result: fail("bad-item", `bad config: ${vc.issues[0]}`) };
    if (configHash(vc.config) !== parsedId.hash) {
      return { ok: false, result: fail("bad-item", "unknown item id: its hash does not match the config") };
    }
    let item: unknown;
    try {
      item = this.regenerate(vc.config, parsedId.seed, parsedId.index);
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      return { ok: false, result: fail("bad-item", `cannot regenerate item: ${why}`) };
    }
    if (!isRecord(item) || item.problem === undefined) {
      return { ok: false, result: fail("internal", "the generator returned no problem") };
    }
    const fromProblem = this.resolveProblem(item.problem);
    if (!fromProblem.ok) return fromProblem;
    const truth: { gold?: string | readonly string[]; prepared?: PreparedProblem; task?: Task } = {
      ...fromProblem.truth,
    };
    if (typeof item.answer === "string" && (item.task === "choice" || item.task === "choice+proof")) {
      truth.gold = item.answer;
    }
    if (TASKS.includes(item.task as Task)) truth.task = item.task as Task;
    return { ok: true, truth };
  }
}

/** `JSON.stringify(x)`, or undefined for values JSON cannot carry (cycles, BigInt, functions). */
function jsonText(x: unknown): string | undefined {
  try {
    const t = JSON.stringify(x) as string | undefined;
    return typeof t === "string" ? t : undefined;
  } catch {
    return undefined;
  }
}

let shared: Scorer | undefined;

/**
 * Scores one request with a process-wide scorer (default limits). For Node trainers:
 * `score({ completion, answer })`, `score({ completion, problem })` or `score({ completion, id, config })`.
 */
export function score(request: ScoreRequest | Record<string, unknown>): ScoreResult {
  shared ??= new Scorer();
  return shared.score(request);
}
