// Answer-only scoring: parity with the paper's released reward, the lenient option, size bound,
// and a property test against an independent (split-based) oracle of the format gate.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { extractAnswer, normalizeLenient, scoreAnswer } from "../../dist/src/reward/answer.js";
import { fcParams } from "./chain.js";

interface PaperRow {
  readonly reward_model: { readonly ground_truth: readonly string[] };
}
const rows: PaperRow[] = readFileSync(
  new URL("../../../shared/reference/paper-examples.jsonl", import.meta.url),
  "utf8",
)
  .split("\n")
  .filter((l) => l.trim().length > 0)
  .map((l) => JSON.parse(l) as PaperRow);

describe("scoreAnswer on the paper's examples", () => {
  it("has the ten reference rows", () => {
    expect(rows.length).toBe(10);
  });
  for (const [i, row] of rows.entries()) {
    const gold = row.reward_model.ground_truth;
    const text = gold[0] ?? "";
    it(`row ${i}: exact answer scores 1, near misses score 0`, () => {
      expect(scoreAnswer(`Reasoning...\n<answer> ${text} </answer>`, gold)).toMatchObject({
        reward: 1,
        code: "ok",
      });
      expect(scoreAnswer(`<answer>${text}</answer>`, gold).reward).toBe(1);
      expect(scoreAnswer(`<answer> ${text}. </answer>`, gold)).toMatchObject({
        reward: 0,
        code: "wrong-answer",
      });
      expect(scoreAnswer(`<answer> ${text.toUpperCase()} </answer>`, gold).reward).toBe(0);
      expect(scoreAnswer(`<think>x</think><answer> ${text} </answer>`, gold)).toMatchObject({
        reward: 0,
        code: "format",
      });
      expect(scoreAnswer(`<answer> ${text} </answer><answer> ${text} </answer>`, gold).code).toBe("format");
      expect(scoreAnswer(`</answer> ${text} <answer>`, gold).code).toBe("format");
      expect(scoreAnswer(text, gold).code).toBe("format");
    });
  }
});

describe("format gate details", () => {
  it("rejects a lone <think> or </think>, accepts other angle brackets", () => {
    expect(scoreAnswer("</think> <answer> A </answer>", "A").code).toBe("format");
    expect(scoreAnswer("<thinking> <answer> A </answer>", "A").code).toBe("ok");
    expect(scoreAnswer("a < b <answer> A </answer> <br>", "A").code).toBe("ok");
  });
  it("a hedged answer (two candidates) is wrong, not partially right", () => {
    expect(scoreAnswer("<answer> A or B </answer>", "A").reward).toBe(0);
    expect(scoreAnswer("<answer> A\nB </answer>", "A").reward).toBe(0);
  });
  it("the span covers exactly the answer block", () => {
    const c = "xx<answer> A </answer>yy";
    const s = extractAnswer(c);
    expect(s.ok && c.slice(s.open, s.end)).toBe("<answer> A </answer>");
  });
  it("bounds the completion size", () => {
    const big = "<answer> A </answer>" + " ".repeat(2000);
    expect(scoreAnswer(big, "A", { maxChars: 1000 })).toMatchObject({ reward: 0, code: "size-limit" });
    expect(scoreAnswer(big, "A", { maxChars: 5000 }).reward).toBe(1);
  });
  it("accepts any of several gold texts", () => {
    expect(scoreAnswer("<answer> B </answer>", ["A", "B"]).reward).toBe(1);
  });
});

describe("lenient option (off by default)", () => {
  it("forgives whitespace, case and one trailing period", () => {
    const c = "<answer>  alice   IS\tabcde. </answer>";
    expect(scoreAnswer(c, "Alice is abcde").reward).toBe(0);
    expect(scoreAnswer(c, "Alice is abcde", { lenient: true })).toMatchObject({ reward: 1, code: "ok" });
  });
  it("does not forgive a different statement or a negation", () => {
    expect(
      scoreAnswer("<answer> Alice is not abcde </answer>", "Alice is abcde", { lenient: true }).reward,
    ).toBe(0);
    expect(
      scoreAnswer("<answer> Alice is abcde.. </answer>", "Alice is abcde", { lenient: true }).reward,
    ).toBe(0);
  });
  it("normalizeLenient is idempotent", () => {
    fc.assert(
      fc.property(fc.string(), (s) => normalizeLenient(normalizeLenient(s)) === normalizeLenient(s)),
      fcParams(300),
    );
  });
});

/** Independent oracle: counts by splitting, no scanning logic shared with the implementation. */
function oracle(c: string, gold: string): number {
  if (c.split("<think>").length > 1 || c.split("</think>").length > 1) return 0;
  const opens = c.split("<answer>").length - 1;
  const closes = c.split("</answer>").length - 1;
  if (opens !== 1 || closes !== 1) return 0;
  const a = c.indexOf("<answer>");
  const b = c.indexOf("</answer>");
  if (b < a) return 0;
  return c.slice(a + 8, b).trim() === gold ? 1 : 0;
}

describe("property: scoreAnswer agrees with the oracle", () => {
  it("on completions assembled from tag-like pieces", () => {
    const piece = fc.constantFrom(
      "<answer>",
      "</answer>",
      "<think>",
      "</think>",
      "<answer",
      "answer>",
      "</answer",
      "<",
      ">",
      " ",
      "\n",
      "Alice is abcde",
      "Alice is abcde.",
      "Bob",
      "x",
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (parts) => {
        const c = parts.join("");
        expect(scoreAnswer(c, "Alice is abcde").reward).toBe(oracle(c, "Alice is abcde"));
      }),
      fcParams(2000),
    );
  });
});

describe("answer stripping and lenient folding (parity details)", () => {
  const gold = "Kate is klmno";
  it("strips like Python's str.strip(): spaces, tabs, newlines and NBSP go, a BOM stays", () => {
    expect(scoreAnswer(`<answer>\t Kate is klmno\u00a0\n</answer>`, gold).reward).toBe(1);
    expect(scoreAnswer(`<answer>\uFEFFKate is klmno</answer>`, gold).reward).toBe(0);
    expect(scoreAnswer(`<answer>Kate is klmno\uFEFF</answer>`, gold).reward).toBe(0);
    expect(scoreAnswer(`<answer>\u0085Kate is klmno\u001f</answer>`, gold).reward).toBe(1);
  });
  it("lenient mode lowercases ASCII only, so look-alike letters never fold onto ASCII", () => {
    expect(scoreAnswer(`<answer>KATE IS KLMNO.</answer>`, gold, { lenient: true }).reward).toBe(1);
    expect(scoreAnswer(`<answer>Kate is \u212Almno</answer>`, gold, { lenient: true }).reward).toBe(0);
    expect(normalizeLenient("\u212A")).toBe("\u212A");
  });
});

describe("normalizeLenient is idempotent on the strings that broke it", () => {
  it.each(["a..", "a.\u2000.", "A . .", "\u3000x\u00a0.\ufeff.", "..", " . "])("%j", (s) => {
    const once = normalizeLenient(s);
    expect(normalizeLenient(once)).toBe(once);
  });
});

describe("normalizeLenient on strings made of periods, spaces and letters", () => {
  it("is idempotent (property, seed printed)", () => {
    const piece = fc.constantFrom("a", "B", " ", ".", "\u2000", "\u00a0", "\ufeff", "\t");
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (parts) => {
        const once = normalizeLenient(parts.join(""));
        return normalizeLenient(once) === once;
      }),
      fcParams(2000),
    );
  });
});
