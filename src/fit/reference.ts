/** The published exponents file (data/fit/paper-exponents.json): shape check, no I/O. */
import { resultOf, type FitIssue, type FitResult } from "./issue.js";

/** One published exponent. */
export interface PaperExponent {
  readonly level: string;
  readonly regime: string;
  readonly gamma: number;
  readonly source: string;
  readonly seeds?: number;
  readonly depths?: readonly number[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Checks the parsed JSON of the reference file and returns its exponents. */
export function checkPaperExponents(json: unknown): FitResult<PaperExponent[]> {
  const issues: FitIssue[] = [];
  const out: PaperExponent[] = [];
  const bad = (message: string, row?: number): void => {
    issues.push(row === undefined ? { code: "bad-json", message } : { code: "bad-json", message, row });
  };
  if (!isRecord(json) || !isRecord(json["source"]) || !Array.isArray(json["exponents"])) {
    bad("expected an object with `source` and an `exponents` array");
    return resultOf(issues, () => out);
  }
  json["exponents"].forEach((e: unknown, i) => {
    const row = i + 1;
    if (!isRecord(e)) return bad("entry is not an object", row);
    const { level, regime, gamma, source, seeds, depths } = e;
    if (typeof level !== "string" || typeof regime !== "string" || typeof source !== "string")
      return bad("level, regime and source must be strings", row);
    if (typeof gamma !== "number" || !(gamma > 0)) return bad("gamma must be a positive number", row);
    const entry: PaperExponent = { level, regime, gamma, source };
    if (seeds !== undefined && !(typeof seeds === "number" && Number.isInteger(seeds) && seeds > 0))
      return bad("seeds must be a positive integer", row);
    if (
      depths !== undefined &&
      !(Array.isArray(depths) && depths.every((d: unknown) => typeof d === "number" && d > 0))
    )
      return bad("depths must be positive numbers", row);
    out.push({
      ...entry,
      ...(typeof seeds === "number" ? { seeds } : {}),
      ...(Array.isArray(depths) ? { depths: depths as number[] } : {}),
    });
  });
  return resultOf(issues, () => out);
}
