import { afterEach, describe, expect, it, vi } from "vitest";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import yargs from "yargs";
import { register } from "../../src/cli/fit.js";

const root = join(import.meta.dirname, "..", "..");

async function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const out = vi.spyOn(process.stdout, "write").mockImplementation((s: string | Uint8Array) => {
    stdout += String(s);
    return true;
  });
  const err = vi.spyOn(process.stderr, "write").mockImplementation((s: string | Uint8Array) => {
    stderr += String(s);
    return true;
  });
  process.exitCode = 0;
  try {
    await register(yargs(args).strict().exitProcess(false)).parseAsync();
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  const code = typeof process.exitCode === "number" ? process.exitCode : 0;
  process.exitCode = 0;
  return { code, stdout, stderr };
}

afterEach(() => {
  process.exitCode = 0;
});

describe("scalelogic fit", () => {
  it("writes table.csv, fits.csv, fit.json, plot.svg; JSON on stdout, summary on stderr", async () => {
    const out = mkdtempSync(join(tmpdir(), "fitcli-"));
    const r = await runCli([
      "fit",
      join(root, "data/fit/example-levels.jsonl"),
      "--by",
      "level",
      "--col-depth",
      "D",
      "--col-accuracy",
      "val_acc",
      "--metric",
      "tokens",
      "--interpolate",
      "--bootstrap",
      "200",
      "--predict",
      "12,16",
      "--out",
      out,
    ]);
    expect(r.stderr).toContain("implication: γ =");
    expect(r.code).toBe(0);
    for (const f of ["table.csv", "fits.csv", "fit.json", "plot.svg"])
      expect(existsSync(join(out, f))).toBe(true);
    const json = JSON.parse(r.stdout) as {
      metric: string;
      settings: Array<{ setting: string; ok: boolean }>;
    };
    expect(json.metric).toBe("tokens");
    expect(json.settings.map((s) => s.setting)).toEqual(["implication", "quantification"]);
    expect(JSON.parse(readFileSync(join(out, "fit.json"), "utf8"))).toEqual(json);
    expect(readFileSync(join(out, "plot.svg"), "utf8")).toContain("tokens to reach accuracy");
  });

  it("exits 2 naming the row and column of a bad cell", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fitcli-"));
    const log = join(dir, "bad.csv");
    writeFileSync(log, "setting,depth,seed,step,accuracy\na,8,0,10,0.5\na,-2,0,20,0.95\n");
    const r = await runCli(["fit", log, "--out", join(dir, "out")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('row 2, column "depth": non-positive-depth');
    expect(r.stdout).toBe("");
  });

  it("exits 1 when a setting cannot be fitted, still writing the others", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fitcli-"));
    const log = join(dir, "one.csv");
    writeFileSync(
      log,
      [
        "setting,depth,seed,step,accuracy",
        "a,8,0,10,0.95",
        "a,16,0,30,0.95",
        "b,8,0,10,0.95",
        "b,8,1,12,0.95",
      ].join("\n"),
    );
    const r = await runCli(["fit", log, "--out", join(dir, "out"), "--bootstrap", "0"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("b: not fitted: too-few-depths");
    expect(existsSync(join(dir, "out", "plot.svg"))).toBe(true);
  });

  it("--t-column fits T given per run", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fitcli-"));
    const log = join(dir, "t.jsonl");
    writeFileSync(
      log,
      [4, 8, 16, 32]
        .map((d) => JSON.stringify({ setting: "s", depth: d, seed: 0, T: 2 * d ** 1.5 }))
        .join("\n"),
    );
    const r = await runCli(["fit", log, "--t-column", "T", "--out", join(dir, "out")]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as { settings: Array<{ fit: { gamma: number } }> };
    expect(json.settings[0]?.fit.gamma).toBeCloseTo(1.5, 12);
  });
});
