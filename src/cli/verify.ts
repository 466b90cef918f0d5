/**
 * `scalelogic verify --problem FILE --proof FILE|- [--mode strict|lenient] [--json]`: checks one
 * written proof against one problem. Exit codes: 0 accepted, 1 rejected, 2 usage or input error.
 *
 * The problem file holds the JSON wire form, or a generated item (one JSON line, or the first line
 * of a JSONL file) carrying it under a `problem` key.
 */
import { readFileSync } from "node:fs";
import type { Argv } from "yargs";
import { problemFromJson } from "../logic/serialize.js";
import type { Problem } from "../logic/theory.js";
import { check, type CheckResult } from "../prover/check.js";

/** Reads a problem from the text of a problem file; returns an error message on bad input. */
export function problemFromText(text: string): Problem | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    const first = text.split("\n").find((l) => l.trim().length > 0);
    if (first === undefined) return "the problem file is empty";
    try {
      value = JSON.parse(first);
    } catch (e) {
      return `the problem file is not JSON: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
  if (typeof value === "object" && value !== null && !Array.isArray(value) && "problem" in value) {
    value = (value as { problem: unknown }).problem;
    if (typeof value === "string") {
      try {
        value = JSON.parse(value);
      } catch {
        return "the item's `problem` string is not JSON";
      }
    }
  }
  const r = problemFromJson(value);
  if (!r.ok) return r.issues.map((i) => `${i.path || "problem"}: ${i.message}`).join("; ");
  return r.value;
}

/** One human-readable line for a verdict. */
export function describeVerdict(r: CheckResult): string {
  if (r.ok) {
    const h = r.height === null ? "no depth claim (uses reductio)" : `height ${r.height}`;
    return `accepted: ${h}, ${r.steps} kernel steps, ${r.lines} lines`;
  }
  const i = r.issues[0];
  return `rejected: ${i.code}${i.line === undefined ? "" : ` at line ${i.line}`}: ${i.message}`;
}

function readInput(path: string): string {
  return path === "-" ? readFileSync(0, "utf8") : readFileSync(path, "utf8");
}

interface VerifyArgs {
  readonly problem: string;
  readonly proof: string;
  readonly mode: string;
  readonly json: boolean;
}

/** Adds the `verify` command to the program. */
export function register(y: Argv): Argv {
  return y.command(
    "verify",
    "verify a written proof against a problem (exit 0 accepted, 1 rejected, 2 usage/input error)",
    (a) =>
      a
        .option("problem", {
          type: "string",
          demandOption: true,
          describe: "problem JSON (wire form or item line)",
        })
        .option("proof", {
          type: "string",
          demandOption: true,
          // nargs keeps yargs from reading a lone "-" (stdin) as an unknown positional argument.
          nargs: 1,
          describe: "completion text file, or - for stdin",
        })
        .option("mode", { type: "string", choices: ["strict", "lenient"], default: "lenient" })
        .option("json", { type: "boolean", default: false, describe: "print the verdict as JSON" }),
    (argv) => {
      const args = argv as unknown as VerifyArgs;
      let problemText: string;
      let completion: string;
      try {
        problemText = readInput(args.problem);
        completion = readInput(args.proof);
      } catch (e) {
        process.stderr.write(`scalelogic verify: ${e instanceof Error ? e.message : String(e)}\n`);
        process.exit(2);
      }
      const problem = problemFromText(problemText);
      if (typeof problem === "string") {
        process.stderr.write(`scalelogic verify: bad problem: ${problem}\n`);
        process.exit(2);
      }
      const mode = args.mode === "strict" ? "strict" : "lenient";
      const r = check(problem, completion, { mode });
      process.stdout.write((args.json ? JSON.stringify(r) : describeVerdict(r)) + "\n");
      process.exit(r.ok ? 0 : 1);
    },
  );
}
