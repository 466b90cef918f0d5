import { describe, expect, it } from "vitest";
import { parseClaimOrThrow, type Formula, type Problem } from "../../src/logic/index.js";
import {
  check,
  checkOrThrow,
  checkProof,
  prepare,
  ProofRejected,
  CheckOptionsError,
} from "../../src/prover/check.js";
import type { RuleName } from "../../src/prover/kernel.js";
import type { Justification, Proof, Ref } from "../../src/prover/proof.js";
import { renderProof } from "../../src/prover/render.js";

function problem(facts: string[], rules: string[], goal: string): Problem {
  return {
    theory: { facts: facts.map(parseClaimOrThrow), rules: rules.map(parseClaimOrThrow) },
    goal: parseClaimOrThrow(goal),
  };
}

// F1 Alice is a. F2 Alice is not c. R1 a→b. R2 b→ c∨d. R3 ∀X (d(X) → e(X)). R4 c → e. R5 b∧d → g.
const P = problem(
  ["Alice is aaaaa.", "Alice is not ccccc."],
  [
    "If Alice is aaaaa, then Alice is bbbbb.",
    "If Alice is bbbbb, then Alice is ccccc or Alice is ddddd.",
    "For any person X, if X is ddddd, then X is eeeee.",
    "If Alice is ccccc, then Alice is eeeee.",
    "If Alice is bbbbb and Alice is ddddd, then Alice is ggggg.",
  ],
  "Alice is eeeee",
);

const strictElim = `Some thinking first.
<proof>
1. Alice is aaaaa. [premise F1]
2. Alice is bbbbb. [apply R1 on 1]
3. Alice is ccccc or Alice is ddddd. [apply R2 on 2]
4. Alice is ddddd. [elim 3, F2]
5. Alice is eeeee. [apply R3 with Alice on 4]
</proof>
trailing text`;

describe("check: accepts", () => {
  it("a strict proof with elim and a universal rule", () => {
    const r = check(P, strictElim, { mode: "strict" });
    expect(r).toMatchObject({ ok: true, reward: 1, height: 3 });
  });

  it("the same proof without citations in lenient mode", () => {
    const text = strictElim.replace(/ \[[^\]]*\]/g, "");
    expect(check(P, text)).toMatchObject({ ok: true, height: 3 });
    expect(check(P, text, { mode: "strict" })).toMatchObject({
      ok: false,
      issues: [{ code: "missing-justification" }],
    });
  });

  it("proof by cases, strict and lenient", () => {
    const text = `<proof>
1. Alice is bbbbb. [apply R1 on F1]
2. Alice is ccccc or Alice is ddddd. [apply R2 on 1]
3. case Alice is ccccc:
4. Alice is eeeee. [apply R4 on 3]
end case
5. case Alice is ddddd:
6. Alice is eeeee. [apply R3 on 5]
end case
7. Alice is eeeee. [cases 2]
</proof>`;
    expect(check(P, text, { mode: "strict" })).toMatchObject({ ok: true, height: 3 });
    expect(check(P, text.replace(/ \[[^\]]*\]/g, ""))).toMatchObject({ ok: true, height: 3 });
  });

  it("reductio, with no depth claim", () => {
    const text = `<proof>
1. assume Alice is not eeeee:
2. Alice is bbbbb. [apply R1 on F1]
3. Alice is ccccc or Alice is ddddd. [apply R2 on 2]
4. Alice is ddddd. [elim 3, F2]
5. Alice is eeeee. [apply R3 on 4]
6. Contradiction. [contradiction 5, 1]
end assume
7. Alice is eeeee. [reductio 1]
</proof>`;
    expect(check(P, text, { mode: "strict" })).toMatchObject({ ok: true, height: null });
  });

  it("a prepared problem and checkOrThrow", () => {
    const prepared = prepare(P);
    expect(checkOrThrow(prepared, strictElim).reward).toBe(1);
    expect(() => checkOrThrow(prepared, "nothing")).toThrow(ProofRejected);
  });
});

describe("check: rejects", () => {
  const cases: [string, string, string][] = [
    ["no block", "Alice is eeeee", "no-proof-block"],
    ["unclosed block", "<proof> Alice is eeeee.", "no-proof-block"],
    ["two blocks", "<proof>\nAlice is eeeee.\n</proof><proof>\n</proof>", "multiple-proof-blocks"],
    ["empty block", "<proof>\n\n</proof>", "empty-proof"],
    ["goal restated", "<proof>\nAlice is eeeee.\n</proof>", "not-an-inference"],
    ["bad claim", "<proof>\nAlice is.\n</proof>", "parse"],
    ["unknown fact", "<proof>\n1. Alice is eeeee. [premise F9]\n</proof>", "unknown-reference"],
    ["unknown rule name", "<proof>\n1. Alice is aaaaa. [modus-ponens F1]\n</proof>", "parse"],
    ["wrong goal", "<proof>\n1. Alice is aaaaa. [premise F1]\n</proof>", "wrong-goal"],
    ["open case", "<proof>\ncase Alice is ccccc:\nAlice is eeeee.\n</proof>", "open-subproof"],
    ["stray end", "<proof>\nend case\n</proof>", "structure"],
    ["duplicate label", "<proof>\n1. Alice is aaaaa.\n1. Alice is bbbbb.\n</proof>", "duplicate-label"],
    [
      "forward ref",
      "<proof>\n1. Alice is bbbbb. [apply R1 on 2]\n2. Alice is aaaaa. [premise F1]\n</proof>",
      "unknown-reference",
    ],
    ["big block", "<proof>\n" + "x".repeat(70_000) + "\n</proof>", "size-limit"],
    ["zero-width in name", "<proof>\nAli\u200bce is aaaaa.\n</proof>", "parse"],
    ["homoglyph", "<proof>\n\u0410lice is eeeee.\n</proof>", "parse"],
  ];
  for (const [name, text, code] of cases) {
    it(name, () => {
      const r = check(P, text);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.issues[0].code).toBe(code);
    });
  }

  it("out-of-scope citation of a line inside a closed case", () => {
    const text = `<proof>
1. Alice is bbbbb. [apply R1 on F1]
2. Alice is ccccc or Alice is ddddd. [apply R2 on 1]
3. case Alice is ccccc:
4. Alice is eeeee. [apply R4 on 3]
end case
5. case Alice is ddddd:
6. Alice is eeeee. [apply R3 on 5]
end case
7. Alice is eeeee. [cases 2]
8. Alice is eeeee. [apply R4 on 3]
</proof>`;
    const r = check(P, text, { mode: "strict" });
    expect(r).toMatchObject({ ok: false, issues: [{ code: "out-of-scope", line: 11 }] });
  });

  it("bad options throw", () => {
    expect(() => check(P, strictElim, { maxLines: 0 })).toThrow(CheckOptionsError);
  });
});

describe("gold proofs: AST → render → check", () => {
  it("a rendered AST is accepted in strict mode, in English and symbolic form", () => {
    const proof: Proof = {
      items: [
        {
          kind: "claim",
          line: 0,
          label: "1",
          formula: f("Alice is bbbbb"),
          justification: j("apply", ["R1", "F1"]),
        },
        {
          kind: "claim",
          line: 0,
          label: "2",
          formula: f("Alice is ccccc or Alice is ddddd"),
          justification: j("apply", ["R2", "1"]),
        },
        {
          kind: "claim",
          line: 0,
          label: "3",
          formula: f("Alice is ddddd"),
          justification: j("elim", ["2", "F2"]),
        },
        {
          kind: "claim",
          line: 0,
          label: "4",
          formula: f("Alice is eeeee"),
          justification: j("apply", ["R3", "3"]),
        },
      ],
    };
    for (const style of ["english", "symbolic"] as const) {
      expect(check(P, renderProof(proof, { style }), { mode: "strict" })).toMatchObject({
        ok: true,
        height: 3,
      });
    }
    expect(checkProof(prepare(P), proof, { mode: "strict" })).toMatchObject({ ok: true, height: 3 });
  });
});

function f(s: string): Formula {
  return parseClaimOrThrow(s);
}
function j(rule: RuleName, refs: string[]): Justification {
  return {
    rule,
    terms: [],
    refs: refs.map((r): Ref => {
      if (r.startsWith("F")) return { kind: "fact", index: Number(r.slice(1)) - 1 };
      if (r.startsWith("R")) return { kind: "rule", index: Number(r.slice(1)) - 1 };
      return { kind: "line", label: r };
    }),
  };
}
