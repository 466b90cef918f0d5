/**
 * From a draft to the final problem: drop what corruption removed, shuffle facts, rules and
 * candidates, build formulas, and keep the index maps the gold proof and the prompts need.
 */
import {
  and,
  constant,
  forall,
  fvar,
  implies,
  literal,
  or,
  type Formula,
  type Literal,
} from "../logic/formula.js";
import type { Problem } from "../logic/theory.js";
import type { Rng } from "./random.js";
import { VAR, type Draft, type Lit, type RuleSpec } from "./tree.js";

/** A finished problem with the bookkeeping that links it back to its draft. */
export interface Assembled {
  readonly draft: Draft;
  readonly problem: Problem;
  /** Final facts and rules as draft values, in F/R order. */
  readonly facts: readonly Lit[];
  readonly rules: readonly RuleSpec[];
  /** Draft fact/rule index → final 0-based position (absent when corruption removed it). */
  readonly factPos: ReadonlyMap<number, number>;
  readonly rulePos: ReadonlyMap<number, number>;
  /** Candidate literals in presentation order, and which one is the gold (draft tree 0). */
  readonly candidates: readonly Lit[];
  readonly answer: number;
  /** Interleaving of facts and rules for the paper's unnumbered prompt: ["F", i] or ["R", i]. */
  readonly order: readonly (readonly ["F" | "R", number])[];
}

/** Formula of a literal with the draft's predicate names. */
export function literalOf(l: Lit, draft: Draft): Literal {
  const term = l.person === VAR ? fvar("X") : constant(draft.people[l.person] ?? "?");
  return literal(draft.preds[l.pred] ?? `p${l.pred}`, term, l.pos);
}

/** Formula of a rule: `∀X (p1 ∧ … → c1 ∨ …)` when universal, the bare implication otherwise. */
export function ruleOf(r: RuleSpec, draft: Draft): Formula {
  const body = implies(
    and(r.premises.map((l) => literalOf(l, draft))),
    or(r.conclusions.map((l) => literalOf(l, draft))),
  );
  return r.universal ? forall("X", body) : body;
}

/** Finalizes a draft with a shuffled sentence and candidate order drawn from `rng`. */
export function assemble(draft: Draft, rng: Rng): Assembled {
  const liveFacts: number[] = [];
  draft.facts.forEach((f, i) => {
    if (f.alive) liveFacts.push(i);
  });
  const liveRules: number[] = [];
  draft.rules.forEach((r, i) => {
    if (r.alive) liveRules.push(i);
  });
  rng.shuffle(liveFacts);
  rng.shuffle(liveRules);
  const factPos = new Map<number, number>();
  liveFacts.forEach((d, i) => factPos.set(d, i));
  const rulePos = new Map<number, number>();
  liveRules.forEach((d, i) => rulePos.set(d, i));
  const facts = liveFacts.map((i) => (draft.facts[i] as { value: Lit }).value);
  const rules = liveRules.map((i) => (draft.rules[i] as { value: RuleSpec }).value);

  const candOrder = rng.shuffle(draft.roots.map((_, i) => i));
  const candidates = candOrder.map((t) => (draft.roots[t] as { lit: Lit }).lit);
  const answer = candOrder.indexOf(0);

  const order: ["F" | "R", number][] = [
    ...facts.map((_, i): ["F", number] => ["F", i]),
    ...rules.map((_, i): ["R", number] => ["R", i]),
  ];
  rng.shuffle(order);

  const candidateFormulas = candidates.map((l) => literalOf(l, draft));
  const problem: Problem = {
    theory: { facts: facts.map((l) => literalOf(l, draft)), rules: rules.map((r) => ruleOf(r, draft)) },
    goal: candidateFormulas[answer] as Formula,
    candidates: candidateFormulas,
    answer,
  };
  return { draft, problem, facts, rules, factPos, rulePos, candidates, answer, order };
}
