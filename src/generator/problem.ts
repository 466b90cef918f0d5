/**
 * From a draft to the final problem: drop what corruption removed, shuffle facts, rules and
 * candidates, build formulas, and keep the index maps the gold proof and the prompts need.
 */
import {
  and,
  atom,
  bvar,
  constant,
  forallRaw,
  implies,
  or,
  not,
  type Atom,
  type Formula,
  type Literal,
  type Term,
} from "../logic/formula.js";
import type { Problem } from "../logic/theory.js";
import type { Rng } from "./random.js";
import { type Draft, type Lit, type Owned, type RuleSpec } from "./tree.js";

/** A finished problem with the bookkeeping that links it back to its draft. */
export interface Assembled {
  readonly draft: Draft;
  readonly problem: Problem;
  /** The shared literal formulas of this problem. */
  readonly lits: Literals;
  /** Final facts and rules as draft values, in F/R order. */
  readonly facts: readonly Lit[];
  readonly rules: readonly RuleSpec[];
  /** Draft fact/rule index → final 0-based position, −1 when corruption removed it (plain arrays: two maps per item were measurable). */
  readonly factPos: readonly number[];
  readonly rulePos: readonly number[];
  /** Candidate literals in presentation order, and which one is the gold (draft tree 0). */
  readonly candidates: readonly Lit[];
  readonly answer: number;
  /**
   * Interleaving of facts and rules for the paper's unnumbered prompt: a value v < facts.length is
   * fact v, any other value is rule v − facts.length (plain numbers: one small array per sentence
   * was measurable garbage).
   */
  readonly order: readonly number[];
}

/**
 * Literal formulas of one draft, built once each and shared (by the theory, the candidates and the
 * gold proof), which also lets `formulaKey`'s per-object memo work across them. Inside universal
 * rules the person `VAR` is the bound variable of the rule's single binder (de Bruijn index 0).
 */
export class Literals {
  /**
   * Per person (index person + 1, `VAR` first) the one-element argument list its atoms share:
   * formulas are immutable, and one array per atom was a measurable share of assembly's garbage.
   */
  private readonly args: (readonly Term[])[];
  private readonly cache: (Literal | undefined)[];
  private readonly width: number;

  constructor(private readonly draft: Draft) {
    const n = draft.people.length;
    this.args = new Array<readonly Term[]>(n + 1);
    this.args[0] = [bvar(0)];
    for (let i = 0; i < n; i++) this.args[i + 1] = [constant(draft.people[i] as string)];
    this.width = n + 1;
    // A holey array (a hole reads as undefined): filling it cost more than the holes do.
    this.cache = new Array<Literal | undefined>(2 * this.width * draft.preds.length);
  }

  /** The formula of a draft literal. */
  of(l: Lit): Literal {
    const key = ((l.pred * this.width + l.person + 1) << 1) | (l.pos ? 1 : 0);
    const f = this.cache[key];
    return f !== undefined ? f : this.make(l, key);
  }

  /** Builds and memoises the formula of `l` under `key` (the rare path of `of`, kept out of it). */
  private make(l: Lit, key: number): Literal {
    // Both polarities share one atom object (a refutation uses the complement of a disjunct, a
    // flipped fact the complement of a tree's fact), so the atom is built and keyed once.
    const atomKey = key | 1;
    let a = l.pos ? undefined : (this.cache[atomKey] as Atom | undefined);
    if (a === undefined) {
      a = atom(this.draft.preds[l.pred] ?? `p${l.pred}`, this.args[l.person + 1] as readonly Term[]);
      this.cache[atomKey] = a;
    }
    const f = l.pos ? a : (not(a) as Literal);
    this.cache[key] = f;
    return f;
  }

  /** Formula of a rule: `∀X (p1 ∧ … → c1 ∨ …)` when universal, the bare implication otherwise. */
  rule(r: RuleSpec): Formula {
    const body = implies(this.junction(r.premises, and), this.junction(r.conclusions, or));
    return r.universal ? forallRaw("X", body) : body;
  }

  private junction(ls: readonly Lit[], make: (items: readonly Formula[]) => Formula): Formula {
    if (ls.length === 1) return this.of(ls[0] as Lit);
    const items: Formula[] = new Array<Formula>(ls.length);
    for (let i = 0; i < ls.length; i++) items[i] = this.of(ls[i] as Lit);
    return make(items);
  }
}

/** Finalizes a draft with a shuffled sentence and candidate order drawn from `rng`. */
export function assemble(draft: Draft, rng: Rng): Assembled {
  const liveFacts: number[] = [];
  for (let i = 0; i < draft.facts.length; i++) if ((draft.facts[i] as Owned<Lit>).alive) liveFacts.push(i);
  const liveRules: number[] = [];
  for (let i = 0; i < draft.rules.length; i++)
    if ((draft.rules[i] as Owned<RuleSpec>).alive) liveRules.push(i);
  rng.shuffleNumbers(liveFacts);
  rng.shuffleNumbers(liveRules);
  const lits = new Literals(draft);
  const factPos: number[] = new Array<number>(draft.facts.length).fill(-1);
  const facts: Lit[] = new Array<Lit>(liveFacts.length);
  const factFormulas: Formula[] = new Array<Formula>(liveFacts.length);
  for (let i = 0; i < liveFacts.length; i++) {
    const d = liveFacts[i] as number;
    factPos[d] = i;
    const l = (draft.facts[d] as Owned<Lit>).value;
    facts[i] = l;
    factFormulas[i] = lits.of(l);
  }
  const rulePos: number[] = new Array<number>(draft.rules.length).fill(-1);
  const rules: RuleSpec[] = new Array<RuleSpec>(liveRules.length);
  const ruleFormulas: Formula[] = new Array<Formula>(liveRules.length);
  for (let i = 0; i < liveRules.length; i++) {
    const d = liveRules[i] as number;
    rulePos[d] = i;
    const r = (draft.rules[d] as Owned<RuleSpec>).value;
    rules[i] = r;
    ruleFormulas[i] = lits.rule(r);
  }

  const nc = draft.roots.length;
  const candOrder: number[] = new Array<number>(nc);
  for (let i = 0; i < nc; i++) candOrder[i] = i;
  rng.shuffleNumbers(candOrder);
  const candidates: Lit[] = new Array<Lit>(nc);
  const candidateFormulas: Formula[] = new Array<Formula>(nc);
  let answer = -1;
  for (let i = 0; i < nc; i++) {
    const t = candOrder[i] as number;
    if (t === 0) answer = i;
    const l = (draft.roots[t] as { lit: Lit }).lit;
    candidates[i] = l;
    candidateFormulas[i] = lits.of(l);
  }

  const order: number[] = new Array<number>(facts.length + rules.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  rng.shuffleNumbers(order);

  const problem: Problem = {
    theory: { facts: factFormulas, rules: ruleFormulas },
    goal: candidateFormulas[answer] as Formula,
    candidates: candidateFormulas,
    answer,
  };
  return { draft, problem, lits, facts, rules, factPos, rulePos, candidates, answer, order };
}
