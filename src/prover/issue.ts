/**
 * The checker's issue codes and the issue type. Codes are stable: trainers log them and the golden
 * corpus names them, so a code is never renamed or reused for a different meaning.
 */

/** Every issue code, in documentation order (docs/proof-language.md explains each). */
export const ISSUE_CODES = [
  "no-proof-block",
  "multiple-proof-blocks",
  "empty-proof",
  "size-limit",
  "budget",
  "parse",
  "structure",
  "duplicate-label",
  "unknown-reference",
  "out-of-scope",
  "missing-justification",
  "not-an-inference",
  "open-subproof",
  "wrong-goal",
] as const;

/** A stable machine-readable reason for rejecting a proof. */
export type IssueCode = (typeof ISSUE_CODES)[number];

/** One problem found in a completion; `line` is 1-based in the whole completion text. */
export interface Issue {
  readonly code: IssueCode;
  readonly line?: number;
  readonly message: string;
}

/** A non-empty list of issues, so a rejection always says why. */
export type Issues = readonly [Issue, ...Issue[]];

/** Builds an issue, leaving `line` out when it is unknown (exactOptionalPropertyTypes). */
export function issue(code: IssueCode, message: string, line?: number): Issue {
  return line === undefined ? { code, message } : { code, line, message };
}

/** True when `s` is one of the stable issue codes. */
export function isIssueCode(s: string): s is IssueCode {
  return (ISSUE_CODES as readonly string[]).includes(s);
}
