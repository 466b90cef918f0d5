/**
 * The checker facade: completion text in, verdict out.
 *
 * `check` finds the proof block, reads it (reader.ts), then walks the proof and asks the kernel
 * for one inference per claim line — the one the line cites (strict) or, when it cites nothing,
 * the one `search.ts` proposes (lenient). The verdict is the kernel's: the last line's theorem
 * must pass the kernel's goal check. Only the first failing line is reported.
 */
import { constant, formulaEquals, type Const, type Formula } from "../logic/formula.js";
import { parseClaim } from "../logic/english.js";
import type { Problem } from "../logic/theory.js";
import { isFailure, Kernel, type KernelFailure, type Theorem } from "./kernel.js";
import { issue, type Issue, type IssueCode, type Issues } from "./issue.js";
import {
  MAX_LABEL_DIGITS,
  refText,
  type BlockItem,
  type ClaimItem,
  type Item,
  type Proof,
  type Ref,
} from "./proof.js";
import { findBlock, ReadCache, readProof, type ReadLimits } from "./reader.js";
import {
  findSplit,
  indexTheory,
  inferTerms,
  keyOf,
  sameFormula,
  searchJustification,
  theoryConstants,
  type Plan,
  type SearchContext,
  type TheoryIndex,
} from "./search.js";

/** Checking options; every field has a default (`DEFAULT_CHECK_OPTIONS`). */
export interface CheckOptions extends ReadLimits {
  /** `strict`: every claim cites its rule and inputs; `lenient`: citations may be omitted. */
  readonly mode: "strict" | "lenient";
  /** Work units the lenient search may spend on one proof. */
  readonly maxSearchWork: number;
}

/** The defaults: lenient, 64 KiB block, 2,000 lines, 512-node claims, 200,000 search units. */
export const DEFAULT_CHECK_OPTIONS: CheckOptions = Object.freeze({
  mode: "lenient",
  maxBytes: 64 * 1024,
  maxCompletionChars: 1024 * 1024,
  maxLines: 2000,
  maxFormulaSize: 512,
  maxNesting: 64,
  maxSearchWork: 200_000,
});

const STRICT: CheckOptions = Object.freeze({ ...DEFAULT_CHECK_OPTIONS, mode: "strict" });

/** Frozen option objects `resolveOptions` made (or validated): passed again, they are used as is. */
const RESOLVED = new WeakSet<object>([DEFAULT_CHECK_OPTIONS, STRICT]);

/** The verdict on one completion. `height` is null when the proof used reductio (no depth claim). */
export type CheckResult =
  | {
      readonly ok: true;
      readonly reward: 1;
      readonly steps: number;
      readonly lines: number;
      readonly height: number | null;
    }
  | {
      readonly ok: false;
      readonly reward: 0;
      readonly steps: number;
      readonly lines: number;
      readonly issues: Issues;
    };

/** Thrown for invalid options (a caller bug, not untrusted input). */
export class CheckOptionsError extends Error {
  override name = "CheckOptionsError";
}

/** Thrown by `checkOrThrow` when a proof is rejected; carries the issues. */
export class ProofRejected extends Error {
  override name = "ProofRejected";
  readonly issues: Issues;
  constructor(issues: Issues) {
    const first = issues[0];
    super(`${first.code}${first.line === undefined ? "" : ` (line ${first.line})`}: ${first.message}`);
    this.issues = issues;
  }
}

/** A problem made ready for many checks: its kernel, theory index and premise theorems. */
export interface PreparedProblem {
  readonly kind: "prepared-problem";
  readonly problem: Problem;
  readonly kernel: Kernel;
  /** The lenient-search index, built on first read (strict checks never read it). */
  readonly index: TheoryIndex;
  /** Theorem of fact/rule i, minted once. */
  readonly premise: (kind: "fact" | "rule", index: number) => Theorem | null;
  /** Claim and justification readings shared by the checks of this problem (absent when disabled). */
  readonly readCache: ReadCache | undefined;
}

/** Options of `prepare`. */
export interface PrepareOptions {
  /**
   * Most claim texts (and, separately, justification texts) whose readings are remembered across
   * checks of this problem; 0 turns the cache off. Default 256.
   */
  readonly readCacheSize?: number;
}

/** Builds the reusable checking context of a problem (kernel, index, premise theorems, read cache). */
export function prepare(problem: Problem, options: PrepareOptions = {}): PreparedProblem {
  const size = options.readCacheSize ?? 256;
  if (!Number.isInteger(size) || size < 0)
    throw new CheckOptionsError(`readCacheSize must be a non-negative integer, got ${String(size)}`);
  const readCache = size === 0 ? undefined : new ReadCache(parseClaim, size);
  return Object.freeze(new Prepared(problem, readCache));
}

/**
 * The prepared problem is a class instance rather than an object literal with a getter: a literal
 * whose getter is a fresh closure gets a hidden class of its own per call, V8 keeps hidden classes
 * in old space until a full collection, and that hidden class holds the getter, so every young
 * collection kept the whole problem (theory, kernel, caches) alive and promoted it.
 *
 * Preparing does no work over the theory: the theory's constants (which bound the kernel's
 * instantiation cache and feed the index) are collected on first need. The kernel caches rule
 * instantiations from the second check of a problem on: a problem checked once (a generated item's
 * gold proof) would only pay for collecting the constants and storing instances it never reads
 * again, and a strict check never needs the constants otherwise.
 */
class Prepared implements PreparedProblem {
  readonly kind = "prepared-problem";
  readonly kernel: Kernel;
  readonly premise: (kind: "fact" | "rule", index: number) => Theorem | null;
  #constants: ReadonlySet<string> | undefined;
  #index: TheoryIndex | undefined;
  /** Checks begun on this problem. */
  #checks = 0;

  constructor(
    readonly problem: Problem,
    readonly readCache: ReadCache | undefined,
  ) {
    const kernel = new Kernel(problem, Prepared.#cacheable(this));
    this.kernel = kernel;
    this.premise = premiseCache(kernel);
  }

  /** The kernel's cache admits the theory's constants from the problem's second check on. */
  static #cacheable(p: Prepared): (name: string) => boolean {
    return (name) => p.#checks > 1 && p.#theoryConstants.has(name);
  }

  /** Called by the checker as a check of this problem begins. */
  begin(): void {
    this.#checks++;
  }

  get #theoryConstants(): ReadonlySet<string> {
    return (this.#constants ??= theoryConstants(this.problem));
  }

  // The index serves lenient search only; strict checks cite every input by label, so a problem
  // checked strictly once (as the generator does for each gold proof) never pays for it.
  get index(): TheoryIndex {
    return (this.#index ??= indexTheory(this.problem, this.#theoryConstants));
  }
}

/**
 * The kernel's premise theorems, each minted once. This closure (like the kernel's cache predicate)
 * is made outside the `Prepared` constructor: made there, every young collection found the
 * closures of earlier prepared problems still reachable and promoted them with all they held,
 * about a tenth of everything a check allocates (seen with `--trace-gc-nvp`: new_space_survived);
 * made here they die young.
 */
function premiseCache(kernel: Kernel): (kind: "fact" | "rule", index: number) => Theorem | null {
  const facts: (Theorem | undefined)[] = [];
  const rules: (Theorem | undefined)[] = [];
  return (kind, i) => {
    const cache = kind === "fact" ? facts : rules;
    const hit = cache[i];
    if (hit !== undefined) return hit;
    const t = kernel.premise(kind, i);
    if (isFailure(t)) return null;
    cache[i] = t;
    return t;
  };
}

function isPrepared(p: Problem | PreparedProblem): p is PreparedProblem {
  return (p as { kind?: unknown }).kind === "prepared-problem";
}

/** Validates and completes options; throws `CheckOptionsError` on a bad value. */
export function resolveOptions(options: Partial<CheckOptions> = {}): CheckOptions {
  // Fast paths for the hot call shapes: options resolved before (`check` hands its own to
  // `checkProof`; a scorer resolves its options once), `{}` and `{ mode }`.
  if (RESOLVED.has(options)) return options as CheckOptions;
  const keys = Object.keys(options);
  if (keys.length === 0) return DEFAULT_CHECK_OPTIONS;
  if (keys.length === 1 && options.mode === "strict") return STRICT;
  if (keys.length === 1 && options.mode === "lenient") return DEFAULT_CHECK_OPTIONS;
  const o = { ...DEFAULT_CHECK_OPTIONS, ...options };
  if (o.mode !== "strict" && o.mode !== "lenient")
    throw new CheckOptionsError(`mode must be "strict" or "lenient", got ${JSON.stringify(o.mode)}`);
  for (const k of [
    "maxBytes",
    "maxCompletionChars",
    "maxLines",
    "maxFormulaSize",
    "maxNesting",
    "maxSearchWork",
  ] as const) {
    const v = o[k];
    if (!Number.isInteger(v) || v < 1)
      throw new CheckOptionsError(`${k} must be a positive integer, got ${String(v)}`);
  }
  const frozen = Object.freeze(o);
  RESOLVED.add(frozen);
  return frozen;
}

/** Checks the proof in `completion` against `problem` (or a prepared problem); never throws on bad text. */
export function check(
  problem: Problem | PreparedProblem,
  completion: string,
  options: Partial<CheckOptions> = {},
): CheckResult {
  const opts = resolveOptions(options);
  const prepared = isPrepared(problem) ? problem : prepare(problem);
  const block = findBlock(completion, opts);
  if ("code" in block) return reject([block], 0, 0);
  const read = readProof(block, parseClaim, opts, prepared.readCache);
  if (!read.ok) return reject(read.issues, 0, read.lines);
  return checkProof(prepared, read.proof, opts, read.lines);
}

/** Throwing twin of `check`: returns the accepted verdict or throws `ProofRejected`. */
export function checkOrThrow(
  problem: Problem | PreparedProblem,
  completion: string,
  options: Partial<CheckOptions> = {},
): Extract<CheckResult, { ok: true }> {
  const r = check(problem, completion, options);
  if (!r.ok) throw new ProofRejected(r.issues);
  return r;
}

function reject(issues: Issues, steps: number, lines: number): CheckResult {
  return { ok: false, reward: 0, steps, lines, issues };
}

/** A closed sub-proof (case or assume block) with the theorem its body ended in. */
interface ClosedBlock {
  readonly block: BlockItem;
  readonly thm: Theorem;
}

/** The case blocks before a line that follows none; never added to. */
const NO_CASES: ClosedBlock[] = [];

/** The `with` terms of a justification that names none. */
const NO_TERMS: readonly Const[] = Object.freeze([]);

/** Internal: the first failing line, carried out of the walk. */
class Stop {
  constructor(readonly issue: Issue) {}
}

/** Checks an already-read proof (e.g. a generator's gold proof AST). */
export function checkProof(
  prepared: PreparedProblem,
  proof: Proof,
  options: Partial<CheckOptions> = {},
  lines = countLines(proof.items),
): CheckResult {
  const opts = resolveOptions(options);
  if (prepared instanceof Prepared) prepared.begin();
  const w = new Walker(prepared, opts);
  try {
    const last = w.items(proof.items);
    const lastItem = proof.items[proof.items.length - 1];
    if (last === null || lastItem === undefined)
      return reject([issue("empty-proof", "the proof has no claim lines")], w.steps, lines);
    const verdict = prepared.kernel.accept(last);
    if (!verdict.ok) {
      const code: IssueCode = verdict.reason === "wrong-goal" ? "wrong-goal" : "open-subproof";
      const msg =
        verdict.reason === "wrong-goal"
          ? "the last line is not the goal (the last line must state the goal)"
          : verdict.message;
      return reject([issue(code, msg, lastItem.line)], w.steps, lines);
    }
    return { ok: true, reward: 1, steps: w.steps, lines, height: verdict.height };
  } catch (e) {
    if (e instanceof Stop) return reject([e.issue], w.steps, lines);
    throw e;
  }
}

function countLines(items: readonly Item[]): number {
  let n = 0;
  for (const it of items) n += it.kind === "claim" ? 1 : 2 + countLines(it.body);
  return n;
}

/**
 * Values by line label. The reader writes labels as decimal numerals without leading zeros, so a
 * small one is kept in an array at its number; any other string (a hand-built proof may use one)
 * goes to a Map. A Map would grow by rehashing into ever larger tables as a proof's labels arrive:
 * about a tenth of everything a strict check of a gold proof allocated.
 */
class LabelMap<V> {
  readonly #small: (V | undefined)[] = [];
  #other: Map<string, V> | undefined;

  get(label: string): V | undefined {
    const n = smallLabel(label);
    return n >= 0 ? this.#small[n] : this.#other?.get(label);
  }

  set(label: string, v: V): void {
    const n = smallLabel(label);
    if (n >= 0) this.#small[n] = v;
    else (this.#other ??= new Map()).set(label, v);
  }

  delete(label: string): void {
    const n = smallLabel(label);
    if (n >= 0) this.#small[n] = undefined;
    else this.#other?.delete(label);
  }
}

/**
 * The number a label of at most three digits spells in canonical form ("0", "7", "42"), else -1.
 * Canonical numerals and numbers correspond one to one, so distinct labels never share a slot
 * ("07" is not canonical and keeps its own Map entry).
 */
function smallLabel(label: string): number {
  const len = label.length;
  if (len === 0 || len > 3 || (len > 1 && label.charCodeAt(0) === 48)) return -1;
  let n = 0;
  for (let i = 0; i < len; i++) {
    const d = label.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/** Walks a proof, keeping the in-scope lines and asking the kernel for each step. */
class Walker {
  steps = 0;
  readonly #p: PreparedProblem;
  readonly #k: Kernel;
  readonly #strict: boolean;
  /** In-scope labelled lines' theorems. */
  readonly #labels = new LabelMap<Theorem>();
  /** Labels of lines inside closed sub-proofs, with the line where they were defined (made on first use). */
  #closed: LabelMap<number> | undefined;
  /** In-scope theorems by conclusion key (for lenient search; made on first use). */
  #byKeyMap: Map<string, Theorem> | undefined;
  readonly #work: number;
  #search: SearchContext | undefined;

  get #byKey(): Map<string, Theorem> {
    return (this.#byKeyMap ??= new Map());
  }

  /** The search context, made on first use: it reads the prepared problem's lazily built index. */
  get #ctx(): SearchContext {
    return (this.#search ??= {
      index: this.#p.index,
      inScope: this.#byKey,
      premise: this.#p.premise,
      work: this.#work,
    });
  }

  constructor(p: PreparedProblem, opts: CheckOptions) {
    this.#p = p;
    this.#k = p.kernel;
    this.#strict = opts.mode === "strict";
    this.#work = opts.maxSearchWork;
  }

  /** Walks a list of items; returns the theorem of its last claim (null for an empty list). */
  items(list: readonly Item[]): Theorem | null {
    let last: Theorem | null = null;
    let cases: ClosedBlock[] = NO_CASES;
    let assumed: ClosedBlock | null = null;
    for (const it of list) {
      if (it.kind === "claim") {
        last = this.#claim(it, cases, assumed);
        cases = NO_CASES;
        assumed = null;
        continue;
      }
      if (assumed !== null) this.#dangling(assumed.block);
      if (it.kind === "case") {
        if (cases === NO_CASES) cases = [];
        cases.push({ block: it, thm: this.#block(it) });
      } else {
        if (cases.length > 0) this.#dangling(cases[cases.length - 1]?.block ?? it);
        assumed = { block: it, thm: this.#block(it) };
      }
      last = null;
    }
    // A sub-proof's result is consumed by the line right after it, so a list cannot end in one.
    // (`cases` is checked for emptiness: reading index -1 is a slow property lookup.)
    const pending = assumed?.block ?? (cases.length > 0 ? cases[cases.length - 1]?.block : undefined);
    if (pending !== undefined) this.#dangling(pending);
    return last;
  }

  #dangling(b: BlockItem): never {
    const what = b.kind === "case" ? "[cases N]" : "[reductio]";
    throw new Stop(
      issue(
        "structure",
        `the ${b.kind} block ending on line ${b.endLine} must be followed directly by the line it concludes (${what})`,
        b.endLine,
      ),
    );
  }

  /** Walks a sub-proof: binds its assumption, walks the body, then drops everything it introduced. */
  #block(b: BlockItem): Theorem {
    const hyp = this.#k.assume(b.assumption);
    this.steps++;
    // What the block binds is pushed above these marks and undone when it closes.
    const labelMark = this.#scopeTop;
    const keyMark = this.#scopeKeys.length;
    this.#depth++;
    let result: Theorem | null;
    try {
      this.#bind(b.label, hyp, b.line, this.#strict ? "" : keyOf(b.assumption));
      result = this.items(b.body);
    } finally {
      this.#depth--;
    }
    const keys = this.#scopeKeys;
    while (keys.length > keyMark) {
      const [k, prev] = keys.pop() as [string, Theorem | undefined];
      if (prev === undefined) this.#byKey.delete(k);
      else this.#byKey.set(k, prev);
    }
    const labels = this.#scopeLabels;
    const lines = this.#scopeLines;
    for (let i = labelMark; i < this.#scopeTop; i++) {
      const l = labels[i] as string;
      this.#labels.delete(l);
      (this.#closed ??= new LabelMap()).set(l, lines[i] as number);
    }
    this.#scopeTop = labelMark;
    return result ?? hyp;
  }

  /** Sub-proofs open around the current line. */
  #depth = 0;
  /**
   * Labels bound inside the open sub-proofs, innermost last, and the lines that define them: the
   * first `#scopeTop` entries (the lists are overwritten rather than shortened, keeping their storage).
   */
  readonly #scopeLabels: string[] = [];
  readonly #scopeLines: number[] = [];
  #scopeTop = 0;
  /** By-formula entries the open sub-proofs replaced (key, previous theorem), innermost last. */
  readonly #scopeKeys: [string, Theorem | undefined][] = [];

  /** Records a new line in the current scope (undone when the sub-proof around it closes). */
  #bind(label: string | undefined, t: Theorem, line: number, key: string): void {
    // Strict mode never searches, so it skips the by-formula index.
    if (!this.#strict) {
      if (this.#depth > 0) this.#scopeKeys.push([key, this.#byKey.get(key)]);
      this.#byKey.set(key, t);
    }
    if (label !== undefined) {
      this.#labels.set(label, t);
      if (this.#depth > 0) {
        this.#scopeLabels[this.#scopeTop] = label;
        this.#scopeLines[this.#scopeTop++] = line;
      }
    }
  }

  #stop(code: IssueCode, message: string, line: number): never {
    throw new Stop(issue(code, message, line));
  }

  #ref(r: Ref, line: number): Theorem {
    if (r.kind === "line") {
      const b = this.#labels.get(r.label);
      if (b !== undefined) return b;
      const closed = this.#closed?.get(r.label);
      if (closed !== undefined)
        this.#stop("out-of-scope", `line ${r.label} is inside a sub-proof that is already closed`, line);
      this.#stop("unknown-reference", `there is no line ${r.label} above this one`, line);
    }
    if (r.kind === "nothing") {
      const what = /^[FfRr]/.test(r.text) ? `the problem has no ${r.text}` : `there is no line ${r.text}`;
      this.#stop(
        "unknown-reference",
        `${what} (numbering starts at 1; numbers have at most ${MAX_LABEL_DIGITS} digits)`,
        line,
      );
    }
    const t = this.#p.premise(r.kind, r.index);
    if (t === null)
      this.#stop(
        "unknown-reference",
        `the problem has no ${r.kind === "fact" ? "F" : "R"}${r.index + 1}`,
        line,
      );
    return t;
  }

  #claim(c: ClaimItem, cases: readonly ClosedBlock[], assumed: ClosedBlock | null): Theorem {
    const j = c.justification;
    // Computed once per line: the search and the by-formula index both need it (lenient only).
    const key = this.#strict ? "" : keyOf(c.formula);
    this.#lineKey = key;
    let t: Theorem | KernelFailure;
    if (cases.length > 0 && (j === undefined ? !this.#strict : j.rule === "cases")) {
      t = this.#cases(c, cases);
    } else if (assumed !== null && (j === undefined ? !this.#strict : j.rule === "reductio")) {
      t = this.#reductio(c, assumed);
    } else if (cases.length > 0 || assumed !== null) {
      const b = (assumed?.block ?? cases[cases.length - 1]?.block) as BlockItem;
      if (j === undefined && this.#strict)
        this.#stop("missing-justification", "strict mode: cite the rule and lines in [ … ]", c.line);
      this.#dangling(b);
    } else if (j === undefined) {
      if (this.#strict)
        this.#stop("missing-justification", "strict mode: cite the rule and lines in [ … ]", c.line);
      t = this.#lenient(c);
    } else {
      t = this.#cited(c);
    }
    if (isFailure(t)) this.#stop("not-an-inference", `${t.rule}: ${t.reason}`, c.line);
    if (!sameFormula(t.conclusion, c.formula))
      this.#stop("not-an-inference", "the cited inference does not conclude this claim", c.line);
    // The claim equals the theorem's conclusion (checked above), so it has the same key.
    this.#bind(c.label, t, c.line, key);
    return t;
  }

  /** `keyOf` of the claim being checked (lenient mode). */
  #lineKey = "";

  #lenient(c: ClaimItem): Theorem | KernelFailure {
    const plan = searchJustification(this.#ctx, c.formula, this.#strict ? keyOf(c.formula) : this.#lineKey);
    if (plan === "budget")
      this.#stop("budget", "the search for a justification ran out of work budget", c.line);
    if (plan === "none")
      this.#stop(
        "not-an-inference",
        "no premise, rule application or other inference justifies this claim",
        c.line,
      );
    this.#lastPlanRule = plan.rule === "apply" ? plan.ruleThm : null;
    return this.#run(plan, c.formula);
  }

  /** The rule theorem the last lenient search fired, to hold a partial `[apply Rj]` citation to it. */
  #lastPlanRule: Theorem | null = null;

  /** Hands a plan to the kernel; each kernel call is one step. */
  #run(plan: Plan, claim: Formula): Theorem | KernelFailure {
    const k = this.#k;
    this.steps++;
    switch (plan.rule) {
      case "premise":
        return k.premise(plan.kind, plan.index);
      case "repeat":
        this.steps--;
        return plan.thm;
      case "apply":
        return k.apply(plan.ruleThm, plan.terms, plan.inputs);
      case "elim": {
        let t: Theorem | KernelFailure = plan.disj;
        this.steps--;
        for (const n of plan.negs) {
          if (isFailure(t)) return t;
          this.steps++;
          t = k.elim(t, n);
        }
        return t;
      }
      case "and-intro":
        return k.andIntro(plan.parts);
      case "and-elim":
        return k.andElim(plan.from, claim);
      case "or-intro":
        return k.orIntro(plan.from, claim);
      case "ex-falso":
        return k.exFalso(plan.from, claim);
      case "contradiction":
        return k.contradiction(plan.a, plan.b);
    }
  }

  #count(c: ClaimItem, n: number, min: number, max: number): void {
    const rule = c.justification?.rule ?? "";
    if (n < min || n > max) {
      const want = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
      this.#stop("not-an-inference", `${rule} takes ${want} cited line(s), got ${n}`, c.line);
    }
  }

  /**
   * Stops with a clear message when `[apply X]` cites a formula with no if-part, such as
   * `forall X tazel(X)`: the kernel's `apply` fires implications only and needs one input per
   * premise, so such a rule cannot be applied (docs/proof-language.md). Unresolvable citations are
   * left to the usual checks, which report them in their usual order.
   */
  #premiseless(r: Ref, line: number): void {
    const t =
      r.kind === "line"
        ? this.#labels.get(r.label)
        : r.kind === "nothing"
          ? undefined
          : (this.#p.premise(r.kind, r.index) ?? undefined);
    if (t === undefined) return;
    let f = t.conclusion;
    while (f.kind === "forall") f = f.body;
    if (f.kind !== "implies")
      this.#stop(
        "not-an-inference",
        `${refText(r)} has no "if … then" part: apply fires only rules with premises, so a rule without premises cannot be applied`,
        line,
      );
  }

  #cited(c: ClaimItem): Theorem | KernelFailure {
    const j = c.justification;
    if (j === undefined) throw new Error("internal: no justification");
    const lenientGap = !this.#strict && j.refs.length === 0;
    switch (j.rule) {
      case "premise": {
        if (lenientGap) return this.#lenient(c);
        this.#count(c, j.refs.length, 1, 1);
        const r = j.refs[0] as Ref;
        if (r.kind === "line" || (r.kind === "nothing" && !/^[FfRr]/.test(r.text)))
          this.#stop("not-an-inference", "premise cites a fact Fi or a rule Rj, not a line", c.line);
        const t = this.#ref(r, c.line);
        this.steps++;
        return t;
      }
      case "apply": {
        if (lenientGap) return this.#lenient(c);
        if (j.refs.length === 1) this.#premiseless(j.refs[0] as Ref, c.line);
        this.#count(c, j.refs.length, this.#strict ? 2 : 1, Infinity);
        const refs = j.refs;
        const ruleRef = refs[0] as Ref;
        const ruleThm = this.#ref(ruleRef, c.line);
        if (refs.length === 1) {
          const t = this.#lenient(c);
          if (!isFailure(t) && this.#lastPlanRule !== ruleThm)
            this.#stop(
              "not-an-inference",
              `${refText(ruleRef)} does not conclude this claim from lines in scope`,
              c.line,
            );
          return t;
        }
        const inputs = new Array<Theorem>(refs.length - 1);
        for (let i = 1; i < refs.length; i++) inputs[i - 1] = this.#ref(refs[i] as Ref, c.line);
        // A rule without a leading ∀ takes no terms: nothing to infer (`inferTerms` gives `given`).
        const given = j.terms.length === 0 ? NO_TERMS : j.terms.map((n) => constant(n));
        const terms =
          ruleThm.conclusion.kind === "forall"
            ? inferTerms(
                ruleThm.conclusion,
                c.formula,
                inputs.map((t) => t.conclusion),
                given,
              )
            : given;
        this.steps++;
        return this.#k.apply(ruleThm, terms, inputs);
      }
      case "and-intro":
        if (lenientGap) return this.#lenient(c);
        this.#count(c, j.refs.length, 2, Infinity);
        return this.#run({ rule: "and-intro", parts: j.refs.map((r) => this.#ref(r, c.line)) }, c.formula);
      case "and-elim":
      case "or-intro":
      case "ex-falso":
        if (lenientGap) return this.#lenient(c);
        this.#count(c, j.refs.length, 1, 1);
        return this.#run({ rule: j.rule, from: this.#ref(j.refs[0] as Ref, c.line) }, c.formula);
      case "elim": {
        if (lenientGap) return this.#lenient(c);
        this.#count(c, j.refs.length, 2, Infinity);
        const ts = j.refs.map((r) => this.#ref(r, c.line));
        // The disjunction may be cited anywhere in the list (else the first is taken); the others
        // are eliminated in order, one kernel step each, up to the first failure.
        let di = 0;
        while (di < ts.length && (ts[di] as Theorem).conclusion.kind !== "or") di++;
        if (di === ts.length) di = 0;
        let t: Theorem | KernelFailure = ts[di] as Theorem;
        for (let i = 0; i < ts.length; i++) {
          if (i === di) continue;
          if (isFailure(t)) return t;
          this.steps++;
          t = this.#k.elim(t, ts[i] as Theorem);
        }
        return t;
      }
      case "contradiction": {
        if (lenientGap) return this.#lenient(c);
        this.#count(c, j.refs.length, 2, 2);
        const [a, b] = j.refs.map((r) => this.#ref(r, c.line)) as [Theorem, Theorem];
        return this.#run({ rule: "contradiction", a, b }, c.formula);
      }
      case "cases":
        return this.#stop("structure", "[cases N] must directly follow its case blocks", c.line);
      case "reductio":
        return this.#stop("structure", "[reductio] must directly follow its assume block", c.line);
      case "assume":
        return this.#stop("structure", "an assumption is written as a block: assume …: … end assume", c.line);
    }
  }

  #cases(c: ClaimItem, cases: readonly ClosedBlock[]): Theorem | KernelFailure {
    const j = c.justification;
    let disj: Theorem;
    if (j !== undefined && j.refs.length > 0) {
      this.#count(c, j.refs.length, 1, 1);
      disj = this.#ref(j.refs[0] as Ref, c.line);
    } else {
      if (this.#strict)
        this.#stop("missing-justification", "strict mode: cite the split disjunction, [cases N]", c.line);
      const found = findSplit(
        this.#ctx,
        cases.map((x) => x.block.assumption),
      );
      if (this.#ctx.work < 0)
        this.#stop("budget", "the search for the split disjunction ran out of work budget", c.line);
      if (found === null)
        this.#stop(
          "not-an-inference",
          "no disjunction in scope has exactly the case assumptions as disjuncts",
          c.line,
        );
      disj = found;
    }
    const d = disj.conclusion;
    if (d.kind !== "or") this.#stop("not-an-inference", "cases: the cited line is not a disjunction", c.line);
    // Each disjunct takes the first case block not yet taken that assumes it.
    const used = new Array<boolean>(cases.length).fill(false);
    const branches: Theorem[] = [];
    for (const item of d.items) {
      let i = 0;
      while (
        i < cases.length &&
        (used[i] || !formulaEquals((cases[i] as ClosedBlock).block.assumption, item))
      )
        i++;
      if (i === cases.length)
        this.#stop("not-an-inference", "cases: some disjunct has no case block", c.line);
      used[i] = true;
      branches.push((cases[i] as ClosedBlock).thm);
    }
    // Each disjunct took a different block, so all blocks are taken when there are as many of each.
    if (d.items.length !== cases.length)
      this.#stop("not-an-inference", "cases: a case block assumes something that is not a disjunct", c.line);
    this.steps++;
    return this.#k.cases(disj, branches);
  }

  #reductio(c: ClaimItem, assumed: ClosedBlock): Theorem | KernelFailure {
    const j = c.justification;
    if (j !== undefined && j.refs.length > 0) {
      this.#count(c, j.refs.length, 1, 1);
      const r = j.refs[0] as Ref;
      if (r.kind !== "line" || r.label !== assumed.block.label)
        this.#stop("not-an-inference", "reductio cites the assume block directly above", c.line);
    }
    this.steps++;
    return this.#k.reductio(assumed.thm, assumed.block.assumption);
  }
}
