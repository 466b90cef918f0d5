// The golden accept/reject corpus: every *.jsonl file under data/corpus, one case per line.
// Case fields: id, problem (JSON wire form), completion, mode, expect ("accept" | "reject"),
// code (for rejects: the expected first issue code), optional height (for accepts) and optional
// pad {text, times}, which replaces "{{PAD}}" in the completion (keeps huge cases out of git).
import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { problemFromJson } from "../../src/logic/serialize.js";
import { check } from "../../src/prover/check.js";
import { isIssueCode } from "../../src/prover/issue.js";

interface Case {
  id: string;
  problem: unknown;
  completion: string;
  mode: "strict" | "lenient";
  expect: "accept" | "reject";
  code?: string;
  height?: number | null;
  pad?: { text: string; times: number };
}

const dir = resolve(import.meta.dirname, "../../data/corpus");
const cases: { file: string; c: Case }[] = [];
for (const file of readdirSync(dir)
  .filter((f) => f.endsWith(".jsonl"))
  .sort()) {
  readFileSync(join(dir, file), "utf8")
    .split("\n")
    .filter((l) => l.trim().length > 0)
    .forEach((l) => cases.push({ file, c: JSON.parse(l) as Case }));
}

describe("golden corpus", () => {
  it("is well-formed: unique ids, reject cases name a known code", () => {
    expect(cases.length).toBeGreaterThan(0);
    expect(new Set(cases.map((x) => x.c.id)).size).toBe(cases.length);
    for (const { c } of cases) {
      if (c.expect === "reject") expect(isIssueCode(c.code ?? ""), c.id).toBe(true);
      expect(["strict", "lenient"]).toContain(c.mode);
    }
    const rejects = cases.filter((x) => x.c.expect === "reject").length;
    console.log(
      `corpus: ${cases.length} cases, ${rejects} must-reject (${Math.round((100 * rejects) / cases.length)} %)`,
    );
  });

  for (const { file, c } of cases) {
    it(`${file} ${c.id}: ${c.expect}${c.code === undefined ? "" : ` (${c.code})`}`, () => {
      const p = problemFromJson(c.problem);
      if (!p.ok) throw new Error(`bad problem in case ${c.id}: ${p.issues[0].message}`);
      const completion =
        c.pad === undefined ? c.completion : c.completion.replace("{{PAD}}", c.pad.text.repeat(c.pad.times));
      const r = check(p.value, completion, { mode: c.mode });
      if (c.expect === "accept") {
        expect(r.ok ? r : r.issues[0]).toMatchObject({ ok: true });
        if (r.ok && c.height !== undefined) expect(r.height).toBe(c.height);
      } else {
        expect(r.ok).toBe(false);
        if (!r.ok) expect(r.issues[0].code).toBe(c.code);
        // A reject must also lose in the other mode: strict never accepts what lenient refuses.
        if (c.mode === "lenient") expect(check(p.value, completion, { mode: "strict" }).ok).toBe(false);
      }
    });
  }
});
