/**
 * Problems found while reading logs or fitting, as plain data with stable codes. The public API
 * returns them instead of throwing; `FitError` carries them for the throwing twins.
 */

/** Stable codes; tests, the CLI and docs/fit.md use these exact strings. */
export type FitIssueCode =
  | "bad-option"
  | "unreadable-file"
  | "bad-json"
  | "bad-csv"
  | "empty-log"
  | "missing-column"
  | "missing-value"
  | "non-numeric"
  | "not-finite"
  | "non-positive-depth"
  | "negative-metric"
  | "accuracy-out-of-range"
  | "conflicting-evaluation"
  | "too-few-depths"
  | "non-positive-t"
  | "no-crossing";

/** One problem, located as precisely as the input allows. */
export interface FitIssue {
  readonly code: FitIssueCode;
  readonly message: string;
  /** File name (or "<input>") the problem is in. */
  readonly source?: string;
  /** 1-based data row (CSV: header excluded) or 1-based line (JSONL). */
  readonly row?: number;
  /** The column name as written in the input. */
  readonly column?: string;
  /** The setting whose fit failed. */
  readonly setting?: string;
}

/** At least one issue, by type. */
export type FitIssues = readonly [FitIssue, ...FitIssue[]];

/** The result shape of every checking function in src/fit. */
export type FitResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly issues: FitIssues };

/** Thrown by the throwing twins; `issues` holds the same data the checking form returns. */
export class FitError extends Error {
  /** The problems, first one first. */
  readonly issues: FitIssues;
  constructor(issues: FitIssues) {
    super(issues.map(formatIssue).join("\n"));
    this.name = "FitError";
    this.issues = issues;
  }
}

/** One human-readable line for an issue: where, code, message. */
export function formatIssue(i: FitIssue): string {
  const where: string[] = [];
  if (i.source !== undefined) where.push(i.source);
  if (i.row !== undefined) where.push(`row ${i.row}`);
  if (i.column !== undefined) where.push(`column "${i.column}"`);
  if (i.setting !== undefined) where.push(`setting "${i.setting}"`);
  return `${where.length > 0 ? where.join(", ") + ": " : ""}${i.code}: ${i.message}`;
}

/** Unwraps a result or throws its issues as a FitError. */
export function unwrap<T>(r: FitResult<T>): T {
  if (r.ok) return r.value;
  throw new FitError(r.issues);
}

/** Builds a failed result from a non-empty list, or a success when the list is empty. */
export function resultOf<T>(issues: readonly FitIssue[], value: () => T): FitResult<T> {
  const [first, ...rest] = issues;
  if (first !== undefined) return { ok: false, issues: [first, ...rest] };
  return { ok: true, value: value() };
}

/** For exhaustive switches: a value the type system says cannot exist. */
export function assertNever(x: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(x)}`);
}
