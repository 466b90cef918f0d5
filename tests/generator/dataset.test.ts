// Dataset writers, shards, manifests and atomic output, exercised with a tiny fake item factory
// (the real generator is tested in generator tests; here only the plumbing matters).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, existsSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parquetReadObjects } from "hyparquet";
import {
  defaultFileName,
  parseShard,
  resolveOutputPath,
  shardRange,
  writeDataset,
  type ItemSource,
} from "../../src/generator/dataset.js";
import { itemJson, type DatasetItem } from "../../src/generator/writer.js";
import { verlRow } from "../../src/generator/writerparquet.js";
import { manifestPath, type Manifest } from "../../src/generator/manifest.js";

const seed = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : Date.now() % 2 ** 31;
console.log(`dataset property tests: FC_SEED=${seed}`);

const levels = ["implication", "conjunction", "negation", "disjunction", "quantification"];

// Deterministic stand-in for generateItem: item i depends only on (seed, i).
function fakeItem(runSeed: number, index: number): DatasetItem {
  const h = createHash("sha256").update(`${runSeed}/${index}`).digest("hex");
  const level = levels[parseInt(h.slice(0, 2), 16) % levels.length] ?? "implication";
  const depth = 1 + (parseInt(h.slice(2, 4), 16) % 8);
  const words = Array.from({ length: 3 + (parseInt(h.slice(4, 6), 16) % 20) }, (_, k) =>
    h.slice(k % 60, (k % 60) + 5),
  );
  return {
    id: `cafe0123cafe0123/${runSeed}/${index}`,
    index,
    seed: runSeed,
    split: "train",
    level,
    depth,
    task: "choice",
    config: { level, depth, mix: "exact" },
    prompt: `Suppose we have the following facts: ${words.map((w) => `Alice is ${w}.`).join(" ")}\nÜnïcödé ✓`,
    answer: `Alice is ${words[0] ?? "x"}`,
    candidates: words.slice(0, 4).map((w) => `Alice is ${w}`),
    problem: { facts: words, rules: [], goal: words[0] },
    goldProof: `1. Alice is ${words[0] ?? "x"} [F1]`,
    certificates: { minDepth: depth, model: { Alice: words } },
    dedupKey: h.slice(0, 16),
  };
}

function fakeSource(runSeed: number, opts: { failAt?: number } = {}): ItemSource {
  return {
    config: { level: "mixed", fake: true },
    configHash: "cafe0123cafe0123",
    seed: runSeed,
    *items(start: number, count: number) {
      for (let i = start; i < start + count; i++) {
        if (opts.failAt !== undefined && i === opts.failAt) throw new Error(`boom at ${i}`);
        yield fakeItem(runSeed, i);
      }
    },
  };
}

let dir = "";
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "scalelogic-dataset-"));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const sha = (p: string): string => createHash("sha256").update(readFileSync(p)).digest("hex");
const tempFiles = (d: string): string[] => readdirSync(d).filter((n) => n.endsWith(".tmp"));

describe("shards", () => {
  it("parseShard accepts i/N with 0 ≤ i < N and rejects the rest with a message", () => {
    expect(parseShard("0/4")).toEqual({ ok: true, value: { index: 0, total: 4 } });
    expect(parseShard(" 3 / 4 ")).toEqual({ ok: true, value: { index: 3, total: 4 } });
    for (const bad of ["4/4", "1/0", "-1/3", "a/b", "1", "1/2/3", ""]) {
      const r = parseShard(bad);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.issues[0]).toMatch(/shard/);
    }
  });

  it("shard ranges partition [0, count) contiguously with sizes differing by at most one", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 1, max: 64 }), (count, total) => {
        let next = 0;
        const sizes: number[] = [];
        for (let index = 0; index < total; index++) {
          const { start, end } = shardRange(count, { index, total });
          expect(start).toBe(next);
          expect(end).toBeGreaterThanOrEqual(start);
          sizes.push(end - start);
          next = end;
        }
        expect(next).toBe(count);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }),
      { seed, numRuns: 200 },
    );
  });

  it("default names carry the shard only when there is more than one", () => {
    expect(defaultFileName("train-x", "jsonl")).toBe("train-x.jsonl");
    expect(defaultFileName("train-x", "parquet", { index: 0, total: 1 })).toBe("train-x.parquet");
    expect(defaultFileName("train-x", "tptp", { index: 2, total: 5 })).toBe("train-x.shard-2-of-5.p");
  });

  it("resolveOutputPath puts the default name inside a directory and creates it", () => {
    const p = resolveOutputPath(join(dir, "made", "here") + "/", "a.jsonl");
    expect(p).toBe(join(dir, "made", "here", "a.jsonl"));
    expect(existsSync(join(dir, "made", "here"))).toBe(true);
    expect(resolveOutputPath(join(dir, "made"), "b.jsonl")).toBe(join(dir, "made", "b.jsonl"));
    expect(resolveOutputPath(join(dir, "file.jsonl"), "c.jsonl")).toBe(join(dir, "file.jsonl"));
  });
});

describe("JSONL", () => {
  it("writes one canonical item per line with the contract's key order", async () => {
    const path = join(dir, "order.jsonl");
    await writeDataset({ source: fakeSource(7), count: 5, format: "jsonl", path });
    const lines = readFileSync(path, "utf8").split("\n");
    expect(lines.length).toBe(6);
    expect(lines[5]).toBe("");
    const first = JSON.parse(lines[0] ?? "") as Record<string, unknown>;
    expect(Object.keys(first)).toEqual([
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
    ]);
    expect(lines[3]).toBe(itemJson(fakeItem(7, 3)));
    // Key order does not depend on how the object was built.
    const shuffled = Object.fromEntries(Object.entries(fakeItem(7, 3)).reverse()) as unknown as DatasetItem;
    expect(itemJson(shuffled)).toBe(itemJson(fakeItem(7, 3)));
  });

  it("each shard's bytes equal the same slice of the whole run, for any count and shard layout", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 1, max: 7 }),
        async (count, total) => {
          run++;
          const whole = join(dir, `whole-${run}.jsonl`);
          await writeDataset({ source: fakeSource(11), count, format: "jsonl", path: whole });
          const wholeLines = readFileSync(whole, "utf8").split("\n").slice(0, count);
          const parts: Buffer[] = [];
          for (let index = 0; index < total; index++) {
            const p = join(dir, `part-${run}-${index}.jsonl`);
            const r = await writeDataset({
              source: fakeSource(11),
              count,
              shard: { index, total },
              format: "jsonl",
              path: p,
            });
            const { start, end } = shardRange(count, { index, total });
            const expected = wholeLines
              .slice(start, end)
              .map((l) => l + "\n")
              .join("");
            expect(readFileSync(p, "utf8")).toBe(expected);
            expect(r.manifest.range).toEqual({ start, end });
            parts.push(readFileSync(p));
          }
          expect(Buffer.concat(parts).equals(readFileSync(whole))).toBe(true);
        },
      ),
      { seed, numRuns: 15 },
    );
  });
});

describe("manifest", () => {
  it("records config, hash, seed, range, counts and the file's sha256", async () => {
    const path = join(dir, "m.jsonl");
    const r = await writeDataset({
      source: fakeSource(3),
      count: 50,
      shard: { index: 1, total: 3 },
      format: "jsonl",
      path,
    });
    const m = JSON.parse(readFileSync(manifestPath(path), "utf8")) as Manifest;
    expect(m).toEqual(r.manifest);
    expect(m.file).toBe("m.jsonl");
    expect(m.sha256).toBe(sha(path));
    expect(m.bytes).toBe(readFileSync(path).length);
    expect(m.configHash).toBe("cafe0123cafe0123");
    expect(m.seed).toBe(3);
    expect(m.range).toEqual({ start: 16, end: 33 });
    expect(m.runCount).toBe(50);
    expect(m.shard).toEqual({ index: 1, total: 3 });
    expect(m.tool.name).toBe("scalelogic");
    expect(m.tool.version).toMatch(/^\d+\.\d+\.\d+/);
    const items = Array.from({ length: 17 }, (_, k) => fakeItem(3, 16 + k));
    expect(m.counts.items).toBe(17);
    const byLevel: Record<string, number> = {};
    for (const it of items) byLevel[it.level] = (byLevel[it.level] ?? 0) + 1;
    expect(m.counts.byLevel).toEqual(byLevel);
    expect(Object.values(m.counts.byDepth).reduce((a, b) => a + b, 0)).toBe(17);
    expect(Object.keys(m.counts.byDepth).map(Number)).toEqual(
      Object.keys(m.counts.byDepth)
        .map(Number)
        .sort((a, b) => a - b),
    );
    expect(m.counts.byTask).toEqual({ choice: 17 });
  });

  it("is byte-identical when the same shard is written twice", async () => {
    const a = join(dir, "twice-a.jsonl");
    const b = join(dir, "twice-b.jsonl");
    await writeDataset({ source: fakeSource(5), count: 20, format: "parquet", path: a });
    await writeDataset({ source: fakeSource(5), count: 20, format: "parquet", path: b });
    expect(sha(a)).toBe(sha(b));
    const ma = readFileSync(manifestPath(a), "utf8").replace('"twice-a.jsonl"', "X");
    const mb = readFileSync(manifestPath(b), "utf8").replace('"twice-b.jsonl"', "X");
    expect(ma).toBe(mb);
  });
});

describe("parquet (verl layout)", () => {
  type Row = Record<string, unknown>;
  const plain = (rows: Row[]): unknown =>
    JSON.parse(JSON.stringify(rows, (_k, v: unknown) => (typeof v === "bigint" ? Number(v) : v)));

  it("reads back with a parquet reader as the verl rows, nested lists and structs intact", async () => {
    const path = join(dir, "v.parquet");
    // 2,345 rows span three row groups (1,000 each).
    const count = 2345;
    await writeDataset({ source: fakeSource(9), count, format: "parquet", path });
    const buf = readFileSync(path);
    const rows = (await parquetReadObjects({
      file: buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength),
    })) as Row[];
    expect(rows.length).toBe(count);
    const expected = Array.from({ length: count }, (_, i) => verlRow(fakeItem(9, i)));
    expect(plain(rows)).toEqual(JSON.parse(JSON.stringify(expected)));
    const r0 = rows[0] as Row;
    expect(Object.keys(r0)).toEqual(["data_source", "prompt", "ability", "reward_model", "extra_info"]);
    expect(r0["prompt"]).toEqual([{ role: "user", content: fakeItem(9, 0).prompt }]);
    expect(r0["reward_model"]).toEqual({ style: "rule", ground_truth: fakeItem(9, 0).answer });
    const extra = r0["extra_info"] as Row;
    expect(JSON.parse(extra["problem"] as string)).toEqual(fakeItem(9, 0).problem);
    expect(extra["id"]).toBe(fakeItem(9, 0).id);
  });

  it("a shard holds the same rows as the same slice of the whole run", async () => {
    const whole = join(dir, "pw.parquet");
    const part = join(dir, "pp.parquet");
    await writeDataset({ source: fakeSource(4), count: 101, format: "parquet", path: whole });
    await writeDataset({
      source: fakeSource(4),
      count: 101,
      shard: { index: 2, total: 3 },
      format: "parquet",
      path: part,
    });
    const read = async (p: string): Promise<unknown> => {
      const b = readFileSync(p);
      return plain(
        (await parquetReadObjects({
          file: b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength),
        })) as Row[],
      );
    };
    const w = (await read(whole)) as unknown[];
    const { start, end } = shardRange(101, { index: 2, total: 3 });
    expect(await read(part)).toEqual(w.slice(start, end));
  });
});

describe("TPTP", () => {
  it("concatenates one headed block per item from the renderer", async () => {
    const path = join(dir, "t.p");
    await writeDataset({
      source: fakeSource(2),
      count: 3,
      format: "tptp",
      path,
      tptp: (it) => `fof(f1, axiom, p${it.index}(alice)).\nfof(goal, conjecture, p${it.index}(alice)).`,
    });
    const text = readFileSync(path, "utf8");
    const blocks = text.split(/^(?=% scalelogic item )/m);
    expect(blocks.length).toBe(3);
    expect(blocks[1]).toBe(
      `% scalelogic item cafe0123cafe0123/2/1 level=${fakeItem(2, 1).level} depth=${fakeItem(2, 1).depth} task=choice split=train\n` +
        "fof(f1, axiom, p1(alice)).\nfof(goal, conjecture, p1(alice)).\n\n",
    );
  });

  it("by default renders the wire-form problem, and a malformed one fails leaving nothing behind", async () => {
    const sub = mkdtempSync(join(dir, "tp-"));
    // The fake items' problems are not in the wire form, so the standard renderer rejects them.
    await expect(
      writeDataset({ source: fakeSource(2), count: 3, format: "tptp", path: join(sub, "x.p") }),
    ).rejects.toThrow();
    expect(readdirSync(sub)).toEqual([]);
  });
});

describe("atomic output", () => {
  for (const format of ["jsonl", "parquet", "tptp"] as const) {
    it(`a failure mid-stream leaves neither the output nor a temp file (${format})`, async () => {
      const sub = mkdtempSync(join(dir, "fail-"));
      const path = join(sub, `out.${format}`);
      await expect(
        writeDataset({
          source: fakeSource(1, { failAt: 1500 }),
          count: 3000,
          format,
          path,
          tptp: () => "% x",
        }),
      ).rejects.toThrow(/boom at 1500/);
      expect(readdirSync(sub)).toEqual([]);
    });
  }

  it("an existing file is only replaced when the new one is complete", async () => {
    const sub = mkdtempSync(join(dir, "keep-"));
    const path = join(sub, "out.jsonl");
    writeFileSync(path, "old contents\n");
    await expect(
      writeDataset({ source: fakeSource(1, { failAt: 10 }), count: 20, format: "jsonl", path }),
    ).rejects.toThrow();
    expect(readFileSync(path, "utf8")).toBe("old contents\n");
    await writeDataset({ source: fakeSource(1), count: 20, format: "jsonl", path });
    expect(readFileSync(path, "utf8").split("\n").length).toBe(21);
    expect(tempFiles(sub)).toEqual([]);
  });

  it("aborting through the signal removes the temp file and rejects with AbortError", async () => {
    const sub = mkdtempSync(join(dir, "abort-"));
    const ac = new AbortController();
    const p = writeDataset({
      source: fakeSource(1),
      count: 1_000_000,
      format: "jsonl",
      path: join(sub, "out.jsonl"),
      signal: ac.signal,
      onProgress: (done) => {
        if (done >= 1024) ac.abort();
      },
    });
    await expect(p).rejects.toMatchObject({ name: "AbortError" });
    expect(readdirSync(sub)).toEqual([]);
  });

  it("rejects a source that skips indices", async () => {
    const sub = mkdtempSync(join(dir, "skip-"));
    const bad: ItemSource = {
      ...fakeSource(1),
      *items(start) {
        yield fakeItem(1, start + 1);
      },
    };
    await expect(
      writeDataset({ source: bad, count: 2, format: "jsonl", path: join(sub, "o.jsonl") }),
    ).rejects.toThrow(/index/);
    expect(readdirSync(sub)).toEqual([]);
  });
});
