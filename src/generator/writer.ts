/**
 * Dataset writers: stream generated items into one output file, atomically.
 *
 * Bytes go to a temporary file in the target's directory and are renamed into place only when
 * the whole file is written, so a crash, an error or Ctrl-C never leaves a half-written dataset
 * under the final name. Writes respect the stream's backpressure, so memory stays flat however
 * many items pass through.
 */
import { createWriteStream, unlinkSync, type WriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { createHash, randomBytes, type Hash } from "node:crypto";
import { basename, dirname, join } from "node:path";
import { assertNever } from "../logic/formula.js";

/** The export formats `scalelogic generate` knows. */
export type Format = "jsonl" | "parquet" | "tptp";

/** Every format, in help order. */
export const formats: readonly Format[] = ["jsonl", "parquet", "tptp"];

/** File extension (without the dot) used for each format. */
export function formatExtension(format: Format): string {
  switch (format) {
    case "jsonl":
      return "jsonl";
    case "parquet":
      return "parquet";
    case "tptp":
      return "p";
    default:
      return assertNever(format);
  }
}

// Temp files still open in this process; a signal handler removes them synchronously when the
// process must exit before the asynchronous cleanup could run.
const liveTemps = new Set<string>();

/** Removes every temporary output file this process still has open (for signal handlers). */
export function removeLiveTempFiles(): void {
  for (const p of liveTemps) {
    try {
      unlinkSync(p);
    } catch {
      // already gone: nothing to clean
    }
  }
  liveTemps.clear();
}

/** What a committed output file looks like: its checksum and size. */
export interface FileDigest {
  readonly sha256: string;
  readonly bytes: number;
}

/**
 * A byte sink that writes to `.<name>.<random>.tmp` beside `path` and renames it to `path` on
 * `commit()`; `abort()` removes the temporary file. The sha256 is computed on the way through.
 */
export class AtomicFile {
  /** The final path. */
  readonly path: string;
  /** The temporary path written until commit. */
  readonly tempPath: string;
  private readonly stream: WriteStream;
  private readonly hash: Hash = createHash("sha256");
  private bytes = 0;
  private failure: Error | undefined;
  private closed = false;

  private constructor(path: string) {
    this.path = path;
    this.tempPath = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
    liveTemps.add(this.tempPath);
    this.stream = createWriteStream(this.tempPath, { flags: "wx" });
    this.stream.on("error", (e) => {
      this.failure = e;
    });
  }

  /** Opens a new temporary file for `path` (the directory must exist). */
  static open(path: string): AtomicFile {
    return new AtomicFile(path);
  }

  /** Bytes written so far. */
  get size(): number {
    return this.bytes;
  }

  /**
   * Appends a chunk. Returns a promise only when the stream asks to drain, so callers can
   * `const p = f.write(x); if (p) await p;` and pay nothing on the fast path.
   */
  write(chunk: string | Uint8Array): Promise<void> | undefined {
    if (this.failure) throw this.failure;
    const buf = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
    this.hash.update(buf);
    this.bytes += buf.byteLength;
    if (this.stream.write(buf)) return undefined;
    return new Promise<void>((resolve, reject) => {
      const onDrain = (): void => {
        this.stream.off("error", onError);
        resolve();
      };
      const onError = (e: Error): void => {
        this.stream.off("drain", onDrain);
        reject(e);
      };
      this.stream.once("drain", onDrain);
      this.stream.once("error", onError);
    });
  }

  /** Flushes, closes and renames the temporary file into place; returns its digest. */
  async commit(): Promise<FileDigest> {
    if (this.closed) throw new Error(`output ${this.path} already closed`);
    this.closed = true;
    await new Promise<void>((resolve, reject) => {
      if (this.failure) {
        reject(this.failure);
        return;
      }
      this.stream.once("error", reject);
      this.stream.end(() => resolve());
    });
    await rename(this.tempPath, this.path);
    liveTemps.delete(this.tempPath);
    return { sha256: this.hash.digest("hex"), bytes: this.bytes };
  }

  /** Closes and removes the temporary file; the final path is left untouched. */
  async abort(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      await new Promise<void>((resolve) => {
        if (this.stream.closed || this.stream.destroyed) {
          resolve();
          return;
        }
        this.stream.once("close", () => resolve());
        this.stream.destroy();
      });
    }
    await rm(this.tempPath, { force: true });
    liveTemps.delete(this.tempPath);
  }
}

/**
 * The fields of a generated item (src/generator/index.ts `Item`) that the writers read. Kept
 * structural so the writers depend on the data's shape, not on the generator module.
 */
export interface DatasetItem {
  readonly id: string;
  readonly index: number;
  readonly seed: number;
  readonly split: string;
  readonly level: string;
  readonly depth: number;
  readonly task: string;
  readonly config: unknown;
  readonly prompt: string;
  readonly answer: string;
  readonly candidates: readonly string[];
  readonly problem: unknown;
  readonly goldProof: string;
  readonly certificates: unknown;
  readonly dedupKey: string;
}

/** Streams items of one format into an AtomicFile. */
export interface ItemWriter {
  /** Appends one item; returns a promise when the caller must wait (backpressure). */
  write(item: DatasetItem): Promise<void> | undefined;
  /** Writes any buffered rows and the format's trailer (not the commit). */
  finish(): Promise<void>;
}

// The contract's field order; a line's bytes depend only on the item, never on object history.
const itemKeyOrder: readonly string[] = [
  "id",
  "index",
  "seed",
  "split",
  "level",
  "depth",
  "task",
  "config",
  "prompt",
  "answer",
  "candidates",
  "problem",
  "goldProof",
  "certificates",
  "dedupKey",
];

/**
 * The canonical JSON text of an item (no newline): top-level keys in the contract's order, then
 * any other keys sorted; nested values as the generator built them (deterministic by seed).
 */
export function itemJson(item: DatasetItem): string {
  const rec = item as unknown as Record<string, unknown>;
  const ordered: Record<string, unknown> = {};
  for (const k of itemKeyOrder) if (rec[k] !== undefined) ordered[k] = rec[k];
  for (const k of Object.keys(rec).sort()) if (!(k in ordered) && rec[k] !== undefined) ordered[k] = rec[k];
  return JSON.stringify(ordered);
}

/** JSON Lines: one canonical item per line. */
export function jsonlWriter(file: AtomicFile): ItemWriter {
  // Small lines are batched so the stream sees ~64 KiB writes instead of one call per item.
  let pending: string[] = [];
  let pendingChars = 0;
  const flush = (): Promise<void> | undefined => {
    if (pending.length === 0) return undefined;
    const text = pending.join("");
    pending = [];
    pendingChars = 0;
    return file.write(text);
  };
  return {
    write(item) {
      const line = itemJson(item) + "\n";
      pending.push(line);
      pendingChars += line.length;
      return pendingChars >= 65536 ? flush() : undefined;
    },
    async finish() {
      await flush();
    },
  };
}
