/**
 * `scalelogic generate`: write a dataset (JSONL, verl parquet or TPTP) for one generator config,
 * optionally one shard of a larger run, atomically, with a manifest beside it.
 *
 * Logs and the progress bar go to stderr (the bar only on a terminal); one JSON summary line goes
 * to stdout. Exit codes: 0 written, 1 the job failed (I/O, generation), 2 usage or infeasible
 * config, 130/143 interrupted by SIGINT/SIGTERM (nothing left behind).
 */
import type { Argv } from "yargs";
import cliProgress from "cli-progress";
import { LEVELS, TASKS, configHash, validateConfig, type GenConfig } from "../generator/config.js";
import { generateItems } from "../generator/index.js";
import {
  defaultFileName,
  parseShard,
  resolveOutputPath,
  writeDataset,
  type ItemSource,
} from "../generator/dataset.js";
import type { Shard } from "../generator/manifest.js";
import { formats, removeLiveTempFiles, type Format } from "../generator/writer.js";
import { itemTptp } from "../generator/writertptp.js";

/** Raw generator flags as yargs hands them over (all optional: defaults come from the config). */
export interface ConfigArgs {
  readonly level?: string | undefined;
  readonly depth?: number | undefined;
  readonly mix?: string | undefined;
  readonly task?: string | undefined;
  readonly candidates?: number | undefined;
  readonly distractors?: string | undefined;
  readonly people?: number | undefined;
  readonly "max-premises"?: number | undefined;
  readonly "max-disjuncts"?: number | undefined;
  readonly split?: string | undefined;
}

/** Adds the generator-config flags shared by `generate` and `show`. */
export function configOptions<T>(y: Argv<T>): Argv<T & ConfigArgs> {
  return y
    .option("level", { type: "string", choices: LEVELS as string[], describe: "expressiveness level" })
    .option("depth", {
      type: "number",
      describe: "proof depth D (default: the paper's preset for the level)",
    })
    .option("mix", {
      type: "string",
      choices: ["exact", "uniform"],
      describe: "exact D, or uniform over 1..D",
    })
    .option("task", { type: "string", choices: TASKS as string[], describe: "task format (default choice)" })
    .option("candidates", { type: "number", describe: "candidate statements B (default 4)" })
    .option("distractors", { type: "string", describe: "MIN,MAX distractor rules per item (default 0,5)" })
    .option("people", { type: "number", describe: "number of people (quantification: ≥ 2)" })
    .option("max-premises", { type: "number", describe: "largest number of premises in a rule" })
    .option("max-disjuncts", { type: "number", describe: "largest number of disjuncts in a conclusion" })
    .option("split", {
      type: "string",
      describe: "split name: train, test or any name (default train)",
    }) as Argv<T & ConfigArgs>;
}

/** Result of turning flags into a validated config. */
export type ConfigResult = { ok: true; config: GenConfig } | { ok: false; issues: [string, ...string[]] };

/** Builds and validates a GenConfig from flags; only flags actually given override the defaults. */
export function configFromArgs(a: ConfigArgs): ConfigResult {
  const raw: Record<string, unknown> = {};
  const set = (k: string, v: unknown): void => {
    if (v !== undefined) raw[k] = v;
  };
  set("level", a.level);
  set("depth", a.depth);
  set("mix", a.mix);
  set("task", a.task);
  set("candidates", a.candidates);
  set("people", a.people);
  set("maxPremises", a["max-premises"]);
  set("maxDisjuncts", a["max-disjuncts"]);
  set("split", a.split);
  if (a.distractors !== undefined) {
    const m = /^\s*(\d+)\s*(?:,\s*(\d+)\s*)?$/.exec(a.distractors);
    if (!m)
      return { ok: false, issues: [`--distractors: expected MIN,MAX (e.g. 0,5), got "${a.distractors}"`] };
    const min = Number(m[1]);
    raw["distractors"] = [min, m[2] === undefined ? min : Number(m[2])];
  }
  const v = validateConfig(raw);
  if (!v.ok) return { ok: false, issues: v.issues.map((s) => `--${flagName(s)}`) as [string, ...string[]] };
  return v;
}

// Config issues name the config field ("maxPremises: …"); users typed the flag ("--max-premises").
function flagName(issue: string): string {
  return issue.replace(/^([a-zA-Z]+)/, (f: string) => f.replace(/[A-Z]/g, (c) => "-" + c.toLowerCase()));
}

/** A non-negative safe integer, or undefined. */
export function nonNegativeInt(x: unknown): number | undefined {
  return typeof x === "number" && Number.isSafeInteger(x) && x >= 0 ? x : undefined;
}

/** Prints usage issues to stderr and sets exit code 2. */
export function usageError(command: string, issues: readonly string[]): void {
  for (const i of issues) process.stderr.write(`scalelogic ${command}: ${i}\n`);
  process.stderr.write(`(run scalelogic ${command} --help for usage)\n`);
  process.exitCode = 2;
}

/** The file stem of a run's default output name, e.g. `train-implication-choice-d32-seed0-n100`. */
export function runStem(config: GenConfig, seed: number, count: number): string {
  const task = config.task.replace("+", "-");
  const mix = config.mix === "uniform" ? "u" : "";
  return `${config.split}-${config.level}-${task}-d${config.depth}${mix}-seed${seed}-n${count}`;
}

interface GenerateArgs extends ConfigArgs {
  readonly count: number;
  readonly seed: number;
  readonly format: string;
  readonly out: string;
  readonly shard?: string | undefined;
}

async function handler(a: GenerateArgs): Promise<void> {
  const issues: string[] = [];
  const count = nonNegativeInt(a.count);
  if (count === undefined) issues.push(`--count: expected a non-negative integer, got ${a.count}`);
  const seed = nonNegativeInt(a.seed);
  if (seed === undefined) issues.push(`--seed: expected a non-negative integer, got ${a.seed}`);
  let shard: Shard | undefined;
  if (a.shard !== undefined) {
    const s = parseShard(a.shard);
    if (s.ok) shard = s.value;
    else issues.push(...s.issues.map((i) => `--shard: ${i}`));
  }
  const cfg = configFromArgs(a);
  if (!cfg.ok) issues.push(...cfg.issues);
  if (issues.length > 0 || !cfg.ok || count === undefined || seed === undefined) {
    usageError("generate", issues);
    return;
  }
  const config = cfg.config;
  const format = a.format as Format;
  const path = resolveOutputPath(a.out, defaultFileName(runStem(config, seed, count), format, shard));
  const source: ItemSource = {
    config,
    configHash: configHash(config),
    seed,
    items: (start, n) => generateItems(config, seed, start, n),
  };

  const ac = new AbortController();
  let signalCode = 0;
  const onSignal = (sig: NodeJS.Signals): void => {
    if (signalCode !== 0) {
      // Second signal: do not wait for the loop to notice; clean up and leave now.
      removeLiveTempFiles();
      process.exit(signalCode);
    }
    signalCode = sig === "SIGINT" ? 130 : 143;
    process.stderr.write(`scalelogic generate: ${sig}, removing partial output\n`);
    ac.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  const bar = process.stderr.isTTY
    ? new cliProgress.SingleBar(
        { stream: process.stderr, format: "generate [{bar}] {value}/{total} items  {eta_formatted} left" },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  const started = performance.now();
  try {
    process.stderr.write(`scalelogic generate: writing ${path}\n`);
    let barStarted = false;
    const result = await writeDataset({
      source,
      count,
      ...(shard ? { shard } : {}),
      format,
      path,
      tptp: itemTptp,
      signal: ac.signal,
      onProgress: (done, total) => {
        if (!bar) return;
        if (!barStarted) {
          bar.start(total, 0);
          barStarted = true;
        }
        bar.update(done);
      },
    });
    bar?.stop();
    const seconds = (performance.now() - started) / 1000;
    const m = result.manifest;
    const summary = {
      ok: true,
      path: result.path,
      manifest: result.manifestPath,
      format: m.format,
      items: m.counts.items,
      range: m.range,
      shard: m.shard,
      configHash: m.configHash,
      seed: m.seed,
      sha256: m.sha256,
      bytes: m.bytes,
      seconds: Math.round(seconds * 1000) / 1000,
      itemsPerSecond: seconds > 0 ? Math.round(m.counts.items / seconds) : null,
    };
    process.stdout.write(JSON.stringify(summary) + "\n");
  } catch (e) {
    bar?.stop();
    if (signalCode !== 0) {
      process.exitCode = signalCode;
      return;
    }
    const msg = e instanceof Error ? e.message : String(e);
    const infeasible = e instanceof Error && e.name === "GenerationError";
    process.stderr.write(`scalelogic generate: ${msg}\n`);
    process.stdout.write(JSON.stringify({ ok: false, error: msg }) + "\n");
    // An infeasible setting is the user's input; anything else is a failed job.
    process.exitCode = infeasible ? 2 : 1;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

/** Adds the `generate` command to the program. */
export function register(y: Argv): Argv {
  return y.command(
    "generate",
    "generate a dataset (JSONL, verl parquet or TPTP), optionally one shard of a run",
    (b) =>
      configOptions(b)
        .option("count", { type: "number", default: 100, describe: "items in the whole run" })
        .option("seed", {
          type: "number",
          default: 0,
          describe: "run seed (item i is a function of config, seed, i)",
        })
        .option("format", {
          type: "string",
          choices: formats as string[],
          default: "jsonl",
          describe: "output format",
        })
        .option("out", {
          type: "string",
          demandOption: true,
          describe: "output file, or a directory (ending in /) to get a default file name",
        })
        .option("shard", { type: "string", describe: "write only shard i of N (0-based), e.g. 0/4" })
        .example("$0 generate --out out/", "100 implication items at depth 32, JSONL")
        .example(
          "$0 generate --level negation --depth 16 --count 10000 --format parquet --out data/ --shard 0/4",
          "first quarter of a 10k-item parquet run",
        ),
    async (argv) => {
      await handler(argv as unknown as GenerateArgs);
    },
  );
}
