// The formula core's laws: keys are injective up to alpha-equivalence (the kernel discharges
// hypotheses by key), names that could break that are refused, instantiation substitutes exactly.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  atom,
  constant,
  formulaEquals,
  formulaKey,
  forall,
  fvar,
  implies,
  instantiate,
  not,
  FormulaError,
} from "../../src/logic/formula.js";
import { arbFormula, propertySeed } from "./arbitrary.js";

const seed = propertySeed("formula.test.ts");

describe("formulaKey", () => {
  it("is equal exactly when the formulas are alpha-equivalent", () => {
    fc.assert(
      fc.property(arbFormula(), arbFormula(), (a, b) => {
        expect(formulaKey(a) === formulaKey(b)).toBe(formulaEquals(a, b));
        expect(formulaKey(a)).toBe(formulaKey(a));
      }),
      { seed, numRuns: 2000 },
    );
  });

  it("ignores binder names", () => {
    const x = forall("X", atom("p", [fvar("X")]));
    const y = forall("Y", atom("p", [fvar("Y")]));
    expect(formulaKey(x)).toBe(formulaKey(y));
  });
});

describe("names", () => {
  it.each(["a(b", "a)b", "a,b", "a;b", "#0", "?X", "~p", "a&b", "a|b", "a>b", "a b", "", "a\u0000"])(
    "refuses %j as a predicate, constant or variable name",
    (name) => {
      expect(() => atom(name, [])).toThrow(FormulaError);
      expect(() => constant(name)).toThrow(FormulaError);
      expect(() => fvar(name)).toThrow(FormulaError);
    },
  );

  it("without the guard, these names would collide: p(a,b) vs the unary p applied to 'a,b'", () => {
    const binary = atom("p", [constant("a"), constant("b")]);
    expect(formulaKey(binary)).toBe("p(a,b)");
    expect(() => atom("p", [constant("a,b")])).toThrow(FormulaError);
  });
});

describe("instantiate", () => {
  it("replaces the bound variable and nothing else", () => {
    const rule = forall("X", implies(atom("p", [fvar("X")]), not(atom("q", [fvar("X"), constant("Bob")]))));
    const inst = instantiate(rule, constant("Alice"));
    const expected = implies(
      atom("p", [constant("Alice")]),
      not(atom("q", [constant("Alice"), constant("Bob")])),
    );
    expect(formulaEquals(inst, expected)).toBe(true);
  });
});
