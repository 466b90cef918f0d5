import { existsSync, readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  and,
  atom,
  bvar,
  constant,
  falsum,
  formulaEquals,
  forallRaw,
  fvar,
  implies,
  not,
  or,
  type Formula,
  type Term,
} from "../../src/logic/formula.js";
import {
  parseClaim,
  parseClaimOrThrow,
  parseEnglish,
  parseEnglishOrThrow,
  printEnglish,
} from "../../src/logic/english.js";
import { ParseError, printSymbolic } from "../../src/logic/symbolic.js";
import { arbEnglishFormula, arbFormula, propertySeed } from "./arbitrary.js";

const seed = propertySeed("english.test.ts");
const runs = (numRuns: number): { seed: number; numRuns: number } => ({ seed, numRuns });

const lit = (pred: string, t: Term, positive = true): Formula =>
  positive ? atom(pred, [t]) : not(atom(pred, [t]));
const alice = constant("Alice");
const bob = constant("Bob");
const X = bvar(0);

function parsed(text: string): Formula {
  const r = parseEnglish(text);
  if (!r.ok) throw new Error(`unexpected parse failure on ${JSON.stringify(text)}: ${r.error.message}`);
  return r.value;
}
function same(a: Formula, b: Formula): void {
  expect(printSymbolic(a)).toBe(printSymbolic(b));
  expect(formulaEquals(a, b)).toBe(true);
}

describe("parseEnglish: the sentence forms", () => {
  it("facts", () => {
    same(parsed("Alice is abcde."), lit("abcde", alice));
    same(parsed("Alice is not abcde."), lit("abcde", alice, false));
  });
  it("ground rules with conjunctive premises and disjunctive conclusions", () => {
    same(
      parsed("If Alice is abcde and Alice is not fghij, then Alice is klmno or Alice is pqrst."),
      implies(
        and([lit("abcde", alice), lit("fghij", alice, false)]),
        or([lit("klmno", alice), lit("pqrst", alice)]),
      ),
    );
  });
  it("cross-person rules", () => {
    same(parsed("If Bob is abcde, then Alice is fghij."), implies(lit("abcde", bob), lit("fghij", alice)));
  });
  it("universal rules, with and without 'person', mentioning constants too", () => {
    const r = forallRaw("X", implies(lit("abcde", X), lit("fghij", X)));
    same(parsed("For any person X, if X is abcde, then X is fghij."), r);
    same(parsed("For any X, if X is abcde, then X is fghij."), r);
    same(
      parsed("For any X, if X is abcde and Bob is fghij, then X is not klmno."),
      forallRaw("X", implies(and([lit("abcde", X), lit("fghij", bob)]), lit("klmno", X, false))),
    );
  });
  it("nested binders", () => {
    same(
      parsed("For any X, for any Y, if X is abcde, then Y is fghij."),
      forallRaw("X", forallRaw("Y", implies(lit("abcde", bvar(1)), lit("fghij", bvar(0))))),
    );
  });
  it("bare conjunctions and disjunctions, and Contradiction", () => {
    same(parsed("Alice is klmno or Alice is pqrst."), or([lit("klmno", alice), lit("pqrst", alice)]));
    same(parsed("Alice is a and Bob is not b."), and([lit("a", alice), lit("b", bob, false)]));
    same(parsed("Contradiction."), falsum);
    same(parsed("contradiction"), falsum);
  });
  it("optional period, surrounding whitespace, runs of spaces, optional comma, lowercase 'if'", () => {
    const f = implies(lit("abcde", alice), lit("fghij", alice));
    for (const s of [
      "If Alice is abcde, then Alice is fghij",
      "  If  Alice is\tabcde ,\n then   Alice is fghij .  ",
      "If Alice is abcde then Alice is fghij.",
      "if Alice is abcde, then Alice is fghij.",
    ]) {
      same(parsed(s), f);
    }
  });
});

describe("parseEnglish: rejections", () => {
  const cases: [string, number, string][] = [
    ["", 0, "expected a sentence"],
    ["Alice abcde.", 6, "expected 'is'"],
    ["Alice is.", 8, "expected a predicate"],
    ["Alice is Abcde.", 9, "not a predicate name"],
    ["alice is abcde.", 0, "capitalised name"],
    ["Alice is abcde..", 15, "expected the end"],
    ["Alice is abcde. Bob is fghij.", 16, "expected the end"],
    ["Alice is a and Alice is b or Alice is c.", 26, "cannot mix"],
    ["If Alice is a, Alice is b.", 15, "expected 'then'"],
    ["For some X, X is a.", 4, "expected 'any'"],
    ["For any x, x is a.", 8, "capitalised variable"],
    ["For any If, If is a.", 8, "cannot be used"],
    ["If is abcde.", 3, "capitalised name"],
    ["Alice is ab\u0441de.", 11, "non-ASCII letter"],
    ["Alice\u200b is abcde.", 5, "invisible"],
    ["Alice is not not.", 13, "not a predicate name"],
    ["Alice is abcde!", 14, "unexpected character '!'"],
    ["Contradiction and Alice is a.", 14, "expected the end"],
  ];
  it.each(cases)("%j fails at %i (%s)", (text, offset, fragment) => {
    const r = parseEnglish(text);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.message).toContain(fragment);
      expect(r.error.offset).toBe(offset);
    }
  });
  it("names are case-sensitive", () => {
    expect(formulaEquals(parsed("Alice is abcde"), parsed("ALICE is abcde"))).toBe(false);
  });
  it("the throwing twin throws ParseError", () => {
    expect(() => parseEnglishOrThrow("Alice is")).toThrow(ParseError);
  });
  it("deep 'for any' nesting is capped", () => {
    const r = parseEnglish("For any X, ".repeat(50_000) + "X is a.");
    expect(r.ok).toBe(false);
  });
});

describe("printEnglish", () => {
  it("prints the fragment in the paper's style", () => {
    expect(printEnglish(lit("abcde", alice, false))).toBe("Alice is not abcde.");
    expect(printEnglish(lit("abcde", alice), { period: false })).toBe("Alice is abcde");
    expect(printEnglish(forallRaw("Q", implies(lit("a", X), lit("b", X))))).toBe(
      "For any person Q, if Q is a, then Q is b.",
    );
    expect(printEnglish(forallRaw("X", implies(lit("a", X), lit("b", X))), { person: false })).toBe(
      "For any X, if X is a, then X is b.",
    );
    expect(printEnglish(falsum)).toBe("Contradiction.");
  });
  it("renames a binder that would capture a person named like it", () => {
    const f = forallRaw("X", implies(lit("a", X), lit("b", constant("X"))));
    const s = printEnglish(f);
    expect(s).toBe("For any person Y, if Y is a, then X is b.");
    expect(formulaEquals(parsed(s ?? ""), f)).toBe(true);
  });
  it("returns undefined outside the fragment", () => {
    const outside: Formula[] = [
      atom("p", []),
      atom("p", [alice, bob]),
      atom("p", [fvar("X")]),
      atom("P", [alice]),
      atom("forall", [alice]),
      lit("a", constant("If")),
      atom("a", [constant("_x")]),
      not(not(lit("a", alice))),
      and([lit("a", alice), or([lit("b", alice), lit("c", alice)])]),
      implies(lit("a", alice), implies(lit("b", alice), lit("c", alice))),
      implies(forallRaw("X", lit("a", X)), lit("b", alice)),
      not(falsum),
      and([falsum, lit("a", alice)]),
      forallRaw("X", falsum),
      lit("a", bvar(0)),
    ];
    for (const f of outside) expect(printEnglish(f)).toBeUndefined();
  });
});

describe("English round trip (property)", () => {
  it("parseEnglish(printEnglish(f)) is alpha-equal to f on the fragment", () => {
    fc.assert(
      fc.property(arbEnglishFormula(), fc.boolean(), fc.boolean(), (f, period, person) => {
        const s = printEnglish(f, { period, person });
        if (s === undefined) return false;
        const r = parseEnglish(s);
        return r.ok && formulaEquals(r.value, f);
      }),
      runs(1500),
    );
  });
  it("whenever printEnglish prints a general formula, it reads back the same", () => {
    fc.assert(
      fc.property(arbFormula({ maxArity: 1 }), (f) => {
        const s = printEnglish(f);
        if (s === undefined) return true;
        const r = parseEnglish(s);
        return r.ok && formulaEquals(r.value, f);
      }),
      runs(1500),
    );
  });
  it("parseEnglish never throws on arbitrary strings", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 60 }), (s) => {
        const r = parseEnglish(s);
        return r.ok || (r.error.offset >= 0 && r.error.offset <= s.length);
      }),
      runs(1500),
    );
  });
});

describe("parseClaim", () => {
  it("accepts English and symbolic claims alike", () => {
    const f = implies(lit("abcde", alice), lit("fghij", alice));
    same(parseClaimOrThrow("If Alice is abcde, then Alice is fghij."), f);
    same(parseClaimOrThrow("abcde(Alice) -> fghij(Alice)"), f);
    same(parseClaimOrThrow("  abcde(Alice) → fghij(Alice)"), f);
    same(parseClaimOrThrow("if Alice is abcde, then Alice is fghij"), f);
    same(parseClaimOrThrow("Contradiction."), falsum);
    same(parseClaimOrThrow("⊥"), falsum);
  });
  it("falls back to the other syntax when the first guess fails", () => {
    // A symbolic 0-ary predicate named `if` starts like English.
    same(parseClaimOrThrow("if & p"), and([atom("if", []), atom("p", [])]));
  });
  it("reports the error of the syntax the text looks like", () => {
    const e = parseClaim("Alice is");
    expect(!e.ok && e.error.message).toContain("expected a predicate");
    const s = parseClaim("abcde(Alice");
    expect(!s.ok && s.error.message).toContain("expected ',' or ')'");
  });
  it("never throws on arbitrary strings, including English-looking ones (property)", () => {
    const words = fc.constantFrom(
      "If",
      "if",
      "For",
      "any",
      "person",
      "X",
      "Alice",
      "is",
      "not",
      "abcde",
      ",",
      ".",
      "then",
      "and",
      "or",
      "(",
      "&",
      "~",
      "->",
      "Contradiction",
      "\u200b",
    );
    fc.assert(
      fc.property(fc.array(words, { maxLength: 14 }), fc.string({ maxLength: 6 }), (ws, tail) => {
        const s = ws.join(" ") + tail;
        const r = parseClaim(s);
        return r.ok || (r.error.offset >= 0 && r.error.offset <= s.length && r.error.message.length > 0);
      }),
      runs(1500),
    );
  });
  it("routes every printed formula correctly (property)", () => {
    fc.assert(
      fc.property(arbEnglishFormula(), fc.boolean(), (f, english) => {
        const s = english ? (printEnglish(f) ?? "") : printSymbolic(f, { ascii: true });
        const r = parseClaim(s);
        return r.ok && formulaEquals(r.value, f);
      }),
      runs(800),
    );
  });
});

// The reference prompts from the paper's released generator: every sentence and every candidate
// must parse, and print back byte-identically (modulo the `For any X` spelling, chosen per sentence).
const REFERENCE = "/work/shared/reference/paper-examples.jsonl";
describe.skipIf(!existsSync(REFERENCE))(`paper prompts (${REFERENCE})`, () => {
  it("parses and reprints every sentence and candidate", () => {
    let count = 0;
    for (const line of readFileSync(REFERENCE, "utf8").split("\n")) {
      if (line.trim() === "") continue;
      const row = JSON.parse(line) as { prompt: { content: string }[] };
      const content = row.prompt[0]?.content ?? "";
      const facts = content.split("Suppose we have the following facts:")[1]?.split("\n\nHere are")[0] ?? "";
      const cands = content.split("candidate statements:\n")[1]?.split("\n\nExactly")[0] ?? "";
      const sentences = facts
        .trim()
        .split(". ")
        .map((s) => (s.endsWith(".") ? s : s + "."));
      for (const s of sentences) {
        const f = parsed(s);
        const person = s.startsWith("For any person");
        expect(printEnglish(f, { person })).toBe(s);
        count++;
      }
      for (const c of cands.split("\n")) {
        expect(printEnglish(parsed(c), { period: false })).toBe(c);
        count++;
      }
    }
    expect(count).toBeGreaterThan(300);
  });
});
