/**
 * Justification search for lenient mode, and the theory index it (and the checker) use.
 *
 * Untrusted: it only proposes a `Plan` (an explicit kernel call with its inputs); the checker
 * hands the plan to the kernel, which re-checks it. A bug here can make a good proof fail, never a
 * bad one pass. Work is counted in abstract units against a budget, never timed.
 */
import {
  assertNever,
  atom,
  bvar,
  constant,
  constantsOf,
  formulaEquals,
  formulaKeyOnce,
  instantiate,
  not,
  type Const,
  type Formula,
  type Term,
} from "../logic/formula.js";
import type { Problem } from "../logic/theory.js";
import { negation, type Theorem } from "./kernel.js";

/**
 * `formulaKey` without its memo (`formulaKeyOnce`): checked lines are fresh objects, and storing
 * each one's key in a WeakMap costs more than building the string. Same string as `formulaKey`.
 */
export function keyOf(f: Formula): string {
  return formulaKeyOnce(f);
}

/**
 * `formulaEquals` with the literal-over-a-constant case done inline (most comparisons the checker
 * makes are between such literals); any other shape goes to `formulaEquals`. Same answers.
 */
export function sameFormula(a: Formula, b: Formula): boolean {
  if (a === b) return true;
  if (a.kind === "not") return b.kind === "not" ? sameFormula(a.body, b.body) : false;
  if (a.kind === "atom" && b.kind === "atom" && a.args.length === 1 && b.args.length === 1) {
    const x = a.args[0];
    const y = b.args[0];
    if (x !== undefined && y !== undefined && x.kind === "const" && y.kind === "const")
      return a.pred === b.pred && x.name === y.name;
  }
  return formulaEquals(a, b);
}

/** Lookup tables over a problem's theory, built once per problem. */
export interface TheoryIndex {
  /** Fact index by `formulaKey`. */
  readonly facts: ReadonlyMap<string, number>;
  /** Rule index by `formulaKey` of the whole rule (for restated rules). */
  readonly rules: ReadonlyMap<string, number>;
  /** Ground rules `L → C` by `formulaKey(C)`. */
  readonly ground: ReadonlyMap<string, readonly number[]>;
  /** Rules `∀X (L → C)` by `formulaKey(C)` with X as bound variable 0. */
  readonly universal: ReadonlyMap<string, readonly number[]>;
  /** Facts that are disjunctions (usable by `elim` without being restated). */
  readonly disjunctiveFacts: readonly number[];
  /** Facts that are conjunctions or ⊥ (usable by `and-elim` / `ex-falso` without being restated). */
  readonly compoundFacts: readonly number[];
  /** Universal rules the per-constant tables above miss (several variables, or a variable absent from the conclusion), by `headOf` their conclusion. */
  readonly matched: ReadonlyMap<string, readonly number[]>;
  /** Constants that occur in the theory or the goal. */
  readonly constants: ReadonlySet<string>;
  /** Universal rules whose conclusion is the literal `[¬]pred(X)`, by "pred" or "~pred". */
  readonly universalByLiteral: ReadonlyMap<string, readonly number[]>;
  /** Instantiations of universal rule i at theory constants, by constant name; a cache. */
  readonly instances: (Map<string, Formula> | undefined)[];
  /** The `premise` plan for a claim that restates fact or rule i, by key (facts first, as cited). */
  readonly restated: ReadonlyMap<string, Plan>;
}

function push(m: Map<string, number[]>, k: string, i: number): void {
  const l = m.get(k);
  if (l === undefined) m.set(k, [i]);
  else l.push(i);
}

/** True when `f` mentions a variable bound outside it (a de Bruijn index reaching past `depth` binders). */
function mentionsOuter(f: Formula, depth = 0): boolean {
  switch (f.kind) {
    case "atom":
      return f.args.some((t) => t.kind === "bvar" && t.index >= depth);
    case "not":
      return mentionsOuter(f.body, depth);
    case "and":
    case "or":
      return f.items.some((g) => mentionsOuter(g, depth));
    case "implies":
      return mentionsOuter(f.left, depth) || mentionsOuter(f.right, depth);
    case "forall":
      return mentionsOuter(f.body, depth + 1);
    case "falsum":
      return false;
    default:
      return assertNever(f);
  }
}

/** A coarse shape of a formula that matching preserves: sign and predicate of a literal, else the connective. */
export function headOf(f: Formula): string {
  if (f.kind === "atom") return f.pred;
  if (f.kind === "not" && f.body.kind === "atom") return "~" + f.body.pred;
  return "#" + f.kind;
}

/**
 * The constants of a problem (goal first, then facts, then rules, each in first-occurrence order):
 * the same set, in the same order, as `indexTheory(problem).constants`, without building the index.
 */
export function theoryConstants(problem: Problem): Set<string> {
  const out = new Set<string>();
  addConstants(problem.goal, out);
  for (const f of problem.theory.facts) addConstants(f, out);
  for (const r of problem.theory.rules) addConstants(r, out);
  return out;
}

function addConstants(f: Formula, out: Set<string>): void {
  switch (f.kind) {
    case "atom":
      for (const t of f.args) if (t.kind === "const") out.add(t.name);
      return;
    case "not":
    case "forall":
      addConstants(f.body, out);
      return;
    case "and":
    case "or":
      for (const g of f.items) addConstants(g, out);
      return;
    case "implies":
      addConstants(f.left, out);
      addConstants(f.right, out);
      return;
    case "falsum":
      return;
    default:
      assertNever(f);
  }
}

/**
 * Builds the index of a problem's theory. `constants` may pass `theoryConstants(problem)` when the
 * caller already has it (it is then used as is, not copied).
 */
export function indexTheory(
  problem: Problem,
  constants: ReadonlySet<string> = theoryConstants(problem),
): TheoryIndex {
  const facts = new Map<string, number>();
  const rules = new Map<string, number>();
  const ground = new Map<string, number[]>();
  const universal = new Map<string, number[]>();
  const disjunctiveFacts: number[] = [];
  const compoundFacts: number[] = [];
  const matched = new Map<string, number[]>();
  const universalByLiteral = new Map<string, number[]>();
  // Each key is built once and never memoized: the theory's formulas are indexed once per problem.
  const factList = problem.theory.facts;
  for (let i = 0; i < factList.length; i++) {
    const f = factList[i] as Formula;
    const k = formulaKeyOnce(f);
    if (!facts.has(k)) facts.set(k, i);
    if (f.kind === "or") disjunctiveFacts.push(i);
    if (f.kind === "and" || f.kind === "falsum") compoundFacts.push(i);
  }
  const ruleList = problem.theory.rules;
  for (let i = 0; i < ruleList.length; i++) {
    const r = ruleList[i] as Formula;
    const k = formulaKeyOnce(r);
    if (!rules.has(k)) rules.set(k, i);
    if (r.kind === "implies") push(ground, formulaKeyOnce(r.right), i);
    else if (r.kind === "forall" && r.body.kind === "implies") {
      push(universal, formulaKeyOnce(r.body.right), i);
      const c = r.body.right;
      const a = c.kind === "not" ? c.body : c;
      if (a.kind === "atom" && a.args.length === 1 && a.args[0]?.kind === "bvar")
        push(universalByLiteral, (a === c ? "" : "~") + a.pred, i);
      else if (!mentionsOuter(c)) push(matched, headOf(c), i);
    } else if (r.kind === "forall") {
      let body: Formula = r;
      while (body.kind === "forall") body = body.body;
      if (body.kind === "implies") push(matched, headOf(body.right), i);
    }
  }
  const restated = new Map<string, Plan>();
  for (const [k, index] of facts) restated.set(k, { rule: "premise", kind: "fact", index });
  for (const [k, index] of rules)
    if (!restated.has(k)) restated.set(k, { rule: "premise", kind: "rule", index });
  return {
    restated,
    facts,
    rules,
    ground,
    universal,
    disjunctiveFacts,
    compoundFacts,
    matched,
    constants,
    universalByLiteral,
    instances: [],
  };
}

/** An explicit inference for the kernel to check. */
export type Plan =
  | { readonly rule: "premise"; readonly kind: "fact" | "rule"; readonly index: number }
  | { readonly rule: "repeat"; readonly thm: Theorem }
  | {
      readonly rule: "apply";
      readonly ruleThm: Theorem;
      readonly terms: readonly Const[];
      readonly inputs: readonly Theorem[];
    }
  | { readonly rule: "elim"; readonly disj: Theorem; readonly negs: readonly Theorem[] }
  | { readonly rule: "and-intro"; readonly parts: readonly Theorem[] }
  | { readonly rule: "and-elim" | "or-intro" | "ex-falso"; readonly from: Theorem }
  | { readonly rule: "contradiction"; readonly a: Theorem; readonly b: Theorem };

/** What the search may use: in-scope theorems by key, the theory, and a way to cite premises. */
export interface SearchContext {
  readonly index: TheoryIndex;
  /** In-scope theorems by `formulaKey` of their conclusion. */
  readonly inScope: ReadonlyMap<string, Theorem>;
  /** Theorems of fact / rule `i`, minted by the kernel. */
  readonly premise: (kind: "fact" | "rule", index: number) => Theorem | null;
  /** Remaining work units; the search decrements it and stops at zero. */
  work: number;
}

/** Result of a search: a plan, nothing found, or the budget ran out. */
export type SearchResult = Plan | "none" | "budget";

/** Replaces constant `name` by bound variable 0 (the binder a universal rule would put around it). */
export function abstractConst(f: Formula, name: string, depth = 0): Formula {
  switch (f.kind) {
    case "atom": {
      let changed = false;
      const args = f.args.map((t): Term => {
        if (t.kind === "const" && t.name === name) {
          changed = true;
          return bvar(depth);
        }
        return t;
      });
      return changed ? atom(f.pred, args) : f;
    }
    case "not":
      return not(abstractConst(f.body, name, depth));
    case "and":
    case "or":
      return { kind: f.kind, items: f.items.map((g) => abstractConst(g, name, depth)) };
    case "implies":
      return {
        kind: "implies",
        left: abstractConst(f.left, name, depth),
        right: abstractConst(f.right, name, depth),
      };
    case "forall":
      return { kind: "forall", name: f.name, body: abstractConst(f.body, name, depth + 1) };
    case "falsum":
      return f;
    default:
      return assertNever(f);
  }
}

function lookup(ctx: SearchContext, f: Formula): Theorem | null {
  const k = keyOf(f);
  const t = ctx.inScope.get(k);
  if (t !== undefined) return t;
  const fi = ctx.index.facts.get(k);
  if (fi !== undefined) return ctx.premise("fact", fi);
  const ri = ctx.index.rules.get(k);
  return ri === undefined ? null : ctx.premise("rule", ri);
}

const NONE: readonly number[] = [];

function premisesOf(f: Formula): readonly Formula[] {
  return f.kind === "and" ? f.items : [f];
}

function tryRule(ctx: SearchContext, ri: number, terms: readonly Const[], claim: Formula): Plan | null {
  const ruleThm = ctx.premise("rule", ri);
  if (ruleThm === null) return null;
  let g = ruleThm.conclusion;
  const only = terms.length === 1 ? terms[0] : undefined;
  const name = only !== undefined && ctx.index.constants.has(only.name) ? only.name : undefined;
  const byName = name === undefined ? undefined : (ctx.index.instances[ri] ??= new Map<string, Formula>());
  const hit = name === undefined ? undefined : byName?.get(name);
  if (hit !== undefined) g = hit;
  else {
    for (const t of terms) {
      if (g.kind !== "forall") return null;
      g = instantiate(g, t);
    }
    if (name !== undefined) byName?.set(name, g);
  }
  if (g.kind !== "implies" || !sameFormula(g.right, claim)) return null;
  const inputs: Theorem[] = [];
  for (const p of premisesOf(g.left)) {
    ctx.work--;
    const t = lookup(ctx, p);
    if (t === null) return null;
    inputs.push(t);
  }
  return { rule: "apply", ruleThm, terms, inputs };
}

function searchApply(ctx: SearchContext, claim: Formula, key: string): Plan | null {
  for (const ri of ctx.index.ground.get(key) ?? NONE) {
    if (--ctx.work < 0) return null;
    const p = tryRule(ctx, ri, [], claim);
    if (p !== null) return p;
  }
  const a = claim.kind === "not" ? claim.body : claim;
  const t = a.kind === "atom" && a.args.length === 1 ? a.args[0] : undefined;
  if (a.kind === "atom" && t !== undefined && t.kind === "const") {
    // A literal claim: candidate universal rules are found by predicate and sign alone.
    const terms = [constant(t.name)];
    for (const ri of ctx.index.universalByLiteral.get((a === claim ? "" : "~") + a.pred) ?? NONE) {
      if (--ctx.work < 0) return null;
      const p = tryRule(ctx, ri, terms, claim);
      if (p !== null) return p;
    }
    return null;
  }
  for (const c of constantsOf(claim)) {
    const key = formulaKeyOnce(abstractConst(claim, c));
    for (const ri of ctx.index.universal.get(key) ?? NONE) {
      if (--ctx.work < 0) return null;
      const p = tryRule(ctx, ri, [constant(c)], claim);
      if (p !== null) return p;
    }
  }
  return null;
}

/**
 * Rules that `searchApply`'s tables miss: several universal variables, or one that the conclusion
 * does not mention. The conclusion is matched against the claim; variables it leaves open are
 * tried at every constant of the theory (each try costs work).
 */
function searchMatched(ctx: SearchContext, claim: Formula): Plan | null {
  if (ctx.index.matched.size === 0) return null;
  const names = [...ctx.index.constants];
  for (const ri of ctx.index.matched.get(headOf(claim)) ?? NONE) {
    if (--ctx.work < 0) return null;
    const rule = ctx.premise("rule", ri);
    if (rule === null) continue;
    const { vars, body } = peel(rule.conclusion);
    if (body.kind !== "implies") continue;
    const bind = new Array<Const | undefined>(vars).fill(undefined);
    if (!matchFormula(body.right, claim, 0, bind)) continue;
    const open: number[] = [];
    bind.forEach((b, slot) => {
      if (b === undefined) open.push(slot);
    });
    // Odometer over the open slots: every assignment of theory constants, in a fixed order.
    const digits = new Array<number>(open.length).fill(0);
    for (;;) {
      if (--ctx.work < 0) return null;
      open.forEach((slot, i) => {
        const n = names[digits[i] as number];
        bind[slot] = n === undefined ? undefined : constant(n);
      });
      const terms = termsOf(bind);
      if (terms !== null) {
        const p = tryRule(ctx, ri, terms, claim);
        if (p !== null) return p;
      }
      let i = 0;
      while (i < digits.length && (digits[i] as number) + 1 >= names.length) digits[i++] = 0;
      if (i === digits.length) break;
      digits[i] = (digits[i] as number) + 1;
    }
  }
  return null;
}

function disjunctionsInScope(ctx: SearchContext): Theorem[] {
  const out: Theorem[] = [];
  for (const t of ctx.inScope.values()) {
    ctx.work--;
    if (t.conclusion.kind === "or") out.push(t);
  }
  for (const i of ctx.index.disjunctiveFacts) {
    const t = ctx.premise("fact", i);
    if (t !== null) out.push(t);
  }
  return out;
}

function searchElim(ctx: SearchContext, claim: Formula): Plan | null {
  const want = claim.kind === "or" ? claim.items : [claim];
  for (const d of disjunctionsInScope(ctx)) {
    if (ctx.work < 0) return null;
    const items = d.conclusion.kind === "or" ? d.conclusion.items : [];
    if (items.length <= want.length) continue;
    const negs: Theorem[] = [];
    let w = 0;
    for (const item of items) {
      ctx.work--;
      const wanted = want[w];
      if (wanted !== undefined && sameFormula(item, wanted)) {
        w++;
        continue;
      }
      const n = lookup(ctx, negation(item));
      if (n === null) break;
      negs.push(n);
    }
    if (w === want.length && negs.length === items.length - want.length)
      return { rule: "elim", disj: d, negs };
  }
  return null;
}

function searchStructural(ctx: SearchContext, claim: Formula): Plan | null {
  if (claim.kind === "and") {
    const parts: Theorem[] = [];
    for (const g of claim.items) {
      const t = lookup(ctx, g);
      if (t === null) break;
      parts.push(t);
    }
    if (parts.length === claim.items.length) return { rule: "and-intro", parts };
  }
  if (claim.kind === "or") {
    for (const g of claim.items) {
      ctx.work--;
      const t = lookup(ctx, g);
      if (t !== null) return { rule: "or-intro", from: t };
    }
  }
  let bottom: Theorem | null = null;
  for (const t of ctx.inScope.values()) {
    if (--ctx.work < 0) return null;
    const c = t.conclusion;
    if (c.kind === "falsum") bottom = t;
    if (c.kind === "and" && c.items.some((g) => formulaEquals(g, claim)))
      return { rule: "and-elim", from: t };
    if (claim.kind === "falsum") {
      const n = lookup(ctx, negation(c));
      if (n !== null) return { rule: "contradiction", a: t, b: n };
    }
  }
  if (bottom !== null) return { rule: "ex-falso", from: bottom };
  // The theory's own facts serve as inputs too, without being restated first.
  for (const i of ctx.index.compoundFacts) {
    const t = ctx.premise("fact", i);
    if (t === null) continue;
    const c = t.conclusion;
    if (c.kind === "falsum") return { rule: "ex-falso", from: t };
    if (c.kind === "and" && c.items.some((g) => formulaEquals(g, claim)))
      return { rule: "and-elim", from: t };
  }
  if (claim.kind === "falsum") {
    for (const i of ctx.index.facts.values()) {
      if (--ctx.work < 0) return null;
      const t = ctx.premise("fact", i);
      const n = t === null ? null : lookup(ctx, negation(t.conclusion));
      if (t !== null && n !== null) return { rule: "contradiction", a: t, b: n };
    }
  }
  return null;
}

/** Finds one inference that justifies `claim` (whose `keyOf` is `k`, when known) from in-scope lines and the theory. */
export function searchJustification(ctx: SearchContext, claim: Formula, k = keyOf(claim)): SearchResult {
  const same = ctx.inScope.get(k);
  if (same !== undefined) return { rule: "repeat", thm: same };
  const premise = ctx.index.restated.get(k);
  if (premise !== undefined) return premise;
  const plan =
    searchApply(ctx, claim, k) ??
    searchMatched(ctx, claim) ??
    searchElim(ctx, claim) ??
    searchStructural(ctx, claim);
  if (ctx.work < 0) return "budget";
  return plan ?? "none";
}

/** The leading universal variables of a formula (their number) and what they bind. */
function peel(f: Formula): { readonly vars: number; readonly body: Formula } {
  let vars = 0;
  while (f.kind === "forall") {
    vars++;
    f = f.body;
  }
  return { vars, body: f };
}

/**
 * Matches `pattern` (a rule body under its leading ∀s, `depth` binders further in) against the
 * closed formula `target`, extending `bind` (slot 0 = innermost leading variable). On failure `bind`
 * may be partly extended; callers pass a copy when they need to undo.
 */
function matchFormula(
  pattern: Formula,
  target: Formula,
  depth: number,
  bind: (Const | undefined)[],
): boolean {
  switch (pattern.kind) {
    case "atom": {
      if (
        target.kind !== "atom" ||
        target.pred !== pattern.pred ||
        target.args.length !== pattern.args.length
      )
        return false;
      for (let i = 0; i < pattern.args.length; i++) {
        const p = pattern.args[i] as Term;
        const t = target.args[i] as Term;
        if (p.kind === "bvar" && p.index >= depth) {
          const slot = p.index - depth;
          if (t.kind !== "const" || slot >= bind.length) return false;
          const b = bind[slot];
          if (b === undefined) bind[slot] = t;
          else if (b.name !== t.name) return false;
        } else if (p.kind !== t.kind) return false;
        else if (p.kind === "bvar") {
          if (p.index !== (t as typeof p).index) return false;
        } else if (p.name !== (t as typeof p).name) return false;
      }
      return true;
    }
    case "not":
      return target.kind === "not" && matchFormula(pattern.body, target.body, depth, bind);
    case "and":
    case "or":
      return (
        target.kind === pattern.kind &&
        target.items.length === pattern.items.length &&
        pattern.items.every((g, i) => matchFormula(g, target.items[i] as Formula, depth, bind))
      );
    case "implies":
      return (
        target.kind === "implies" &&
        matchFormula(pattern.left, target.left, depth, bind) &&
        matchFormula(pattern.right, target.right, depth, bind)
      );
    case "forall":
      return target.kind === "forall" && matchFormula(pattern.body, target.body, depth + 1, bind);
    case "falsum":
      return target.kind === "falsum";
    default:
      return assertNever(pattern);
  }
}

/** The constants for `apply` (outermost variable first) from a complete binding, else null. */
function termsOf(bind: readonly (Const | undefined)[]): Const[] | null {
  const terms: Const[] = [];
  for (let j = bind.length - 1; j >= 0; j--) {
    const b = bind[j];
    if (b === undefined) return null;
    terms.push(b);
  }
  return terms;
}

/** Matches `pattern` against `target` on a copy of `bind`, committing the copy only on success. */
function extend(pattern: Formula, target: Formula, bind: (Const | undefined)[]): boolean {
  const copy = bind.slice();
  if (!matchFormula(pattern, target, 0, copy)) return false;
  copy.forEach((b, i) => (bind[i] = b));
  return true;
}

/**
 * Guesses the constants a universal rule is applied to when a proof names fewer than it has
 * variables (`given` are the `with` names, outermost variable first): the rule's conclusion is
 * matched against the claim, then its premises against the cited inputs (first fit). Untrusted
 * like all of this file: the kernel instantiates the rule at the guess and checks every premise.
 * When the conclusion does not fit the claim, the first constant of the claim (then the inputs)
 * stands for each open variable, and the kernel's refusal says why.
 */
export function inferTerms(
  rule: Formula,
  claim: Formula,
  inputs: readonly Formula[],
  given: readonly Const[] = [],
): readonly Const[] {
  const { vars, body } = peel(rule);
  if (vars <= given.length) return given;
  const bind = new Array<Const | undefined>(vars).fill(undefined);
  given.forEach((c, j) => (bind[vars - 1 - j] = c));
  const fits = body.kind === "implies" && extend(body.right, claim, bind);
  if (fits && termsOf(bind) === null) {
    // One input standing for a whole conjunctive if-part, as the kernel allows.
    const only = inputs.length === 1 ? inputs[0] : undefined;
    if (only !== undefined && body.left.kind === "and") extend(body.left, only, bind);
    for (const p of premisesOf(body.left)) {
      if (!mentionsOuter(p)) continue;
      for (const f of inputs) if (extend(p, f, bind)) break;
    }
  }
  const names = constantsOf(claim);
  for (const f of inputs) constantsOf(f, names);
  const first = names[0];
  for (let slot = 0; slot < vars; slot++)
    if (bind[slot] === undefined && first !== undefined) bind[slot] = constant(first);
  return termsOf(bind) ?? given;
}

/** Finds an in-scope disjunction (or disjunctive fact) whose disjuncts are exactly `assumptions`. */
export function findSplit(ctx: SearchContext, assumptions: readonly Formula[]): Theorem | null {
  for (const d of disjunctionsInScope(ctx)) {
    if (ctx.work < 0) return null;
    const c = d.conclusion;
    if (c.kind !== "or" || c.items.length !== assumptions.length) continue;
    if (c.items.every((g) => assumptions.some((a) => formulaEquals(a, g)))) return d;
  }
  return null;
}
