// Smoke tests of `scalelogic curriculum …` through the built program (dist/).
import { beforeAll, describe, expect, it } from "vitest";
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { builtCli } from "../support/built.js";

const root = resolve(import.meta.dirname, "../..");
const main = join(root, "dist/src/cli/main.js");

beforeAll(() => {
  builtCli();
});

function cli(...args: string[]): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [main, "curriculum", ...args], { encoding: "utf8", cwd: root });
}

function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split("\n")
    .filter((l) => l.trim().length > 0)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe("scalelogic curriculum simulate", () => {
  it("prints labelled JSONL on stdout and a labelled trajectory and table on stderr", () => {
    const r = cli(
      "simulate",
      "--schedule",
      "step,difficult",
      "--max-depth",
      "8",
      "--batch-size",
      "32",
      "--seeds",
      "1",
    );
    expect(r.status, r.stderr).toBe(0);
    const lines = jsonLines(r.stdout);
    expect(lines.length).toBe(4); // two runs, two summaries
    for (const l of lines) expect(l["simulated"]).toBe(true);
    const run = lines.find((l) => l["type"] === "run" && l["schedule"] === "step");
    expect(typeof run?.["stepsToTarget"]).toBe("number");
    expect(r.stderr).toMatch(/SIMULATION \(toy learner, not a real model\)/);
    expect(r.stderr).toMatch(/depth trajectory \(step→depth\): 1→6/);
  });

  it("rejects a bad schedule or band with exit code 2", () => {
    expect(cli("simulate", "--schedule", "sometimes").status).toBe(2);
    const bad = cli("simulate", "--schedule", "adaptive", "--band", "0.8,0.2");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/band/);
    expect(cli("simulate", "--learner", "genius").status).toBe(2);
  });
});

describe("scalelogic curriculum plan and replay", () => {
  it("writes batch specs and a log that replays; a tampered log fails with exit 1", () => {
    const dir = mkdtempSync(join(tmpdir(), "curriculum-cli-"));
    try {
      const out = join(dir, "specs.jsonl");
      const r = cli(
        "plan",
        "--schedule",
        "adaptive",
        "--max-depth",
        "12",
        "--batches",
        "30",
        "--batch-size",
        "16",
        "--specs-only",
        "--out",
        out,
      );
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/SIMULATION/);
      const specs = jsonLines(readFileSync(out, "utf8"));
      expect(specs.length).toBe(30);
      expect(specs.every((s) => s["feedback"] === "simulated")).toBe(true);
      const ok = cli("replay", "--log", `${out}.plan.json`);
      expect(ok.status).toBe(0);

      const log = JSON.parse(readFileSync(`${out}.plan.json`, "utf8")) as {
        history: { events: { type: string; spec?: { generatorSeed: number } }[] };
      };
      const first = log.history.events.find((e) => e.type === "next");
      if (first?.spec === undefined) throw new Error("no batch in the log");
      first.spec.generatorSeed += 1;
      writeFileSync(`${out}.plan.json`, JSON.stringify(log));
      const bad = cli("replay", "--log", `${out}.plan.json`);
      expect(bad.status).toBe(1);
      expect(bad.stderr).toMatch(/replay-mismatch/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("writes generated items tagged with their batch (static schedule: no feedback)", () => {
    const dir = mkdtempSync(join(tmpdir(), "curriculum-cli-"));
    try {
      const out = join(dir, "items.jsonl");
      const r = cli(
        "plan",
        "--schedule",
        "uniform",
        "--max-depth",
        "3",
        "--batches",
        "2",
        "--batch-size",
        "3",
        "--seed",
        "4",
        "--out",
        out,
      );
      expect(r.status, r.stderr).toBe(0);
      const items = jsonLines(readFileSync(out, "utf8"));
      expect(items.length).toBe(6);
      const depths = items.map((i) => i["depth"]);
      expect(new Set(depths)).toEqual(new Set([1, 2, 3]));
      for (const it of items) {
        expect(it["curriculum"]).toMatchObject({ schedule: "uniform", feedback: "none" });
        expect(typeof it["prompt"]).toBe("string");
      }
      // Deterministic: the same command gives the same bytes.
      const out2 = join(dir, "again.jsonl");
      cli(
        "plan",
        "--schedule",
        "uniform",
        "--max-depth",
        "3",
        "--batches",
        "2",
        "--batch-size",
        "3",
        "--seed",
        "4",
        "--out",
        out2,
      );
      expect(readFileSync(out2, "utf8")).toBe(readFileSync(out, "utf8"));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
