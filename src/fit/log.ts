/**
 * Reading training/evaluation logs (CSV or JSONL) into validated rows. Every value is checked
 * here, once, so later stages can trust numbers: a bad cell becomes an issue naming its file, row
 * and column rather than a NaN that silently bends a fit.
 */
import { readFileSync } from "node:fs";
import { CsvError, parse as parseCsv } from "csv-parse/sync";
import { resultOf, type FitIssue, type FitResult } from "./issue.js";

/** Which compute measure T is read from. */
export type Metric = "step" | "tokens" | "flops";

/** The metrics, in the order the CLI lists them. */
export const METRICS: readonly Metric[] = ["step", "tokens", "flops"];

/** Column names in the input for each field; only the fields a run needs are required. */
export interface ColumnMap {
  readonly setting: string;
  readonly depth: string;
  readonly seed: string;
  readonly step: string;
  readonly accuracy: string;
  readonly tokens: string;
  readonly flops: string;
}

/** The names used when no flag maps a column. */
export const DEFAULT_COLUMNS: ColumnMap = {
  setting: "setting",
  depth: "depth",
  seed: "seed",
  step: "step",
  accuracy: "accuracy",
  tokens: "tokens",
  flops: "flops",
};

/** How to read a log. */
export interface ReadOptions {
  /** Which column T is measured in (default "step"). */
  readonly metric?: Metric;
  /**
   * Column renames. `setting` and `seed` may be absent from the input when not mapped
   * explicitly (one setting "all", one seed "0"); a column named here must exist.
   */
  readonly columns?: Partial<ColumnMap>;
  /** Input format; "auto" looks at the file name, then at the first character. */
  readonly format?: "csv" | "jsonl" | "auto";
  /**
   * Name of a column that already holds each run's T (one row per run, no accuracy column):
   * the row's `x` is read from it and `accuracy` is set to 1. Use with `analyzeRows(…, { measured: true })`.
   */
  readonly measuredColumn?: string;
}

/** One validated evaluation: at compute `x` (steps, tokens or FLOPs) the run scored `accuracy`. */
export interface LogRow {
  readonly setting: string;
  readonly depth: number;
  readonly seed: string;
  readonly x: number;
  /** Accuracy in [0, 1]; 1 when the rows are measured T (`measuredColumn`). */
  readonly accuracy: number;
  /** Where it came from, for messages. */
  readonly source: string;
  readonly row: number;
}

const MAX_ISSUES = 50;

type Cell = string | number | boolean | null | undefined;

function isBlank(v: Cell): boolean {
  return v === null || v === undefined || (typeof v === "string" && v.trim() === "");
}

/** Reads a number strictly: "", "abc", "1e" are not numbers; "NaN" and "Infinity" are reported as such. */
function toNumber(v: Cell): number | "non-numeric" {
  if (typeof v === "number") return v;
  if (typeof v === "boolean" || v === null || v === undefined) return "non-numeric";
  const s = v.trim();
  if (/^[+-]?(nan|inf|infinity)$/i.test(s))
    return s.toLowerCase().includes("nan") ? NaN : s.startsWith("-") ? -Infinity : Infinity;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s)) return "non-numeric";
  return Number(s);
}

function detectFormat(text: string, source: string): "csv" | "jsonl" {
  if (/\.(jsonl|ndjson|json)$/i.test(source)) return "jsonl";
  if (/\.(csv|tsv|txt)$/i.test(source)) return "csv";
  return text.trimStart().startsWith("{") ? "jsonl" : "csv";
}

interface RawRecords {
  readonly names: readonly string[];
  readonly records: ReadonlyArray<Readonly<Record<string, Cell>>>;
  readonly rowNumbers: readonly number[];
}

function readCsv(text: string, source: string, issues: FitIssue[]): RawRecords {
  const empty: RawRecords = { names: [], records: [], rowNumbers: [] };
  let parsed: Array<{ record: string[]; info: { lines: number } }>;
  try {
    // Ragged rows are allowed through so they can be reported with their row number below.
    parsed = parseCsv(text, {
      relax_column_count: true,
      skip_empty_lines: true,
      info: true,
      bom: true,
    }) as unknown as typeof parsed;
  } catch (e) {
    const line = e instanceof CsvError ? (e as CsvError & { lines?: number }).lines : undefined;
    issues.push({
      code: "bad-csv",
      message: `${e instanceof Error ? e.message : String(e)}${line === undefined ? "" : ` (line ${line})`}`,
      source,
    });
    return empty;
  }
  const [header, ...body] = parsed;
  if (header === undefined) return empty;
  const names = header.record.map((n) => n.trim());
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n))
      issues.push({
        code: "bad-csv",
        message: `column "${n}" appears twice in the header`,
        source,
        column: n,
      });
    seen.add(n);
  }
  const records: Array<Record<string, Cell>> = [];
  const rowNumbers: number[] = [];
  body.forEach(({ record, info }, i) => {
    if (record.length !== names.length) {
      issues.push({
        code: "bad-csv",
        message: `${record.length} field(s) where the header has ${names.length} (line ${info.lines})`,
        source,
        row: i + 1,
      });
      return;
    }
    const rec: Record<string, Cell> = {};
    names.forEach((n, j) => {
      rec[n] = record[j];
    });
    records.push(rec);
    rowNumbers.push(i + 1);
  });
  return { names, records, rowNumbers };
}

function readJsonl(text: string, source: string, issues: FitIssue[]): RawRecords {
  const names = new Set<string>();
  const records: Array<Record<string, Cell>> = [];
  const rowNumbers: number[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    if (line.trim() === "") return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (e) {
      issues.push({
        code: "bad-json",
        message: `not valid JSON (${e instanceof Error ? e.message : String(e)})`,
        source,
        row: i + 1,
      });
      return;
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      issues.push({ code: "bad-json", message: "each line must be a JSON object", source, row: i + 1 });
      return;
    }
    const rec: Record<string, Cell> = {};
    for (const [k, v] of Object.entries(parsed)) {
      names.add(k);
      rec[k] = typeof v === "object" && v !== null ? JSON.stringify(v) : (v as Cell);
    }
    records.push(rec);
    rowNumbers.push(i + 1);
  });
  return { names: [...names], records, rowNumbers };
}

/** Parses one log's text into validated rows, or every problem found (up to 50). */
export function parseLog(text: string, source: string, opts: ReadOptions = {}): FitResult<LogRow[]> {
  const metric = opts.metric ?? "step";
  const cols: ColumnMap = { ...DEFAULT_COLUMNS, ...opts.columns };
  const issues: FitIssue[] = [];
  const format =
    opts.format === undefined || opts.format === "auto" ? detectFormat(text, source) : opts.format;
  const raw = format === "csv" ? readCsv(text, source, issues) : readJsonl(text, source, issues);
  if (issues.length > 0) return resultOf(issues.slice(0, MAX_ISSUES), () => []);
  if (raw.records.length === 0) {
    if (issues.length === 0) issues.push({ code: "empty-log", message: "no data rows", source });
    return resultOf(issues, () => []);
  }
  const present = new Set(raw.names);
  const need = (field: keyof ColumnMap, optional: boolean): string | null => {
    const name = cols[field];
    if (present.has(name)) return name;
    const explicit = opts.columns?.[field] !== undefined;
    if (optional && !explicit) return null;
    issues.push({
      code: "missing-column",
      message: `no column "${name}" for ${field} (columns found: ${raw.names.join(", ") || "none"})${explicit ? "" : `; map it with ${field === "setting" ? "--by" : `--col-${field}`}`}`,
      source,
      column: name,
    });
    return null;
  };
  const settingCol = need("setting", true);
  const seedCol = need("seed", true);
  const depthCol = need("depth", false);
  const measured = opts.measuredColumn;
  let xCol: string | null;
  if (measured === undefined) xCol = need(metric, false);
  else if (present.has(measured)) xCol = measured;
  else {
    xCol = null;
    issues.push({
      code: "missing-column",
      message: `no column "${measured}" for measured T (columns found: ${raw.names.join(", ") || "none"})`,
      source,
      column: measured,
    });
  }
  const accCol = measured === undefined ? need("accuracy", false) : null;
  if (depthCol === null || xCol === null || (measured === undefined && accCol === null) || issues.length > 0)
    return resultOf(issues, () => []);

  const rows: LogRow[] = [];
  const num = (rec: Readonly<Record<string, Cell>>, col: string, row: number): number | null => {
    const v = rec[col];
    if (isBlank(v)) {
      issues.push({ code: "missing-value", message: "empty cell", source, row, column: col });
      return null;
    }
    const n = toNumber(v);
    if (n === "non-numeric") {
      issues.push({
        code: "non-numeric",
        message: `${JSON.stringify(v)} is not a number`,
        source,
        row,
        column: col,
      });
      return null;
    }
    if (!Number.isFinite(n)) {
      issues.push({
        code: "not-finite",
        message: `${String(n)} is not a finite number`,
        source,
        row,
        column: col,
      });
      return null;
    }
    return n;
  };
  const label = (
    rec: Readonly<Record<string, Cell>>,
    col: string | null,
    fallback: string,
    row: number,
  ): string | null => {
    if (col === null) return fallback;
    const v = rec[col];
    if (isBlank(v)) {
      issues.push({ code: "missing-value", message: "empty cell", source, row, column: col });
      return null;
    }
    return String(v).trim();
  };
  raw.records.forEach((rec, i) => {
    if (issues.length >= MAX_ISSUES) return;
    const row = raw.rowNumbers[i] ?? i + 1;
    const setting = label(rec, settingCol, "all", row);
    const seed = label(rec, seedCol, "0", row);
    const depth = num(rec, depthCol, row);
    const x = num(rec, xCol, row);
    const accuracy = accCol === null ? 1 : num(rec, accCol, row);
    if (depth !== null && depth <= 0) {
      issues.push({
        code: "non-positive-depth",
        message: `depth ${depth} must be positive (log D is fitted)`,
        source,
        row,
        column: depthCol,
      });
    }
    if (x !== null && x < 0) {
      issues.push({
        code: "negative-metric",
        message: `${measured === undefined ? metric : "T"} ${x} is negative`,
        source,
        row,
        column: xCol,
      });
    }
    if (accuracy !== null && (accuracy < 0 || accuracy > 1)) {
      issues.push({
        code: "accuracy-out-of-range",
        message: `accuracy ${accuracy} is outside [0, 1]${accuracy > 1 && accuracy <= 100 ? " (percentages must be divided by 100)" : ""}`,
        source,
        row,
        ...(accCol === null ? {} : { column: accCol }),
      });
    }
    if (setting === null || seed === null || depth === null || x === null || accuracy === null) return;
    if (depth <= 0 || x < 0 || accuracy < 0 || accuracy > 1) return;
    rows.push({ setting, depth, seed, x, accuracy, source, row });
  });
  return resultOf(issues.slice(0, MAX_ISSUES), () => rows);
}

/** Reads and parses several log files; issues from all files are reported together. */
export function readLogFiles(paths: readonly string[], opts: ReadOptions = {}): FitResult<LogRow[]> {
  const issues: FitIssue[] = [];
  const rows: LogRow[] = [];
  if (paths.length === 0) issues.push({ code: "bad-option", message: "no log files given" });
  for (const p of paths) {
    let text: string;
    try {
      text = readFileSync(p, "utf8");
    } catch (e) {
      issues.push({
        code: "unreadable-file",
        message: e instanceof Error ? e.message : String(e),
        source: p,
      });
      continue;
    }
    const r = parseLog(text, p, opts);
    if (r.ok) rows.push(...r.value);
    else issues.push(...r.issues);
  }
  return resultOf(issues.slice(0, MAX_ISSUES), () => rows);
}
