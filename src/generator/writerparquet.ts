/**
 * Parquet export in verl's row layout, streamed one row group at a time.
 *
 * Row: data_source, prompt = [{role: "user", content}], ability, reward_model {style: "rule",
 * ground_truth}, extra_info {…}. extra_info carries everything the reward service needs to
 * score a completion without re-parsing the prompt: the item id (which regenerates the item with
 * its config), the serialized problem (wire form, as a JSON string) and the task.
 */
import { ByteWriter, ParquetWriter, type ColumnSource, type SchemaElement } from "hyparquet-writer";
import type { AtomicFile, DatasetItem, ItemWriter } from "./writer.js";

/** The `data_source` value of every row we write. */
export const dataSource = "scalelogic";

/** The `extra_info` struct of one verl row. */
export interface VerlExtraInfo {
  readonly id: string;
  readonly index: number;
  readonly seed: number;
  readonly split: string;
  readonly level: string;
  readonly depth: number;
  readonly task: string;
  /** The item's generator config as canonical JSON (with `seed` and `index` it regenerates the item). */
  readonly config: string;
  /** The problem's wire form (src/logic/serialize.ts) as a JSON string. */
  readonly problem: string;
  readonly candidates: readonly string[];
  readonly answer: string;
  readonly gold_proof: string;
  readonly dedup_key: string;
}

/** One dataset row in verl's layout. */
export interface VerlRow {
  readonly data_source: string;
  readonly prompt: readonly { readonly role: string; readonly content: string }[];
  readonly ability: string;
  readonly reward_model: { readonly style: "rule"; readonly ground_truth: string };
  readonly extra_info: VerlExtraInfo;
}

/** Maps an item to its verl row (ground truth is the answer text: gold candidate or goal sentence). */
export function verlRow(item: DatasetItem): VerlRow {
  return {
    data_source: dataSource,
    prompt: [{ role: "user", content: item.prompt }],
    ability: "logic",
    reward_model: { style: "rule", ground_truth: item.answer },
    extra_info: {
      id: item.id,
      index: item.index,
      seed: item.seed,
      split: item.split,
      level: item.level,
      depth: item.depth,
      task: item.task,
      config: JSON.stringify(item.config),
      problem: JSON.stringify(item.problem),
      candidates: item.candidates,
      answer: item.answer,
      gold_proof: item.goldProof,
      dedup_key: item.dedupKey,
    },
  };
}

const utf8 = (name: string): SchemaElement => ({
  name,
  type: "BYTE_ARRAY",
  converted_type: "UTF8",
  repetition_type: "REQUIRED",
});
const int64 = (name: string): SchemaElement => ({ name, type: "INT64", repetition_type: "REQUIRED" });
const int32 = (name: string): SchemaElement => ({ name, type: "INT32", repetition_type: "REQUIRED" });

// Flattened depth-first parquet schema; lists use the standard three-level LIST layout so
// pyarrow/pandas (what verl loads with) read them back as Python lists of dicts.
const schema: SchemaElement[] = [
  { name: "root", num_children: 5 },
  utf8("data_source"),
  { name: "prompt", repetition_type: "REQUIRED", converted_type: "LIST", num_children: 1 },
  { name: "list", repetition_type: "REPEATED", num_children: 1 },
  { name: "element", repetition_type: "REQUIRED", num_children: 2 },
  utf8("role"),
  utf8("content"),
  utf8("ability"),
  { name: "reward_model", repetition_type: "REQUIRED", num_children: 2 },
  utf8("style"),
  utf8("ground_truth"),
  { name: "extra_info", repetition_type: "REQUIRED", num_children: 13 },
  utf8("id"),
  int64("index"),
  int64("seed"),
  utf8("split"),
  utf8("level"),
  int32("depth"),
  utf8("task"),
  utf8("config"),
  utf8("problem"),
  { name: "candidates", repetition_type: "REQUIRED", converted_type: "LIST", num_children: 1 },
  { name: "list", repetition_type: "REPEATED", num_children: 1 },
  utf8("element"),
  utf8("answer"),
  utf8("gold_proof"),
  utf8("dedup_key"),
];

/** Rows per row group: small enough to keep memory flat, large enough to compress well. */
export const parquetRowGroupSize = 1000;

// Bytes are handed to the file as soon as the encoder has produced ~1 MiB, so a row group never
// accumulates in memory twice; `flush` (called after each row group) reports backpressure.
class StreamingByteWriter extends ByteWriter {
  private readonly file: AtomicFile;
  private pending: Promise<void> | undefined;

  constructor(file: AtomicFile) {
    super(1 << 20);
    this.file = file;
  }

  private spill(): void {
    if (this.index === 0) return;
    const chunk = new Uint8Array(this.buffer.slice(0, this.index));
    this.index = 0;
    const p = this.file.write(chunk);
    if (p) this.pending = p;
  }

  override ensure(size: number): void {
    if (this.index > 1 << 20) this.spill();
    super.ensure(size);
  }

  flush(): Promise<void> | undefined {
    this.spill();
    const p = this.pending;
    this.pending = undefined;
    return p;
  }

  override finish(): void {
    this.spill();
  }

  takePending(): Promise<void> | undefined {
    const p = this.pending;
    this.pending = undefined;
    return p;
  }
}

/** Parquet (verl layout) writer; rows are buffered up to one row group, then encoded and written. */
export function parquetWriter(file: AtomicFile, meta: Readonly<Record<string, string>> = {}): ItemWriter {
  const sink = new StreamingByteWriter(file);
  const pq = new ParquetWriter({
    writer: sink,
    schema,
    ...(Object.keys(meta).length > 0
      ? { kvMetadata: Object.entries(meta).map(([key, value]) => ({ key, value })) }
      : {}),
    createdBy: "scalelogic",
    statistics: false,
  });
  let rows: VerlRow[] = [];

  const flushGroup = (): Promise<void> | undefined => {
    if (rows.length === 0) return undefined;
    const group = rows;
    rows = [];
    const columnData: ColumnSource[] = [
      { name: "data_source", data: group.map((r) => r.data_source) },
      { name: "prompt", data: group.map((r) => r.prompt) },
      { name: "ability", data: group.map((r) => r.ability) },
      { name: "reward_model", data: group.map((r) => r.reward_model) },
      {
        name: "extra_info",
        // INT64 columns take bigints.
        data: group.map((r) => ({
          ...r.extra_info,
          index: BigInt(r.extra_info.index),
          seed: BigInt(r.extra_info.seed),
        })),
      },
    ];
    const r = pq.write({ columnData, rowGroupSize: group.length });
    return r ?? undefined;
  };

  return {
    write(item) {
      rows.push(verlRow(item));
      return rows.length >= parquetRowGroupSize ? flushGroup() : undefined;
    },
    async finish() {
      await flushGroup();
      await pq.finish();
      await sink.takePending();
    },
  };
}
