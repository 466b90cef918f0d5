// score(): every task format on synthetic chain problems, stable codes for every failure, the
// ground-truth forms (answer, wire problem, item id), and determinism across scorers and caches.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Scorer, parseItemId, score } from "../../dist/src/reward/score.js";
import { generateItem } from "../../dist/src/generator/index.js";
import { defaultConfig } from "../../dist/src/generator/config.js";
import { chain, fcParams } from "./chain.js";

const c5 = chain(5);

describe("proof task", () => {
  it("accepts the gold proof in strict and lenient mode", () => {
    const r = score({ completion: c5.proof, problem: c5.wire, task: "proof" });
    expect(r).toMatchObject({ reward: 1, score: 1, code: "ok", steps: 6, proofLines: 6, height: 5 });
    expect(score({ completion: c5.proof, problem: c5.wire, task: "proof", mode: "lenient" }).reward).toBe(1);
  });
  it("strict mode needs citations, lenient mode finds them", () => {
    const bare = c5.proof.replace(/ \[[^\]]*\]/g, "");
    expect(score({ completion: bare, problem: c5.wire, task: "proof" })).toMatchObject({
      reward: 0,
      code: "missing-justification",
      firstFailingLine: 2,
    });
    expect(score({ completion: bare, problem: c5.wire, task: "proof", mode: "lenient" }).reward).toBe(1);
  });
  it("defaults to the proof task for a wire problem", () => {
    expect(score({ completion: c5.proof, problem: c5.wire }).code).toBe("ok");
  });
  it("accepts the problem as JSON text", () => {
    expect(score({ completion: c5.proof, problem: JSON.stringify(c5.wire) }).reward).toBe(1);
  });
  it("reports the checker's codes and first failing line", () => {
    const wrongRule = c5.proof.replace("[apply R3 3]", "[apply R4 3]");
    expect(score({ completion: wrongRule, problem: c5.wire })).toMatchObject({
      reward: 0,
      code: "not-an-inference",
    });
    expect(score({ completion: "no proof here", problem: c5.wire })).toMatchObject({
      reward: 0,
      code: "no-proof-block",
    });
    const short = "<proof>\n" + c5.lines.slice(0, 3).join("\n") + "\n</proof>";
    expect(score({ completion: short, problem: c5.wire })).toMatchObject({ reward: 0, code: "wrong-goal" });
  });
  it("property: deleting any one line of a strict chain proof loses the reward", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.nat(), (depth, k) => {
        const c = chain(depth, depth);
        const drop = k % c.lines.length;
        const lines = c.lines.filter((_, i) => i !== drop);
        const r = score({ completion: "<proof>\n" + lines.join("\n") + "\n</proof>", problem: c.wire });
        expect(r.reward).toBe(0);
        expect(r.code).not.toBe("ok");
        expect(score({ completion: c.proof, problem: c.wire }).reward).toBe(1);
      }),
      fcParams(60),
    );
  });
  it("a proof built to make lenient search expensive gets 0 with a code, quickly", () => {
    // Many uncited claims of literals the theory never derives: each one sends the search hunting.
    const c = chain(40, 7);
    const junk = Array.from({ length: 1500 }, (_, i) => `${i + 1}. Alice is ${c.wrongText.slice(9)}.`);
    const r = score({
      completion: "<proof>\n" + junk.join("\n") + "\n</proof>",
      problem: c.wire,
      mode: "lenient",
    });
    expect(r.reward).toBe(0);
    expect(["not-an-inference", "budget", "size-limit"]).toContain(r.code);
  });
});

describe("choice and choice+proof tasks", () => {
  it("choice reads the gold text from the wire problem's answer index", () => {
    expect(
      score({ completion: `<answer> ${c5.goldText} </answer>`, problem: c5.wire, task: "choice" }).reward,
    ).toBe(1);
    expect(
      score({ completion: `<answer> ${c5.wrongText} </answer>`, problem: c5.wire, task: "choice" }).code,
    ).toBe("wrong-answer");
  });
  it("choice with only the gold text", () => {
    expect(score({ completion: "<answer> Alice is abcde </answer>", answer: "Alice is abcde" }).reward).toBe(
      1,
    );
    expect(
      score({
        completion: "<answer> alice is abcde </answer>",
        answer: "Alice is abcde",
        lenientAnswer: true,
      }).reward,
    ).toBe(1);
  });
  it("choice+proof needs both the right answer and a valid proof", () => {
    const right = `<answer> ${c5.goldText} </answer>\n${c5.proof}`;
    expect(score({ completion: right, problem: c5.wire, task: "choice+proof" })).toMatchObject({
      reward: 1,
      answer: c5.goldText,
    });
    const wrongAnswer = `<answer> ${c5.wrongText} </answer>\n${c5.proof}`;
    expect(score({ completion: wrongAnswer, problem: c5.wire, task: "choice+proof" }).code).toBe(
      "wrong-answer",
    );
    const badProof = `<answer> ${c5.goldText} </answer>\n${c5.proof.replace("[apply R2 2]", "[apply R2 1]")}`;
    expect(score({ completion: badProof, problem: c5.wire, task: "choice+proof" }).reward).toBe(0);
    expect(score({ completion: c5.proof, problem: c5.wire, task: "choice+proof" }).code).toBe("format");
  });
});

describe("bad input never throws and gets a stable code", () => {
  const cases: Array<[string, unknown, string]> = [
    ["not an object", 42, "bad-request"],
    ["null", null, "bad-request"],
    ["missing completion", { answer: "A" }, "bad-request"],
    ["completion not a string", { completion: ["x"], answer: "A" }, "bad-request"],
    ["no ground truth", { completion: "x" }, "bad-request"],
    ["bad task", { completion: "x", answer: "A", task: "essay" }, "bad-request"],
    ["bad mode", { completion: "x", problem: c5.wire, mode: "loose" }, "bad-request"],
    ["answer wrong type", { completion: "x", answer: 3 }, "bad-request"],
    ["problem not JSON", { completion: "x", problem: "{nope" }, "bad-item"],
    ["problem wrong shape", { completion: "x", problem: { v: 2 } }, "bad-item"],
    ["problem with garbage formula", { completion: "x", problem: { ...c5.wire, goal: "((((" } }, "bad-item"],
    ["malformed item id", { completion: "x", id: "nope", config: {} }, "bad-item"],
    [
      "choice without gold",
      {
        completion: "<answer> A </answer>",
        problem: { ...c5.wire, answer: undefined, candidates: undefined },
        task: "choice",
      },
      "bad-item",
    ],
  ];
  for (const [name, input, code] of cases) {
    it(name, () => {
      const r = score(input as Record<string, unknown>);
      expect(r.reward).toBe(0);
      expect(r.code).toBe(code);
      expect(typeof r.message).toBe("string");
    });
  }
  it("an unknown item id is bad-item", () => {
    const r = score({
      completion: "x",
      id: "0123456789abcdef/1/2",
      config: { level: "implication", depth: 3 },
    });
    expect(r.reward).toBe(0);
    expect(r.code).toBe("bad-item");
    expect(r.message).toMatch(/hash/);
  });
  it("oversized completions get size-limit", () => {
    const s = new Scorer({ maxCompletionChars: 100 });
    expect(s.score({ completion: "x".repeat(101), answer: "A" }).code).toBe("size-limit");
  });
  it("parseItemId reads configHash/seed/index", () => {
    expect(parseItemId("0123456789abcdef/7/42")).toEqual({ hash: "0123456789abcdef", seed: 7, index: 42 });
    expect(parseItemId("0123456789abcdef/7")).toBeUndefined();
    expect(parseItemId("XYZ/7/1")).toBeUndefined();
  });
});

describe("determinism", () => {
  it("property: same request, same result, whatever the scorer and cache state", () => {
    const chains = [chain(3, 1), chain(8, 2), chain(1, 3)];
    const fresh = new Scorer({ cacheSize: 0 });
    const warm = new Scorer({ cacheSize: 2 });
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            which: fc.nat({ max: 2 }),
            cut: fc.nat({ max: 10 }),
            mode: fc.constantFrom("strict", "lenient"),
          }),
          { minLength: 1, maxLength: 20 },
        ),
        (reqs) => {
          for (const q of reqs) {
            const c = chains[q.which] ?? c5;
            const lines = c.lines.slice(0, c.lines.length - (q.cut % 2 === 0 ? 0 : 1));
            const req = {
              completion: "<proof>\n" + lines.join("\n") + "\n</proof>",
              problem: c.wire,
              mode: q.mode,
            };
            expect(warm.score(req)).toEqual(fresh.score(req));
          }
        },
      ),
      fcParams(100),
    );
    expect(warm.cacheStats.hits).toBeGreaterThan(0);
  });
});

describe("generated items (every level)", () => {
  const levels = ["implication", "conjunction", "negation", "disjunction", "quantification"] as const;
  it("the gold text read from the wire form is the generator's answer; other candidates score 0", () => {
    for (const level of levels) {
      for (let i = 0; i < 8; i++) {
        const item = generateItem(defaultConfig({ level, depth: 1 + i, task: "choice" }), 11, i);
        expect(
          score({ completion: `<answer> ${item.answer} </answer>`, problem: item.problem, task: "choice" })
            .reward,
        ).toBe(1);
        for (const c of item.candidates) {
          if (c === item.answer) continue;
          expect(
            score({ completion: `<answer> ${c} </answer>`, problem: item.problem, task: "choice" }).code,
          ).toBe("wrong-answer");
        }
      }
    }
  });
  it("regenerated by id: gold completions score 1 for every task, a truncated proof scores 0", () => {
    for (const level of levels) {
      for (const task of ["choice", "proof", "choice+proof"] as const) {
        const config = defaultConfig({ level, depth: 4, task });
        const item = generateItem(config, 3, 2);
        const proof = `<proof>\n${item.goldProof}\n</proof>`;
        const answer = `<answer> ${item.answer} </answer>`;
        const gold = task === "choice" ? answer : task === "proof" ? proof : `${answer}\n${proof}`;
        expect(score({ completion: gold, id: item.id, config })).toMatchObject({ reward: 1, code: "ok" });
        if (task !== "choice") {
          const cut = item.goldProof.split("\n").slice(0, -1).join("\n");
          const bad = task === "proof" ? `<proof>\n${cut}\n</proof>` : `${answer}\n<proof>\n${cut}\n</proof>`;
          expect(score({ completion: bad, id: item.id, config }).reward).toBe(0);
        }
        // A config that does not hash to the id is refused, even right after the id was cached.
        const other = defaultConfig({ level, depth: 5, task });
        expect(score({ completion: gold, id: item.id, config: other }).code).toBe("bad-item");
      }
    }
  });
});
