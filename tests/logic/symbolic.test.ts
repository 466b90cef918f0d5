import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  and,
  atom,
  bvar,
  constant,
  falsum,
  formulaEquals,
  forall,
  forallRaw,
  fvar,
  implies,
  not,
  or,
  type Formula,
  type Term,
} from "../../src/logic/formula.js";
import {
  isPredicateName,
  isTermName,
  MAX_NESTING,
  ParseError,
  parseSymbolic,
  parseSymbolicOrThrow,
  printSymbolic,
} from "../../src/logic/symbolic.js";
import { arbFormula, propertySeed } from "./arbitrary.js";

const seed = propertySeed("symbolic.test.ts");
const runs = (numRuns: number): { seed: number; numRuns: number } => ({ seed, numRuns });

const A = constant("Alice");
const p = (...args: Parameters<typeof constant>[0][]): Formula => atom("p", args.map(constant));
const u = (pred: string, t: Term = A): Formula => atom(pred, [t]);

function parsed(text: string): Formula {
  const r = parseSymbolic(text);
  if (!r.ok) throw new Error(`unexpected parse failure on ${JSON.stringify(text)}: ${r.error.message}`);
  return r.value;
}
function failure(text: string): { message: string; offset: number } {
  const r = parseSymbolic(text);
  if (r.ok) throw new Error(`expected ${JSON.stringify(text)} to be rejected`);
  return r.error;
}

describe("parseSymbolic: the spec's examples", () => {
  const X = bvar(0);
  const expected = forallRaw(
    "X",
    implies(and([u("abcde", X), not(u("fghij", X))]), or([u("klmno", X), u("pqrst", X)])),
  );
  it("parses the Unicode example", () => {
    expect(formulaEquals(parsed("∀X (abcde(X) ∧ ¬fghij(X) → klmno(X) ∨ pqrst(X))"), expected)).toBe(true);
  });
  it("parses the ASCII example to the same formula", () => {
    expect(formulaEquals(parsed("forall X (abcde(X) & ~fghij(X) -> klmno(X) | pqrst(X))"), expected)).toBe(
      true,
    );
  });
  it("prints the example back in both spellings", () => {
    expect(printSymbolic(expected)).toBe("∀X (abcde(X) ∧ ¬fghij(X) → klmno(X) ∨ pqrst(X))");
    expect(printSymbolic(expected, { ascii: true })).toBe(
      "forall X (abcde(X) & ~fghij(X) -> klmno(X) | pqrst(X))",
    );
  });
});

describe("parseSymbolic: connective spellings", () => {
  const cases: [string, string][] = [
    ["¬p", "~p"],
    ["-p", "~p"],
    ["not p", "~p"],
    ["p ∧ q", "p & q"],
    ["p && q", "p & q"],
    ["p /\\ q", "p & q"],
    ["p ∨ q", "p | q"],
    ["p || q", "p | q"],
    ["p \\/ q", "p | q"],
    ["p → q", "p -> q"],
    ["p ⇒ q", "p -> q"],
    ["p => q", "p -> q"],
    ["∀X p(X)", "forall X p(X)"],
    ["all X p(X)", "forall X p(X)"],
    ["∀X. p(X)", "forall X p(X)"],
    ["forall X: p(X)", "forall X p(X)"],
    ["⊥", "$false"],
  ];
  it.each(cases)("%s means the same as %s", (a, b) => {
    expect(formulaEquals(parsed(a), parsed(b))).toBe(true);
  });
});

describe("parseSymbolic: precedence and structure", () => {
  const P = atom("p", []);
  const Q = atom("q", []);
  const R = atom("r", []);
  const S = atom("s", []);
  it("¬ binds tighter than ∧, ∧ than ∨, ∨ than →", () => {
    expect(formulaEquals(parsed("~p & q | r -> s"), implies(or([and([not(P), Q]), R]), S))).toBe(true);
  });
  it("→ associates to the right", () => {
    expect(formulaEquals(parsed("p -> q -> r"), implies(P, implies(Q, R)))).toBe(true);
    expect(formulaEquals(parsed("(p -> q) -> r"), implies(implies(P, Q), R))).toBe(true);
  });
  it("chains become one n-ary node; bracketed sub-chains stay nested", () => {
    const flat = parsed("p & q & r");
    expect(flat.kind === "and" && flat.items.length === 3).toBe(true);
    expect(formulaEquals(parsed("p & (q & r)"), and([P, and([Q, R])]))).toBe(true);
    expect(formulaEquals(parsed("(p | q) | r"), or([or([P, Q]), R]))).toBe(true);
  });
  it("∀ scopes as far right as possible", () => {
    const X = bvar(0);
    expect(
      formulaEquals(parsed("forall X p(X) -> q(X)"), forallRaw("X", implies(atom("p", [X]), atom("q", [X])))),
    ).toBe(true);
    expect(
      formulaEquals(parsed("p & forall X q(X) | r"), and([P, forallRaw("X", or([atom("q", [X]), R]))])),
    ).toBe(true);
    expect(formulaEquals(parsed("(forall X q(X)) | r"), or([forallRaw("X", atom("q", [X])), R]))).toBe(true);
  });
  it("capitalised names are variables when bound and constants otherwise", () => {
    const f = parsed("forall X (p(X, Y) & forall Y p(X, Y))");
    const g = forallRaw(
      "X",
      and([atom("p", [bvar(0), constant("Y")]), forallRaw("Y", atom("p", [bvar(1), bvar(0)]))]),
    );
    expect(formulaEquals(f, g)).toBe(true);
  });
  it("an inner binder shadows an outer one of the same name", () => {
    expect(
      formulaEquals(parsed("forall X forall X p(X)"), forallRaw("X", forallRaw("X", atom("p", [bvar(0)])))),
    ).toBe(true);
  });
  it("reads 0-ary and n-ary predicates, free variables and falsum", () => {
    expect(formulaEquals(parsed("p"), P)).toBe(true);
    expect(formulaEquals(parsed("p(Alice, Bob, Alice)"), p("Alice", "Bob", "Alice"))).toBe(true);
    expect(formulaEquals(parsed("p(?X)"), atom("p", [fvar("X")]))).toBe(true);
    expect(formulaEquals(parsed("$false -> p"), implies(falsum, P))).toBe(true);
  });
  it("tolerates any amount of ordinary whitespace, and none", () => {
    expect(formulaEquals(parsed(" \t\n p(Alice)\r\n&q  "), and([p("Alice"), Q]))).toBe(true);
    expect(formulaEquals(parsed("~p(Alice)&q->r"), implies(and([not(p("Alice")), Q]), R))).toBe(true);
  });
});

describe("parseSymbolic: rejections carry a message and an offset", () => {
  const cases: [string, number, string][] = [
    ["", 0, "expected a formula"],
    ["p(Alice", 7, "expected ',' or ')'"],
    ["(p & q", 6, "expected ')'"],
    ["p q", 2, "expected end of input"],
    ["p & ", 4, "expected a formula"],
    ["Alice", 0, "capitalised names"],
    ["p(alice)", 2, "must be a capitalised name"],
    ["p()", 2, "empty argument list"],
    ["abcDe(Alice)", 0, "must be lowercase"],
    ["forall x p(x)", 7, "must be capitalised"],
    ["forall p(X)", 7, "bound variable 'p'"],
    ["p(Alice) <-> q", 9, "unexpected character '<'"],
    ["p(\u0410lice)", 2, "non-ASCII letter"],
    ["p(Ali\u0441e)", 5, "non-ASCII letter"],
    ["p(Alice)\u200b", 8, "invisible"],
    ["p\u00a0& q", 1, "invisible"],
    ["\ufeffp", 0, "invisible"],
    ["p\u0000", 1, "control character"],
    ["p ∃ q", 2, "unexpected character '∃'"],
    ["$true", 0, "unexpected character '$'"],
    ["_p", 0, "must start with a letter"],
    ["1p", 0, "must start with a letter"],
    ["?x", 0, "'?' must be followed"],
    ["?X", 0, "free variable '?X'"],
    ["not(Alice)", 4, "capitalised names"],
  ];
  it.each(cases)("%j fails at %i (%s)", (text, offset, fragment) => {
    const e = failure(text);
    expect(e.message).toContain(fragment);
    expect(e.offset).toBe(offset);
  });
  it("reports a surrogate-pair letter with its code point", () => {
    expect(failure("p(\u{1D400})").message).toContain("U+1D400");
  });
  it("the throwing twin throws ParseError with the offset", () => {
    expect(() => parseSymbolicOrThrow("p(")).toThrow(ParseError);
    try {
      parseSymbolicOrThrow("p & (q");
    } catch (e) {
      expect(e instanceof ParseError && e.offset).toBe(6);
    }
    expect(formulaEquals(parseSymbolicOrThrow("p"), atom("p", []))).toBe(true);
  });
});

describe("parseSymbolic: nesting cap", () => {
  it(`accepts nesting up to the cap and rejects deeper input without exhausting the stack`, () => {
    const ok = "(".repeat(MAX_NESTING - 1) + "p" + ")".repeat(MAX_NESTING - 1);
    expect(parseSymbolic(ok).ok).toBe(true);
    for (const deep of [
      "(".repeat(100_000) + "p" + ")".repeat(100_000),
      "~".repeat(100_000) + "p",
      "forall X ".repeat(100_000) + "p(X)",
      "p -> ".repeat(100_000) + "p",
      "p & (".repeat(100_000) + "p" + ")".repeat(100_000),
    ]) {
      const r = parseSymbolic(deep);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.message).toContain(`deeper than ${MAX_NESTING}`);
    }
  });
  it("long flat chains are fine (n-ary nodes do not nest)", () => {
    const f = parsed(Array.from({ length: 20_000 }, () => "p").join(" & "));
    expect(f.kind === "and" && f.items.length === 20_000).toBe(true);
  });
});

describe("printSymbolic", () => {
  it("uses minimal parentheses", () => {
    expect(printSymbolic(parsed("((p & q) | (r & s)) -> ((t))"), { ascii: true })).toBe("p & q | r & s -> t");
    expect(printSymbolic(parsed("(p -> q) -> (r -> s)"), { ascii: true })).toBe("(p -> q) -> r -> s");
    expect(printSymbolic(parsed("~(p & q) & ~~r"), { ascii: true })).toBe("~(p & q) & ~~r");
    expect(printSymbolic(parsed("(forall X p(X)) & q"), { ascii: true })).toBe("(forall X p(X)) & q");
    expect(printSymbolic(parsed("q & forall X p(X)"), { ascii: true })).toBe("q & forall X p(X)");
    expect(printSymbolic(parsed("(q & forall X p(X)) -> r"), { ascii: true })).toBe(
      "q & (forall X p(X)) -> r",
    );
  });
  it("never lets a binder capture a constant of the same name", () => {
    // ∀_. p(bvar0, X) where X is the constant: the binder must not be printed as X.
    const f = forallRaw("X", atom("p", [bvar(0), constant("X")]));
    const s = printSymbolic(f);
    expect(s).toBe("∀Y p(Y, X)");
    expect(formulaEquals(parsed(s), f)).toBe(true);
  });
  it("renames a shadowing binder whose outer variable is still used", () => {
    const f = forallRaw("X", forallRaw("X", atom("p", [bvar(0), bvar(1)])));
    const s = printSymbolic(f);
    expect(s).toBe("∀X ∀Y p(Y, X)");
    expect(formulaEquals(parsed(s), f)).toBe(true);
  });
  it("replaces invalid binder hints", () => {
    expect(printSymbolic(forall("x", atom("p", [fvar("x")])))).toBe("∀X p(X)");
  });
  it("prints falsum, free variables and 0-ary predicates", () => {
    expect(printSymbolic(implies(falsum, atom("p", [fvar("Y")])))).toBe("⊥ → p(?Y)");
    expect(printSymbolic(not(falsum), { ascii: true })).toBe("~$false");
  });
});

describe("symbolic round trip (property)", () => {
  it("parse(print(f)) is alpha-equal to f, Unicode and ASCII", () => {
    fc.assert(
      fc.property(arbFormula({ freeVars: true }), fc.boolean(), (f, ascii) => {
        const text = printSymbolic(f, { ascii });
        const r = parseSymbolic(text);
        return r.ok && formulaEquals(r.value, f);
      }),
      runs(1500),
    );
  });
  it("printing is a fixed point after one round trip", () => {
    fc.assert(
      fc.property(arbFormula(), (f) => {
        const once = printSymbolic(f);
        return printSymbolic(parsed(once)) === once;
      }),
      runs(500),
    );
  });
  it("ASCII output is pure printable ASCII", () => {
    fc.assert(
      fc.property(arbFormula(), (f) => {
        const s = printSymbolic(f, { ascii: true });
        for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) < 32 || s.charCodeAt(i) > 126) return false;
        return true;
      }),
      runs(300),
    );
  });
});

describe("parseSymbolic on hostile input (property)", () => {
  it("never throws on arbitrary strings", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 80 }), (s) => {
        const r = parseSymbolic(s);
        return r.ok || (r.error.offset >= 0 && r.error.offset <= s.length && r.error.message.length > 0);
      }),
      runs(2000),
    );
  });
  it("never throws on mutations of valid text, and offsets stay in range", () => {
    const alphabet = fc.constantFrom(
      "(",
      ")",
      "&",
      "|",
      "~",
      "->",
      "X",
      "p",
      " ",
      ",",
      "∀",
      "forall ",
      "а",
      "\u200b",
    );
    fc.assert(
      fc.property(arbFormula(), fc.nat(), alphabet, (f, k, ins) => {
        const s = printSymbolic(f);
        const at = k % (s.length + 1);
        const mutated = s.slice(0, at) + ins + s.slice(at);
        const r = parseSymbolic(mutated);
        return r.ok || (r.error.offset >= 0 && r.error.offset <= mutated.length);
      }),
      runs(1000),
    );
  });
});

describe("name predicates", () => {
  it("isPredicateName and isTermName follow the grammar", () => {
    expect(["p", "abcde", "r_2", "a1"].every(isPredicateName)).toBe(true);
    expect(["", "P", "aB", "forall", "all", "not", "a-b", "é", "_a"].some(isPredicateName)).toBe(false);
    expect(["Alice", "X", "McKay", "A_b2"].every(isTermName)).toBe(true);
    expect(["", "alice", "_A", "Al ice", "Аlice"].some(isTermName)).toBe(false);
  });
});
