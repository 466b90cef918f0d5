// Cross-check of generated labels with an independent first-order prover (Debian's eprover, on the
// TPTP export): for a small sample per level, the gold candidate is a theorem, every other candidate
// is not (CounterSatisfiable), and the axioms are satisfiable. Skipped when eprover is absent.
import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { problemToTptp } from "../../src/logic/tptp.js";
import { problemFromJsonOrThrow } from "../../src/logic/serialize.js";
import { defaultConfig, LEVELS } from "../../src/generator/config.js";
import { generateItem } from "../../src/generator/index.js";

const EPROVER = "/usr/bin/eprover";
const have = existsSync(EPROVER);

function status(tptp: string, dir: string): string {
  const file = join(dir, "p.p");
  writeFileSync(file, tptp);
  let out: string;
  try {
    out = execFileSync(EPROVER, ["--auto", "-s", "--cpu-limit=20", file], { encoding: "utf8" });
  } catch (e) {
    // eprover exits non-zero for some verdicts; its stdout still carries the SZS status.
    out = String((e as { stdout?: unknown }).stdout ?? "");
  }
  return /SZS status (\w+)/.exec(out)?.[1] ?? "none";
}

describe.skipIf(!have)("eprover cross-check (TPTP export)", () => {
  it.each(LEVELS.map((l) => [l]))(
    "%s: gold is a theorem, others countersatisfiable, axioms satisfiable",
    (level) => {
      const dir = mkdtempSync(join(tmpdir(), "scalelogic-eprover-"));
      try {
        for (const [seed, depth] of [
          [11, 3],
          [12, 7],
        ] as const) {
          const item = generateItem(defaultConfig({ level, depth }), seed, 0);
          const problem = problemFromJsonOrThrow(item.problem);
          const candidates = problem.candidates ?? [];
          expect(status(problemToTptp(problem, { purpose: "consistency" }), dir)).toBe("Satisfiable");
          candidates.forEach((c, i) => {
            const s = status(problemToTptp({ ...problem, goal: c }), dir);
            expect(s, `${item.id} candidate ${i + 1}`).toBe(
              i === problem.answer ? "Theorem" : "CounterSatisfiable",
            );
          });
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
