// Golden hashes: the JSONL bytes of fixed (config, seed, index) items are pinned in
// data/golden/items.sha256, so any change to the generator's output is a deliberate one
// (refresh with `bash data/golden/refresh.sh` in the same commit and say why).
import { describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { validateConfig } from "../../src/generator/config.js";
import { generateItem, generateItems } from "../../src/generator/index.js";
import type { Manifest } from "../../src/generator/manifest.js";
import { itemJson } from "../../src/generator/writer.js";

const file = resolve(import.meta.dirname, "../../data/golden/items.sha256");

interface Golden {
  readonly hash: string;
  readonly fields: Readonly<Record<string, string>>;
  readonly text: string;
}

function goldens(): Golden[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "" && !l.startsWith("#"))
    .map((text) => {
      const [hash = "", ...rest] = text.split(/\s+/);
      const fields = Object.fromEntries(rest.map((kv) => kv.split("=") as [string, string]));
      return { hash, fields, text };
    });
}

describe("golden item hashes", () => {
  const all = goldens();

  it("covers every level and task", () => {
    const levels = new Set(all.map((g) => g.fields["level"]));
    const tasks = new Set(all.map((g) => g.fields["task"]));
    expect([...levels].sort()).toEqual([
      "conjunction",
      "disjunction",
      "implication",
      "negation",
      "quantification",
    ]);
    expect([...tasks].sort()).toEqual(["choice", "choice+proof", "proof"]);
  });

  it.each(all.map((g) => [g.text, g] as const))("%s", (_text, g) => {
    const v = validateConfig({
      level: g.fields["level"],
      task: g.fields["task"],
      depth: Number(g.fields["depth"]),
    });
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    const item = generateItem(v.config, Number(g.fields["seed"]), Number(g.fields["index"]));
    const line = itemJson(item) + "\n";
    expect(createHash("sha256").update(line, "utf8").digest("hex")).toBe(g.hash);
  });
});

describe("shipped samples", () => {
  const samples = resolve(import.meta.dirname, "../../data/samples");
  const jsonl = readdirSync(samples).filter((n) => n.endsWith(".jsonl"));

  it("has both tasks for every level", () => {
    expect(jsonl.length).toBe(10);
  });

  it.each(jsonl)("%s is what the generator makes today, and its manifest matches", (name) => {
    const bytes = readFileSync(resolve(samples, name));
    const m = JSON.parse(readFileSync(resolve(samples, name + ".manifest.json"), "utf8")) as Manifest;
    expect(m.sha256).toBe(createHash("sha256").update(bytes).digest("hex"));
    const v = validateConfig(m.config);
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    const expected = Array.from(generateItems(v.config, m.seed, m.range.start, m.range.end - m.range.start))
      .map((it) => itemJson(it) + "\n")
      .join("");
    expect(bytes.toString("utf8")).toBe(expected);
  });
});
