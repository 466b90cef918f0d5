// The golden corpus' composition: the bar issue 2 sets (size, share of must-reject cases) and the
// coverage the corpus promises (every issue code the language can produce, every rule accepted and
// rejected in strict mode, look-alike and invisible characters, a multi-megabyte block). The
// verdicts themselves are checked by corpus.test.ts; this file only guards against the corpus
// silently shrinking or losing a category when someone edits or drops a file.
import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { ISSUE_CODES } from "../../src/prover/issue.js";

interface Case {
  id: string;
  completion: string;
  mode: "strict" | "lenient";
  expect: "accept" | "reject";
  code?: string;
  height?: number | null;
  pad?: { text: string; times: number };
}

const dir = resolve(import.meta.dirname, "../../data/corpus");
const byFile = new Map<string, Case[]>();
for (const file of readdirSync(dir)
  .filter((f) => f.endsWith(".jsonl"))
  .sort()) {
  const lines = readFileSync(join(dir, file), "utf8")
    .split("\n")
    .filter((l) => l.trim().length > 0);
  byFile.set(
    file,
    lines.map((l) => JSON.parse(l) as Case),
  );
}
const all = [...byFile.values()].flat();
const rejects = all.filter((c) => c.expect === "reject");

/** The completion as the checker sees it (pad expanded), measured in UTF-8 bytes. */
function expandedBytes(c: Case): number {
  const base = Buffer.byteLength(c.completion, "utf8");
  if (c.pad === undefined) return base;
  return base - Buffer.byteLength("{{PAD}}", "utf8") + c.pad.times * Buffer.byteLength(c.pad.text, "utf8");
}

// The rule names of docs/proof-language.md, as they appear in a justification.
const RULES = [
  "premise",
  "apply",
  "and-intro",
  "and-elim",
  "or-intro",
  "elim",
  "cases",
  "contradiction",
  "ex-falso",
  "reductio",
] as const;

/** Whether a completion cites `rule` in some justification (`[elim 3, F2]`, `[Apply R1]`). */
function cites(completion: string, rule: string): boolean {
  const lower = completion.toLowerCase();
  return lower.includes(`[${rule} `) || lower.includes(`[${rule}]`);
}

describe("golden corpus composition", () => {
  it("meets the size bar: at least 150 cases, at least 40 % must-reject", () => {
    console.log(
      `corpus composition: ${all.length} cases, ${rejects.length} must-reject; ` +
        [...byFile].map(([f, cs]) => `${f} ${cs.length}`).join(", "),
    );
    expect(all.length).toBeGreaterThanOrEqual(150);
    expect(rejects.length / all.length).toBeGreaterThanOrEqual(0.4);
  });

  it("expects every issue code the checker can give on a fixed input, except the search budget", () => {
    const expected = new Set(rejects.map((c) => c.code));
    const missing = ISSUE_CODES.filter((code) => code !== "budget" && !expected.has(code));
    expect(missing).toEqual([]);
  });

  it("accepts and rejects each rule in strict mode, and has lenient cases both ways", () => {
    for (const rule of RULES) {
      const strict = all.filter((c) => c.mode === "strict" && cites(c.completion, rule));
      expect(
        strict.some((c) => c.expect === "accept"),
        `strict accept citing ${rule}`,
      ).toBe(true);
      expect(
        strict.some((c) => c.expect === "reject"),
        `strict reject citing ${rule}`,
      ).toBe(true);
    }
    for (const verdict of ["accept", "reject"] as const) {
      expect(all.some((c) => c.mode === "lenient" && c.expect === verdict)).toBe(true);
    }
  });

  it("has look-alike and invisible characters rejected as parse errors", () => {
    // Cyrillic а and А, Greek ο, zero-width space, BOM, word joiner.
    for (const ch of ["\u0430", "\u0410", "\u03bf", "\u200b", "\ufeff", "\u2060"]) {
      const hit = rejects.some((c) => c.code === "parse" && c.completion.includes(ch));
      expect(hit, `U+${ch.codePointAt(0)?.toString(16).toUpperCase() ?? "?"}`).toBe(true);
    }
  });

  it("has a block of at least 5 MB that is refused by size", () => {
    const big = rejects.filter((c) => c.code === "size-limit" && expandedBytes(c) >= 5_000_000);
    expect(big.length).toBeGreaterThan(0);
    // Padded cases keep the repository small: no committed line is itself huge.
    for (const c of all) expect(c.completion.length, c.id).toBeLessThan(20_000);
  });

  it("gives the expected height of every accept outside core.jsonl", () => {
    for (const [file, cs] of byFile) {
      if (file === "core.jsonl") continue;
      for (const c of cs.filter((x) => x.expect === "accept")) {
        expect(c.height === null || typeof c.height === "number", `${file} ${c.id}`).toBe(true);
      }
    }
  });
});
