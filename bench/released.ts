/**
 * Our generator beside the paper's released Python generator, timed in the same window. The
 * speed bar (5,000 certified problems/s per core) stands for twenty times the released generator
 * at the presets; this machine's speed for our code moves by up to 2× between sessions, so the
 * ratio measured in one window is the figure that carries over.
 *
 * Needs python3 and a checkout of the released code (github wtl666wtl/ScaleLogic) given as
 * `--ref DIR`; nothing of it is part of this project. A small harness (below, ours) calls its
 * `generate_uniform_depth_samples` and `graphs_to_qa` the way its `aug_generator.py` does, with
 * the flags its data_generation/README.md gives per level, B = 4 and total_edges = 4·D, and times
 * them with `time.process_time()` (parquet writing is left out). It draws depths uniformly over
 * 1..D, so our rate is measured both at exactly D (what our presets certify) and with the uniform
 * mix over 1..D (its distribution). Each round alternates the two per level; ours runs in a fresh
 * process, 2,000 items after 2,000 warm-up items, CPU time.
 *
 * Run: `node dist/bench/released.js --ref DIR [--rounds 3] [--items 1500]`.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { LEVELS, PRESET_DEPTH, defaultConfig, type Level } from "../src/generator/config.js";
import { flagValue, type BenchFigure, type BenchReport } from "./report.js";

/** Flags per level, from the released data_generation/README.md (its "five paper settings"). */
const HARNESS = String.raw`
import contextlib, io, sys, time
sys.path.insert(0, sys.argv[1] + "/data_generation")
from aug_generator import generate_uniform_depth_samples
from graph_to_qa import graphs_to_qa
level, depth, n = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
flags = {
    "implication": dict(no_conjunction=True, no_disjunction=True, no_negation=True, no_reuse=True, num_persons=1, p_forall=0.0),
    "conjunction": dict(no_conjunction=False, no_disjunction=True, no_negation=True, no_reuse=True, num_persons=1, p_forall=0.0),
    "negation": dict(no_conjunction=False, no_disjunction=True, no_negation=False, no_reuse=True, num_persons=1, p_forall=0.0),
    "disjunction": dict(no_conjunction=False, no_disjunction=False, no_negation=False, no_reuse=True, num_persons=1, p_forall=0.0),
    "quantification": dict(no_conjunction=False, no_disjunction=False, no_negation=False, no_reuse=False, num_persons=2, p_forall=0.5),
}[level]
t0 = time.process_time()
with contextlib.redirect_stdout(io.StringIO()):
    graphs, infos, _, _ = generate_uniform_depth_samples(
        n_train=n, n_test=0, total_edges=4 * depth, branches=4, max_depth=depth, max_arity=2,
        p_small_arity=1.0, p_negate_node=0.5, p_sibling_neg=0.5, seed=0, **flags)
    inputs, _ = graphs_to_qa(graphs, infos, seed=0)
print(len(inputs) / (time.process_time() - t0))
`;

const SEED = 20260522;

type Generate = (config: ReturnType<typeof defaultConfig>, seed: number, index: number) => unknown;

/** Child mode: our certified problems per CPU-second at `level`, exact preset depth or uniform mix. */
async function ours(dist: string, level: Level, mix: "exact" | "uniform"): Promise<number> {
  const url = pathToFileURL(resolve(dist, "src/generator/index.js")).href;
  const { generateItem } = (await import(url)) as { generateItem: Generate };
  const config = defaultConfig({ level, depth: PRESET_DEPTH[level], mix });
  for (let i = 0; i < 2000; i++) generateItem(config, SEED + 1, i);
  const u0 = process.cpuUsage();
  for (let i = 0; i < 2000; i++) generateItem(config, SEED, i);
  const u = process.cpuUsage(u0);
  return 2000 / ((u.user + u.system) / 1e6);
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)] ?? 0;
}

/** The comparison, `rounds` times per level, alternating the two generators. */
export function run(ref: string, rounds: number, items: number): BenchReport {
  const self = fileURLToPath(import.meta.url);
  const dist = resolve(dirname(self), "..");
  const scratch = mkdtempSync(join(tmpdir(), "scalelogic-released-"));
  const harness = join(scratch, "harness.py");
  writeFileSync(harness, HARNESS);
  const rate = (cmd: string, args: string[]): number =>
    Number(execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim());
  try {
    const figures: BenchFigure[] = LEVELS.map((level) => {
      const depth = PRESET_DEPTH[level];
      const released: number[] = [];
      const exact: number[] = [];
      const uniform: number[] = [];
      for (let r = 0; r < rounds; r++) {
        released.push(rate("python3", [harness, ref, level, String(depth), String(items)]));
        exact.push(rate(process.execPath, [self, "--ours", dist, level, "exact"]));
        uniform.push(rate(process.execPath, [self, "--ours", dist, level, "uniform"]));
      }
      const extra: Record<string, number> = {
        oursUniformMix: median(uniform),
        ratioExact: median(exact) / median(released),
        ratioUniform: median(uniform) / median(released),
      };
      for (let r = 0; r < rounds; r++) {
        extra[`round${r + 1}Released`] = released[r] as number;
        extra[`round${r + 1}Exact`] = exact[r] as number;
        extra[`round${r + 1}Uniform`] = uniform[r] as number;
      }
      return {
        name: `${level} D${depth}: certified problems/s at exactly D, beside the released generator`,
        value: median(exact),
        unit: "problems/s",
        baselineName: `released Python generator (${ref}), depths uniform over 1..${depth}, ${items} items`,
        baseline: median(released),
        bar: "20× the released generator (≥ 5,000 problems/s per core)",
        extra,
      };
    });
    return { suite: "released", figures };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const argv = process.argv.slice(2);
  const fail = (message: string): never => {
    process.stderr.write(`released: ${message}\n`);
    process.exit(2);
  };
  if (argv[0] === "--ours") {
    const [, dist, level, mix] = argv;
    if (dist === undefined || level === undefined || !(LEVELS as readonly string[]).includes(level))
      fail("bad child arguments");
    const r = await ours(dist as string, level as Level, mix === "uniform" ? "uniform" : "exact");
    process.stdout.write(`${r}\n`);
  } else {
    const arg = (flag: string): string | undefined => flagValue(argv, flag);
    const ref = arg("--ref");
    if (ref === undefined) fail("give the released code's checkout: --ref DIR");
    if (!existsSync(join(ref as string, "data_generation", "aug_generator.py")))
      fail(`${String(ref)} has no data_generation/aug_generator.py (a checkout of wtl666wtl/ScaleLogic)`);
    const rounds = Number(arg("--rounds") ?? 3);
    const items = Number(arg("--items") ?? 1500);
    if (!Number.isInteger(rounds) || rounds < 1) fail("--rounds must be a positive integer");
    if (!Number.isInteger(items) || items < 4) fail("--items must be an integer ≥ 4");
    process.stdout.write(JSON.stringify(run(ref as string, rounds, items), null, 2) + "\n");
  }
}
