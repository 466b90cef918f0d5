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
import type { Format } from "../src/generator/writer.js";
import type { BenchFigure, BenchOptions, BenchReport } from "./report.js";

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

    // Memory: stream a large run and sample the heap as it goes.
    const big = Math.max(2_000, Math.round(200_000 * opts.scale));
    gc();
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    let atTenth = 0;
    const t0 = performance.now();
    await writeDataset({
      source: source(config, 2),
      count: big,
      format: "jsonl",
      path: join(dir, "big.jsonl"),
      onProgress: (done) => {
        const h = process.memoryUsage().heapUsed;
        if (h > peak) peak = h;
        if (atTenth === 0 && done >= big / 10) {
          gc();
          atTenth = process.memoryUsage().heapUsed;
        }
      },
    });
    const streamSeconds = (performance.now() - t0) / 1000;
    gc();
    const after = process.memoryUsage().heapUsed;

    // Baseline: hold a tenth as many items in memory before writing, as a buffering writer would.
    const held = Math.max(200, Math.round(big / 10));
    gc();
    const heldBefore = process.memoryUsage().heapUsed;
    const kept = Array.from(generateItems(config, 2, 0, held));
    gc();
    const heldAfter = process.memoryUsage().heapUsed;
    const perItem = (heldAfter - heldBefore) / kept.length;
    kept.length = 0;

    figures.push({
      name: `heap growth streaming ${big} items to JSONL, MB (after − before, after GC)`,
      value: mb(after - before),
      unit: "MB",
      baselineName: `holding the same ${big} items in memory (extrapolated from ${held} held)`,
      baseline: mb(perItem * big),
      extra: {
        heapBeforeMB: mb(before),
        heapAfterMB: mb(after),
        heapAfterOverBefore: Math.round((after / before) * 1000) / 1000,
        heapAtTenthMB: mb(atTenth),
        heapAfterOverAtTenth: atTenth > 0 ? Math.round((after / atTenth) * 1000) / 1000 : 0,
        peakGrowthMB: mb(peak - before),
        itemsPerSecond: Math.round(big / streamSeconds),
      },
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { suite: "dataset", figures };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const scale = Number(process.argv[2] ?? "1");
  run({ scale: Number.isFinite(scale) && scale > 0 ? scale : 1 })
    .then((r) => process.stdout.write(JSON.stringify(r, null, 2) + "\n"))
    .catch((e: unknown) => {
      process.stderr.write(`bench dataset: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    });
}
