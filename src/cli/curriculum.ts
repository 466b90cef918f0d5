/**
 * `scalelogic curriculum plan | simulate | replay` (argument handling only; see src/curriculum).
 *
 * plan      writes a scheduled dataset (JSONL items, or batch specs with --specs-only) and a
 *           replayable log beside it; step/adaptive schedules advance on a SIMULATED learner.
 * simulate  runs schedules against the SIMULATED learner and reports steps-to-target.
 * replay    checks that a logged history reproduces every batch.
 * Exit codes: 0 success, 1 job failed (generation error, replay mismatch), 2 usage or input error.
 */
import { mkdirSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { Argv } from "yargs";
import cliProgress from "cli-progress";
import { AtomicFile, jsonlWriter, removeLiveTempFiles } from "../generator/writer.js";
import {
  batchItems,
  compare,
  LEVELS,
  planBatches,
  powerLawSlope,
  replay,
  scheduleInput,
  SCHEDULE_KINDS,
  simulate,
  summarize,
  validateLearner,
  type Issues,
  type LearnerConfig,
  type ScheduleOptions,
  type SimulationResult,
  type ComparisonRow,
} from "../curriculum/index.js";
import { writeFileAtomic } from "../service/curriculum.js";

const SIM_BANNER = "SIMULATION (toy learner, not a real model): ";

function usage(message: string): never {
  process.stderr.write(`scalelogic curriculum: ${message}\n`);
  process.exit(2);
}

function issuesText(issues: Issues): string {
  return issues.map((i) => `${i.path}: ${i.message} [${i.code}]`).join("\n  ");
}

function numberList(text: string | undefined, what: string): number[] | undefined {
  if (text === undefined) return undefined;
  const parts = text.split(",").map((s) => s.trim());
  const nums = parts.map(Number);
  if (parts.some((p) => p.length === 0) || nums.some((n) => !Number.isFinite(n))) {
    usage(`--${what}: expected comma-separated numbers, got "${text}"`);
  }
  return nums;
}

/** Flags shared by plan and simulate that describe the schedule. */
// The return type is inferred so that yargs keeps every option's type for the handlers.
function scheduleFlags<T>(a: Argv<T>) {
  return a
    .option("level", {
      type: "string",
      choices: LEVELS as string[],
      default: "implication",
      describe: "level",
    })
    .option("max-depth", { type: "number", default: 16, describe: "top depth D" })
    .option("batch-size", { type: "number", default: 256, describe: "items per batch" })
    .option("depth", { type: "number", describe: "fixed: the depth (default: --max-depth)" })
    .option("start", { type: "number", describe: "step: initial cap (default 6)" })
    .option("step", { type: "number", describe: "step: cap increment (default 2)" })
    .option("threshold", {
      type: "number",
      describe: "step: in-range accuracy that raises the cap (default 0.7)",
    })
    .option("mix", {
      type: "string",
      choices: ["uniform", "exact"],
      describe: "step: batches over 1..cap or at cap",
    })
    .option("band", { type: "string", describe: "adaptive: LOW,HIGH success band (default 0.3,0.7)" })
    .option("patience", {
      type: "number",
      describe: "adaptive: out-of-band batches before a move (default 2)",
    })
    .option("smoothing", {
      type: "number",
      describe: "adaptive: EMA weight of the newest batch (default 0.5)",
    })
    .option("step-size", { type: "number", describe: "adaptive: depth change per move (default 1)" })
    .option("window", { type: "number", describe: "adaptive: batches span depth-window..depth (default 0)" })
    .option("min-depth", { type: "number", describe: "adaptive: lowest depth (default 1)" })
    .option("start-depth", { type: "number", describe: "adaptive: first depth (default --min-depth)" })
    .option("levels", { type: "string", describe: "adaptive: level ladder, e.g. implication,conjunction" })
    .option("learner", {
      type: "string",
      default: "medium",
      describe: "SIMULATED learner: weak|medium|strong or JSON {skill,rate,sharpness,levelCost}",
    });
}

interface ScheduleArgs {
  level: string;
  "max-depth": number;
  "batch-size": number;
  depth?: number | undefined;
  start?: number | undefined;
  step?: number | undefined;
  threshold?: number | undefined;
  mix?: string | undefined;
  band?: string | undefined;
  patience?: number | undefined;
  smoothing?: number | undefined;
  "step-size"?: number | undefined;
  window?: number | undefined;
  "min-depth"?: number | undefined;
  "start-depth"?: number | undefined;
  levels?: string | undefined;
  learner: string;
}

function scheduleOptions(a: ScheduleArgs, maxDepth = a["max-depth"]): ScheduleOptions {
  const o: Record<string, unknown> = {
    level: a.level,
    maxDepth,
    batchSize: a["batch-size"],
    depth: a.depth,
    start: a.start,
    step: a.step,
    threshold: a.threshold,
    mix: a.mix,
    band: numberList(a.band, "band"),
    patience: a.patience,
    smoothing: a.smoothing,
    stepSize: a["step-size"],
    window: a.window,
    minDepth: a["min-depth"],
    startDepth: a["start-depth"],
    levels: a.levels?.split(",").map((s) => s.trim()),
  };
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o as ScheduleOptions;
}

function learnerOf(text: string): LearnerConfig {
  let input: unknown = text;
  if (text.trim().startsWith("{")) {
    try {
      input = JSON.parse(text);
    } catch {
      usage(`--learner: not valid JSON: ${text}`);
    }
  }
  const v = validateLearner(input);
  if (!v.ok) usage(`--learner: ${issuesText(v.issues)}`);
  return v.value;
}

function kindsOf(text: string): string[] {
  const kinds = text.split(",").map((s) => s.trim());
  for (const k of kinds) {
    if (!(SCHEDULE_KINDS as readonly string[]).includes(k)) {
      usage(`--schedule: unknown schedule "${k}"; expected ${SCHEDULE_KINDS.join(", ")}`);
    }
  }
  return kinds;
}

function frontierPath(r: SimulationResult): string {
  const out: string[] = [];
  let last = "";
  for (const s of r.trajectory) {
    const here = `${s.level === r.trajectory[0]?.level ? "" : `${s.level}:`}${s.frontier}`;
    if (here !== last) out.push(`${s.step}→${here}`);
    last = here;
  }
  const shown = out.length > 24 ? [...out.slice(0, 12), "…", ...out.slice(-11)] : out;
  return shown.join(" ");
}

const fmt = (x: number | null): string => (x === null ? "not reached" : x.toFixed(1));

async function runPlan(
  a: ScheduleArgs & {
    schedule: string;
    batches: number;
    seed: number;
    out: string;
    "specs-only": boolean;
    task?: string | undefined;
    candidates?: number | undefined;
  },
): Promise<void> {
  const [kind, ...more] = kindsOf(a.schedule);
  if (kind === undefined || more.length > 0) usage("plan takes one --schedule");
  const learner = learnerOf(a.learner);
  const plan = planBatches({
    schedule: scheduleInput(kind, scheduleOptions(a)),
    seed: a.seed,
    batches: a.batches,
    learner,
  });
  if (!plan.ok) usage(issuesText(plan.issues));
  const out = resolve(a.out);
  mkdirSync(dirname(out), { recursive: true });
  const p = plan.value;
  if (p.simulated) {
    process.stderr.write(
      `${SIM_BANNER}the ${kind} schedule advanced on rewards from the simulated learner; ` +
        `every row is labelled curriculum.feedback = "simulated"\n`,
    );
  }
  const file = AtomicFile.open(out);
  // Ctrl-C must not leave a temporary file behind (the final name is only written on commit).
  const onSignal = (sig: NodeJS.Signals): void => {
    removeLiveTempFiles();
    process.stderr.write(`scalelogic curriculum plan: ${sig}, partial output removed\n`);
    process.exit(sig === "SIGINT" ? 130 : 143);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const total = p.batches.reduce((n, b) => n + (a["specs-only"] ? 1 : b.spec.count), 0);
  const bar = process.stderr.isTTY
    ? new cliProgress.SingleBar(
        {
          stream: process.stderr,
          format: "curriculum plan [{bar}] {value}/{total} rows  {eta_formatted} left",
        },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  bar?.start(total, 0);
  let rows = 0;
  try {
    if (a["specs-only"]) {
      for (const b of p.batches) {
        const w = file.write(
          `${JSON.stringify({ ...b.spec, feedback: b.feedback, simulatedSuccess: b.simulatedSuccess })}\n`,
        );
        if (w) await w;
        rows++;
      }
    } else {
      const writer = jsonlWriter(file);
      const base = {
        ...(a.task === undefined ? {} : { task: a.task as "choice" }),
        ...(a.candidates === undefined ? {} : { candidates: a.candidates }),
      };
      for (const b of p.batches) {
        for (const item of batchItems(b, base)) {
          const w = writer.write(item);
          if (w) await w;
          rows++;
          if (bar !== undefined && rows % 64 === 0) bar.update(rows);
        }
      }
      await writer.finish();
    }
    await file.commit();
    bar?.update(rows);
    bar?.stop();
  } catch (e) {
    bar?.stop();
    await file.abort();
    removeLiveTempFiles();
    process.stderr.write(`scalelogic curriculum plan: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  }
  const logPath = `${out}.plan.json`;
  writeFileAtomic(
    logPath,
    `${JSON.stringify(
      {
        simulated: p.simulated,
        note: p.simulated
          ? "feedback came from a SIMULATED learner (src/curriculum/learner.ts), not a real model"
          : "static schedule: no feedback used",
        learner: p.simulated ? learner : null,
        history: p.history,
      },
      null,
      1,
    )}\n`,
  );
  const frontiers = p.batches.map((b) => b.spec.frontier);
  process.stderr.write(
    `scalelogic curriculum plan: wrote ${rows} ${a["specs-only"] ? "batch specs" : "items"} in ${p.batches.length} batches to ${out}\n` +
      `  frontier by batch: ${frontiers.join(" ")}\n  replayable log: ${logPath}\n`,
  );
}

async function runSimulate(
  a: ScheduleArgs & {
    schedule: string;
    seeds: string;
    "max-steps": number;
    target: number;
    depths?: string | undefined;
    trajectory: boolean;
  },
): Promise<void> {
  const kinds = kindsOf(a.schedule);
  const learner = learnerOf(a.learner);
  const seeds = numberList(a.seeds, "seeds") ?? [1];
  const depths = numberList(a.depths, "depths");
  const out = (x: unknown): boolean => process.stdout.write(`${JSON.stringify(x)}\n`);
  const err = (s: string): boolean => process.stderr.write(`${s}\n`);
  err(
    `${SIM_BANNER}schedules ${kinds.join(", ")} at level ${a.level}; learner ${JSON.stringify({ skill: learner.skill, rate: learner.rate, sharpness: learner.sharpness })}`,
  );
  err(
    `  steps-to-target = first simulated step whose held-out accuracy (mean over depths 1..D) ≥ ${a.target}`,
  );

  const top = a["max-depth"];
  const rows: ComparisonRow[] = [];
  for (const kind of kinds) {
    const runs: SimulationResult[] = [];
    for (const seed of seeds) {
      const r = simulate({
        schedule: scheduleInput(kind, scheduleOptions(a)),
        learner,
        seed,
        maxSteps: a["max-steps"],
        target: a.target,
      });
      if (!r.ok) usage(issuesText(r.issues));
      const v = r.value;
      runs.push(v);
      out({
        type: "run",
        simulated: true,
        schedule: kind,
        seed,
        maxDepth: top,
        stepsToTarget: v.stepsToTarget,
        stepsToTop: v.stepsToTop,
        frontierAtTop: v.frontierAtTop,
        steps: v.steps,
        finalSkill: v.finalSkill,
        ...(a.trajectory ? { trajectory: v.trajectory } : {}),
      });
      err(
        `  [sim] ${kind.padEnd(9)} seed ${seed}: steps-to-target ${fmt(v.stepsToTarget)}; depth trajectory (step→depth): ${frontierPath(v)}`,
      );
    }
    const row = summarize(runs);
    if (row !== null) rows.push(row);
  }
  err(`\n  SIMULATED steps to target at D=${top} (mean over seeds ${seeds.join(",")}):`);
  err(`  ${"schedule".padEnd(10)} ${"to target".padStart(12)} ${"skill≥D at".padStart(12)} reached`);
  for (const row of rows) {
    out({ type: "summary", simulated: true, maxDepth: top, ...row });
    err(
      `  ${row.schedule.padEnd(10)} ${fmt(row.meanStepsToTarget).padStart(12)} ${fmt(row.meanStepsToTop).padStart(12)} ${row.reached}/${seeds.length}`,
    );
  }
  if (depths !== undefined) {
    err(`\n  SIMULATED sweep over D = ${depths.join(", ")}: T(D) and γ from log T = γ log D + c`);
    for (const kind of kinds) {
      const ts: (number | null)[] = [];
      for (const d of depths) {
        const c = compare(
          [scheduleInput(kind, scheduleOptions(a, d))],
          learner,
          seeds,
          a["max-steps"],
          a.target,
        );
        if (!c.ok) usage(issuesText(c.issues));
        ts.push(c.value[0]?.meanStepsToTarget ?? null);
      }
      const fit = powerLawSlope(
        depths.flatMap((d, i) => (ts[i] === null || ts[i] === undefined ? [] : [{ x: d, y: ts[i] }])),
      );
      out({
        type: "sweep",
        simulated: true,
        schedule: kind,
        depths,
        stepsToTarget: ts,
        gamma: fit?.gamma ?? null,
        r2: fit?.r2 ?? null,
      });
      err(
        `  ${kind.padEnd(10)} T = ${ts.map((t) => (t === null ? "–" : t.toFixed(0))).join(", ")}   γ = ${fit === null ? "n/a" : `${fit.gamma.toFixed(2)} (R² ${fit.r2.toFixed(3)})`}`,
      );
    }
  }
}

function runReplay(a: { log: string }): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(a.log, "utf8"));
  } catch (e) {
    usage(`--log: cannot read ${a.log}: ${e instanceof Error ? e.message : String(e)}`);
  }
  // Accept a bare history or the plan's log file that wraps one.
  const h =
    typeof parsed === "object" && parsed !== null && "history" in parsed
      ? (parsed as { history: unknown }).history
      : parsed;
  const r = replay(h);
  if (!r.ok) {
    process.stderr.write(`scalelogic curriculum replay: ${issuesText(r.issues)}\n`);
    process.exit(r.issues[0].code === "replay-mismatch" ? 1 : 2);
  }
  process.stdout.write(
    `${JSON.stringify({ ok: true, batches: r.value.specs.length, state: r.value.state })}\n`,
  );
  process.stderr.write(`scalelogic curriculum replay: ${r.value.specs.length} batches reproduced exactly\n`);
}

/** Adds the `curriculum` command (plan, simulate, replay) to the program. */
export function register(y: Argv): Argv {
  return y.command("curriculum", "plan, simulate or replay a curriculum over (level, depth)", (c) =>
    c
      .command(
        "plan",
        "write a scheduled dataset (JSONL) and its replayable log",
        (a) =>
          scheduleFlags(a)
            .option("schedule", {
              type: "string",
              choices: SCHEDULE_KINDS as unknown as string[],
              demandOption: true,
            })
            .option("batches", { type: "number", default: 10, describe: "number of batches" })
            .option("seed", { type: "number", default: 0, describe: "run seed" })
            .option("out", { type: "string", demandOption: true, describe: "output JSONL file" })
            .option("specs-only", {
              type: "boolean",
              default: false,
              describe: "write batch specs, not items",
            })
            .option("task", { type: "string", describe: "generator task (default choice)" })
            .option("candidates", { type: "number", describe: "generator candidates B (default 4)" }),
        (args) => runPlan(args),
      )
      .command(
        "simulate",
        "run schedules against a SIMULATED learner; print depth trajectory and steps-to-target",
        (a) =>
          scheduleFlags(a)
            .option("schedule", {
              type: "string",
              default: "step,adaptive,uniform,difficult",
              describe: "one schedule or a comma-separated list to compare",
            })
            .option("seeds", { type: "string", default: "1,2,3", describe: "comma-separated run seeds" })
            .option("max-steps", {
              type: "number",
              default: 50_000,
              describe: "give up after this many steps",
            })
            .option("target", {
              type: "number",
              default: 0.9,
              describe: "held-out accuracy that counts as reached",
            })
            .option("depths", {
              type: "string",
              describe: "also sweep these top depths and fit γ, e.g. 8,12,16",
            })
            .option("trajectory", {
              type: "boolean",
              default: false,
              describe: "include every step in the JSONL",
            }),
        (args) => runSimulate(args),
      )
      .command(
        "replay",
        "check that a logged curriculum history reproduces every batch",
        (a) =>
          a.option("log", {
            type: "string",
            demandOption: true,
            describe: "history JSON (or a plan's .plan.json)",
          }),
        (args) => runReplay(args),
      )
      .demandCommand(1, "name a curriculum action: plan, simulate or replay"),
  );
}
