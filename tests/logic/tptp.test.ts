import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import {
  atom,
  bvar,
  constant,
  falsum,
  forallRaw,
  fvar,
  FormulaError,
  type Formula,
} from "../../src/logic/formula.js";
import { parseClaimOrThrow } from "../../src/logic/english.js";
import {
  formulaToTptp,
  problemToTptp,
  theoryToTptp,
  tptpConstant,
  tptpPredicate,
} from "../../src/logic/tptp.js";
import type { Problem } from "../../src/logic/theory.js";
import { arbFormula, propertySeed } from "./arbitrary.js";

const seed = propertySeed("tptp.test.ts");
const P = parseClaimOrThrow;

function isLowerWord(s: string): boolean {
  if (s.length === 0 || s.charCodeAt(0) < 97 || s.charCodeAt(0) > 122) return false;
  for (let i = 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95)) return false;
  }
  return true;
}

describe("TPTP naming", () => {
  it("maps the documented examples", () => {
    expect(tptpConstant("Alice")).toBe("alice");
    expect(tptpConstant("X3")).toBe("x3");
    expect(tptpConstant("McKay")).toBe("c__mc_kay");
    expect(tptpConstant("A_b")).toBe("c__a__b");
    expect(tptpPredicate("abcde")).toBe("p_abcde");
    expect(tptpPredicate("abcde", 0)).toBe("p0_abcde");
    expect(tptpPredicate("abcde", 12)).toBe("p12_abcde");
  });
  it("is injective on people, disjoint from predicates, and always a TPTP lower_word (property)", () => {
    const upper = fc.constantFrom(..."ABCPXZ");
    const rest = fc.constantFrom(..."aBcpX_019");
    const name = fc.tuple(upper, fc.array(rest, { maxLength: 6 })).map(([h, t]) => h + t.join(""));
    const pred = fc
      .tuple(fc.constantFrom(..."acpx"), fc.array(fc.constantFrom(..."ap_1c"), { maxLength: 6 }))
      .map(([h, t]) => h + t.join(""))
      .filter((s) => !["all", "not", "forall"].includes(s));
    fc.assert(
      fc.property(
        fc.uniqueArray(name, { maxLength: 30 }),
        fc.uniqueArray(pred, { maxLength: 30 }),
        (ns, ps) => {
          const out = ns.map(tptpConstant);
          const pout = ps.flatMap((q) => [0, 1, 2, 12].map((k) => tptpPredicate(q, k)));
          const all = new Set([...out, ...pout]);
          return all.size === ns.length + 4 * ps.length && [...all].every(isLowerWord);
        },
      ),
      { seed, numRuns: 500 },
    );
  });
  it("refuses names outside the grammar", () => {
    expect(() => tptpConstant("alice")).toThrow(FormulaError);
    expect(() => tptpPredicate("Abc")).toThrow(FormulaError);
  });
});

describe("formulaToTptp", () => {
  it("writes the fragment", () => {
    expect(formulaToTptp(P("For any person X, if X is a and X is not b, then X is c or Bob is d."))).toBe(
      "! [X] : ((p_a(X) & ~ p_b(X)) => (p_c(X) | p_d(bob)))",
    );
    expect(formulaToTptp(P("forall X forall Y forall Z forall W r(X, W)"))).toBe(
      "! [X] : ! [Y] : ! [Z] : ! [X3] : p2_r(X,X3)",
    );
    expect(formulaToTptp(P("~(p & q) | $false"))).toBe("~ (p0_p & p0_q) | $false");
  });
  it("refuses open formulas", () => {
    expect(() => formulaToTptp(atom("p", [fvar("X")]))).toThrow(FormulaError);
    expect(() => formulaToTptp(atom("p", [bvar(0)]))).toThrow(FormulaError);
  });
  it("names facts, rules and the goal after the problem's labels", () => {
    const text = theoryToTptp(
      { facts: [P("Alice is a")], rules: [P("If Alice is a, then Alice is b")] },
      P("Alice is b"),
      {
        comment: "item 7\nsplit test",
      },
    );
    expect(text).toBe(
      [
        "% item 7 split test",
        "fof(f1, axiom, p_a(alice)).",
        "fof(r1, axiom, p_a(alice) => p_b(alice)).",
        "fof(goal, conjecture, p_b(alice)).",
        "",
      ].join("\n"),
    );
  });
});

const EPROVER = "/usr/bin/eprover";
const haveE = existsSync(EPROVER);
if (!haveE) console.warn(`tptp.test.ts: skipping the E prover checks: ${EPROVER} is not installed`);

describe.skipIf(!haveE)("accepted by the E prover", () => {
  const dir = mkdtempSync(join(tmpdir(), "scalelogic-tptp-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let n = 0;
  const status = (text: string): string => {
    const file = join(dir, `p${n++}.p`);
    writeFileSync(file, text);
    const r = spawnSync(EPROVER, ["--auto", "--tptp3-format", "-s", "--cpu-limit=20", file], {
      encoding: "utf8",
    });
    const m = /# SZS status (\w+)/.exec(r.stdout);
    return m?.[1] ?? `no status (exit ${r.status}): ${r.stdout}${r.stderr}`;
  };

  // Needs a universal rule, a disjunction and proof by cases.
  const problem: Problem = {
    theory: {
      facts: [P("Alice is abcde."), P("Alice is not fghij."), P("Bob is abcde.")],
      rules: [
        P("For any person X, if X is abcde and X is not fghij, then X is klmno or X is pqrst."),
        P("If Alice is klmno, then Alice is zzzzz."),
        P("For any X, if X is pqrst, then X is zzzzz."),
      ],
    },
    goal: P("Alice is zzzzz."),
  };

  it("proves an entailed goal (Theorem)", () => {
    expect(status(problemToTptp(problem))).toBe("Theorem");
  });
  it("does not prove a goal that is not entailed (CounterSatisfiable)", () => {
    expect(status(problemToTptp({ ...problem, goal: P("Bob is zzzzz.") }))).toBe("CounterSatisfiable");
  });
  it("consistency export: Satisfiable for a consistent theory, Unsatisfiable otherwise", () => {
    expect(status(problemToTptp(problem, { purpose: "consistency" }))).toBe("Satisfiable");
    const bad: Problem = {
      ...problem,
      theory: { ...problem.theory, facts: [...problem.theory.facts, P("Alice is not zzzzz.")] },
    };
    expect(status(problemToTptp(bad, { purpose: "consistency" }))).toBe("Unsatisfiable");
    // With inconsistent axioms E reports ContradictoryAxioms rather than Theorem.
    expect(status(problemToTptp(bad))).toBe("ContradictoryAxioms");
  });
  it("parses random general formulas (n-ary, nested, quantified, falsum)", () => {
    const formulas = fc.sample(arbFormula({ constants: ["Alice", "Bob", "X", "McKay", "A_b2"] }), {
      seed,
      numRuns: 40,
    });
    const withGoal = theoryToTptp({ facts: formulas.slice(0, 20), rules: formulas.slice(20) }, falsum);
    const s = status(withGoal);
    expect(["Theorem", "CounterSatisfiable", "ContradictoryAxioms", "GaveUp", "ResourceOut"]).toContain(s);
    // The same name at several arities becomes several TPTP symbols.
    const mixed: Formula[] = [
      forallRaw("X", atom("p", [bvar(0), constant("Alice")])),
      atom("p", []),
      atom("p", [constant("Bob")]),
    ];
    expect(status(theoryToTptp({ facts: mixed, rules: [] }, undefined))).toBe("Satisfiable");
  });
});
