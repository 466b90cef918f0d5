/**
 * Writing datasets: pull items from a generator iterable, stream them into one output file of a
 * chosen format (atomically), and write the shard's manifest beside it.
 *
 * Memory stays flat: items are pulled one at a time and every write honours the stream's
 * backpressure. Shards partition the index range [0, count) of a run, and because item i is a
 * pure function of (config, seed, i), a shard's items are exactly the same slice of the whole run.
 */
import { assertNever } from "../logic/formula.js";
import { mkdirSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import {
  AtomicFile,
  formatExtension,
  jsonlWriter,
  type DatasetItem,
  type Format,
  type ItemWriter,
} from "./writer.js";
import { parquetWriter } from "./writerparquet.js";
import { itemTptp, tptpWriter, type TptpRender } from "./writertptp.js";
import {
  CountAccumulator,
  manifestPath,
  manifestText,
  toolVersion,
  type Manifest,
  type Shard,
} from "./manifest.js";

/** Where items come from: a run's config, its hash and seed, and a lazy range of items. */
export interface ItemSource {
  readonly config: unknown;
  readonly configHash: string;
  readonly seed: number;
  /** Items `start`, `start+1`, … (`count` of them), produced lazily. */
  items(start: number, count: number): Iterable<DatasetItem>;
}

/** Options of `writeDataset`. */
export interface DatasetOptions {
  readonly source: ItemSource;
  /** Items in the whole run (all shards together). */
  readonly count: number;
  /** Which shard to write; the whole run when absent. */
  readonly shard?: Shard;
  readonly format: Format;
  /** Output file path. */
  readonly path: string;
  /** For `tptp`: renders an item's problem (default `itemTptp`, from the wire-form problem). */
  readonly tptp?: TptpRender;
  /** Aborting removes the temporary file and rejects with an AbortError. */
  readonly signal?: AbortSignal;
  /** Called every few hundred items and at the end with (done, total for this shard). */
  readonly onProgress?: (done: number, total: number) => void;
}

/** What `writeDataset` produced. */
export interface DatasetResult {
  readonly path: string;
  readonly manifestPath: string;
  readonly manifest: Manifest;
}

/** Result of parsing user input: a value, or at least one issue. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; issues: [string, ...string[]] };

/** Parses `i/N` (0 ≤ i < N, N ≥ 1) as a shard. */
export function parseShard(text: string): Parsed<Shard> {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) return { ok: false, issues: [`shard must look like i/N (e.g. 0/4), got "${text}"`] };
  const index = Number(m[1]);
  const total = Number(m[2]);
  if (!Number.isSafeInteger(total) || total < 1) return { ok: false, issues: [`shard count N must be ≥ 1`] };
  if (!Number.isSafeInteger(index) || index >= total)
    return { ok: false, issues: [`shard index i must be 0…${total - 1} (0-based), got ${m[1]}`] };
  return { ok: true, value: { index, total } };
}

/**
 * The index range [start, end) of shard i of N over a run of `count` items. The ranges of all
 * shards are disjoint, contiguous, cover [0, count), and differ in size by at most one.
 */
export function shardRange(count: number, shard: Shard): { start: number; end: number } {
  const start = Math.floor((count * shard.index) / shard.total);
  const end = Math.floor((count * (shard.index + 1)) / shard.total);
  return { start, end };
}

/**
 * Resolves `--out`: a path ending in `/` or naming an existing directory gets `defaultName`
 * inside it; anything else is the output file itself. Creates the directory either way.
 */
export function resolveOutputPath(out: string, defaultName: string): string {
  let isDir = out.endsWith("/") || out.endsWith("\\");
  if (!isDir) {
    try {
      isDir = statSync(out).isDirectory();
    } catch {
      isDir = false;
    }
  }
  const path = isDir ? join(out, defaultName) : out;
  mkdirSync(dirname(path), { recursive: true });
  return path;
}

/** The default output file name for a run: `<stem>[.shard-i-of-N].<ext>`. */
export function defaultFileName(stem: string, format: Format, shard?: Shard): string {
  const part = shard && shard.total > 1 ? `.shard-${shard.index}-of-${shard.total}` : "";
  return `${stem}${part}.${formatExtension(format)}`;
}

/** Thrown (as `name: "AbortError"`) when the signal aborts a write. */
export class DatasetAbortError extends Error {
  override name = "AbortError";
}

function openItemWriter(opts: DatasetOptions, file: AtomicFile, meta: Record<string, string>): ItemWriter {
  switch (opts.format) {
    case "jsonl":
      return jsonlWriter(file);
    case "parquet":
      return parquetWriter(file, meta);
    case "tptp":
      return tptpWriter(file, opts.tptp ?? itemTptp);
    default:
      return assertNever(opts.format);
  }
}

// Between items the loop yields to the event loop this often, so signals (Ctrl-C) and
// aborts are seen promptly even when the disk never pushes back.
const yieldEvery = 256;

/**
 * Writes one shard (or the whole run) to `opts.path` atomically, then its manifest beside it.
 * On any error or abort the temporary file is removed and the final path is left untouched.
 */
export async function writeDataset(opts: DatasetOptions): Promise<DatasetResult> {
  if (!Number.isSafeInteger(opts.count) || opts.count < 0)
    throw new RangeError(`count must be a non-negative integer, got ${opts.count}`);
  const shard = opts.shard ?? { index: 0, total: 1 };
  const { start, end } = shardRange(opts.count, shard);
  const total = end - start;
  const { source } = opts;
  const meta = {
    "scalelogic.config": JSON.stringify(source.config),
    "scalelogic.config_hash": source.configHash,
    "scalelogic.seed": String(source.seed),
    "scalelogic.range": `${start}-${end}`,
  };

  const file = AtomicFile.open(opts.path);
  const counts = new CountAccumulator();
  try {
    const writer = openItemWriter(opts, file, meta);
    let done = 0;
    for (const item of source.items(start, total)) {
      if (item.index !== start + done)
        throw new Error(`item source returned index ${item.index}, expected ${start + done}`);
      counts.add(item);
      const pending = writer.write(item);
      if (pending) await pending;
      done++;
      if (done % yieldEvery === 0) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (opts.signal?.aborted) throw new DatasetAbortError("interrupted");
        opts.onProgress?.(done, total);
      }
      if (done === total) break;
    }
    if (done !== total) throw new Error(`item source ended after ${done} of ${total} items`);
    await writer.finish();
    if (opts.signal?.aborted) throw new DatasetAbortError("interrupted");
    const digest = await file.commit();
    opts.onProgress?.(done, total);

    const manifest: Manifest = {
      manifestVersion: 1,
      tool: { name: "scalelogic", version: toolVersion() },
      file: basename(opts.path),
      format: opts.format,
      sha256: digest.sha256,
      bytes: digest.bytes,
      config: source.config,
      configHash: source.configHash,
      seed: source.seed,
      shard,
      range: { start, end },
      runCount: opts.count,
      counts: counts.toJSON(),
    };
    const mPath = manifestPath(opts.path);
    const mFile = AtomicFile.open(mPath);
    try {
      const p = mFile.write(manifestText(manifest));
      if (p) await p;
      await mFile.commit();
    } catch (e) {
      await mFile.abort();
      throw e;
    }
    return { path: opts.path, manifestPath: mPath, manifest };
  } catch (e) {
    await file.abort();
    throw e;
  }
}
