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
  formulaKey,
  instantiate,
  not,
  type Const,
  type Formula,
  type Term,
} from "../logic/formula.js";
import type { Problem } from "../logic/theory.js";
import { negation, type Theorem } from "./kernel.js";

/**
 * `formulaKey` without its memo for literals over constants and flat lists of them (the shapes of
 * proof lines): checked lines are fresh objects, and memoizing each one (and its parts) in a
 * WeakMap costs more than building the short string. Produces exactly the string `formulaKey`
 * would.
 */
export function keyOf(f: Formula): string {
  switch (f.kind) {
    case "atom": {
      const t = f.args.length === 1 ? f.args[0] : undefined;
      return t !== undefined && t.kind === "const" ? f.pred + "(" + t.name + ")" : formulaKey(f);
    }
    case "not":
      return f.body.kind === "atom" ? "~" + keyOf(f.body) : formulaKey(f);
    case "and":
    case "or": {
      let k = f.kind === "and" ? "&(" : "|(";
      for (let i = 0; i < f.items.length; i++) k += (i === 0 ? "" : ";") + keyOf(f.items[i] as Formula);
      return k + ")";
    }
    default:
      return formulaKey(f);
  }
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

/** Builds the index of a problem's theory. */
export function indexTheory(problem: Problem): TheoryIndex {
  const facts = new Map<string, number>();
  const rules = new Map<string, number>();
  const ground = new Map<string, number[]>();
  const universal = new Map<string, number[]>();
  const disjunctiveFacts: number[] = [];
  const universalByLiteral = new Map<string, number[]>();
  const constants = new Set<string>(constantsOf(problem.goal));
  problem.theory.facts.forEach((f, i) => {
    if (!facts.has(formulaKey(f))) facts.set(formulaKey(f), i);
    if (f.kind === "or") disjunctiveFacts.push(i);
    for (const c of constantsOf(f)) constants.add(c);
  });
  problem.theory.rules.forEach((r, i) => {
    if (!rules.has(formulaKey(r))) rules.set(formulaKey(r), i);
    for (const c of constantsOf(r)) constants.add(c);
    if (r.kind === "implies") push(ground, formulaKey(r.right), i);
    else if (r.kind === "forall" && r.body.kind === "implies") {
      push(universal, formulaKey(r.body.right), i);
      const c = r.body.right;
      const a = c.kind === "not" ? c.body : c;
      if (a.kind === "atom" && a.args.length === 1 && a.args[0]?.kind === "bvar")
        push(universalByLiteral, (a === c ? "" : "~") + a.pred, i);
    }
  });
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
  return fi === undefined ? null : ctx.premise("fact", fi);
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
    const key = formulaKey(abstractConst(claim, c));
    for (const ri of ctx.index.universal.get(key) ?? NONE) {
      if (--ctx.work < 0) return null;
      const p = tryRule(ctx, ri, [constant(c)], claim);
      if (p !== null) return p;
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
  return null;
}

/** Finds one inference that justifies `claim` (whose `keyOf` is `k`, when known) from in-scope lines and the theory. */
export function searchJustification(ctx: SearchContext, claim: Formula, k = keyOf(claim)): SearchResult {
  const same = ctx.inScope.get(k);
  if (same !== undefined) return { rule: "repeat", thm: same };
  const premise = ctx.index.restated.get(k);
  if (premise !== undefined) return premise;
  const plan = searchApply(ctx, claim, k) ?? searchElim(ctx, claim) ?? searchStructural(ctx, claim);
  if (ctx.work < 0) return "budget";
  return plan ?? "none";
}

/**
 * Guesses the constants a universal rule is applied to when a strict proof names none: the first
 * constant (from the claim, then the inputs) whose instantiation concludes the claim.
 */
export function inferTerms(rule: Formula, claim: Formula, inputs: readonly Formula[]): readonly Const[] {
  if (rule.kind !== "forall") return [];
  const names = constantsOf(claim);
  for (const f of inputs) constantsOf(f, names);
  for (const n of names) {
    const g = instantiate(rule, constant(n));
    if (g.kind === "implies" && sameFormula(g.right, claim)) return [constant(n)];
  }
  const first = names[0];
  return first === undefined ? [] : [constant(first)];
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
