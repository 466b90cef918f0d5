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
import { DEFAULT_MAX_COMPLETION_CHARS, extractAnswer, scoreAnswer } from "./answer.js";
import { LruCache } from "./cache.js";
import { engine as defaultEngine, type CheckOutcome, type Engine } from "./engine.js";

/** The three task formats. */
export type Task = "choice" | "proof" | "choice+proof";
/** Proof checking mode: citations required (`strict`) or found by the checker (`lenient`). */
export type ProofMode = "strict" | "lenient";

/** The tasks, for validation and docs. */
export const TASKS: readonly Task[] = ["choice", "proof", "choice+proof"];

/**
 * Stable reward codes added by scoring; proof failures carry the checker's own issue codes.
 * - `ok`: reward 1.
 * - `format`: the answer or proof tags are missing, repeated, out of order, or `<think>` appears.
 * - `wrong-answer`: the extracted answer is not the gold candidate.
 * - `size-limit`: the completion is longer than the limit.
 * - `bad-request`: the request itself is malformed (missing completion, wrong types, bad task).
 * - `bad-item`: the ground truth cannot be resolved (bad wire form, unknown or mismatched item id).
 * - `unavailable`: this build has no checker or generator for what the request needs.
 * - `timeout`: the wall-clock backstop fired (set by the pool, never by `score`).
 * - `internal`: an unexpected error while scoring this item (a bug; reward 0, logged).
 */
export type ScoreCode =
  | "ok"
  | "format"
  | "wrong-answer"
  | "size-limit"
  | "bad-request"
  | "bad-item"
  | "unavailable"
  | "timeout"
  | "internal"
  | (string & { readonly __checkerCode?: never });

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

/** Limits and cache size of a scorer. */
export interface ScorerOptions {
  /** Completions longer than this (UTF-16 code units) get `size-limit`. */
  readonly maxCompletionChars?: number;
  /** Resolved ground truths kept per scorer. */
  readonly cacheSize?: number;
}

/** A ground truth resolved from a request: gold answer text and/or a prepared problem. */
interface Truth {
  readonly gold?: string | readonly string[];
  readonly prepared?: unknown;
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

/** Reads the first issue's message and code out of an `{ok:false, issues}` value. */
function firstIssue(x: unknown): { code: string; message: string; line?: number } {
  if (isRecord(x) && Array.isArray(x.issues) && x.issues.length > 0) {
    const i: unknown = x.issues[0];
    if (typeof i === "string") return { code: "bad-item", message: i };
    if (isRecord(i)) {
      const out: { code: string; message: string; line?: number } = {
        code: typeof i.code === "string" ? i.code : "bad-item",
        message: typeof i.message === "string" ? i.message : String(i.code ?? "invalid"),
      };
      if (typeof i.line === "number") out.line = i.line;
      return out;
    }
  }
  return { code: "bad-item", message: "invalid" };
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

/**
 * Where the proof sits in a completion: inside `<proof> … </proof>` when those tags are present
 * (exactly one pair, in order), otherwise the whole completion; for `choice+proof` the answer
 * block is cut out first.
 */
export function proofText(
  completion: string,
  withoutSpan?: { readonly open: number; readonly end: number },
): { readonly ok: true; readonly text: string } | { readonly ok: false; readonly message: string } {
  const rest =
    withoutSpan === undefined
      ? completion
      : completion.slice(0, withoutSpan.open) + "\n" + completion.slice(withoutSpan.end);
  const open = rest.indexOf("<proof>");
  const close = rest.indexOf("</proof>");
  if (open === -1 && close === -1) return { ok: true, text: rest };
  if (open === -1 || close === -1 || close < open) {
    return { ok: false, message: "unbalanced <proof> tags" };
  }
  if (rest.indexOf("<proof>", open + 1) !== -1 || rest.indexOf("</proof>", close + 1) !== -1) {
    return { ok: false, message: "more than one <proof> block" };
  }
  return { ok: true, text: rest.slice(open + "<proof>".length, close) };
}

function countLines(text: string): number {
  let n = 0;
  let start = 0;
  for (;;) {
    const nl = text.indexOf("\n", start);
    const line = nl === -1 ? text.slice(start) : text.slice(start, nl);
    if (line.trim().length > 0) n++;
    if (nl === -1) return n;
    start = nl + 1;
  }
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

/** Scores requests against one engine with its own cache of resolved ground truths. */
export class Scorer {
  private readonly cache: LruCache<string, Resolved>;
  private readonly maxChars: number;

  /** A scorer over `engine` (the tree's own by default). */
  constructor(
    private readonly eng: Engine = defaultEngine,
    options: ScorerOptions = {},
  ) {
    this.cache = new LruCache(options.cacheSize ?? 512);
    this.maxChars = options.maxCompletionChars ?? DEFAULT_MAX_COMPLETION_CHARS;
  }

  /** Cache hit/miss counts. */
  get cacheStats(): { readonly hits: number; readonly misses: number } {
    return this.cache.stats;
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
    const gold = req.answer ?? truth.gold;

    let span: { open: number; end: number } | undefined;
    let answer: string | undefined;
    if (task === "choice" || task === "choice+proof") {
      if (gold === undefined) return fail("bad-item", "no gold answer for a choice task");
      const a = scoreAnswer(req.completion, gold, {
        lenient: req.lenientAnswer === true,
        maxChars: this.maxChars,
      });
      if (a.code !== "ok") {
        const extra: Partial<ScoreResult> = a.answer === undefined ? {} : { answer: a.answer };
        return fail(
          a.code,
          a.message ?? (a.code === "wrong-answer" ? "the answer is not the gold candidate" : a.code),
          extra,
        );
      }
      answer = a.answer;
      if (task === "choice") {
        return {
          reward: 1,
          score: 1,
          code: "ok",
          steps: 0,
          proofLines: 0,
          ...(answer === undefined ? {} : { answer }),
        };
      }
      const s = extractAnswer(req.completion);
      if (s.ok) span = { open: s.open, end: s.end };
    }

    if (truth.prepared === undefined) return fail("bad-item", "a proof task needs a problem or an item id");
    const check = this.eng.check;
    if (check === undefined) return fail("unavailable", "this build has no proof checker");
    const p = proofText(req.completion, span);
    if (!p.ok) return fail("format", p.message);
    const proofLines = countLines(p.text);
    const outcome = normalizeOutcome(check(truth.prepared, p.text, { mode: req.mode ?? "strict" }));
    const common = {
      steps: outcome.steps,
      proofLines,
      ...(outcome.height === undefined ? {} : { height: outcome.height }),
      ...(answer === undefined ? {} : { answer }),
    };
    // Soundness: both the checker's verdict and its reward must say yes.
    if (outcome.ok && outcome.reward === 1) return { reward: 1, score: 1, code: "ok", ...common };
    const issue = firstIssue(outcome);
    return {
      reward: 0,
      score: 0,
      code: outcome.ok ? "internal" : issue.code,
      message: outcome.ok ? "checker returned ok without reward 1" : issue.message,
      ...(issue.line === undefined ? {} : { firstFailingLine: issue.line }),
      ...common,
    };
  }

  private resolve(req: ScoreRequest): Resolved {
    if (req.id !== undefined) {
      const cached = this.cache.get("id:" + req.id);
      if (cached !== undefined) return cached;
      const r = this.resolveId(req.id, req.config);
      this.cache.set("id:" + req.id, r);
      return r;
    }
    if (req.problem !== undefined) {
      const key = "p:" + (typeof req.problem === "string" ? req.problem : JSON.stringify(req.problem));
      const cached = this.cache.get(key);
      if (cached !== undefined) return cached;
      const r = this.resolveProblem(req.problem);
      this.cache.set(key, r);
      return r;
    }
    return { ok: true, truth: {} };
  }

  private resolveProblem(wire: unknown): Resolved {
    const { problemFromJson, prepare } = this.eng;
    if (problemFromJson === undefined) {
      return { ok: false, result: fail("unavailable", "this build cannot read serialized problems") };
    }
    let json = wire;
    if (typeof wire === "string") {
      try {
        json = JSON.parse(wire) as unknown;
      } catch {
        return { ok: false, result: fail("bad-item", "problem is not valid JSON") };
      }
    }
    const parsed = problemFromJson(json);
    let problem: unknown = parsed;
    if (isRecord(parsed) && parsed.ok === false) {
      const i = firstIssue(parsed);
      return { ok: false, result: fail("bad-item", `bad problem: ${i.message}`) };
    }
    if (isRecord(parsed) && parsed.ok === true) problem = parsed.problem ?? parsed.value;
    if (problem === undefined) return { ok: false, result: fail("bad-item", "bad problem") };
    const truth: { gold?: string | readonly string[]; prepared?: unknown } = {
      prepared: prepare === undefined ? problem : prepare(problem),
    };
    const gold = goldFromWire(json);
    if (gold !== undefined) truth.gold = gold;
    return { ok: true, truth };
  }

  private resolveId(id: string, config: unknown): Resolved {
    const parsedId = parseItemId(id);
    if (parsedId === undefined) {
      return { ok: false, result: fail("bad-item", "item id must look like configHash/seed/index") };
    }
    const { validateConfig, configHash, generateItem } = this.eng;
    if (validateConfig === undefined || configHash === undefined || generateItem === undefined) {
      return { ok: false, result: fail("unavailable", "this build cannot regenerate items") };
    }
    if (config === undefined) return { ok: false, result: fail("bad-item", "an item id needs its config") };
    const vc = validateConfig(config);
    if (!isRecord(vc) || vc.ok !== true) {
      return { ok: false, result: fail("bad-item", `bad config: ${firstIssue(vc).message}`) };
    }
    const cfg = vc.config;
    if (configHash(cfg) !== parsedId.hash) {
      return {
        ok: false,
        result: fail("bad-item", "unknown item id: the config hash does not match the config"),
      };
    }
    let item: unknown;
    try {
      item = generateItem(cfg, parsedId.seed, parsedId.index);
    } catch (e) {
      return {
        ok: false,
        result: fail("bad-item", `cannot regenerate item: ${e instanceof Error ? e.message : String(e)}`),
      };
    }
    if (!isRecord(item) || item.problem === undefined) {
      return { ok: false, result: fail("internal", "generator returned no problem") };
    }
    const fromProblem = this.resolveProblem(item.problem);
    if (!fromProblem.ok) return fromProblem;
    const truth: { gold?: string | readonly string[]; prepared?: unknown; task?: Task } = {
      ...fromProblem.truth,
    };
    if (typeof item.answer === "string") truth.gold = item.answer;
    if (TASKS.includes(item.task as Task)) truth.task = item.task as Task;
    return { ok: true, truth };
  }
}

/** The gold candidate text carried by a wire-form problem, when it has rendered candidates. */
function goldFromWire(json: unknown): string | undefined {
  if (!isRecord(json)) return undefined;
  const { candidates, answer } = json;
  if (typeof answer === "string") return answer;
  if (typeof answer === "number" && Array.isArray(candidates)) {
    const c: unknown = candidates[answer];
    if (typeof c === "string") return c;
  }
  return undefined;
}

function normalizeOutcome(x: unknown): CheckOutcome {
  if (!isRecord(x)) return { ok: false, reward: 0, steps: 0, lines: 0, issues: [{ code: "internal" }] };
  const out: CheckOutcome = {
    ok: x.ok === true,
    reward: typeof x.reward === "number" ? x.reward : 0,
    steps: typeof x.steps === "number" ? x.steps : 0,
    lines: typeof x.lines === "number" ? x.lines : 0,
    ...(typeof x.height === "number" ? { height: x.height } : {}),
    ...(Array.isArray(x.issues) ? { issues: x.issues as CheckOutcome["issues"] & object } : {}),
  };
  return out;
}

let shared: Scorer | undefined;

/**
 * Scores one request with a process-wide scorer (tree's engine, default limits). For Node
 * trainers: `score({ completion, answer })` or `score({ completion, id, config })`.
 */
export function score(request: ScoreRequest | unknown): ScoreResult {
  shared ??= new Scorer();
  return shared.score(request);
}
