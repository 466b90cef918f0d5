/**
 * Generator throughput: certified problems per CPU-second (per core) per level, at the paper's
 * preset depths and at D = 64, single thread; CPU time (process.cpuUsage) rather than wall time so
 * that other work on a shared machine does not count against us (wall-clock rate is in `extra`). Every figure carries two same-run baselines: the construction-only
 * pass (draft + dedup key + formulas + prompt, no certification) and JSON.stringify of the items
 * produced. `extra` holds attempts per item and the CPU-time share of each phase (garbage
 * collection lands in whichever phase triggered it), so the cost of the prover's procedures
 * (ground, decide, depth, prepare, check) is visible to their owners.
 *
 * Run alone: `node dist/bench/generator.js [--scale S]` prints the report as JSON.
 */
import { fileURLToPath } from "node:url";
import { configHash, defaultConfig, LEVELS, PRESET_DEPTH, type GenConfig } from "../src/generator/config.js";
import { generateItem, newStats, type Item } from "../src/generator/index.js";
import { assemble } from "../src/generator/problem.js";
import { renderPrompt } from "../src/generator/prompt.js";
import { attemptSeed, itemSeed, makeRng } from "../src/generator/random.js";
import { dedupKey } from "../src/generator/dedup.js";
import { buildDraft } from "../src/generator/tree.js";
import type { BenchFigure, BenchOptions, BenchReport } from "./report.js";

const BAR = "≥ 5,000 problems/s per core at the paper's preset depths, certificates included";

/** CPU time of this process in ms (user + system): the machine is shared, so "per core" is per CPU-second. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function constructionOnly(config: GenConfig, seed: number, count: number): number {
  const hash = configHash(config);
  const t0 = cpuMs();
  let sink = 0;
  for (let i = 0; i < count; i++) {
    const rng = makeRng(attemptSeed(itemSeed(hash, seed, config.split, i), 0));
    const d = buildDraft(config, config.depth, rng);
    const key = dedupKey({
      facts: d.facts.filter((f) => f.alive).map((f) => f.value),
      rules: d.rules.filter((r) => r.alive).map((r) => r.value),
      candidates: d.roots.map((r) => r.lit),
      answer: 0,
      predCount: d.preds.length,
      peopleCount: d.people.length,
    });
    sink += key.length + renderPrompt(assemble(d, rng), config.task).length;
  }
  const dt = cpuMs() - t0;
  if (sink < 0) throw new Error("unreachable");
  return (count / dt) * 1000;
}

function measure(config: GenConfig, count: number, name: string): BenchFigure {
  const seed = 20260522;
  // Warm-up so the JIT has compiled the hot paths before the timed run.
  for (let i = 0; i < Math.min(20, count); i++) generateItem(config, seed + 1, i);
  const stats = newStats();
  const items: Item[] = [];
  const w0 = performance.now();
  const t0 = cpuMs();
  for (let i = 0; i < count; i++) items.push(generateItem(config, seed, i, stats));
  const dt = cpuMs() - t0;
  const wall = performance.now() - w0;
  const rate = (count / dt) * 1000;
  const s0 = cpuMs();
  let bytes = 0;
  for (const it of items) bytes += JSON.stringify(it).length;
  const jsonRate = (count / Math.max(0.001, cpuMs() - s0)) * 1000;
  const construction = constructionOnly(config, seed, count);
  const totalMs = Object.values(stats.ms).reduce((a, b) => a + b, 0);
  const extra: Record<string, number> = {
    items: count,
    attemptsPerItem: stats.attempts / count,
    draftsPerItem: stats.drafts / count,
    bytesPerItem: bytes / count,
    jsonStringifyItemsPerS: jsonRate,
    wallClockProblemsPerS: (count / wall) * 1000,
  };
  for (const [phase, ms] of Object.entries(stats.ms)) extra[`share_${phase}`] = ms / totalMs;
  for (const [phase, ms] of Object.entries(stats.ms)) extra[`us_${phase}`] = (ms / count) * 1000;
  return {
    name,
    value: rate,
    unit: "problems/s",
    baselineName: "construction only (draft, key, formulas, prompt; no certificates)",
    baseline: construction,
    bar: BAR,
    extra,
  };
}

/** Runs the generator suite. */
export async function run(opts: BenchOptions): Promise<BenchReport> {
  const figures: BenchFigure[] = [];
  const n = (k: number): number => Math.max(5, Math.round(k * opts.scale));
  for (const level of LEVELS) {
    const depth = PRESET_DEPTH[level];
    figures.push(measure(defaultConfig({ level, depth }), n(400), `${level} D${depth} (preset), certified`));
  }
  for (const level of LEVELS) {
    figures.push(measure(defaultConfig({ level, depth: 64 }), n(60), `${level} D64, certified`));
  }
  return { suite: "generator", figures };
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const i = process.argv.indexOf("--scale");
  const scale = i >= 0 ? Number(process.argv[i + 1]) : 1;
  run({ scale: Number.isFinite(scale) && scale > 0 ? scale : 1 })
    .then((r) => process.stdout.write(JSON.stringify(r, null, 2) + "\n"))
    .catch((e: unknown) => {
      process.stderr.write(String(e) + "\n");
      process.exit(1);
    });
}
