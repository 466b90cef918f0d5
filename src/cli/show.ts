/**
 * `scalelogic show`: print one item readably — prompt, candidates, answer, the gold proof, and the
 * proof as an indented tree (each claim above the lines, facts and sub-proofs it rests on).
 *
 * The item comes either from the generator (config flags, `--seed`, `--index`) or from a dataset
 * file (`--file` with `--line`, 1-based; JSONL, or a `.parquet` file in verl's layout, as written
 * by `generate`). Exit codes: 0 shown,
 * 2 usage error or unreadable input, 1 generation failed.
 */
import type { Argv } from "yargs";
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { printEnglish, printSymbolic, parseClaim, type Formula } from "../logic/index.js";
import { problemFromJson } from "../logic/serialize.js";
import { readProof } from "../prover/reader.js";
import type { Item as ProofItem, Justification, Ref } from "../prover/proof.js";
import { refText } from "../prover/proof.js";
import { generateItem } from "../generator/index.js";
import { itemJson, type DatasetItem } from "../generator/writer.js";
import type { VerlRow } from "../generator/writerparquet.js";
import { asyncBufferFromFile, parquetReadObjects } from "hyparquet";
import { configFromArgs, configOptions, nonNegativeInt, usageError, type ConfigArgs } from "./generate.js";

// Gold proofs are ours and small; the limits only keep a corrupt file from running away.
const showLimits = {
  maxBytes: 16 * 1024 * 1024,
  maxCompletionChars: 16 * 1024 * 1024,
  maxLines: 200_000,
  maxFormulaSize: 100_000,
  maxNesting: 10_000,
};

function claimText(f: Formula): string {
  return printEnglish(f, { period: false }) ?? printSymbolic(f);
}

// Written the way the proof language writes it: `[apply R3 with Bob on 1, 2]`, `[elim 9, 8]`.
function justificationText(j: Justification | undefined): string {
  if (j === undefined) return "";
  const terms = j.terms.length > 0 ? ` with ${j.terms.join(", ")}` : "";
  if (j.rule === "apply" && j.refs.length > 0) {
    const [rule, ...premises] = j.refs.map(refText);
    return `  [apply ${rule ?? ""}${terms}${premises.length > 0 ? " on " + premises.join(", ") : ""}]`;
  }
  const refs = j.refs.map(refText).join(", ");
  return `  [${j.rule}${terms}${refs.length > 0 ? " " + refs : ""}]`;
}

/**
 * The gold proof as an indented tree: the last top-level claim is the root and each node's
 * children are the lines and facts its justification cites (rules appear inside the brackets).
 * A line cited twice is drawn once and referred to afterwards ("see line N"), so shared
 * sub-proofs stay visible as shared. Returns the problem's message when the proof does not read.
 */
export function proofTree(goldProof: string, facts: readonly Formula[] = []): string[] {
  const text = goldProof.includes("<proof>")
    ? goldProof.slice(goldProof.indexOf("<proof>") + 7, goldProof.lastIndexOf("</proof>"))
    : goldProof;
  const r = readProof({ text, firstLine: 1 }, parseClaim, showLimits);
  if (!r.ok) return [`(cannot draw the tree: ${r.issues[0].message})`];
  const byLabel = new Map<string, ProofItem>();
  // The case blocks a `cases` line closes are the ones right before it in the same list.
  const casesBefore = new Map<ProofItem, ProofItem[]>();
  const index = (items: readonly ProofItem[]): void => {
    items.forEach((it, i) => {
      if (it.label !== undefined) byLabel.set(it.label, it);
      if (it.kind !== "claim") index(it.body);
      else if (it.justification?.rule === "cases") {
        const blocks: ProofItem[] = [];
        for (let k = i - 1; k >= 0 && items[k]?.kind === "case"; k--) blocks.unshift(items[k] as ProofItem);
        casesBefore.set(it, blocks);
      }
    });
  };
  index(r.proof.items);
  const top = r.proof.items;
  const root = top[top.length - 1];
  if (root === undefined) return ["(empty proof)"];

  const out: string[] = [];
  const drawn = new Set<ProofItem>();
  const label = (it: ProofItem): string => (it.label !== undefined ? `${it.label}. ` : "");

  const draw = (it: ProofItem, prefix: string, childPrefix: string): void => {
    if (drawn.has(it)) {
      // Inside a sub-proof, citing the block itself means citing its assumption.
      const text =
        it.kind === "claim"
          ? `… (see line ${it.label ?? it.line} above)`
          : `${claimText(it.assumption)} (assumed)`;
      out.push(`${prefix}${label(it)}${text}`);
      return;
    }
    drawn.add(it);
    const children: (ProofItem | string)[] = [];
    if (it.kind === "claim") {
      out.push(`${prefix}${label(it)}${claimText(it.formula)}${justificationText(it.justification)}`);
      // Rules stay in the brackets: they are premises of the theory, not claims to expand.
      // A premise line already names its fact; other lines hang the lines and facts they cite.
      if (it.justification?.rule !== "premise")
        for (const ref of it.justification?.refs ?? []) if (ref.kind !== "rule") children.push(childOf(ref));
      children.push(...(casesBefore.get(it) ?? []));
    } else {
      out.push(`${prefix}${label(it)}${it.kind} ${claimText(it.assumption)}:`);
      // A sub-proof rests on its last line; earlier lines hang below it as it cites them.
      const last = it.body[it.body.length - 1];
      if (last !== undefined) children.push(last);
    }
    children.forEach((c, i) => {
      const isLast = i === children.length - 1;
      const p = childPrefix + (isLast ? "└─ " : "├─ ");
      const cp = childPrefix + (isLast ? "   " : "│  ");
      if (typeof c === "string") out.push(p + c);
      else draw(c, p, cp);
    });
  };
  const childOf = (ref: Ref): ProofItem | string => {
    if (ref.kind === "line") return byLabel.get(ref.label) ?? `${ref.label} (unknown line)`;
    const fact = ref.kind === "fact" ? facts[ref.index] : undefined;
    return fact !== undefined ? `${refText(ref)}: ${claimText(fact)}` : refText(ref);
  };
  draw(root, "", "");
  return out;
}

/** The readable text `show` prints for an item. */
export function renderItem(item: DatasetItem): string {
  const lines: string[] = [];
  const rule = (title: string): void => {
    lines.push("", `── ${title} ${"─".repeat(Math.max(3, 60 - title.length))}`);
  };
  lines.push(`item ${item.id}`);
  lines.push(
    `level ${item.level} · depth ${item.depth} · task ${item.task} · split ${item.split} · index ${item.index} · seed ${item.seed}`,
  );
  rule("prompt");
  lines.push(item.prompt.replace(/\s+$/, ""));
  if (item.candidates.length > 0) {
    rule("candidates");
    item.candidates.forEach((c, i) => lines.push(`${c === item.answer ? "✓" : " "} ${i + 1}. ${c}`));
  }
  rule("answer");
  lines.push(item.answer);
  rule("gold proof");
  lines.push(item.goldProof.replace(/\s+$/, ""));
  rule("proof tree");
  const problem = problemFromJson(item.problem);
  lines.push(...proofTree(item.goldProof, problem.ok ? problem.value.theory.facts : []));
  lines.push("");
  return lines.join("\n");
}

/** Checks that parsed JSON has the fields `show` prints; returns the issue otherwise. */
export function asDatasetItem(x: unknown): DatasetItem | string {
  if (typeof x !== "object" || x === null || Array.isArray(x))
    return "expected a JSON object (one item per line)";
  const r = x as Record<string, unknown>;
  for (const k of ["id", "split", "level", "task", "prompt", "answer", "goldProof"])
    if (typeof r[k] !== "string") return `field "${k}" missing or not a string`;
  for (const k of ["index", "seed", "depth"])
    if (typeof r[k] !== "number") return `field "${k}" missing or not a number`;
  if (!Array.isArray(r["candidates"]) || !r["candidates"].every((c) => typeof c === "string"))
    return `field "candidates" missing or not a list of strings`;
  return x as DatasetItem;
}

/** Reads row `row` (1-based) of a verl parquet file written by `generate` back into an item. */
async function readParquetRow(path: string, row: number): Promise<DatasetItem | string> {
  const file = await asyncBufferFromFile(path);
  const rows = (await parquetReadObjects({ file, rowStart: row - 1, rowEnd: row })) as unknown[];
  const r = rows[0] as Partial<VerlRow> | undefined;
  if (r === undefined) return `has fewer than ${row} rows`;
  const x = r.extra_info;
  if (typeof x !== "object" || x === null || typeof r.prompt?.[0]?.content !== "string")
    return "not a scalelogic verl row (no prompt or extra_info)";
  let problem: unknown;
  let config: unknown;
  try {
    problem = JSON.parse(x.problem);
    config = JSON.parse(x.config);
  } catch {
    return "extra_info.problem or extra_info.config is not JSON";
  }
  const item = {
    id: x.id,
    index: Number(x.index),
    seed: Number(x.seed),
    split: x.split,
    level: x.level,
    depth: x.depth,
    task: x.task,
    config,
    prompt: r.prompt[0].content,
    answer: x.answer,
    candidates: x.candidates,
    problem,
    goldProof: x.gold_proof,
    certificates: null,
    dedupKey: x.dedup_key,
  };
  return asDatasetItem(item);
}

/** Reads line `line` (1-based) of a text file without loading the whole file. */
async function readLine(path: string, line: number): Promise<string | undefined> {
  const rl = createInterface({ input: createReadStream(path, { encoding: "utf8" }), crlfDelay: Infinity });
  let n = 0;
  try {
    for await (const text of rl) {
      n++;
      if (n === line) return text;
    }
    return undefined;
  } finally {
    rl.close();
  }
}

interface ShowArgs extends ConfigArgs {
  readonly seed: number;
  readonly index: number;
  readonly file?: string | undefined;
  readonly line: number;
  readonly json: boolean;
}

async function handler(a: ShowArgs): Promise<void> {
  let item: DatasetItem;
  if (a.file !== undefined) {
    const line = nonNegativeInt(a.line);
    if (line === undefined || line < 1) {
      usageError("show", [`--line: expected a line number ≥ 1, got ${a.line}`]);
      return;
    }
    if (a.file.endsWith(".parquet")) {
      let got: DatasetItem | string;
      try {
        got = await readParquetRow(a.file, line);
      } catch (e) {
        usageError("show", [`--file: cannot read ${a.file}: ${e instanceof Error ? e.message : String(e)}`]);
        return;
      }
      if (typeof got === "string") {
        usageError("show", [`${a.file}: row ${line}: ${got}`]);
        return;
      }
      process.stdout.write(a.json ? itemJson(got) + "\n" : renderItem(got));
      return;
    }
    let text: string | undefined;
    try {
      text = await readLine(a.file, line);
    } catch (e) {
      usageError("show", [`--file: cannot read ${a.file}: ${e instanceof Error ? e.message : String(e)}`]);
      return;
    }
    if (text === undefined) {
      usageError("show", [`--line: ${a.file} has fewer than ${line} lines`]);
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      usageError("show", [`${a.file}:${line}: not JSON (show reads JSONL files written by generate)`]);
      return;
    }
    const checked = asDatasetItem(parsed);
    if (typeof checked === "string") {
      usageError("show", [`${a.file}:${line}: ${checked}`]);
      return;
    }
    item = checked;
  } else {
    const issues: string[] = [];
    const seed = nonNegativeInt(a.seed);
    const index = nonNegativeInt(a.index);
    if (seed === undefined) issues.push(`--seed: expected a non-negative integer, got ${a.seed}`);
    if (index === undefined) issues.push(`--index: expected a non-negative integer, got ${a.index}`);
    const cfg = configFromArgs(a);
    if (!cfg.ok) issues.push(...cfg.issues);
    if (issues.length > 0 || !cfg.ok || seed === undefined || index === undefined) {
      usageError("show", issues);
      return;
    }
    try {
      item = generateItem(cfg.config, seed, index);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      process.stderr.write(`scalelogic show: ${msg}\n`);
      process.exitCode = e instanceof Error && e.name === "GenerationError" ? 2 : 1;
      return;
    }
  }
  process.stdout.write(a.json ? itemJson(item) + "\n" : renderItem(item));
}

/** Adds the `show` command to the program. */
export function register(y: Argv): Argv {
  return y.command(
    "show",
    "show one item readably: prompt, candidates, answer, gold proof and its proof tree",
    (b) =>
      configOptions(b)
        .option("seed", { type: "number", default: 0, describe: "run seed" })
        .option("index", { type: "number", default: 0, describe: "item index within the run" })
        .option("file", {
          type: "string",
          describe: "read the item from a JSONL dataset instead of generating it",
        })
        .option("line", {
          type: "number",
          default: 1,
          describe: "line (JSONL) or row (.parquet) of --file, 1-based",
        })
        .option("json", {
          type: "boolean",
          default: false,
          describe: "print the item as one JSON line instead",
        })
        .example("$0 show --level disjunction --depth 4 --seed 1 --index 7", "generate and show one item")
        .example("$0 show --file out/train.jsonl --line 3", "show the third item of a dataset"),
    async (argv) => {
      await handler(argv as unknown as ShowArgs);
    },
  );
}
