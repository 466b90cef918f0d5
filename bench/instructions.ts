/**
 * Generator cost in machine instructions per certified item, at the paper's preset depths: the
 * figure that does not move with machine load (wall-clock and CPU-time rates on a shared machine
 * swing by up to 2× between runs; instruction counts repeat to about 1–2 %, the rest being where
 * garbage collections land).
 *
 * For each level, a fresh `node --single-threaded` process (no background compiler or collector
 * threads, so all the work is on the counted thread) generates 500 warm-up items and then N items,
 * under valgrind's cachegrind with the cache simulation off; it runs once with N = 300 and once
 * with N = 1,300, and the difference divided by 1,000 is the steady-state count per item (start-up,
 * warm-up and compilation cancel out). With `--against DIR` the same is done for the `dist/` in
 * DIR (compiled from another commit) and reported as the baseline.
 *
 * Needs valgrind (Debian package `valgrind`). About 70 s per level and build.
 * Run: `node dist/bench/instructions.js [--against DIR/dist] [--levels disjunction,quantification]`.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { LEVELS, PRESET_DEPTH, defaultConfig, type Level } from "../src/generator/config.js";
import { flagValue, type BenchFigure, type BenchReport } from "./report.js";

const WARMUP = 500;
const SHORT = 300;
const LONG = 1300;

type Generate = (config: ReturnType<typeof defaultConfig>, seed: number, index: number) => unknown;

/** Child mode: `WARMUP` items, then `count` items, with the generator of the build in `dist`. */
async function child(dist: string, level: Level, count: number): Promise<void> {
  const url = pathToFileURL(resolve(dist, "src/generator/index.js")).href;
  const { generateItem } = (await import(url)) as { generateItem: Generate };
  const config = defaultConfig({ level, depth: PRESET_DEPTH[level] });
  for (let i = 0; i < WARMUP; i++) generateItem(config, 7, i);
  for (let i = 0; i < count; i++) generateItem(config, 20260522, i);
}

/** Total instructions of one child run, read from cachegrind's `summary:` line. */
function instructions(dist: string, level: Level, count: number, scratch: string): number {
  const out = join(scratch, `cg.${count}`);
  const self = fileURLToPath(import.meta.url);
  execFileSync(
    "valgrind",
    [
      "--tool=cachegrind",
      "--cache-sim=no",
      `--cachegrind-out-file=${out}`,
      process.execPath,
      "--single-threaded",
      self,
      "--child",
      dist,
      level,
      String(count),
    ],
    { stdio: ["ignore", "ignore", "ignore"] },
  );
  const summary = /^summary:\s+(\d+)/m.exec(readFileSync(out, "utf8"));
  if (summary === null) throw new Error(`no summary line in ${out}`);
  return Number(summary[1]);
}

/** Steady-state instructions per item of the build in `dist` at `level`. */
export function perItem(dist: string, level: Level): number {
  const scratch = mkdtempSync(join(tmpdir(), "scalelogic-instr-"));
  try {
    const short = instructions(dist, level, SHORT, scratch);
    const long = instructions(dist, level, LONG, scratch);
    return (long - short) / (LONG - SHORT);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Instructions per item for each level (this build, and the one in `against` as baseline). */
export function run(levels: readonly Level[], against?: string): BenchReport {
  const own = resolve(dirname(fileURLToPath(import.meta.url)), "..");
  const figures: BenchFigure[] = levels.map((level) => {
    const value = perItem(own, level);
    const figure: BenchFigure = {
      name: `${level} D${PRESET_DEPTH[level]}: instructions per certified item`,
      value,
      unit: "instructions/item",
    };
    if (against === undefined) return figure;
    const baseline = perItem(against, level);
    return {
      ...figure,
      baselineName: `generator built at ${against}`,
      baseline,
      extra: { change: value / baseline - 1 },
    };
  });
  return { suite: "instructions", figures };
}

function isLevel(s: string): s is Level {
  return (LEVELS as readonly string[]).includes(s);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const argv = process.argv.slice(2);
  const fail = (message: string): never => {
    process.stderr.write(`instructions: ${message}\n`);
    process.exit(2);
  };
  if (argv[0] === "--child") {
    const [, dist, level, count] = argv;
    if (dist === undefined || level === undefined || !isLevel(level)) fail("bad child arguments");
    await child(dist as string, level as Level, Number(count));
  } else {
    const arg = (flag: string): string | undefined => flagValue(argv, flag);
    try {
      execFileSync("valgrind", ["--version"], { stdio: "ignore" });
    } catch {
      fail("valgrind is not installed (Debian: apt-get install valgrind)");
    }
    const names = (arg("--levels") ?? LEVELS.join(",")).split(",");
    const bad = names.filter((n) => !isLevel(n));
    if (bad.length > 0) fail(`unknown level(s) ${bad.join(", ")}; levels are ${LEVELS.join(", ")}`);
    process.stdout.write(JSON.stringify(run(names as Level[], arg("--against")), null, 2) + "\n");
  }
}
