/**
 * Shard manifests: a small JSON file beside each output file that says exactly what it holds
 * (config and its hash, seed, index range, counts per level/depth/task, checksum, tool version),
 * so shards made on many machines can be checked and merged without opening them.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Format } from "./writer.js";

/** Which part of a run a file holds: shard `index` of `total` (0-based). */
export interface Shard {
  readonly index: number;
  readonly total: number;
}

/** Item counts of one output file. */
export interface DatasetCounts {
  readonly items: number;
  readonly byLevel: Readonly<Record<string, number>>;
  readonly byDepth: Readonly<Record<string, number>>;
  readonly byTask: Readonly<Record<string, number>>;
}

/** The manifest written as `<output>.manifest.json`. Deterministic: no timestamps, no host names. */
export interface Manifest {
  readonly manifestVersion: 1;
  readonly tool: { readonly name: "scalelogic"; readonly version: string };
  /** Base name of the output file this manifest describes (it sits in the same directory). */
  readonly file: string;
  readonly format: Format;
  readonly sha256: string;
  readonly bytes: number;
  readonly config: unknown;
  readonly configHash: string;
  readonly seed: number;
  readonly shard: Shard;
  /** Item indices this file holds: `start` inclusive, `end` exclusive. */
  readonly range: { readonly start: number; readonly end: number };
  /** Items in the whole run that the shards partition. */
  readonly runCount: number;
  readonly counts: DatasetCounts;
}

/** Accumulates counts per level, depth and task as items stream past. */
export class CountAccumulator {
  private items = 0;
  private readonly byLevel = new Map<string, number>();
  private readonly byDepth = new Map<number, number>();
  private readonly byTask = new Map<string, number>();

  /** Counts one item. */
  add(item: { readonly level: string; readonly depth: number; readonly task: string }): void {
    this.items++;
    this.byLevel.set(item.level, (this.byLevel.get(item.level) ?? 0) + 1);
    this.byDepth.set(item.depth, (this.byDepth.get(item.depth) ?? 0) + 1);
    this.byTask.set(item.task, (this.byTask.get(item.task) ?? 0) + 1);
  }

  /** Items counted so far. */
  get total(): number {
    return this.items;
  }

  /** The counts as plain JSON with keys in a stable order (levels and tasks by name, depths numerically). */
  toJSON(): DatasetCounts {
    const byName = (m: Map<string, number>): Record<string, number> =>
      Object.fromEntries([...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    return {
      items: this.items,
      byLevel: byName(this.byLevel),
      byDepth: Object.fromEntries(
        [...this.byDepth.entries()].sort(([a], [b]) => a - b).map(([d, n]) => [String(d), n]),
      ),
      byTask: byName(this.byTask),
    };
  }
}

/** The manifest's path for an output file. */
export function manifestPath(outputPath: string): string {
  return `${outputPath}.manifest.json`;
}

/** The manifest as the bytes we write: two-space JSON with a final newline. */
export function manifestText(m: Manifest): string {
  return JSON.stringify(m, null, 2) + "\n";
}

let cachedVersion: string | undefined;

/** This package's version, read once from the nearest package.json named `scalelogic`. */
export function toolVersion(): string {
  if (cachedVersion !== undefined) return cachedVersion;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
        name?: unknown;
        version?: unknown;
      };
      if (pkg.name === "scalelogic" && typeof pkg.version === "string") {
        cachedVersion = pkg.version;
        return pkg.version;
      }
    } catch {
      // no package.json at this level: keep climbing
    }
    dir = dirname(dir);
  }
  cachedVersion = "unknown";
  return cachedVersion;
}
