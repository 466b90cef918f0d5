/**
 * fast-check arbitraries of formulas, fragment sentences and problems, for reuse by every test
 * suite that needs random logic: round trips, kernel laws, serialization, export.
 *
 * Pools deliberately contain traps: a constant spelled `X` (a binder named `X` would capture it),
 * binder hints that are not valid names (`x`, `If`), and predicates of several arities.
 */
import fc from "fast-check";
import {
  and,
  atom,
  bvar,
  constant,
  falsum,
  forallRaw,
  fvar,
  implies,
  not,
  or,
  type Formula,
  type Term,
} from "../../src/logic/formula.js";
import type { Problem } from "../../src/logic/theory.js";

/** The seed for a property test: `FC_SEED` when set, otherwise fresh; logged so a failure can be replayed. */
export function propertySeed(suite: string): number {
  const env = process.env.FC_SEED;
  const seed = env !== undefined && env !== "" ? Number(env) : Date.now() % 2 ** 31;
  console.log(`${suite}: fast-check seed ${seed} (replay with FC_SEED=${seed})`);
  return seed;
}

/** Knobs for `arbFormula`. */
export interface FormulaArbOptions {
  /** Maximum connective nesting (default 4). */
  readonly maxDepth?: number;
  /** Allow free variables `?X` (default false: formulas are closed). */
  readonly freeVars?: boolean;
  /** Constant names to draw from. */
  readonly constants?: readonly string[];
  /** Predicate names to draw from. */
  readonly predicates?: readonly string[];
  /** Highest predicate arity (default 2). */
  readonly maxArity?: number;
}

/** Constants used by default; `X` and `Y1` clash with printer binder names on purpose. */
export const DEFAULT_CONSTANTS: readonly string[] = ["Alice", "Bob", "X", "Y1", "McKay", "A_b2"];
/** Predicates used by default. */
export const DEFAULT_PREDICATES: readonly string[] = ["p", "q", "abcde", "fghij", "r_2", "if"];
const HINTS: readonly string[] = ["X", "Y", "Z", "x", "Alice", "X1", "If", "Var"];

/** Random well-formed formulas of the general core (n-ary predicates, nesting, quantifiers). */
export function arbFormula(opts: FormulaArbOptions = {}): fc.Arbitrary<Formula> {
  const maxDepth = opts.maxDepth ?? 4;
  const consts = opts.constants ?? DEFAULT_CONSTANTS;
  const preds = opts.predicates ?? DEFAULT_PREDICATES;
  const maxArity = opts.maxArity ?? 2;
  const memo = new Map<string, fc.Arbitrary<Formula>>();

  const termAt = (scope: number): fc.Arbitrary<Term> => {
    const options: fc.Arbitrary<Term>[] = [fc.constantFrom(...consts).map(constant)];
    if (scope > 0) options.push(fc.nat({ max: scope - 1 }).map(bvar));
    if (opts.freeVars === true) options.push(fc.constantFrom("X", "Y", "Alice").map(fvar));
    return fc.oneof(...options);
  };
  const atomAt = (scope: number): fc.Arbitrary<Formula> =>
    fc
      .tuple(fc.constantFrom(...preds), fc.array(termAt(scope), { maxLength: maxArity }))
      .map(([p, args]) => atom(p, args));

  const at = (scope: number, depth: number): fc.Arbitrary<Formula> => {
    const key = `${scope},${depth}`;
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    let arb: fc.Arbitrary<Formula>;
    if (depth === 0) {
      arb = fc.oneof({ weight: 8, arbitrary: atomAt(scope) }, { weight: 1, arbitrary: fc.constant(falsum) });
    } else {
      const sub = at(scope, depth - 1);
      arb = fc.oneof(
        { weight: 3, arbitrary: at(scope, 0) },
        { weight: 2, arbitrary: sub.map(not) },
        { weight: 2, arbitrary: fc.array(sub, { minLength: 2, maxLength: 4 }).map(and) },
        { weight: 2, arbitrary: fc.array(sub, { minLength: 2, maxLength: 4 }).map(or) },
        { weight: 2, arbitrary: fc.tuple(sub, sub).map(([l, r]) => implies(l, r)) },
        {
          weight: 2,
          arbitrary: fc
            .tuple(fc.constantFrom(...HINTS), at(scope + 1, depth - 1))
            .map(([h, b]) => forallRaw(h, b)),
        },
      );
    }
    memo.set(key, arb);
    return arb;
  };
  return at(0, maxDepth);
}

/** Knobs for the fragment arbitraries. */
export interface FragmentArbOptions {
  /** People to draw from (default Alice, Bob, McKay, X). */
  readonly people?: readonly string[];
  /** Predicates to draw from (default a handful of 5-letter words). */
  readonly predicates?: readonly string[];
}

const FRAGMENT_PEOPLE: readonly string[] = ["Alice", "Bob", "McKay", "X"];
const FRAGMENT_PREDICATES: readonly string[] = ["abcde", "fghij", "klmno", "pqrst", "uvwxy", "z_1"];

/** A literal `pred(t)` or `¬pred(t)` over the given terms. */
export function arbLiteralOver(
  terms: fc.Arbitrary<Term>,
  preds: readonly string[] = FRAGMENT_PREDICATES,
): fc.Arbitrary<Formula> {
  return fc
    .tuple(fc.constantFrom(...preds), terms, fc.boolean())
    .map(([p, t, pos]) => (pos ? atom(p, [t]) : not(atom(p, [t]))));
}

/** A ground literal about a person, e.g. `¬abcde(Alice)`: a fact of the generated fragment. */
export function arbFact(opts: FragmentArbOptions = {}): fc.Arbitrary<Formula> {
  const people = opts.people ?? FRAGMENT_PEOPLE;
  return arbLiteralOver(fc.constantFrom(...people).map(constant), opts.predicates);
}

/**
 * A rule of the generated fragment, `p1 ∧ … ∧ pk → c1 ∨ … ∨ cm` over literals, either ground
 * (possibly cross-person) or universal over one variable (possibly also mentioning people).
 */
export function arbRule(opts: FragmentArbOptions = {}): fc.Arbitrary<Formula> {
  const people = opts.people ?? FRAGMENT_PEOPLE;
  const ground = fc.constantFrom(...people).map(constant);
  const withVar = fc.oneof({ weight: 4, arbitrary: fc.constant(bvar(0)) }, { weight: 1, arbitrary: ground });
  const body = (terms: fc.Arbitrary<Term>): fc.Arbitrary<Formula> =>
    fc
      .tuple(
        fc.array(arbLiteralOver(terms, opts.predicates), { minLength: 1, maxLength: 3 }),
        fc.array(arbLiteralOver(terms, opts.predicates), { minLength: 1, maxLength: 3 }),
      )
      .map(([ps, cs]) => implies(and(ps), or(cs)));
  return fc.oneof(
    body(ground),
    fc.tuple(fc.constantFrom("X", "Y", "x", "If"), body(withVar)).map(([h, b]) => forallRaw(h, b)),
  );
}

/**
 * Any formula `printEnglish` accepts: literals, flat conjunctions/disjunctions of literals,
 * `If … then …` between such groups, under zero to two `for any` binders, and ⊥.
 */
export function arbEnglishFormula(opts: FragmentArbOptions = {}): fc.Arbitrary<Formula> {
  const people = opts.people ?? FRAGMENT_PEOPLE;
  const at = (scope: number): fc.Arbitrary<Formula> => {
    const terms: fc.Arbitrary<Term> =
      scope === 0
        ? fc.constantFrom(...people).map(constant)
        : fc.oneof(fc.nat({ max: scope - 1 }).map(bvar), fc.constantFrom(...people).map(constant));
    const lit = arbLiteralOver(terms, opts.predicates);
    const group = fc.oneof(
      lit,
      fc.array(lit, { minLength: 2, maxLength: 3 }).map(and),
      fc.array(lit, { minLength: 2, maxLength: 3 }).map(or),
    );
    return fc.oneof(
      group,
      fc.tuple(group, group).map(([l, r]) => implies(l, r)),
    );
  };
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant(falsum) },
    { weight: 4, arbitrary: at(0) },
    { weight: 4, arbitrary: at(1).map((b) => forallRaw("X", b)) },
    { weight: 2, arbitrary: at(2).map((b) => forallRaw("Y", forallRaw("X", b))) },
  );
}

/** A random Problem of the fragment with candidates and an answer that names the goal. */
export function arbProblem(opts: FragmentArbOptions = {}): fc.Arbitrary<Problem> {
  return fc
    .tuple(
      fc.array(arbFact(opts), { maxLength: 12 }),
      fc.array(arbRule(opts), { maxLength: 12 }),
      fc.array(arbFact(opts), { minLength: 1, maxLength: 5 }),
      fc.nat(),
      fc.boolean(),
    )
    .map(([facts, rules, candidates, k, withChoice]) => {
      const answer = k % candidates.length;
      const goal = candidates[answer] as Formula;
      const theory = { facts, rules };
      return withChoice ? { theory, goal, candidates, answer } : { theory, goal };
    });
}
