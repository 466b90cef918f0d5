import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formulaEquals, type Formula } from "../../src/logic/formula.js";
import { parseClaimOrThrow } from "../../src/logic/english.js";
import {
  problemFromJson,
  problemFromJsonOrThrow,
  problemToJson,
  ProblemFormatError,
  type ProblemIssueCode,
} from "../../src/logic/serialize.js";
import type { Problem } from "../../src/logic/theory.js";
import { arbProblem, propertySeed } from "./arbitrary.js";

const seed = propertySeed("serialize.test.ts");
const P = parseClaimOrThrow;

function sameList(a: readonly Formula[] | undefined, b: readonly Formula[] | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.length === b.length && a.every((f, i) => formulaEquals(f, b[i] as Formula));
}
function sameProblem(a: Problem, b: Problem): boolean {
  return (
    sameList(a.theory.facts, b.theory.facts) &&
    sameList(a.theory.rules, b.theory.rules) &&
    formulaEquals(a.goal, b.goal) &&
    sameList(a.candidates, b.candidates) &&
    a.answer === b.answer
  );
}

const example: Problem = {
  theory: {
    facts: [P("Alice is abcde."), P("Alice is not fghij.")],
    rules: [P("For any person X, if X is abcde and X is not fghij, then X is klmno or X is pqrst.")],
  },
  goal: P("Alice is klmno or Alice is pqrst."),
  candidates: [P("Alice is fghij"), P("Alice is klmno or Alice is pqrst")],
  answer: 1,
};

describe("problemToJson", () => {
  it("writes the compact form in ASCII symbolic syntax", () => {
    expect(JSON.stringify(problemToJson(example))).toBe(
      JSON.stringify({
        v: 1,
        facts: ["abcde(Alice)", "~fghij(Alice)"],
        rules: ["forall X (abcde(X) & ~fghij(X) -> klmno(X) | pqrst(X))"],
        goal: "klmno(Alice) | pqrst(Alice)",
        candidates: ["fghij(Alice)", "klmno(Alice) | pqrst(Alice)"],
        answer: 1,
      }),
    );
  });
  it("omits absent optional fields", () => {
    const j = problemToJson({ theory: example.theory, goal: example.goal });
    expect(Object.keys(j)).toEqual(["v", "facts", "rules", "goal"]);
  });
});

describe("problemFromJson", () => {
  it("round-trips through JSON text (property)", () => {
    fc.assert(
      fc.property(arbProblem(), (p) => {
        const r = problemFromJson(JSON.parse(JSON.stringify(problemToJson(p))));
        return r.ok && sameProblem(r.value, p);
      }),
      { seed, numRuns: 400 },
    );
  });
  it("accepts Unicode symbolic sentences too", () => {
    const r = problemFromJson({ v: 1, facts: ["¬p(Alice)"], rules: ["∀X (p(X) → q(X))"], goal: "q(Alice)" });
    expect(r.ok).toBe(true);
  });

  const base = { v: 1, facts: ["p(Alice)"], rules: ["forall X (p(X) -> q(X))"], goal: "q(Alice)" };
  const cases: [string, unknown, ProblemIssueCode, string][] = [
    ["not an object", "p(Alice)", "type", ""],
    ["null", null, "type", ""],
    ["an array", [base], "type", ""],
    ["unknown key", { ...base, extra: 1 }, "unknown-key", "extra"],
    ["missing version", { facts: [], rules: [], goal: "p" }, "missing", "v"],
    ["wrong version", { ...base, v: 2 }, "version", "v"],
    ["version as string", { ...base, v: "1" }, "version", "v"],
    ["missing facts", { v: 1, rules: [], goal: "p" }, "missing", "facts"],
    ["missing goal", { v: 1, facts: [], rules: [] }, "missing", "goal"],
    ["facts not an array", { ...base, facts: "p(Alice)" }, "type", "facts"],
    ["a non-string fact", { ...base, facts: [1] }, "type", "facts[0]"],
    ["an unparseable rule", { ...base, rules: ["p(X) ->"] }, "parse", "rules[0]"],
    ["English instead of symbolic", { ...base, goal: "Alice is q." }, "parse", "goal"],
    ["a homoglyph", { ...base, goal: "q(\u0410lice)" }, "parse", "goal"],
    ["an open goal", { ...base, goal: "q(?X)" }, "open-formula", "goal"],
    ["an open rule", { ...base, rules: ["p(?Y) -> q(Alice)"] }, "open-formula", "rules[0]"],
    ["answer without candidates", { ...base, answer: 0 }, "answer-range", "answer"],
    ["answer out of range", { ...base, candidates: ["q(Alice)"], answer: 1 }, "answer-range", "answer"],
    ["negative answer", { ...base, candidates: ["q(Alice)"], answer: -1 }, "answer-range", "answer"],
    ["fractional answer", { ...base, candidates: ["q(Alice)"], answer: 0.5 }, "type", "answer"],
    ["answer as string", { ...base, candidates: ["q(Alice)"], answer: "0" }, "type", "answer"],
    [
      "answer not the goal",
      { ...base, candidates: ["p(Alice)", "q(Alice)"], answer: 0 },
      "answer-mismatch",
      "answer",
    ],
    ["too many candidates", { ...base, candidates: Array(65).fill("q(Alice)") }, "size", "candidates"],
    ["a sentence too long", { ...base, facts: ["p(" + "A".repeat(20_000) + ")"] }, "size", "facts[0]"],
    ["too many sentences", { ...base, facts: Array(10_001).fill("p(Alice)") }, "size", "facts"],
  ];
  it.each(cases)("rejects %s", (_name, input, code, path) => {
    const r = problemFromJson(input);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.issues[0].code).toBe(code);
      expect(r.issues[0].path).toBe(path);
      expect(r.issues[0].message.length).toBeGreaterThan(0);
    }
  });
  it("reports every issue, not only the first", () => {
    const r = problemFromJson({ v: 3, facts: [1, "p("], rules: "x", goal: "q(?X)", extra: true });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.issues.map((i) => i.code).sort()).toEqual(
        ["open-formula", "parse", "type", "type", "unknown-key", "version"].sort(),
      );
    }
  });
  it("applies custom limits; facts and rules share the sentence budget", () => {
    const two = { ...base, facts: ["p(Alice)", "p(Bob)"] };
    expect(problemFromJson(two, { maxSentences: 3 }).ok).toBe(true);
    const r = problemFromJson(two, { maxSentences: 2 });
    expect(!r.ok && r.issues[0].path).toBe("rules");
    expect(problemFromJson(base, { maxSentenceLength: 5 }).ok).toBe(false);
  });
  it("never throws on arbitrary JSON values (property)", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const r = problemFromJson(v);
        return r.ok || r.issues.length > 0;
      }),
      { seed, numRuns: 500 },
    );
    fc.assert(
      fc.property(
        fc.record(
          {
            v: fc.oneof(fc.constant(1), fc.jsonValue()),
            facts: fc.array(fc.oneof(fc.constantFrom("p(Alice)", "~q(Bob)", "p(", "p(?X)"), fc.jsonValue())),
            rules: fc.array(fc.constantFrom("forall X (p(X) -> q(X))", "->", "")),
            goal: fc.oneof(fc.constantFrom("q(Alice)", "q(X"), fc.jsonValue()),
            candidates: fc.array(fc.constantFrom("q(Alice)", "p(Bob)")),
            answer: fc.oneof(fc.integer({ min: -2, max: 5 }), fc.jsonValue()),
          },
          { requiredKeys: [] },
        ),
        (v) => {
          const r = problemFromJson(v);
          return r.ok || r.issues.length > 0;
        },
      ),
      { seed, numRuns: 1000 },
    );
  });
  it("the throwing twin throws ProblemFormatError with the issues", () => {
    expect(() => problemFromJsonOrThrow({})).toThrow(ProblemFormatError);
    expect(sameProblem(problemFromJsonOrThrow(problemToJson(example)), example)).toBe(true);
  });
});
