/**
 * Generator throughput: certified problems per CPU-second (per core) per level, at the paper's
 * preset depths and at D = 64, single thread; CPU time (process.cpuUsage) rather than wall time so
 * that other work on a shared machine does not count against us (wall-clock rate is in `extra`).
 *
 * Figures, each with a baseline measured in the same run:
 * - certified problems/s at steady state (median of 8 slices after a warm-up of as many items; the
 *   cold rate of a fresh process's first 200 items is in `extra`; items are streamed, not kept)
 *   beside the construction-only pass (draft + dedup key + formulas + prompt,
 *   no certification); `extra` holds attempts per item and the CPU time of each phase (from a
 *   separate pass with phase timers, so the timers do not slow the headline figure);
 * - rendering (prompt, wire form, gold proof text) the way the generator does it now beside the
 *   generic printers it replaced (`problemToJson`, `renderProof(goldProof(…))`, per-sentence
 *   prompt helpers) on the same assembled problems;
 * - with `--against DIR` (a `dist/` built from another commit): this build beside that one, in
 *   alternating slices of the same process, so both see the same machine load.
 *
 * Run alone: `node dist/bench/generator.js [--scale S] [--against DIR]` prints the report as JSON.
 */
import { execFileSync } from "node:child_process";
import { pathToFileURL, fileURLToPath } from "node:url";
import { dirname, resolve } from "node:path";
import { problemToJson } from "../src/logic/serialize.js";
import { renderProof } from "../src/prover/render.js";
import { configHash, defaultConfig, LEVELS, PRESET_DEPTH, type GenConfig } from "../src/generator/config.js";
import { goldProof, goldText } from "../src/generator/gold.js";
import { generateItem, newStats, type Item } from "../src/generator/index.js";
import { assemble, type Assembled } from "../src/generator/problem.js";
import {
  CHOICE_INSTRUCTION,
  factText,
  literalText,
  renderPrompt,
  ruleText,
  Texts,
  wireForm,
} from "../src/generator/prompt.js";
import { attemptSeed, itemSeed, makeRng } from "../src/generator/random.js";
import { draftKey } from "../src/generator/dedup.js";
import { buildDraft, type Lit, type RuleSpec } from "../src/generator/tree.js";
import type { BenchFigure, BenchOptions, BenchReport } from "./report.js";

const BAR = "≥ 5,000 problems/s per core at the paper's preset depths, certificates included";
const SEED = 20260522;

/** CPU time of this process in ms (user + system): the machine is shared, so "per core" is per CPU-second. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)] ?? 0;
}

function constructionOnly(config: GenConfig, seed: number, count: number): number {
  const hash = configHash(config);
  const t0 = cpuMs();
  let sink = 0;
  for (let i = 0; i < count; i++) {
    const rng = makeRng(attemptSeed(itemSeed(hash, seed, config.split, i), 0));
    const d = buildDraft(config, config.depth, rng);
    const key = draftKey(d);
    sink += key.length + renderPrompt(assemble(d, rng), config.task).length;
  }
  const dt = cpuMs() - t0;
  if (sink < 0) throw new Error("unreachable");
  return (count / dt) * 1000;
}

function measure(config: GenConfig, count: number, warmup: number, name: string): BenchFigure {
  // Warm-up so the JIT has compiled (and tiered up) the hot paths before the timed run: a fresh
  // process needs about 2,000 items to reach its steady rate (its first 100 items run at a tenth of
  // it), and a dataset run spends nearly all its time in that steady state. The cold rate of the
  // first items is reported beside it in `extra`.
  const c0 = cpuMs();
  const cold = Math.min(200, warmup);
  for (let i = 0; i < cold; i++) generateItem(config, SEED + 1, i);
  const coldRate = cold > 0 ? (cold / Math.max(0.001, cpuMs() - c0)) * 1000 : 0;
  for (let i = cold; i < warmup; i++) generateItem(config, SEED + 1, i);
  // Items are not kept: a dataset run streams them, and holding hundreds of items would charge
  // old-generation garbage collection to the generator. The figure is the median of 8 slices.
  const slices = 8;
  const per = Math.max(1, Math.round(count / slices));
  const sliceMs: number[] = [];
  let sink = 0;
  const w0 = performance.now();
  for (let s = 0; s < slices; s++) {
    const t0 = cpuMs();
    for (let i = 0; i < per; i++) sink += generateItem(config, SEED, s * per + i).prompt.length;
    sliceMs.push(cpuMs() - t0);
  }
  const wall = performance.now() - w0;
  if (sink < 0) throw new Error("unreachable");
  const dt = median(sliceMs);
  const rate = (per / dt) * 1000;
  const stats = newStats();
  const phased = Math.max(5, Math.round(count / 2));
  for (let i = 0; i < phased; i++) generateItem(config, SEED + 2, i, stats);
  const items: Item[] = [];
  for (let i = 0; i < Math.min(count, 50); i++) items.push(generateItem(config, SEED, i));
  const s0 = cpuMs();
  let bytes = 0;
  for (const it of items) bytes += JSON.stringify(it).length;
  const jsonRate = (items.length / Math.max(0.001, cpuMs() - s0)) * 1000;
  const construction = constructionOnly(config, SEED, count);
  const totalMs = Object.values(stats.ms).reduce((a, b) => a + b, 0);
  const extra: Record<string, number> = {
    items: count,
    warmupItems: warmup,
    coldProblemsPerS: coldRate,
    attemptsPerItem: stats.attempts / phased,
    draftsPerItem: stats.drafts / phased,
    bytesPerItem: bytes / items.length,
    jsonStringifyItemsPerS: jsonRate,
    wallClockProblemsPerS: ((per * slices) / wall) * 1000,
    meanProblemsPerS: ((per * slices) / sliceMs.reduce((x, y) => x + y, 0)) * 1000,
  };
  for (const [phase, ms] of Object.entries(stats.ms)) extra[`share_${phase}`] = ms / totalMs;
  for (const [phase, ms] of Object.entries(stats.ms)) extra[`us_${phase}`] = (ms / phased) * 1000;
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

/** The rendering the generator did before `Texts`: generic printers over formulas and the proof AST. */
function genericRender(a: Assembled): number {
  const facts = a.facts.map((f: Lit) => factText(f, a.draft));
  const rules = a.rules.map((r: RuleSpec) => ruleText(r, a.draft));
  const nF = facts.length;
  const prompt =
    "Suppose we have the following facts: " +
    a.order.map((v) => (v < nF ? facts[v] : rules[v - nF])).join(" ") +
    "\n\nHere are some candidate statements:\n" +
    a.candidates.map((l) => literalText(l, a.draft)).join("\n") +
    "\n\n" +
    CHOICE_INSTRUCTION;
  const wire = problemToJson(a.problem);
  const proof = renderProof(goldProof(a), { tags: false });
  return prompt.length + wire.rules.length + proof.length;
}

function directRender(a: Assembled): number {
  const texts = new Texts(a);
  const proof = goldText(a, texts);
  const wire = wireForm(a, texts);
  return renderPrompt(a, "choice", texts).length + wire.rules.length + proof.length;
}

function rendering(config: GenConfig, count: number, name: string): BenchFigure {
  const problems: Assembled[] = [];
  for (let i = 0; i < count; i++) {
    const rng = makeRng(`bench-render-${i}`);
    problems.push(assemble(buildDraft(config, config.depth, rng), rng));
  }
  const slices = 6;
  const times: [number[], number[]] = [[], []];
  let sink = 0;
  for (let s = 0; s < slices; s++) {
    // Alternate which goes first so neither always runs right after the other's garbage.
    const order = s % 2 === 0 ? [0, 1] : [1, 0];
    for (const k of order) {
      const f = k === 0 ? directRender : genericRender;
      const t0 = cpuMs();
      for (const a of problems) sink += f(a);
      (times[k as 0 | 1] as number[]).push(cpuMs() - t0);
    }
  }
  if (sink < 0) throw new Error("unreachable");
  return {
    name,
    value: (count / median(times[0])) * 1000,
    unit: "renders/s",
    baselineName: "generic printers (problemToJson, renderProof of the gold AST, per-sentence helpers)",
    baseline: (count / median(times[1])) * 1000,
  };
}

type Generate = (config: GenConfig, seed: number, index: number) => unknown;

/** This build beside another build's generator, in alternating slices of one process. */
async function against(dir: string, count: number): Promise<BenchFigure[]> {
  const url = pathToFileURL(resolve(dir, "src/generator/index.js")).href;
  const other = (await import(url)) as { generateItem: Generate };
  const figures: BenchFigure[] = [];
  for (const level of LEVELS) {
    const depth = PRESET_DEPTH[level];
    const config = defaultConfig({ level, depth });
    const gens: [Generate, Generate] = [generateItem, other.generateItem];
    for (const g of gens) for (let i = 0; i < 1000; i++) g(config, SEED + 1, i);
    const slices = 8;
    const per = Math.max(5, Math.round(count / slices));
    const times: [number[], number[]] = [[], []];
    for (let s = 0; s < slices; s++) {
      const order = s % 2 === 0 ? [0, 1] : [1, 0];
      for (const k of order) {
        const g = gens[k as 0 | 1];
        const t0 = cpuMs();
        for (let i = 0; i < per; i++) g(config, SEED, s * per + i);
        (times[k as 0 | 1] as number[]).push(cpuMs() - t0);
      }
    }
    figures.push({
      name: `${level} D${depth}: this build vs ${dir}`,
      value: (per / median(times[0])) * 1000,
      unit: "problems/s",
      baselineName: `generator built at ${dir} (median of ${slices} alternating slices of ${per} items)`,
      baseline: (per / median(times[1])) * 1000,
    });
  }
  return figures;
}

/** Child-process mode: certified problems per CPU-second per preset level for the build in `dir`. */
async function ratesOf(dir: string, count: number): Promise<number[]> {
  const url = pathToFileURL(resolve(dir, "src/generator/index.js")).href;
  const g = ((await import(url)) as { generateItem: Generate }).generateItem;
  const rates: number[] = [];
  for (const level of LEVELS) {
    const config = defaultConfig({ level, depth: PRESET_DEPTH[level] });
    for (let i = 0; i < 1000; i++) g(config, SEED + 1, i);
    const t0 = cpuMs();
    for (let i = 0; i < count; i++) g(config, SEED, i);
    rates.push((count / (cpuMs() - t0)) * 1000);
  }
  return rates;
}

/**
 * This build and the one in `dir`, each in its own fresh process, alternating `pairs` times. In
 * one process the two builds share a heap (each pays for collecting the other's garbage), so this
 * is the figure to trust when they allocate very differently; the median ratio of the pairs is
 * reported.
 */
function againstInProcesses(dir: string, count: number, pairs: number): BenchFigure[] {
  const self = fileURLToPath(import.meta.url);
  const own = resolve(dirname(self), "..");
  const runChild = (d: string): number[] =>
    JSON.parse(
      execFileSync(process.execPath, [self, "--rates", d, "--count", String(count)], { encoding: "utf8" }),
    ) as number[];
  const mine: number[][] = [];
  const theirs: number[][] = [];
  for (let k = 0; k < pairs; k++) {
    // Alternate which goes first, so a change in machine load hits both alike on average.
    if (k % 2 === 0) {
      theirs.push(runChild(dir));
      mine.push(runChild(own));
    } else {
      mine.push(runChild(own));
      theirs.push(runChild(dir));
    }
  }
  return LEVELS.map((level, i) => {
    const a = mine.map((r) => r[i] ?? 0);
    const b = theirs.map((r) => r[i] ?? 0);
    const ratios = a.map((x, k) => x / (b[k] ?? 1));
    return {
      name: `${level} D${PRESET_DEPTH[level]}: this build vs ${dir}, separate processes`,
      value: median(a),
      unit: "problems/s",
      baselineName: `generator built at ${dir} (median of ${pairs} processes of ${count} items, alternating)`,
      baseline: median(b),
      extra: {
        medianPairRatio: median(ratios),
        ...Object.fromEntries(ratios.map((x, k) => [`pair${k + 1}Ratio`, Math.round(x * 100) / 100])),
      },
    };
  });
}

/** Runs the generator suite; `againstDir` adds the build-versus-build comparison. */
export async function run(opts: BenchOptions, againstDir?: string): Promise<BenchReport> {
  const figures: BenchFigure[] = [];
  const n = (k: number): number => Math.max(5, Math.round(k * opts.scale));
  for (const level of LEVELS) {
    const depth = PRESET_DEPTH[level];
    figures.push(
      measure(defaultConfig({ level, depth }), n(2000), n(2000), `${level} D${depth} (preset), certified`),
    );
  }
  for (const level of LEVELS) {
    figures.push(measure(defaultConfig({ level, depth: 64 }), n(200), n(300), `${level} D64, certified`));
  }
  for (const level of LEVELS) {
    const depth = PRESET_DEPTH[level];
    figures.push(rendering(defaultConfig({ level, depth }), n(200), `${level} D${depth}: rendering`));
  }
  if (againstDir !== undefined) {
    figures.push(...(await against(againstDir, n(400))));
    figures.push(...againstInProcesses(againstDir, n(600), 5));
  }
  return { suite: "generator", figures };
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const arg = (flag: string): string | undefined => {
    const i = process.argv.indexOf(flag);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  const rates = arg("--rates");
  const scale = Number(arg("--scale") ?? 1);
  if (rates !== undefined) {
    ratesOf(rates, Number(arg("--count") ?? 400))
      .then((r) => process.stdout.write(JSON.stringify(r) + "\n"))
      .catch((e: unknown) => {
        process.stderr.write(String(e) + "\n");
        process.exit(1);
      });
  } else
    run({ scale: Number.isFinite(scale) && scale > 0 ? scale : 1 }, arg("--against"))
      .then((r) => process.stdout.write(JSON.stringify(r, null, 2) + "\n"))
      .catch((e: unknown) => {
        process.stderr.write(String(e) + "\n");
        process.exit(1);
      });
}
