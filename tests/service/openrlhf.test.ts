// OpenRLHF prompt stripping and label reading, as pure functions: the rule documented in
// docs/service.md, chat templates of common model families, and labels in every accepted form.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { responseOf, truthOfLabel } from "../../dist/src/service/openrlhf.js";
import { fcParams } from "../reward/chain.js";

const body = "Suppose we have the following facts: … Example: <answer> Alice is abcde </answer>.\n";

describe("responseOf", () => {
  it("exact prefix", () => {
    expect(responseOf(body + "my answer", body)).toBe("my answer");
  });
  it("prompt inside the query (BOS and template kept around it)", () => {
    expect(responseOf("<s>" + body + "my answer</s>", body)).toBe("my answer");
    expect(responseOf("<|begin_of_text|>" + body + "my answer<|eot_id|>", body)).toBe("my answer");
  });
  it("Qwen / ChatML template with the prompt given without special tokens", () => {
    const q = `<|im_start|>system\nYou are helpful.<|im_end|>\n<|im_start|>user\n${body}<|im_end|>\n<|im_start|>assistant\nstep 1\n<answer> X </answer><|im_end|><|endoftext|><|endoftext|>`;
    expect(responseOf(q, body)).toBe("step 1\n<answer> X </answer>");
    // The prompt exactly as the trainer rendered it (template included) strips cleanly.
    const rendered = `<|im_start|>user\n${body}<|im_end|>\n<|im_start|>assistant\n`;
    expect(responseOf(rendered + "step 1\n<answer> X </answer><|im_end|>", rendered)).toBe(
      "step 1\n<answer> X </answer>",
    );
  });
  it("falls back to the last assistant header when the prompt is not found", () => {
    const llama = `<|start_header_id|>user<|end_header_id|>\n\nQ<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\nA <answer> X </answer><|eot_id|>`;
    expect(responseOf(llama, "different text")).toBe("\nA <answer> X </answer>");
    expect(responseOf(llama, "Q")).toBe("\nA <answer> X </answer>");
    const gemma = "<start_of_turn>user\nQ<end_of_turn>\n<start_of_turn>model\nA<end_of_turn>\n<eos>";
    expect(responseOf(gemma, undefined)).toBe("A");
  });
  it("no prompt and no template: the whole query is scored", () => {
    expect(responseOf("just text", undefined)).toBe("just text");
    expect(responseOf("just text", "")).toBe("just text");
  });
  it("does not eat real text that merely ends in |>", () => {
    expect(responseOf(body + "a <|b|> c", body)).toBe("a <|b|> c");
  });
  it("property: prefix stripping returns the response unchanged", () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.string().filter((r) => !/(<\|[^<]*\|>|<\/s>|<eos>|<pad>|<end_of_turn>)\s*$/.test(r)),
        (p, r) => {
          fc.pre(p.length > 0);
          expect(responseOf(p + r, p)).toBe(r);
        },
      ),
      fcParams(500),
    );
  });
});

describe("truthOfLabel", () => {
  it("reads every accepted label form", () => {
    expect(truthOfLabel("Alice is abcde")).toEqual({ answer: "Alice is abcde" });
    expect(truthOfLabel('["Alice is abcde"]')).toEqual({ answer: ["Alice is abcde"] });
    expect(truthOfLabel(["Alice is abcde"])).toEqual({ answer: ["Alice is abcde"] });
    expect(truthOfLabel('{"problem": "{}", "task": "proof"}')).toEqual({ problem: "{}", task: "proof" });
    expect(truthOfLabel({ id: "a/1/2", config: {} })).toEqual({ id: "a/1/2", config: {} });
    expect(truthOfLabel("[not json")).toEqual({ answer: "[not json" });
  });
  it("returns nothing usable for null, numbers and empty lists", () => {
    expect(truthOfLabel(null)).toBeUndefined();
    expect(truthOfLabel(3)).toBeUndefined();
    expect(truthOfLabel([])).toBeUndefined();
    expect(truthOfLabel("[]")).toBeUndefined();
  });
});
