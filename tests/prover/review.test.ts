// Review suite for the trusted path: `check` never throws on untrusted text and never accepts a
// proof of a goal the theory does not entail. Random completions are drawn from arbitrary strings
// and from a grammar of proof-language fragments over the problem's own vocabulary (every rule
// name, case/assume blocks, labels, in- and out-of-range citations). Seed printed; pin with FC_SEED.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { parseClaim } from "../../src/logic/english.js";
import { problemFromJsonOrThrow } from "../../src/logic/serialize.js";
import { check, prepare } from "../../src/prover/check.js";
import { entails } from "../../src/prover/decide.js";
import { groundOrThrow, literalCode } from "../../src/prover/ground.js";
import { RULE_NAMES } from "../../src/prover/kernel.js";

const seed = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : Date.now() % 2 ** 31;
console.log(`[prover review] fast-check seed ${seed} (replay with FC_SEED=${seed})`);

// abcde(Alice); abcde → fghij ∨ klmno; fghij → pqrst; ∀X (klmno(X) ∧ ¬uvwxy(X) → pqrst(X)).
// pqrst(Alice) is not entailed (Alice may be klmno and uvwxy), and neither is any claim about Bob.
const problem = problemFromJsonOrThrow({
  v: 1,
  facts: ["abcde(Alice)", "~zzzzz(Bob)"],
  rules: [
    "abcde(Alice) -> fghij(Alice) | klmno(Alice)",
    "fghij(Alice) -> pqrst(Alice)",
    "forall X (klmno(X) & ~uvwxy(X) -> pqrst(X))",
  ],
  goal: "pqrst(Alice)",
});
const prepared = prepare(problem);

it("the fixture's goal is not entailed (so every accept below would be a false reward)", () => {
  const g = groundOrThrow(problem.theory, [problem.goal]);
  expect(entails(g, literalCode(g, problem.goal))).toBe(false);
  const f = parseClaim("Alice is fghij or Alice is klmno");
  expect(f.ok).toBe(true);
});

const claims = [
  "Alice is abcde",
  "Alice is pqrst",
  "Alice is fghij",
  "Alice is klmno",
  "Alice is not uvwxy",
  "Alice is uvwxy",
  "Bob is pqrst",
  "Bob is zzzzz",
  "Bob is not zzzzz",
  "Alice is fghij or Alice is klmno",
  "Alice is klmno and Alice is not uvwxy",
  "Contradiction",
  "pqrst(Alice)",
  "~pqrst(Alice)",
  "fghij(Alice) | klmno(Alice)",
  "forall X (klmno(X) & ~uvwxy(X) -> pqrst(X))",
  "If Alice is fghij, then Alice is pqrst",
  "pqrst(?X)",
  "false",
];
const refs = ["1", "2", "3", "4", "5", "6", "7", "F1", "F2", "F3", "R1", "R2", "R3", "R4", "F0", "L2", "0"];
const rule = fc.constantFrom(...RULE_NAMES, "case", "apply R3 with Alice on", "apply R3 with Bob on");
const justification = fc
  .tuple(rule, fc.array(fc.constantFrom(...refs), { maxLength: 3 }))
  .map(([r, rs]) => ` [${r} ${rs.join(", ")}]`);
const line = fc.oneof(
  fc
    .tuple(fc.nat({ max: 9 }), fc.constantFrom(...claims), fc.option(justification, { nil: "" }))
    .map(([n, c, j]) => `${n}. ${c}.${j}`),
  fc.tuple(fc.nat({ max: 9 }), fc.constantFrom(...claims)).map(([n, c]) => `${n}. case ${c}:`),
  fc.tuple(fc.nat({ max: 9 }), fc.constantFrom(...claims)).map(([n, c]) => `${n}. assume ${c}:`),
  fc.constantFrom("end case", "end assume", "Alice is pqrst.", "Alice is pqrst. [cases 2]"),
);
const proofText = fc
  .array(line, { minLength: 1, maxLength: 14 })
  .map((ls) => `<proof>\n${ls.join("\n")}\n</proof>`);

describe("check on untrusted completions", () => {
  it("never throws and never accepts a proof of a non-entailed goal (grammar fragments)", () => {
    fc.assert(
      fc.property(proofText, fc.constantFrom("strict", "lenient"), (text, mode) => {
        const r = check(prepared, text, { mode });
        expect(r.reward).toBe(r.ok ? 1 : 0);
        expect(r.ok).toBe(false);
      }),
      { seed, numRuns: 4000 },
    );
  });

  it("the grammar's fragments reach the kernel and its goal check, not only the reader", () => {
    // A coverage check of the generator above, so on a fixed seed: about 1 in 1,000 fragments ends
    // at the goal check, and a 4,000-run sample under some time-based seeds had none.
    const codes = new Set<string>();
    for (const [text, mode] of fc.sample(fc.tuple(proofText, fc.constantFrom("strict", "lenient")), {
      seed: 20261122,
      numRuns: 4000,
    })) {
      const r = check(prepared, text, { mode });
      if (!r.ok) codes.add(r.issues[0].code);
    }
    expect(codes).toContain("not-an-inference");
    expect(codes).toContain("wrong-goal");
  });

  it("never throws on arbitrary strings, inside or outside a proof block", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string({ unit: "binary" }),
          fc.string({ unit: "grapheme" }).map((s) => `<proof>\n${s}\n</proof>`),
        ),
        fc.constantFrom("strict", "lenient"),
        (text, mode) => {
          const r = check(prepared, text, { mode });
          expect(r.ok).toBe(false);
        },
      ),
      { seed, numRuns: 2000 },
    );
  });
});
