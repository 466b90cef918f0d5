// `scalelogic generate` and `show` end to end through the built program (dist/, made by
// `npm test`'s build step): defaults, usage errors, shards, formats, the crash path and show.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parquetReadObjects } from "hyparquet";
import { configFromArgs, nonNegativeInt, runStem, type ConfigArgs } from "../../src/cli/generate.js";
import { defaultConfig } from "../../src/generator/config.js";
import { builtCli } from "../support/built.js";

const root = resolve(import.meta.dirname, "../..");
const main = join(root, "dist/src/cli/main.js");

function cli(args: readonly string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [main, ...args], { encoding: "utf8", cwd: root });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let dir = "";
beforeAll(() => {
  builtCli();
  dir = mkdtempSync(join(tmpdir(), "scalelogic-cli-"));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const sha = (p: string): string => createHash("sha256").update(readFileSync(p)).digest("hex");

interface Summary {
  ok: boolean;
  path: string;
  manifest: string;
  items: number;
  sha256: string;
  range: { start: number; end: number };
}

describe("scalelogic generate", () => {
  it("works with only --out: 100 JSONL items, a manifest and a JSON summary on stdout", () => {
    const out = join(dir, "defaults") + "/";
    const r = cli(["generate", "--out", out]);
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout) as Summary;
    expect(s.ok).toBe(true);
    expect(s.items).toBe(100);
    expect(s.path.startsWith(out)).toBe(true);
    expect(s.path).toMatch(/train-implication-choice-d32-seed0-n100\.jsonl$/);
    const lines = readFileSync(s.path, "utf8").trimEnd().split("\n");
    expect(lines.length).toBe(100);
    expect(sha(s.path)).toBe(s.sha256);
    const m = JSON.parse(readFileSync(s.manifest, "utf8")) as { sha256: string; counts: { items: number } };
    expect(m.sha256).toBe(s.sha256);
    expect(m.counts.items).toBe(100);
    expect(readdirSync(out).filter((n) => n.endsWith(".tmp"))).toEqual([]);
  });

  // Each spawn costs a program start-up, so most validation is checked in-process below.
  it.each([
    [["--shard", "4/4"], /--shard: shard index i must be 0…3/],
    [["--distractors", "5,1"], /--distractors/],
    [["--level", "modal"], /level/],
  ])("rejects %j with exit 2 and a message naming the flag", (extra, msg) => {
    const r = cli(["generate", "--out", join(dir, "bad") + "/", ...extra]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(msg);
    expect(existsSync(join(dir, "bad"))).toBe(false);
  });

  it("turns flags into a validated config, naming the flag in every issue", () => {
    const ok = configFromArgs({ level: "negation", depth: 5, distractors: "2", "max-premises": 2 });
    expect(ok.ok).toBe(true);
    if (ok.ok) {
      expect(ok.config.level).toBe("negation");
      expect(ok.config.depth).toBe(5);
      expect(ok.config.distractors).toEqual([2, 2]);
      expect(ok.config.maxPremises).toBe(2);
      expect(ok.config.task).toBe("choice");
    }
    const cases: [ConfigArgs, RegExp][] = [
      [{ distractors: "a,b" }, /^--distractors/],
      [{ depth: 0 }, /^--depth/],
      [{ candidates: 0 }, /^--candidates/],
      [{ "max-premises": 0 }, /^--max-premises/],
      [{ mix: "weird" }, /^--mix/],
    ];
    for (const [args, msg] of cases) {
      const r = configFromArgs(args);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.issues[0]).toMatch(msg);
    }
    expect(nonNegativeInt(-3)).toBeUndefined();
    expect(nonNegativeInt(1.5)).toBeUndefined();
    expect(nonNegativeInt(7)).toBe(7);
    expect(
      runStem(defaultConfig({ level: "disjunction", task: "choice+proof", mix: "uniform", depth: 9 }), 3, 10),
    ).toBe("train-disjunction-choice-proof-d9u-seed3-n10");
  });

  it("requires --out", () => {
    const r = cli(["generate"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/out/);
  });

  it("shards of a run concatenate to the whole run byte for byte", () => {
    const common = ["generate", "--level", "conjunction", "--depth", "4", "--count", "23", "--seed", "5"];
    const whole = cli([...common, "--out", join(dir, "sh", "whole.jsonl")]);
    expect(whole.code).toBe(0);
    const parts: Buffer[] = [];
    for (let i = 0; i < 3; i++) {
      const r = cli([...common, "--shard", `${i}/3`, "--out", join(dir, "sh") + "/"]);
      expect(r.code).toBe(0);
      const s = JSON.parse(r.stdout) as Summary;
      expect(s.path).toMatch(new RegExp(`\\.shard-${i}-of-3\\.jsonl$`));
      parts.push(readFileSync(s.path));
    }
    expect(Buffer.concat(parts).equals(readFileSync(join(dir, "sh", "whole.jsonl")))).toBe(true);
  });

  it("writes verl parquet that reads back with the item's prompt, answer and problem", async () => {
    const path = join(dir, "v.parquet");
    const r = cli([
      "generate",
      "--level",
      "negation",
      "--depth",
      "3",
      "--count",
      "7",
      "--format",
      "parquet",
      "--out",
      path,
    ]);
    expect(r.code).toBe(0);
    const j = cli([
      "generate",
      "--level",
      "negation",
      "--depth",
      "3",
      "--count",
      "7",
      "--out",
      join(dir, "v.jsonl"),
    ]);
    expect(j.code).toBe(0);
    const items = readFileSync(join(dir, "v.jsonl"), "utf8")
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as { prompt: string; answer: string; problem: unknown; id: string });
    const b = readFileSync(path);
    const rows = (await parquetReadObjects({
      file: b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength),
    })) as {
      prompt: { role: string; content: string }[];
      reward_model: { style: string; ground_truth: string };
      extra_info: { id: string; problem: string; index: bigint };
    }[];
    expect(rows.length).toBe(7);
    rows.forEach((row, i) => {
      const it = items[i];
      expect(it).toBeDefined();
      if (!it) return;
      expect(row.prompt).toEqual([{ role: "user", content: it.prompt }]);
      expect(row.reward_model).toEqual({ style: "rule", ground_truth: it.answer });
      expect(row.extra_info.id).toBe(it.id);
      expect(Number(row.extra_info.index)).toBe(i);
      expect(JSON.parse(row.extra_info.problem)).toEqual(it.problem);
    });
    // show reads a parquet row back into the same item (certificates aside, which rows omit).
    const fromParquet = cli(["show", "--file", path, "--line", "4"]);
    const fromJsonl = cli(["show", "--file", join(dir, "v.jsonl"), "--line", "4"]);
    expect(fromParquet.code).toBe(0);
    expect(fromParquet.stdout).toBe(fromJsonl.stdout);
  });

  it("writes TPTP blocks, one per item, each with axioms and a conjecture", () => {
    const path = join(dir, "t.p");
    const r = cli([
      "generate",
      "--level",
      "quantification",
      "--depth",
      "3",
      "--count",
      "4",
      "--format",
      "tptp",
      "--out",
      path,
    ]);
    expect(r.code).toBe(0);
    const blocks = readFileSync(path, "utf8").split(/^(?=% scalelogic item )/m);
    expect(blocks.length).toBe(4);
    for (const b of blocks) {
      expect(b).toMatch(/^fof\(f1, axiom, /m);
      expect(b.match(/^fof\(goal, conjecture, /gm)?.length).toBe(1);
      expect(b.match(/^% candidate \d+ entailed:/gm)?.length).toBe(1);
    }
  });

  for (const [signal, code] of [
    ["SIGTERM", 143],
    ["SIGINT", 130],
  ] as const) {
    it(`on ${signal} mid-run removes the partial output and exits ${code}`, async () => {
      const sub = mkdtempSync(join(dir, "kill-"));
      const child = spawn(
        process.execPath,
        [main, "generate", "--count", "100000000", "--out", join(sub, "big.jsonl")],
        {
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
      // Wait until the temporary file exists and has grown, i.e. the run is really under way.
      const started = await new Promise<boolean>((res) => {
        const poll = setInterval(() => {
          const tmp = readdirSync(sub).filter((n) => n.endsWith(".tmp"));
          if (tmp.length > 0 && readFileSync(join(sub, tmp[0] ?? "")).length > 0) {
            clearInterval(poll);
            res(true);
          }
        }, 20);
        child.once("exit", () => {
          clearInterval(poll);
          res(false);
        });
      });
      expect(started).toBe(true);
      const exited = new Promise<number | null>((res) => child.once("exit", (c) => res(c)));
      child.kill(signal);
      expect(await exited).toBe(code);
      expect(readdirSync(sub)).toEqual([]);
    });
  }
});

describe("scalelogic show", () => {
  it("prints prompt, candidates, answer, gold proof and the proof tree", () => {
    const r = cli(["show", "--level", "disjunction", "--depth", "3", "--seed", "1", "--index", "2"]);
    expect(r.code).toBe(0);
    for (const h of ["── prompt", "── candidates", "── answer", "── gold proof", "── proof tree"])
      expect(r.stdout).toContain(h);
    const tree = r.stdout.slice(r.stdout.indexOf("── proof tree"));
    expect(tree).toMatch(/└─ /);
    expect(tree).not.toMatch(/cannot draw/);
  });

  it("shows line K of a JSONL file exactly as the generated item K-1", () => {
    const path = join(dir, "s.jsonl");
    expect(
      cli([
        "generate",
        "--level",
        "implication",
        "--depth",
        "2",
        "--count",
        "3",
        "--seed",
        "9",
        "--out",
        path,
      ]).code,
    ).toBe(0);
    const fromFile = cli(["show", "--file", path, "--line", "3"]);
    const generated = cli(["show", "--level", "implication", "--depth", "2", "--seed", "9", "--index", "2"]);
    expect(fromFile.code).toBe(0);
    expect(fromFile.stdout).toBe(generated.stdout);
    const json = cli(["show", "--file", path, "--line", "3", "--json"]);
    expect(json.stdout).toBe(readFileSync(path, "utf8").split("\n")[2] + "\n");
  });

  it("exits 2 on a missing file, a line out of range, a non-item line and a bad index", () => {
    const path = join(dir, "s.jsonl"); // written by the test above
    const bad = join(dir, "notitem.jsonl");
    writeFileSync(bad, '{"hello": 1}\n');
    const cases: [string[], RegExp][] = [
      [["--file", "/nonexistent/x.jsonl"], /cannot read/],
      [["--file", path, "--line", "99"], /fewer than 99 lines/],
      [["--file", bad], /field "id"/],
      [["--index", "-1"], /--index/],
    ];
    for (const [args, msg] of cases) {
      const r = cli(["show", ...args]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(msg);
    }
  });
});
