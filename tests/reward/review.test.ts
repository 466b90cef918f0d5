// Review suite for the reward path: `score` never throws and never reports `internal` on any
// JSON-shaped input, its results never depend on what its cache saw before, and OpenRLHF prompt
// stripping never lets a proof written in the prompt earn reward. Seed printed; pin with FC_SEED.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Scorer } from "../../src/reward/score.js";
import { responseOf } from "../../src/service/openrlhf.js";

const seed = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : Date.now() % 2 ** 31;
console.log(`[reward review] fast-check seed ${seed} (replay with FC_SEED=${seed})`);

const problem = {
  v: 1,
  facts: ["abcde(Alice)"],
  rules: ["abcde(Alice) -> fghij(Alice)"],
  goal: "fghij(Alice)",
};
const PROOF = "<proof>\n1. Alice is abcde. [premise F1]\n2. Alice is fghij. [apply R1 on 1]\n</proof>";

describe("score on untrusted requests", () => {
  it("never throws and never says internal, whatever JSON arrives", () => {
    const scorer = new Scorer({ cacheSize: 8 });
    const field = fc.oneof(
      fc.jsonValue(),
      fc.constantFrom(problem, JSON.stringify(problem), PROOF, "proof", "choice", "strict", "lenient"),
    );
    const request = fc.oneof(
      fc.jsonValue(),
      fc.record(
        {
          completion: fc.oneof(fc.string(), fc.constant(PROOF)),
          task: field,
          mode: field,
          lenientAnswer: field,
          answer: field,
          problem: field,
          id: fc.oneof(field, fc.constant("0123456789abcdef/1/2")),
          config: field,
        },
        { requiredKeys: [] },
      ),
    );
    fc.assert(
      fc.property(request, (req) => {
        const r = scorer.score(req);
        expect(r.code).not.toBe("internal");
        expect(r.reward === 0 || r.reward === 1).toBe(true);
      }),
      { seed, numRuns: 1500 },
    );
  });

  it("values JSON cannot carry are refused with a code, not an internal error", () => {
    const scorer = new Scorer();
    const cyclic: Record<string, unknown> = { ...problem };
    cyclic.self = cyclic;
    for (const p of [cyclic, { ...problem, v: 1n }]) {
      const r = scorer.score({ completion: PROOF, problem: p });
      expect(r.reward).toBe(0);
      expect(r.code).toBe("bad-item");
    }
    const r = scorer.score({ completion: PROOF, id: "0123456789abcdef/1/2", config: { seed: 1n } });
    expect(r.code).toBe("bad-item");
  });
});

describe("the resolved-problem cache never changes a result", () => {
  // Two problem objects that print to the same JSON but read differently: before the fix the
  // second was scored against the first one's cached resolution.
  const withUndefined = { ...problem, candidates: undefined };
  const inherited = (goal: string) =>
    Object.assign(Object.create({ goal }) as object, { v: 1, facts: problem.facts, rules: problem.rules });

  it("a problem object scores the same on a fresh scorer and after a look-alike was cached", () => {
    const order1 = new Scorer();
    const a1 = order1.score({ completion: PROOF, problem });
    const b1 = order1.score({ completion: PROOF, problem: withUndefined });
    const order2 = new Scorer();
    const b2 = order2.score({ completion: PROOF, problem: withUndefined });
    const a2 = order2.score({ completion: PROOF, problem });
    expect(a1).toEqual(a2);
    expect(b1).toEqual(b2);
    expect(a1.reward).toBe(1);
  });

  it("a cached problem is never used for another problem whose fields differ outside its JSON", () => {
    const scorer = new Scorer();
    // The wire form is the JSON text: a goal that does not print is no goal.
    expect(scorer.score({ completion: PROOF, problem: inherited("fghij(Alice)") }).reward).toBe(0);
    const other = scorer.score({ completion: PROOF, problem: inherited("zzzzz(Alice)") });
    expect(other.reward).toBe(0);
    expect(new Scorer().score({ completion: PROOF, problem: inherited("zzzzz(Alice)") })).toEqual(other);
  });
});

describe("OpenRLHF prompt stripping", () => {
  const prompt =
    "Prove fghij(Alice) from F1 abcde(Alice) and R1 abcde(Alice) -> fghij(Alice). A proof looks like\n" +
    PROOF +
    "\nYour proof:\n";
  const scorer = new Scorer();
  const reward = (query: string, p: string | undefined) =>
    scorer.score({ completion: responseOf(query, p), problem, task: "proof" }).reward;

  it("a prompt whose example proves the goal is never credited when it cannot be located", () => {
    // The decoded query differs from the prompt (whitespace cleaned up by the tokenizer), and there
    // is no chat template: the prompt's example proof must not be scored as the response.
    const decoded = prompt.replace("A proof looks like\n", "A proof looks like ") + "I do not know.";
    expect(reward(decoded, prompt)).toBe(0);
    // Still credited when the response itself is the proof (the test above is not vacuous).
    expect(reward(prompt + PROOF, prompt)).toBe(1);
  });
});
