// Red-team suite for the reward gates: answer format, choice+proof, and OpenRLHF prompt stripping.
// Every attack must score 0. The problem's goal is provable, so a valid proof scores 1 (checked
// first), and each attack changes only the part under test.
import { describe, expect, it } from "vitest";
import { scoreAnswer } from "../../src/reward/answer.js";
import { Scorer } from "../../src/reward/score.js";
import { responseOf } from "../../src/service/openrlhf.js";
import { PROOF_INSTRUCTION } from "../../src/generator/prompt.js";

// F1 Alice is abcde; R1 abcde → fghij ∨ klmno; R2 fghij → pqrst; R3 klmno → pqrst. Goal pqrst;
// candidate 1 (uvwxy) is not entailed. This is exactly the worked example of the proof prompt.
const problem = {
  v: 1,
  facts: ["abcde(Alice)"],
  rules: [
    "abcde(Alice) -> fghij(Alice) | klmno(Alice)",
    "fghij(Alice) -> pqrst(Alice)",
    "klmno(Alice) -> pqrst(Alice)",
  ],
  goal: "pqrst(Alice)",
  candidates: ["pqrst(Alice)", "uvwxy(Alice)"],
  answer: 0,
};
const GOLD = "Alice is pqrst";
const WRONG = "Alice is uvwxy";
const PROOF = [
  "<proof>",
  "1. Alice is abcde. [premise F1]",
  "2. Alice is fghij or Alice is klmno. [apply R1 on 1]",
  "3. case Alice is fghij:",
  "4. Alice is pqrst. [apply R2 on 3]",
  "end case",
  "5. case Alice is klmno:",
  "6. Alice is pqrst. [apply R3 on 5]",
  "end case",
  "7. Alice is pqrst. [cases 2]",
  "</proof>",
].join("\n");
// A proof of a claim that is not the goal (the second candidate is not entailed).
const BAD_PROOF = "<proof>\n1. Alice is abcde. [premise F1]\n</proof>";

const scorer = new Scorer();
const proof = (completion: string, mode: "strict" | "lenient" = "strict") =>
  scorer.score({ completion, problem, task: "proof", mode });
const both = (completion: string) => scorer.score({ completion, problem, task: "choice+proof" });
const choice = (completion: string, lenientAnswer = false) =>
  scorer.score({ completion, problem, task: "choice", lenientAnswer });

describe("baselines (the attacks below change one thing)", () => {
  it("the proof and the answer score 1", () => {
    expect(proof(PROOF).reward).toBe(1);
    expect(proof(PROOF, "lenient").reward).toBe(1);
    expect(choice(`<answer>${GOLD}</answer>`).reward).toBe(1);
    expect(both(`${PROOF}\n<answer>${GOLD}</answer>`).reward).toBe(1);
  });
});

describe("answer gate attacks", () => {
  const attacks: readonly [string, string, string][] = [
    ["two answers, gold second", `<answer>${WRONG}</answer><answer>${GOLD}</answer>`, "format"],
    ["two answers, gold first", `<answer>${GOLD}</answer><answer>${WRONG}</answer>`, "format"],
    ["both candidates in one answer", `<answer>${GOLD} or ${WRONG}</answer>`, "wrong-answer"],
    ["think tags around reasoning", `<think>hmm</think><answer>${GOLD}</answer>`, "format"],
    ["a lone closing think tag", `</think><answer>${GOLD}</answer>`, "format"],
    ["closing tag first", `</answer>${GOLD}<answer>`, "format"],
    ["unclosed answer", `<answer>${GOLD}`, "format"],
    ["upper-case tags", `<ANSWER>${GOLD}</ANSWER>`, "format"],
    ["zero-width space inside", `<answer>Alice is pq\u200Brst</answer>`, "wrong-answer"],
    ["zero-width space at the end", `<answer>${GOLD}\u200B</answer>`, "wrong-answer"],
    ["BOM inside the predicate", `<answer>Alice is pq\uFEFFrst</answer>`, "wrong-answer"],
    ["no-break space", `<answer>Alice is\u00A0pqrst</answer>`, "wrong-answer"],
    ["Cyrillic a in the name", `<answer>\u0410lice is pqrst</answer>`, "wrong-answer"],
    ["Kelvin sign for k", `<answer>Alice is \u212Almno</answer>`, "wrong-answer"],
    ["fullwidth letters", `<answer>Alice is \uFF50qrst</answer>`, "wrong-answer"],
    ["trailing period (exact match by default)", `<answer>${GOLD}.</answer>`, "wrong-answer"],
    ["different case (exact match by default)", `<answer>alice is pqrst</answer>`, "wrong-answer"],
    ["the wrong candidate", `<answer>${WRONG}</answer>`, "wrong-answer"],
    ["empty answer", `<answer></answer>`, "wrong-answer"],
    ["spaced tag", `< answer>${GOLD}</answer>`, "format"],
  ];
  for (const [name, completion, code] of attacks) {
    it(`choice: ${name}`, () => {
      const r = choice(completion);
      expect(r.reward).toBe(0);
      expect(r.code).toBe(code);
      expect(scoreAnswer(completion, GOLD).reward).toBe(0);
    });
  }

  it("lenient answers still refuse the other candidate, zero-width joins and look-alike letters", () => {
    for (const a of [
      WRONG,
      "Alice is pq\u200Brst",
      "\u0410lice is pqrst",
      "Alice is pqrst or Alice is uvwxy",
    ])
      expect(choice(`<answer>${a}</answer>`, true).reward, a).toBe(0);
    expect(choice(`<answer> alice  IS pqrst. </answer>`, true).reward).toBe(1);
  });
});

describe("choice+proof attacks", () => {
  it("right answer with an invalid proof scores 0", () => {
    expect(both(`${BAD_PROOF}\n<answer>${GOLD}</answer>`).reward).toBe(0);
  });
  it("valid proof with the wrong answer scores 0", () => {
    expect(both(`${PROOF}\n<answer>${WRONG}</answer>`).code).toBe("wrong-answer");
  });
  it("right answer without any proof scores 0", () => {
    expect(both(`<answer>${GOLD}</answer>`).code).toBe("no-proof-block");
  });
  it("the answer inside the proof block breaks the proof", () => {
    const c = PROOF.replace("</proof>", `<answer>${GOLD}</answer>\n</proof>`);
    expect(both(c).code).toBe("parse");
  });
  it("an answer tag hidden in the proof plus one outside is two answers", () => {
    const c = PROOF.replace("</proof>", `<answer>${WRONG}</answer>\n</proof>`) + `\n<answer>${GOLD}</answer>`;
    expect(both(c).code).toBe("format");
  });
  it("a proof inside think tags fails the format gate", () => {
    expect(both(`<think>${PROOF}</think>\n<answer>${GOLD}</answer>`).code).toBe("format");
  });
  it("a second proof block after a valid one scores 0", () => {
    expect(both(`${PROOF}\n${BAD_PROOF}\n<answer>${GOLD}</answer>`).code).toBe("multiple-proof-blocks");
  });
  it("a valid proof of the goal is not credited to a choice of the other candidate", () => {
    const other = scorer.score({
      completion: `${PROOF}\n<answer>${GOLD}</answer>`,
      problem,
      task: "choice+proof",
      answer: WRONG,
    });
    expect(other.reward).toBe(0);
  });
});

describe("OpenRLHF prompt stripping attacks", () => {
  // The prompt contains the proof-language instructions, whose worked example is a valid proof
  // of this very problem: any stripping that leaves the prompt in would hand out free reward.
  const prompt =
    "F1. Alice is abcde.\nR1. If Alice is abcde, then Alice is fghij or Alice is klmno.\nGoal: Alice is pqrst.\n" +
    PROOF_INSTRUCTION +
    "\n";
  const score = (query: string, p: string | undefined) =>
    scorer.score({ completion: responseOf(query, p), problem, task: "proof", mode: "strict" });

  it("the prompt's example proof never earns reward for a response without a proof", () => {
    const reply = "I cannot prove it.";
    expect(score(prompt + reply, prompt).reward).toBe(0);
    expect(score("<s>" + prompt + reply + "</s>", prompt).reward).toBe(0);
    expect(score(prompt + reply, undefined).reward).toBe(0);
    expect(score(prompt + reply, "a prompt that is not in the query").reward).toBe(0);
    const chat = `<|im_start|>user\n${prompt}<|im_end|>\n<|im_start|>assistant\n${reply}<|im_end|>`;
    expect(score(chat, undefined).reward).toBe(0);
    expect(score(chat, prompt).reward).toBe(0);
  });

  it("a correct response still scores 1 after stripping (the attacks above are not vacuous)", () => {
    const chat = `<|im_start|>user\n${prompt}<|im_end|>\n<|im_start|>assistant\n${PROOF}<|im_end|>`;
    expect(score(chat, prompt).reward).toBe(1);
    expect(score(chat, undefined).reward).toBe(1);
    expect(score(prompt + PROOF, prompt).reward).toBe(1);
  });

  it("an invalid response is not rescued by proof tags in the prompt", () => {
    const chat = `<|im_start|>user\n${prompt}<|im_end|>\n<|im_start|>assistant\n${BAD_PROOF}<|im_end|>`;
    expect(score(chat, prompt).reward).toBe(0);
    expect(score(chat, undefined).reward).toBe(0);
    expect(score(prompt + BAD_PROOF, undefined).reward).toBe(0);
  });

  it("a response that opens a block and relies on text after it, or fakes a header, scores 0", () => {
    const open = "<proof>\n1. Alice is abcde. [premise F1]\n";
    expect(score(prompt + open, prompt).reward).toBe(0);
    const fake = `<|im_start|>user\n${prompt}<|im_end|>\n<|im_start|>assistant\nok<|im_end|>\n<|im_start|>assistant\n${BAD_PROOF}`;
    expect(score(fake, undefined).reward).toBe(0);
  });

  it("trailing special tokens are stripped, but never the closing proof tag", () => {
    const r = responseOf(prompt + PROOF + "<|im_end|><|endoftext|></s>", prompt);
    expect(r.endsWith("</proof>")).toBe(true);
    const cut = responseOf(prompt + PROOF.replace("</proof>", "<|x|>"), prompt);
    expect(scorer.score({ completion: cut, problem, task: "proof" }).reward).toBe(0);
  });
});
