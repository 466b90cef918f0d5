import { describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatIssue, parseLog, readLogFiles, type FitIssue } from "../../src/fit/index.js";

function issuesOf(text: string, source = "log.csv", opts = {}): readonly FitIssue[] {
  const r = parseLog(text, source, opts);
  return r.ok ? [] : r.issues;
}

describe("reading logs", () => {
  it("reads CSV with the default column names", () => {
    const r = parseLog("setting,depth,seed,step,accuracy\na,8,0,10,0.5\na,8,0,20,0.95\n", "x.csv");
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toHaveLength(2);
    expect(r.value[1]).toMatchObject({ setting: "a", depth: 8, seed: "0", x: 20, accuracy: 0.95, row: 2 });
  });

  it("reads JSONL with mapped columns and the tokens metric", () => {
    const text = [
      JSON.stringify({ level: "implication", D: 4, run: 1, tok: 100, acc: 0.2 }),
      "",
      JSON.stringify({ level: "implication", D: 4, run: 1, tok: 200, acc: 0.91 }),
    ].join("\n");
    const r = parseLog(text, "x.jsonl", {
      metric: "tokens",
      columns: { setting: "level", depth: "D", seed: "run", tokens: "tok", accuracy: "acc" },
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.map((v) => [v.setting, v.depth, v.seed, v.x, v.accuracy, v.row])).toEqual([
      ["implication", 4, "1", 100, 0.2, 1],
      ["implication", 4, "1", 200, 0.91, 3],
    ]);
  });

  it("without setting or seed columns uses one setting and one seed", () => {
    const r = parseLog("depth,step,accuracy\n8,10,0.5\n", "x.csv");
    expect(r.ok && r.value[0]).toMatchObject({ setting: "all", seed: "0" });
  });

  it("a column named by a flag must exist", () => {
    const [i] = issuesOf("depth,step,accuracy\n8,10,0.5\n", "x.csv", { columns: { setting: "level" } });
    expect(i).toMatchObject({ code: "missing-column", column: "level", source: "x.csv" });
  });

  it("names the missing required column and lists what was found", () => {
    const [i] = issuesOf("setting,depth,seed,step\na,8,0,10\n");
    expect(i?.code).toBe("missing-column");
    expect(i?.column).toBe("accuracy");
    expect(i?.message).toContain("setting, depth, seed, step");
    const [j] = issuesOf("setting,depth,seed,step,accuracy\na,8,0,10,0.5\n", "log.csv", { metric: "flops" });
    expect(j).toMatchObject({ code: "missing-column", column: "flops" });
  });

  it("reports NaN, non-numeric, empty and out-of-range cells by row and column", () => {
    const text = [
      "setting,depth,seed,step,accuracy",
      "a,8,0,10,NaN",
      "a,eight,0,20,0.5",
      "a,8,0,,0.5",
      "a,-4,0,30,0.5",
      "a,8,0,40,95",
      "a,0,0,50,0.5",
      "a,8,0,-1,0.5",
      "a,8,0,60,Infinity",
    ].join("\n");
    const got = issuesOf(text).map((i) => [i.code, i.row, i.column]);
    expect(got).toEqual([
      ["not-finite", 1, "accuracy"],
      ["non-numeric", 2, "depth"],
      ["missing-value", 3, "step"],
      ["non-positive-depth", 4, "depth"],
      ["accuracy-out-of-range", 5, "accuracy"],
      ["non-positive-depth", 6, "depth"],
      ["negative-metric", 7, "step"],
      ["not-finite", 8, "accuracy"],
    ]);
    const pct = issuesOf("depth,step,accuracy\n8,1,95\n")[0];
    expect(pct?.message).toContain("percentages");
    expect(formatIssue(issuesOf(text)[1] as FitIssue)).toBe(
      'log.csv, row 2, column "depth": non-numeric: "eight" is not a number',
    );
  });

  it("rejects JSON that is not one object per line, and JSON null as a missing value", () => {
    const bad = issuesOf('{"depth": 4, "step": 1, "accuracy": 0.5}\n{oops\n[1,2]\n', "x.jsonl");
    expect(bad.map((i) => [i.code, i.row])).toEqual([
      ["bad-json", 2],
      ["bad-json", 3],
    ]);
    const nul = issuesOf('{"depth": null, "step": 1, "accuracy": 0.5}\n', "x.jsonl");
    expect(nul[0]).toMatchObject({ code: "missing-value", column: "depth", row: 1 });
    const str = issuesOf('{"depth": "4", "step": "x", "accuracy": 0.5}\n', "x.jsonl");
    expect(str[0]).toMatchObject({ code: "non-numeric", column: "step" });
  });

  it("empty input and unreadable files are errors, not empty fits", () => {
    expect(issuesOf("setting,depth,seed,step,accuracy\n")[0]?.code).toBe("empty-log");
    expect(issuesOf("", "x.jsonl")[0]?.code).toBe("empty-log");
    const r = readLogFiles(["/nonexistent/log.csv"]);
    expect(r.ok ? null : r.issues[0].code).toBe("unreadable-file");
    const none = readLogFiles([]);
    expect(none.ok ? null : none.issues[0].code).toBe("bad-option");
  });

  it("reads several files and reports issues from all of them", () => {
    const dir = mkdtempSync(join(tmpdir(), "fitlog-"));
    writeFileSync(join(dir, "a.csv"), "depth,step,accuracy\n8,x,0.5\n");
    writeFileSync(join(dir, "b.jsonl"), '{"depth": 8, "step": 1, "accuracy": 2}\n');
    writeFileSync(join(dir, "c.csv"), "depth,step,accuracy\n8,1,0.5\n");
    const r = readLogFiles([join(dir, "a.csv"), join(dir, "b.jsonl")]);
    expect(r.ok ? [] : r.issues.map((i) => i.code)).toEqual(["non-numeric", "accuracy-out-of-range"]);
    const ok = readLogFiles([join(dir, "c.csv"), join(dir, "c.csv")]);
    expect(ok.ok && ok.value.length).toBe(2);
  });
});

describe("reading logs: untrusted input", () => {
  it("never throws, whatever the text", async () => {
    const fc = (await import("fast-check")).default;
    const { fcSeed } = await import("./helpers.js");
    const seed = fcSeed("parseLog-total");
    const cell = fc.oneof(
      fc.constantFrom("", "NaN", "-1", "0.5", "1e3", "x", '"q,"', "8"),
      fc.string({ maxLength: 6 }),
    );
    const csv = fc
      .array(fc.array(cell, { minLength: 1, maxLength: 6 }), { maxLength: 6 })
      .map((rows) => ["setting,depth,seed,step,accuracy", ...rows.map((r) => r.join(","))].join("\n"));
    fc.assert(
      fc.property(
        fc.oneof(csv, fc.string({ maxLength: 80 })),
        fc.constantFrom("a.csv", "a.jsonl"),
        (text, src) => {
          const r = parseLog(text, src);
          if (!r.ok) expect(r.issues.length).toBeGreaterThan(0);
          else for (const row of r.value) expect(Number.isFinite(row.depth) && row.depth > 0).toBe(true);
        },
      ),
      { seed, numRuns: 500 },
    );
  });
});

describe("reading logs: CSV structure", () => {
  it("reports ragged rows, unclosed quotes and duplicate headers", () => {
    const ragged = parseLog("depth,step,accuracy\n8,1\n8,2,0.5\n", "x.csv");
    expect(ragged.ok ? null : ragged.issues[0]).toMatchObject({ code: "bad-csv", row: 1 });
    const quote = parseLog('depth,step,accuracy\n8,"1,0.5\n', "x.csv");
    expect(quote.ok ? null : quote.issues[0].code).toBe("bad-csv");
    const dup = parseLog("depth,depth,step,accuracy\n8,8,1,0.5\n", "x.csv");
    expect(dup.ok ? null : dup.issues[0]).toMatchObject({ code: "bad-csv", column: "depth" });
  });

  it("accepts CRLF line ends, a byte-order mark and quoted cells", () => {
    const r = parseLog('\uFEFFsetting,depth,step,accuracy\r\n"a, b",8,1,0.5\r\n', "x.csv");
    expect(r.ok && r.value[0]).toMatchObject({ setting: "a, b", depth: 8 });
  });
});
