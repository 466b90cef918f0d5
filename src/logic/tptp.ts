/**
 * Export of a theory and goal to TPTP first-order form (FOF), so that any first-order prover (E,
 * Vampire, …) can check an item independently of this project's own decision procedures.
 *
 * Naming, chosen so that distinct names never meet in TPTP's single lowercase namespace:
 * - predicate `abcde` used with one argument → `p_abcde`; used with k ≠ 1 arguments → `pk_abcde`
 *   (`p0_q`, `p2_r`): TPTP provers reject one symbol at two arities, and the core allows that;
 * - person `Alice` (a capital followed only by lowercase letters and digits) → `alice`, which never
 *   contains `_`; any other person name → `c_` + the name with `_` written `__` and each capital
 *   `L` written `_l` (`McKay` → `c__mc_kay`), which is injective and never starts with `p`;
 * - bound variables → `X`, `Y`, `Z`, `X3`, `X4`, … by binder depth (TPTP variables are uppercase);
 * - facts, rules and the goal are named `f1…`, `r1…` (the problem's labels F1…/R1…) and `goal`.
 */
import { assertNever, FormulaError, type Formula, type Term } from "./formula.js";
import { isPredicateName, isTermName } from "./symbolic.js";
import type { Problem, Theory } from "./theory.js";

/** What the exported file asks a prover. */
export interface TptpOptions {
  /**
   * `entailment` (default) adds the goal as a `conjecture` (a prover answers Theorem or
   * CounterSatisfiable); `consistency` leaves it out (the axioms alone: Satisfiable when the
   * theory has a model, Unsatisfiable when it is inconsistent).
   */
  readonly purpose?: "entailment" | "consistency";
  /** A `%` comment line put at the top of the file (e.g. the item id); newlines are flattened. */
  readonly comment?: string;
}

/** TPTP name of a predicate at an arity (`abcde` → `p_abcde`, 0-ary `q` → `p0_q`); throws on an invalid name. */
export function tptpPredicate(name: string, arity = 1): string {
  if (!isPredicateName(name)) throw new FormulaError(`cannot export predicate name '${name}' to TPTP`);
  return (arity === 1 ? "p_" : "p" + arity + "_") + name;
}

/** TPTP name of a person (`Alice` → `alice`, `McKay` → `c__mc_kay`); throws on an invalid name. */
export function tptpConstant(name: string): string {
  if (!isTermName(name)) throw new FormulaError(`cannot export constant name '${name}' to TPTP`);
  let simple = true;
  for (let i = 1; i < name.length && simple; i++) {
    const c = name.charCodeAt(i);
    simple = (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
  }
  if (simple) return name.toLowerCase();
  let s = "c_";
  for (let i = 0; i < name.length; i++) {
    const ch = name.charAt(i);
    const c = name.charCodeAt(i);
    if (c === 95) s += "__";
    else if (c >= 65 && c <= 90) s += "_" + ch.toLowerCase();
    else s += ch;
  }
  return s;
}

function tptpVariable(depth: number): string {
  return depth < 3 ? (["X", "Y", "Z"][depth] as string) : "X" + depth;
}

/**
 * A formula in TPTP FOF syntax. Binary connectives are fully bracketed except chains of one
 * associative connective, which TPTP allows flat. Throws FormulaError on free variables, dangling
 * indices or names outside the grammar (an exported formula must be closed and well named).
 */
export function formulaToTptp(f: Formula): string {
  const go = (g: Formula, depth: number): string => {
    switch (g.kind) {
      case "atom": {
        if (g.args.length === 0) return tptpPredicate(g.pred, 0);
        return tptpPredicate(g.pred, g.args.length) + "(" + g.args.map((t) => term(t, depth)).join(",") + ")";
      }
      case "not":
        return "~ " + unit(g.body, depth);
      case "and":
        return g.items.map((h) => unit(h, depth)).join(" & ");
      case "or":
        return g.items.map((h) => unit(h, depth)).join(" | ");
      case "implies":
        return unit(g.left, depth) + " => " + unit(g.right, depth);
      case "forall":
        return "! [" + tptpVariable(depth) + "] : " + unit(g.body, depth + 1);
      case "falsum":
        return "$false";
      default:
        return assertNever(g);
    }
  };
  // A TPTP unitary formula: binary forms need brackets wherever they are an operand.
  const unit = (g: Formula, depth: number): string => {
    const s = go(g, depth);
    return g.kind === "and" || g.kind === "or" || g.kind === "implies" ? "(" + s + ")" : s;
  };
  const term = (t: Term, depth: number): string => {
    switch (t.kind) {
      case "const":
        return tptpConstant(t.name);
      case "bvar":
        if (t.index >= depth) throw new FormulaError(`dangling bound variable #${t.index}`);
        return tptpVariable(depth - 1 - t.index);
      case "fvar":
        throw new FormulaError(`free variable ?${t.name} cannot be exported to TPTP`);
      default:
        return assertNever(t);
    }
  };
  return go(f, 0);
}

/** A TPTP FOF problem for a theory and (optionally) a goal; facts are `f1…`, rules `r1…`. */
export function theoryToTptp(theory: Theory, goal?: Formula, opts: TptpOptions = {}): string {
  const lines: string[] = [];
  if (opts.comment !== undefined) lines.push("% " + opts.comment.replace(/[\r\n]+/g, " "));
  theory.facts.forEach((f, i) => lines.push(`fof(f${i + 1}, axiom, ${formulaToTptp(f)}).`));
  theory.rules.forEach((r, i) => lines.push(`fof(r${i + 1}, axiom, ${formulaToTptp(r)}).`));
  if (goal !== undefined && opts.purpose !== "consistency") {
    lines.push(`fof(goal, conjecture, ${formulaToTptp(goal)}).`);
  }
  return lines.join("\n") + "\n";
}

/** A TPTP FOF problem for a Problem: its theory as axioms and its goal as the conjecture. */
export function problemToTptp(problem: Problem, opts: TptpOptions = {}): string {
  return theoryToTptp(problem.theory, problem.goal, opts);
}
