/**
 * Theories and problems: the labelled premises a proof may cite.
 *
 * Facts are cited as F1…Fn and rules as R1…Rm, in the order stored here; the same labels are
 * used in prompts, proofs, error messages and docs.
 */
import type { Formula } from "./formula.js";

/** A theory: facts (literals in the generated fragment) and rules (implications, maybe universal). */
export interface Theory {
  readonly facts: readonly Formula[];
  readonly rules: readonly Formula[];
}

/** What the checker needs to judge a proof: the theory and the goal (plus, for `choice`, the options). */
export interface Problem {
  readonly theory: Theory;
  readonly goal: Formula;
  /** Candidate statements for the multiple-choice task, when there is one. */
  readonly candidates?: readonly Formula[];
  /** Index into `candidates` of the one entailed candidate (the goal). */
  readonly answer?: number;
}

/** Label of the i-th fact (0-based index → "F1"). */
export function factLabel(i: number): string {
  return `F${i + 1}`;
}
/** Label of the i-th rule (0-based index → "R1"). */
export function ruleLabel(i: number): string {
  return `R${i + 1}`;
}
