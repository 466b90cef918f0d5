/**
 * The compact JSON wire form of a Problem, used by the reward service and in datasets:
 *
 *   { "v": 1, "facts": [string], "rules": [string], "goal": string,
 *     "candidates"?: [string], "answer"?: number }
 *
 * Every sentence is in the ASCII symbolic syntax. Reading is strict: unknown keys, wrong types,
 * oversized input, unparseable or open formulas, and an answer that is out of range or does not
 * name the goal are all reported as issues (never thrown), each with a stable code and a path.
 */
import { formulaEquals, isClosed, type Formula } from "./formula.js";
import { printSymbolic, parseSymbolic } from "./symbolic.js";
import type { Problem } from "./theory.js";

/** The JSON form of a problem (version 1). */
export interface ProblemJson {
  readonly v: 1;
  readonly facts: readonly string[];
  readonly rules: readonly string[];
  readonly goal: string;
  readonly candidates?: readonly string[];
  readonly answer?: number;
}

/** Stable codes of the issues `problemFromJson` reports. */
export type ProblemIssueCode =
  | "type" // a value has the wrong JSON type
  | "version" // `v` is not a supported version
  | "unknown-key" // a key the format does not define
  | "missing" // a required key is absent
  | "size" // too many sentences or a sentence too long
  | "parse" // a sentence is not valid symbolic syntax
  | "open-formula" // a formula has free variables
  | "answer-range" // `answer` is not an index into `candidates` (or has no candidates)
  | "answer-mismatch"; // `candidates[answer]` is not the goal

/** One problem found while reading a problem's JSON form. */
export interface ProblemIssue {
  readonly code: ProblemIssueCode;
  /** Where: `goal`, `facts[3]`, `candidates`, … */
  readonly path: string;
  readonly message: string;
}

/** Result of `problemFromJson`: the problem, or at least one issue. */
export type ProblemResult =
  | { readonly ok: true; readonly value: Problem }
  | { readonly ok: false; readonly issues: readonly [ProblemIssue, ...ProblemIssue[]] };

/** Size limits applied while reading; the defaults are generous for generated problems. */
export interface ProblemLimits {
  /** Most facts plus rules (default 10,000). */
  readonly maxSentences?: number;
  /** Longest sentence in UTF-16 units (default 10,000). */
  readonly maxSentenceLength?: number;
  /** Most candidates (default 64). */
  readonly maxCandidates?: number;
}

/** Thrown by `problemFromJsonOrThrow`; `issues` are the same as the result form's. */
export class ProblemFormatError extends Error {
  override name = "ProblemFormatError";
  readonly issues: readonly ProblemIssue[];
  constructor(issues: readonly [ProblemIssue, ...ProblemIssue[]]) {
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : "";
    super(`${issues[0].path}: ${issues[0].message}${more}`);
    this.issues = issues;
  }
}

/** The JSON form of a problem, sentences printed in ASCII symbolic syntax. */
export function problemToJson(p: Problem): ProblemJson {
  const print = (f: Formula): string => printSymbolic(f, { ascii: true });
  const base = {
    v: 1 as const,
    facts: p.theory.facts.map(print),
    rules: p.theory.rules.map(print),
    goal: print(p.goal),
  };
  if (p.candidates === undefined) return p.answer === undefined ? base : { ...base, answer: p.answer };
  const candidates = p.candidates.map(print);
  return p.answer === undefined ? { ...base, candidates } : { ...base, candidates, answer: p.answer };
}

const KEYS = new Set(["v", "facts", "rules", "goal", "candidates", "answer"]);

/** Reads and validates the JSON form (already `JSON.parse`d); never throws on bad input. */
export function problemFromJson(input: unknown, limits: ProblemLimits = {}): ProblemResult {
  const maxSentences = limits.maxSentences ?? 10_000;
  const maxLen = limits.maxSentenceLength ?? 10_000;
  const maxCandidates = limits.maxCandidates ?? 64;
  const issues: ProblemIssue[] = [];
  const issue = (code: ProblemIssueCode, path: string, message: string): void => {
    issues.push({ code, path, message });
  };
  const done = (): ProblemResult => {
    const [first, ...rest] = issues;
    if (first === undefined) throw new Error("internal: no issue recorded");
    return { ok: false, issues: [first, ...rest] };
  };

  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    issue("type", "", "a problem must be a JSON object");
    return done();
  }
  const obj = input as Record<string, unknown>;
  for (const k of Object.keys(obj)) if (!KEYS.has(k)) issue("unknown-key", k, `unknown key '${k}'`);
  if (!("v" in obj)) issue("missing", "v", "missing version 'v'");
  else if (obj["v"] !== 1)
    issue("version", "v", `unsupported version ${JSON.stringify(obj["v"])}; expected 1`);

  const sentence = (value: unknown, path: string): Formula | undefined => {
    if (typeof value !== "string") {
      issue("type", path, "a sentence must be a string");
      return undefined;
    }
    if (value.length > maxLen) {
      issue("size", path, `sentence of ${value.length} characters exceeds the limit of ${maxLen}`);
      return undefined;
    }
    const r = parseSymbolic(value);
    if (!r.ok) {
      issue("parse", path, `${r.error.message} (at offset ${r.error.offset})`);
      return undefined;
    }
    if (!isClosed(r.value)) {
      issue("open-formula", path, "formula has free variables");
      return undefined;
    }
    return r.value;
  };
  const list = (key: string, required: boolean, max: number, budget: number): Formula[] | undefined => {
    if (!(key in obj)) {
      if (required) issue("missing", key, `missing '${key}'`);
      return undefined;
    }
    const value = obj[key];
    if (!Array.isArray(value)) {
      issue("type", key, `'${key}' must be an array of strings`);
      return undefined;
    }
    if (value.length > Math.min(max, budget)) {
      issue("size", key, `'${key}' has ${value.length} entries, over the limit of ${Math.min(max, budget)}`);
      return undefined;
    }
    const out: Formula[] = [];
    for (let i = 0; i < value.length; i++) {
      const f = sentence(value[i], `${key}[${i}]`);
      if (f !== undefined) out.push(f);
    }
    return out;
  };

  const facts = list("facts", true, maxSentences, maxSentences) ?? [];
  const rulesBudget = Math.max(0, maxSentences - facts.length);
  const rules = list("rules", true, maxSentences, rulesBudget) ?? [];
  let goal: Formula | undefined;
  if (!("goal" in obj)) issue("missing", "goal", "missing 'goal'");
  else goal = sentence(obj["goal"], "goal");
  const candidates = list("candidates", false, maxCandidates, maxCandidates);

  let answer: number | undefined;
  if ("answer" in obj) {
    const a = obj["answer"];
    if (typeof a !== "number" || !Number.isInteger(a)) {
      issue("type", "answer", "'answer' must be an integer");
    } else if (!("candidates" in obj)) {
      issue("answer-range", "answer", "'answer' given without 'candidates'");
    } else if (Array.isArray(obj["candidates"]) && (a < 0 || a >= obj["candidates"].length)) {
      issue("answer-range", "answer", `'answer' ${a} is not an index into the candidates`);
    } else {
      answer = a;
    }
  }
  if (issues.length > 0) return done();

  if (answer !== undefined && candidates !== undefined && goal !== undefined) {
    const chosen = candidates[answer];
    if (chosen === undefined || !formulaEquals(chosen, goal)) {
      issue("answer-mismatch", "answer", `candidate ${answer} is not the goal`);
      return done();
    }
  }
  if (goal === undefined) return done();
  const theory = { facts, rules };
  let value: Problem = { theory, goal };
  if (candidates !== undefined) value = { ...value, candidates };
  if (answer !== undefined) value = { ...value, answer };
  return { ok: true, value };
}

/** Throwing twin of `problemFromJson`: returns the problem or throws a `ProblemFormatError`. */
export function problemFromJsonOrThrow(input: unknown, limits: ProblemLimits = {}): Problem {
  const r = problemFromJson(input, limits);
  if (!r.ok) throw new ProblemFormatError(r.issues);
  return r.value;
}
