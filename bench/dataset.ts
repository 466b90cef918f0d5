/**
 * Dataset writing: throughput of each export format against generation alone, and memory while
 * streaming a large run against holding the items in memory (what the paper's released generator
 * does). Run alone with `node dist/bench/dataset.js [scale]`; prints the report as JSON.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import v8 from "node:v8";
import vm from "node:vm";
import { configHash, defaultConfig, type GenConfig } from "../src/generator/config.js";
import { generateItems } from "../src/generator/index.js";
import { writeDataset, type ItemSource } from "../src/generator/dataset.js";
import { itemJson, type DatasetItem, type Format } from "../src/generator/writer.js";
import { scaleFromArgs, type BenchFigure, type BenchOptions, type BenchReport } from "./report.js";

// A real collector makes before/after heap figures mean something; without it they are noise.
function collector(): () => void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) return g;
  v8.setFlagsFromString("--expose-gc");
  const fromVm = vm.runInNewContext("gc") as unknown;
  return typeof fromVm === "function" ? (fromVm as () => void) : () => undefined;
}

const mb = (bytes: number): number => Math.round((bytes / (1024 * 1024)) * 10) / 10;

function source(config: GenConfig, seed: number): ItemSource {
  return { config, configHash: configHash(config), seed, items: (s, n) => generateItems(config, seed, s, n) };
}

async function throughput(
  config: GenConfig,
  format: Format,
  count: number,
  dir: string,
): Promise<{ rate: number; bytes: number }> {
  const t0 = performance.now();
  const r = await writeDataset({ source: source(config, 1), count, format, path: join(dir, `t.${format}`) });
  const s = (performance.now() - t0) / 1000;
  return { rate: count / s, bytes: r.manifest.bytes };
}

// Items generated once and replayed with fresh indices: isolates the writer from the generator.
function recycled(config: GenConfig, pool: readonly DatasetItem[]): ItemSource {
  return {
    config,
    configHash: configHash(config),
    seed: 3,
    *items(start, n) {
      for (let i = start; i < start + n; i++) {
        const it = pool[i % pool.length] as DatasetItem;
        yield { ...it, index: i, id: `${it.id}#${i}` };
      }
    },
  };
}

interface MemoryRun {
  readonly before: number;
  readonly after: number;
  readonly atTenth: number;
  readonly peak: number;
  readonly seconds: number;
}

async function streamMemory(
  src: ItemSource,
  count: number,
  path: string,
  gc: () => void,
): Promise<MemoryRun> {
  gc();
  const before = process.memoryUsage().heapUsed;
  let peak = before;
  let atTenth = 0;
  const t0 = performance.now();
  await writeDataset({
    source: src,
    count,
    format: "jsonl",
    path,
    onProgress: (done) => {
      const h = process.memoryUsage().heapUsed;
      if (h > peak) peak = h;
      if (atTenth === 0 && done >= count / 10) {
        gc();
        atTenth = process.memoryUsage().heapUsed;
      }
    },
  });
  const seconds = (performance.now() - t0) / 1000;
  gc();
  return { before, after: process.memoryUsage().heapUsed, atTenth, peak, seconds };
}

function memoryExtra(m: MemoryRun, count: number): Record<string, number> {
  return {
    heapBeforeMB: mb(m.before),
    heapAfterMB: mb(m.after),
    heapAfterOverBefore: Math.round((m.after / m.before) * 1000) / 1000,
    heapAtTenthMB: mb(m.atTenth),
    heapAfterOverAtTenth: m.atTenth > 0 ? Math.round((m.after / m.atTenth) * 1000) / 1000 : 0,
    peakGrowthMB: mb(m.peak - m.before),
    itemsPerSecond: Math.round(count / m.seconds),
  };
}

function generationOnly(config: GenConfig, count: number): number {
  const t0 = performance.now();
  let n = 0;
  for (const it of generateItems(config, 1, 0, count)) n += it.prompt.length > 0 ? 1 : 0;
  return n / ((performance.now() - t0) / 1000);
}

/** Runs the dataset suite. */
export async function run(opts: BenchOptions): Promise<BenchReport> {
  const gc = collector();
  const dir = mkdtempSync(join(tmpdir(), "scalelogic-bench-dataset-"));
  const figures: BenchFigure[] = [];
  // A shallow level keeps the run about the writer rather than the generator.
  const config = defaultConfig({ level: "implication", depth: 8 });
  try {
    const n = Math.max(200, Math.round(20_000 * opts.scale));
    generationOnly(config, Math.min(n, 500)); // warm-up
    const base = generationOnly(config, n);
    for (const format of ["jsonl", "parquet", "tptp"] as const) {
      const t = await throughput(config, format, n, dir);
      figures.push({
        name: `generate + write ${format}, items/s (implication d8, ${n} items)`,
        value: Math.round(t.rate),
        unit: "items/s",
        baselineName: "generation alone (same items, no output)",
        baseline: Math.round(base),
        extra: { bytesPerItem: Math.round(t.bytes / n) },
      });
    }

    // Writer alone: the same 1,000 items replayed, against serializing them without any output.
    const pool = Array.from(generateItems(config, 3, 0, 1000));
    const w = Math.max(2_000, Math.round(100_000 * opts.scale));
    let chars = 0;
    for (const it of pool) chars += itemJson(it).length; // warm-up, so the baseline is not measured cold
    chars = 0;
    let t0 = performance.now();
    for (let i = 0; i < w; i++) chars += itemJson(pool[i % pool.length] as DatasetItem).length;
    const stringifyRate = w / ((performance.now() - t0) / 1000);
    for (const format of ["jsonl", "parquet"] as const) {
      t0 = performance.now();
      await writeDataset({
        source: recycled(config, pool),
        count: w,
        format,
        path: join(dir, `w.${format}`),
      });
      figures.push({
        name: `${format} writer alone, items/s (${w} replayed items, output to disk)`,
        value: Math.round(w / ((performance.now() - t0) / 1000)),
        unit: "items/s",
        baselineName: "canonical JSON serialization of the same items, no output",
        baseline: Math.round(stringifyRate),
        extra: { avgJsonChars: Math.round(chars / w) },
      });
    }

    // Memory: stream large runs and sample the heap as they go; the baseline holds items in memory
    // before writing, as a buffering writer (the paper's released generator) does.
    const held = 1000;
    gc();
    const heldBefore = process.memoryUsage().heapUsed;
    const kept = Array.from(generateItems(config, 2, 0, held));
    gc();
    const perItem = (process.memoryUsage().heapUsed - heldBefore) / kept.length;
    kept.length = 0;

    const million = Math.max(10_000, Math.round(1_000_000 * opts.scale));
    const mw = await streamMemory(recycled(config, pool), million, join(dir, "million.jsonl"), gc);
    figures.push({
      name: `heap growth streaming ${million} items through the JSONL writer, MB (after − before, after GC)`,
      value: mb(mw.after - mw.before),
      unit: "MB",
      baselineName: `holding ${million} items in memory (${mb(perItem * 1000)} MB per 1,000 measured)`,
      baseline: mb(perItem * million),
      extra: memoryExtra(mw, million),
    });

    const big = Math.max(1_000, Math.round(50_000 * opts.scale));
    const mg = await streamMemory(source(config, 2), big, join(dir, "big.jsonl"), gc);
    figures.push({
      name: `heap growth generating and streaming ${big} items to JSONL, MB (after − before, after GC)`,
      value: mb(mg.after - mg.before),
      unit: "MB",
      baselineName: `holding the same ${big} items in memory`,
      baseline: mb(perItem * big),
      extra: memoryExtra(mg, big),
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { suite: "dataset", figures };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const scale = scaleFromArgs(process.argv);
  run({ scale })
    .then((r) => process.stdout.write(JSON.stringify(r, null, 2) + "\n"))
    .catch((e: unknown) => {
      process.stderr.write(`bench dataset: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    });
}
