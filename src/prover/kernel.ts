/**
 * The trusted kernel: the only code that can make a `Theorem`.
 *
 * A theorem is a sequent Γ ⊢ φ meaning "the problem's theory together with the hypotheses Γ
 * entails φ". Every rule below builds a new theorem from theorems it is given, after checking the
 * side conditions of one inference of the calculus in docs/kernel.md. Everything outside this file
 * (reader, search, renderer, generator) is untrusted: it can only ask for inferences, so a bug
 * there can make the checker reject a good proof but never accept a bad one.
 *
 * Heights (the depth measure of docs/depth.md) ride along. Because a case assumption gets the
 * height of the disjunction it was split from, which is only known when `cases` discharges it,
 * a theorem's height is kept as a function of its hypotheses' heights:
 *   height = max(base, max over open hypotheses h of (height(h) + offset(h))).
 * Closed theorems therefore have height = base.
 *
 * No I/O, randomness, clock or global mutable state; the only state is a per-kernel cache of
 * rule instantiations, which is invisible to callers.
 */
import {
  and,
  falsum,
  formulaEquals,
  formulaKey,
  instantiate,
  type Implies,
  not,
  or,
  type Const,
  type Formula,
} from "../logic/formula.js";
import type { Problem } from "../logic/theory.js";

/** The inference rules; the same names are used in the proof language, issue messages and docs. */
export type RuleName =
  | "premise"
  | "assume"
  | "apply"
  | "and-intro"
  | "and-elim"
  | "or-intro"
  | "elim"
  | "cases"
  | "contradiction"
  | "ex-falso"
  | "reductio";

/** Every rule name, in documentation order. */
export const RULE_NAMES: readonly RuleName[] = [
  "premise",
  "assume",
  "apply",
  "and-intro",
  "and-elim",
  "or-intro",
  "elim",
  "cases",
  "contradiction",
  "ex-falso",
  "reductio",
];

/** An open hypothesis of a theorem with the apply-distance from it to the conclusion. */
export interface Hypothesis {
  readonly formula: Formula;
  /** Height contribution: height(conclusion) ≥ height(hypothesis) + offset. */
  readonly offset: number;
}

/** Why a rule refused to fire; a value, so the checker can attach it to the offending line. */
export interface KernelFailure {
  readonly ok: false;
  readonly rule: RuleName;
  readonly reason: string;
}

/** Why the goal check refused a theorem. */
export interface GoalFailure {
  readonly ok: false;
  readonly reason: "foreign" | "open-hypothesis" | "wrong-goal";
  readonly message: string;
}

/** The verdict of the goal check on an accepted theorem. */
export interface Accepted {
  readonly ok: true;
  /** Derivation height, or null when the proof used `reductio` (no depth claim). */
  readonly height: number | null;
}

type Hyps = ReadonlyMap<string, Hypothesis>;

const NO_HYPS: Hyps = Object.freeze(new Map<string, Hypothesis>());
const mint = Symbol("kernel-mint");

/**
 * A proved sequent Γ ⊢ φ. Only the kernel's rules can make one (the constructor needs a private
 * token). Its parts live in private fields behind getters, so nothing outside can reassign them:
 * as immutable as a frozen object, without `Object.freeze` (a runtime call and a map transition,
 * about 400 instructions per theorem).
 */
export class Theorem {
  /** Brand that cannot be forged by `Object.create(Theorem.prototype)`. */
  readonly #kernel: Kernel;
  readonly #conclusion: Formula;
  readonly #hyps: Hyps;
  readonly #base: number;
  readonly #classical: boolean;

  /** @internal Only callable with the kernel's private token. */
  constructor(
    token: symbol,
    kernel: Kernel,
    conclusion: Formula,
    hyps: Hyps,
    base: number,
    classical: boolean,
  ) {
    if (token !== mint) throw new TypeError("theorems are made only by the kernel's rules");
    this.#kernel = kernel;
    this.#conclusion = conclusion;
    this.#hyps = hyps;
    this.#base = base;
    this.#classical = classical;
  }

  /** The proved formula φ. */
  get conclusion(): Formula {
    return this.#conclusion;
  }

  /** Open hypotheses Γ keyed by `formulaKey`. */
  get hyps(): Hyps {
    return this.#hyps;
  }

  /** Height contributed by closed sub-derivations (−Infinity when everything comes from hypotheses). */
  get base(): number {
    return this.#base;
  }

  /** True when `reductio` was used somewhere below; such proofs carry no depth claim. */
  get classical(): boolean {
    return this.#classical;
  }

  /** True when `x` is a genuine theorem made by `kernel` (a theorem of another problem is not). */
  static of(x: unknown, kernel: Kernel): x is Theorem {
    return typeof x === "object" && x !== null && #kernel in x && x.#kernel === kernel;
  }

  /** The height as a closed derivation (meaningful when `hyps` is empty). */
  get height(): number {
    return Math.max(0, this.base);
  }
}

/** True when a rule returned a failure rather than a theorem. */
export function isFailure(x: Theorem | KernelFailure): x is KernelFailure {
  return !(x instanceof Theorem);
}

function fail(rule: RuleName, reason: string): KernelFailure {
  return { ok: false, rule, reason };
}

/** The failure of a rule given an input that is not a theorem of this kernel. */
function foreign(rule: RuleName): KernelFailure {
  return fail(rule, "input is not a theorem of this problem");
}

/** The negation used by elim and reductio: ¬ψ for ψ, and q for ¬q (classically equivalent). */
export function negation(f: Formula): Formula {
  return f.kind === "not" ? f.body : not(f);
}

function isNegationOf(a: Formula, b: Formula): boolean {
  return (a.kind === "not" && formulaEquals(a.body, b)) || (b.kind === "not" && formulaEquals(b.body, a));
}

/** Premise i of a rule's if-part `left`: conjunct i of a conjunction, else `left` itself (i = 0). */
function premiseOf(left: Formula, i: number): Formula {
  return left.kind === "and" ? (left.items[i] as Formula) : left;
}

/** Number of premises of a rule's if-part `left`: its conjuncts, or 1. */
function premiseCount(left: Formula): number {
  return left.kind === "and" ? left.items.length : 1;
}

/** Membership in `names` as a predicate. */
function memberOf(names: ReadonlySet<string>): (name: string) => boolean {
  return (name) => names.has(name);
}

/** True when some input proves `f`. */
function proves(inputs: readonly Theorem[], f: Formula): boolean {
  for (let i = 0; i < inputs.length; i++)
    if (formulaEquals((inputs[i] as Theorem).conclusion, f)) return true;
  return false;
}

/** A kernel for one problem: `premise` returns only that problem's axioms, `accept` checks its goal. */
export class Kernel {
  readonly #facts: readonly Formula[];
  readonly #rules: readonly Formula[];
  readonly #goal: Formula;
  /**
   * Rule instantiations by rule formula and constant name; only names `cacheable` admits are
   * stored, so the caller bounds it (the checker admits the theory's constants).
   */
  #instances: Map<Formula, Map<string, Implies>> | undefined;
  readonly #cacheable: (name: string) => boolean;

  /**
   * Builds the kernel for `problem`; the problem is ground truth supplied by the caller.
   * `cacheable` says which constants' rule instantiations may be remembered (none by default):
   * the theory's constants, or a predicate, which is asked only when an instantiation is about to
   * be stored, so a caller can compute its answer lazily. The cache holds pure functions of
   * (rule, constant), so it never changes a result.
   */
  constructor(problem: Problem, cacheable: Iterable<string> | ((name: string) => boolean) = []) {
    this.#facts = problem.theory.facts;
    this.#rules = problem.theory.rules;
    this.#goal = problem.goal;
    this.#cacheable = typeof cacheable === "function" ? cacheable : memberOf(new Set(cacheable));
    Object.freeze(this);
  }

  #make(conclusion: Formula, hyps: Hyps, base: number, classical: boolean): Theorem {
    return new Theorem(mint, this, conclusion, hyps, base, classical);
  }

  /** True when every one of `ts` is a theorem of this kernel. */
  #ours(ts: readonly Theorem[]): boolean {
    for (let i = 0; i < ts.length; i++) if (!Theorem.of(ts[i] as Theorem, this)) return false;
    return true;
  }

  // premise:  ⊢ Fi  (fact i of the theory)   |   ⊢ Rj  (rule j of the theory)
  /** Cites fact or rule `index` (0-based) of the theory. */
  premise(kind: "fact" | "rule", index: number): Theorem | KernelFailure {
    const list = kind === "fact" ? this.#facts : this.#rules;
    const f = Number.isInteger(index) ? list[index] : undefined;
    if (f === undefined) return fail("premise", `no ${kind} number ${index + 1}`);
    return this.#make(f, NO_HYPS, 0, false);
  }

  // assume:  φ ⊢ φ   (the reader only opens this at a `case` or `assume` block)
  /** Opens a hypothesis φ; it stays open until `cases` or `reductio` discharges it. */
  assume(phi: Formula): Theorem {
    const hyps = new Map<string, Hypothesis>();
    hyps.set(formulaKey(phi), { formula: phi, offset: 0 });
    return this.#make(phi, hyps, -Infinity, false);
  }

  // apply:  Γ0 ⊢ ∀X (p1 ∧ … ∧ pk → C)   Γi ⊢ pi[c]  (i = 1…k)
  //         ─────────────────────────────────────────────────   height 1 + max height(pi[c])
  //                       Γ0 ∪ Γ1 ∪ … ∪ Γk ⊢ C[c]
  /** Fires `rule` at the constants `terms` (one per leading ∀) with one input theorem per premise conjunct. */
  apply(rule: Theorem, terms: readonly Const[], inputs: readonly Theorem[]): Theorem | KernelFailure {
    if (!Theorem.of(rule, this) || !this.#ours(inputs)) return foreign("apply");
    const inst = this.#instantiate(rule.conclusion, terms);
    if (typeof inst === "string") return fail("apply", inst);
    if (inputs.length === 0) return fail("apply", "no premises given");
    const left = inst.left;
    const count = premiseCount(left);
    // One input may stand for a whole conjunctive if-part; otherwise every input must be one of the
    // premises (the first that is none is reported) and every premise must be among the inputs.
    const whole = inputs.length === 1 && count > 1 && formulaEquals((inputs[0] as Theorem).conclusion, left);
    if (!whole) {
      for (let j = 0; j < inputs.length; j++) {
        const t = inputs[j] as Theorem;
        let hit = false;
        for (let i = 0; i < count && !hit; i++) hit = formulaEquals(t.conclusion, premiseOf(left, i));
        if (!hit) return fail("apply", "an input is not a premise of the rule");
      }
      for (let i = 0; i < count; i++)
        if (!proves(inputs, premiseOf(left, i)))
          return fail("apply", `premise ${i + 1} of the rule is not established`);
    }
    let base = -Infinity;
    let classical = rule.classical;
    let open = rule.hyps.size > 0;
    for (let j = 0; j < inputs.length; j++) {
      const t = inputs[j] as Theorem;
      if (t.base > base) base = t.base;
      classical ||= t.classical;
      open ||= t.hyps.size > 0;
    }
    // With no open hypothesis anywhere the union is empty (what `mergeHyps` would return too).
    const hyps = open ? mergeHyps([rule, ...inputs], (t) => (t === rule ? 0 : 1)) : NO_HYPS;
    return this.#make(inst.right, hyps, base + 1, classical);
  }

  /** The implication `rule` states at `terms` (one per leading ∀), or why there is none. */
  #instantiate(f: Formula, terms: readonly Const[]): Implies | string {
    const cacheKey = terms.length === 1 && terms[0] !== undefined ? terms[0].name : null;
    const byConst = cacheKey === null ? undefined : this.#instances?.get(f);
    const hit = cacheKey === null ? undefined : byConst?.get(cacheKey);
    if (hit !== undefined) return hit;
    let g = f;
    for (let i = 0; i < terms.length; i++) {
      if (g.kind !== "forall") return "the rule has fewer universal variables than constants given";
      g = instantiate(g, terms[i] as Const);
    }
    if (g.kind === "forall") return "the rule is universal: name the person it is applied to";
    if (g.kind !== "implies") return "the cited formula is not a rule (if … then …)";
    if (cacheKey !== null && this.#cacheable(cacheKey)) {
      let m = byConst;
      if (m === undefined) (this.#instances ??= new Map()).set(f, (m = new Map()));
      m.set(cacheKey, g);
    }
    return g;
  }

  // and-intro:  Γ1 ⊢ φ1  …  Γn ⊢ φn   ⟹   Γ1 ∪ … ∪ Γn ⊢ φ1 ∧ … ∧ φn
  /** Conjoins two or more theorems in the given order. */
  andIntro(parts: readonly Theorem[]): Theorem | KernelFailure {
    if (!this.#ours(parts)) return foreign("and-intro");
    if (parts.length < 2) return fail("and-intro", "needs at least two conjuncts");
    return this.#combine(and(parts.map((t) => t.conclusion)), parts);
  }

  // and-elim:  Γ ⊢ φ1 ∧ … ∧ φn   ⟹   Γ ⊢ φi
  /** Extracts the conjunct `target` from a conjunction. */
  andElim(conj: Theorem, target: Formula): Theorem | KernelFailure {
    if (!Theorem.of(conj, this)) return foreign("and-elim");
    const c = conj.conclusion;
    if (c.kind !== "and") return fail("and-elim", "the input is not a conjunction");
    if (!c.items.some((g) => formulaEquals(g, target)))
      return fail("and-elim", "not a conjunct of the input");
    return this.#make(target, conj.hyps, conj.base, conj.classical);
  }

  // or-intro:  Γ ⊢ φi   ⟹   Γ ⊢ φ1 ∨ … ∨ φm   (φi one of the disjuncts)
  /** Weakens a theorem to the disjunction `target`, which must contain its conclusion as a disjunct. */
  orIntro(part: Theorem, target: Formula): Theorem | KernelFailure {
    if (!Theorem.of(part, this)) return foreign("or-intro");
    if (target.kind !== "or") return fail("or-intro", "the claim is not a disjunction");
    if (!target.items.some((g) => formulaEquals(g, part.conclusion)))
      return fail("or-intro", "the input is not one of the claim's disjuncts");
    return this.#make(target, part.hyps, part.base, part.classical);
  }

  // elim:  Γ ⊢ c1 ∨ … ∨ cm    Δ ⊢ ~ci   ⟹   Γ ∪ Δ ⊢ c1 ∨ … ∨ c(i-1) ∨ c(i+1) ∨ … ∨ cm
  //        (~ci is ¬ci, or q when ci is ¬q; one remaining disjunct is the conclusion itself)
  /** Removes from a disjunction the disjunct whose negation `neg` proves. */
  elim(disj: Theorem, neg: Theorem): Theorem | KernelFailure {
    if (!Theorem.of(disj, this) || !Theorem.of(neg, this)) return foreign("elim");
    const d = disj.conclusion;
    if (d.kind !== "or") return fail("elim", "the first input is not a disjunction");
    let i = 0;
    while (i < d.items.length && !isNegationOf(d.items[i] as Formula, neg.conclusion)) i++;
    if (i === d.items.length) return fail("elim", "the second input does not contradict any disjunct");
    return this.#combine(or(d.items.toSpliced(i, 1)), [disj, neg]);
  }

  // cases:  Γ ⊢ c1 ∨ … ∨ cm    Δi ⊢ P  (i = 1…m)   ⟹   Γ ∪ (Δ1 − {c1}) ∪ … ∪ (Δm − {cm}) ⊢ P
  //         height: max over branches, the assumption ci counting as height(c1 ∨ … ∨ cm)
  /** Proof by cases: `branches[i]` proves the common conclusion from disjunct i, which is discharged. */
  cases(disj: Theorem, branches: readonly Theorem[]): Theorem | KernelFailure {
    if (!Theorem.of(disj, this) || !this.#ours(branches)) return foreign("cases");
    const d = disj.conclusion;
    if (d.kind !== "or") return fail("cases", "the split formula is not a disjunction");
    if (branches.length !== d.items.length)
      return fail(
        "cases",
        `the disjunction has ${d.items.length} disjuncts but ${branches.length} cases were given`,
      );
    const first = branches[0];
    if (first === undefined) return fail("cases", "no cases given");
    const p = first.conclusion;
    // Made when the first hypothesis is added (most case splits leave none open).
    let hyps: Map<string, Hypothesis> | undefined;
    let base = -Infinity;
    let classical = disj.classical;
    for (let i = 0; i < branches.length; i++) {
      const b = branches[i] as Theorem;
      if (!formulaEquals(b.conclusion, p))
        return fail("cases", `case ${i + 1} ends in a different conclusion`);
      classical ||= b.classical;
      const ck = formulaKey(d.items[i] as Formula);
      const used = b.hyps.get(ck);
      base = Math.max(base, b.base);
      // Other hypotheses than the discharged one stay open (the size says whether there are any).
      if (b.hyps.size > (used === undefined ? 0 : 1))
        for (const [k, h] of b.hyps) if (k !== ck) addHyp((hyps ??= new Map()), k, h.formula, h.offset);
      // The discharged assumption stood for the disjunction: its height (and hypotheses) flow through.
      const via = used === undefined ? -Infinity : used.offset;
      base = Math.max(base, disj.base + via);
      if (disj.hyps.size > 0)
        for (const [k, h] of disj.hyps) addHyp((hyps ??= new Map()), k, h.formula, h.offset + via);
    }
    return this.#make(p, hyps ?? NO_HYPS, base, classical);
  }

  // contradiction:  Γ ⊢ φ    Δ ⊢ ¬φ   ⟹   Γ ∪ Δ ⊢ ⊥
  /** Derives ⊥ from a formula and its negation (in either order). */
  contradiction(a: Theorem, b: Theorem): Theorem | KernelFailure {
    if (!Theorem.of(a, this) || !Theorem.of(b, this)) return foreign("contradiction");
    if (!isNegationOf(a.conclusion, b.conclusion))
      return fail("contradiction", "the inputs are not a formula and its negation");
    return this.#combine(falsum, [a, b]);
  }

  // ex-falso:  Γ ⊢ ⊥   ⟹   Γ ⊢ φ
  /** From ⊥ derives any `target`. */
  exFalso(bottom: Theorem, target: Formula): Theorem | KernelFailure {
    if (!Theorem.of(bottom, this)) return foreign("ex-falso");
    if (bottom.conclusion.kind !== "falsum") return fail("ex-falso", "the input is not ⊥ (a contradiction)");
    return this.#make(target, bottom.hyps, bottom.base, bottom.classical);
  }

  // reductio:  Γ ⊢ ⊥   ⟹   Γ − {φ} ⊢ ~φ      (~φ is ¬φ, or ψ when φ is ¬ψ)
  /** Discharges the assumption `assumed` of a sub-proof ending in ⊥ and concludes its negation. */
  reductio(bottom: Theorem, assumed: Formula): Theorem | KernelFailure {
    if (!Theorem.of(bottom, this)) return foreign("reductio");
    if (bottom.conclusion.kind !== "falsum") return fail("reductio", "the sub-proof does not end in ⊥");
    const k = formulaKey(assumed);
    let hyps: Hyps = bottom.hyps;
    if (hyps.has(k)) {
      const m = new Map(hyps);
      m.delete(k);
      hyps = m.size === 0 ? NO_HYPS : m;
    }
    return this.#make(negation(assumed), hyps, bottom.base, true);
  }

  /** A theorem of `conclusion` resting on all of `ins`, as high as the highest (no apply step). */
  #combine(conclusion: Formula, ins: readonly Theorem[]): Theorem {
    let base = -Infinity;
    let classical = false;
    for (const t of ins) {
      if (t.base > base) base = t.base;
      classical ||= t.classical;
    }
    return this.#make(conclusion, mergeHyps(ins, noStep), base, classical);
  }

  // goal check: a proof is accepted iff its final theorem is ⊢ goal with no open hypotheses.
  /** Accepts `t` as a proof of the problem's goal, or says why not. */
  accept(t: Theorem): Accepted | GoalFailure {
    if (!Theorem.of(t, this))
      return { ok: false, reason: "foreign", message: "not a theorem of this problem" };
    if (t.hyps.size > 0)
      return {
        ok: false,
        reason: "open-hypothesis",
        message: "the conclusion still depends on an open assumption",
      };
    if (!formulaEquals(t.conclusion, this.#goal))
      return { ok: false, reason: "wrong-goal", message: "the final conclusion is not the goal" };
    return { ok: true, height: t.classical ? null : t.height };
  }
}

function addHyp(m: Map<string, Hypothesis>, k: string, formula: Formula, offset: number): void {
  const old = m.get(k);
  if (old === undefined || old.offset < offset) m.set(k, { formula, offset });
}

/** The offset step of a combining rule: none. */
function noStep(): number {
  return 0;
}

function mergeHyps(ins: readonly Theorem[], step: (t: Theorem) => number): Hyps {
  let only: Theorem | undefined;
  let count = 0;
  for (const t of ins)
    if (t.hyps.size > 0) {
      only = t;
      count++;
    }
  if (count === 0 || only === undefined) return NO_HYPS;
  if (count === 1 && step(only) === 0) return only.hyps;
  const m = new Map<string, Hypothesis>();
  for (const t of ins) {
    const s = step(t);
    for (const [k, h] of t.hyps) addHyp(m, k, h.formula, h.offset + s);
  }
  return m;
}
