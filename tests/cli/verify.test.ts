// `scalelogic verify` end to end through the built program (dist/): exit 0 when the proof is
// accepted, 1 when it is rejected, 2 on usage or input errors; text and JSON verdicts; stdin.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { builtCli } from "../support/built.js";

const root = resolve(import.meta.dirname, "../..");
const main = join(root, "dist/src/cli/main.js");

function cli(
  args: readonly string[],
  input?: string,
): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [main, ...args], {
    encoding: "utf8",
    cwd: root,
    ...(input === undefined ? {} : { input }),
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

// A two-step chain: F1 Alice is abcde; R1 abcde → fghij (ground); R2 ∀X fghij(X) → klmno(X).
const problem = {
  v: 1,
  facts: ["abcde(Alice)", "pqrst(Alice)"],
  rules: ["abcde(Alice) -> fghij(Alice)", "forall X (fghij(X) -> klmno(X))"],
  goal: "klmno(Alice)",
};
const strictProof =
  "Some reasoning first.\n<proof>\n1. Alice is abcde. [premise F1]\n2. Alice is fghij. [apply R1 on 1]\n3. Alice is klmno. [apply R2 with Alice on 2]\n</proof>\n";
const lenientProof = "<proof>\nAlice is abcde.\nAlice is fghij.\nklmno(Alice).\n</proof>\n";

let dir = "";
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

beforeAll(() => {
  builtCli();
  dir = mkdtempSync(join(tmpdir(), "scalelogic-verify-"));
}, 300_000);
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("scalelogic verify exit codes", () => {
  it("exits 0 and prints the verdict when the proof is accepted (strict and lenient)", () => {
    const p = file("problem.json", JSON.stringify(problem));
    const strict = cli([
      "verify",
      "--problem",
      p,
      "--proof",
      file("strict.txt", strictProof),
      "--mode",
      "strict",
    ]);
    expect(strict.stderr).toBe("");
    expect(strict.code).toBe(0);
    expect(strict.stdout).toMatch(/^accepted: height 2, /);
    const lenient = cli(["verify", "--problem", p, "--proof", file("lenient.txt", lenientProof)]);
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toMatch(/^accepted/);
  });

  it("exits 0 reading the proof from stdin and the problem from an item line", () => {
    const item = file(
      "item.jsonl",
      JSON.stringify({ id: "x", problem }) + "\n" + JSON.stringify({ id: "y" }) + "\n",
    );
    const r = cli(["verify", "--problem", item, "--proof", "-", "--json"], strictProof);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, reward: 1, height: 2, lines: 3 });
  });

  const rejects: [string, string, string, readonly string[]][] = [
    ["a wrong step", "<proof>\nAlice is abcde.\nAlice is klmno.\n</proof>", "not-an-inference", []],
    ["a proof of something else", "<proof>\nAlice is abcde.\nAlice is fghij.\n</proof>", "wrong-goal", []],
    ["no proof block", "The answer is klmno.", "no-proof-block", []],
    ["a claim that does not parse", "<proof>\nAlice is Klmno.\n</proof>", "parse", []],
    ["a missing citation in strict mode", lenientProof, "missing-justification", ["--mode", "strict"]],
  ];
  for (const [what, text, code, extra] of rejects)
    it(`exits 1 on ${what} (${code}), in text and JSON`, () => {
      const p = file("problem.json", JSON.stringify(problem));
      const proof = file(`reject-${code}.txt`, text);
      const r = cli(["verify", "--problem", p, "--proof", proof, ...extra]);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(new RegExp(`^rejected: ${code}\\b`));
      const j = cli(["verify", "--problem", p, "--proof", proof, "--json", ...extra]);
      expect(j.code).toBe(1);
      const v = JSON.parse(j.stdout) as { ok: boolean; reward: number; issues: { code: string }[] };
      expect(v.ok).toBe(false);
      expect(v.reward).toBe(0);
      expect(v.issues[0]?.code).toBe(code);
    });

  it("exits 2 on usage and input errors, with a message on stderr and nothing on stdout", () => {
    const p = file("problem.json", JSON.stringify(problem));
    const proof = file("strict.txt", strictProof);
    const cases: (readonly string[])[] = [
      ["verify", "--proof", proof], // --problem missing
      ["verify", "--problem", p], // --proof missing
      ["verify", "--problem", p, "--proof", proof, "--mode", "sloppy"],
      ["verify", "--problem", join(dir, "no-such-file.json"), "--proof", proof],
      ["verify", "--problem", p, "--proof", join(dir, "no-such-proof.txt")],
      ["verify", "--problem", file("bad.json", "{ not json"), "--proof", proof],
      [
        "verify",
        "--problem",
        file("bad-problem.json", JSON.stringify({ v: 1, facts: [] })),
        "--proof",
        proof,
      ],
      ["verify", "--problem", file("empty.json", "\n\n"), "--proof", proof],
    ];
    for (const args of cases) {
      const r = cli(args);
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(r.stderr.length).toBeGreaterThan(0);
      expect(r.stdout).not.toMatch(/^(accepted|rejected)/);
    }
  });
});
