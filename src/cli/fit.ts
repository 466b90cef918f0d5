/**
 * `scalelogic fit LOGS... --out DIR`: reads training logs, fits T = a·D^γ per setting and writes
 * table.csv (one row per run), fits.csv (one row per setting), fit.json and plot.svg (plot.png
 * with --png). JSON on stdout, a human summary on stderr.
 * Exit codes: 0 every setting fitted; 1 some setting could not be fitted (outputs still written);
 * 2 unusable input or options.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Argv } from "yargs";
import {
  analysisJson,
  analyzeRows,
  fitsCsv,
  formatIssue,
  readLogFiles,
  renderPng,
  renderSvg,
  runsCsv,
  summaryText,
  METRICS,
  type ColumnMap,
  type FitIssue,
  type Metric,
} from "../fit/index.js";

// Sets the exit code rather than exiting, so the command can run in-process (tests, other tools).
function fail(issues: readonly FitIssue[]): void {
  for (const i of issues) process.stderr.write(`scalelogic fit: ${formatIssue(i)}\n`);
  process.exitCode = 2;
}

const METRIC_LABEL: Record<Metric, string> = { step: "steps", tokens: "tokens", flops: "FLOPs" };

/** Adds the `fit` command to the program. */
export function register(y: Argv): Argv {
  return y.command(
    "fit <logs..>",
    "fit T = a·D^γ per setting from training logs (CSV or JSONL)",
    (b) =>
      b
        .positional("logs", {
          type: "string",
          array: true,
          demandOption: true,
          describe: "log files (.csv or .jsonl)",
        })
        .option("out", {
          type: "string",
          demandOption: true,
          describe: "directory for table.csv, fits.csv, fit.json, plot.svg",
        })
        .option("by", {
          type: "string",
          describe: 'column that names the setting (default "setting"), e.g. level',
        })
        .option("threshold", { type: "number", default: 0.9, describe: "accuracy that defines T" })
        .option("metric", {
          choices: METRICS as Metric[],
          default: "step" as Metric,
          describe: "compute measure for T",
        })
        .option("interpolate", {
          type: "boolean",
          default: false,
          describe: "interpolate the crossing between evaluations",
        })
        .option("aggregate", {
          choices: ["points", "geomean"] as const,
          default: "points" as const,
          describe: "fit every run, or one geometric-mean T per depth",
        })
        .option("bootstrap", { type: "number", default: 1000, describe: "bootstrap resamples (0: off)" })
        .option("seed", { type: "string", default: "scalelogic", describe: "bootstrap seed" })
        .option("level", { type: "number", default: 0.95, describe: "interval level" })
        .option("predict", { type: "string", describe: "comma-separated depths to predict T at, e.g. 32,64" })
        .option("t-column", {
          type: "string",
          describe: "the logs already hold one T per run in this column (no accuracy, no threshold crossing)",
        })
        .option("png", { type: "boolean", default: false, describe: "also write plot.png" })
        .option("title", { type: "string", describe: "plot title" })
        .option("col-depth", { type: "string", describe: "column name for depth" })
        .option("col-seed", { type: "string", describe: "column name for seed" })
        .option("col-step", { type: "string", describe: "column name for step" })
        .option("col-accuracy", { type: "string", describe: "column name for accuracy" })
        .option("col-tokens", { type: "string", describe: "column name for tokens" })
        .option("col-flops", { type: "string", describe: "column name for FLOPs" }),
    async (a) => {
      const columns: Partial<Record<keyof ColumnMap, string>> = {};
      if (a.by !== undefined) columns.setting = a.by;
      if (a.colDepth !== undefined) columns.depth = a.colDepth;
      if (a.colSeed !== undefined) columns.seed = a.colSeed;
      if (a.colStep !== undefined) columns.step = a.colStep;
      if (a.colAccuracy !== undefined) columns.accuracy = a.colAccuracy;
      if (a.colTokens !== undefined) columns.tokens = a.colTokens;
      if (a.colFlops !== undefined) columns.flops = a.colFlops;
      const predict = (a.predict ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s !== "")
        .map(Number);
      const read = readLogFiles(a.logs, {
        metric: a.metric,
        columns,
        ...(a.tColumn === undefined ? {} : { measuredColumn: a.tColumn }),
      });
      if (!read.ok) return fail(read.issues);
      const analysis = analyzeRows(read.value, {
        threshold: a.threshold,
        interpolate: a.interpolate,
        aggregate: a.aggregate,
        bootstrap: a.bootstrap,
        seed: a.seed,
        level: a.level,
        predict,
        measured: a.tColumn !== undefined,
      });
      if (!analysis.ok) return fail(analysis.issues);
      const result = analysis.value;
      const meta = { logs: a.logs, metric: a.metric, settingColumn: a.by ?? "setting" };
      const json = analysisJson(result, meta);
      mkdirSync(a.out, { recursive: true });
      writeFileSync(join(a.out, "table.csv"), runsCsv(result));
      writeFileSync(join(a.out, "fits.csv"), fitsCsv(result));
      writeFileSync(join(a.out, "fit.json"), json);
      const svg = renderSvg(result, {
        yLabel:
          a.tColumn === undefined
            ? `T: ${METRIC_LABEL[a.metric]} to reach accuracy ≥ ${result.threshold} (log scale)`
            : `T (${a.tColumn}, log scale)`,
        ...(a.title === undefined ? {} : { title: a.title }),
      });
      writeFileSync(join(a.out, "plot.svg"), svg);
      if (a.png) writeFileSync(join(a.out, "plot.png"), await renderPng(svg));
      process.stderr.write(summaryText(result));
      process.stderr.write(
        `wrote ${a.out}/{table.csv,fits.csv,fit.json,plot.svg${a.png ? ",plot.png" : ""}}\n`,
      );
      process.stdout.write(json);
      if (result.settings.some((s) => !s.ok)) process.exitCode = 1;
    },
  );
}
