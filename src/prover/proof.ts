/**
 * The proof AST: what the reader makes of a `<proof>` block and what the renderer prints.
 * It is untrusted data; only the kernel turns its claims into theorems.
 */
import { formulaEquals, type Formula } from "../logic/formula.js";
import type { RuleName } from "./kernel.js";

/**
 * A citation: an earlier line by its label, fact Fi / rule Rj of the theory (0-based index), or a
 * well-formed citation that can name nothing in any problem (`F0`, `R0`, a number of more than
 * `MAX_LABEL_DIGITS` digits), kept as written so the checker can report it as an unknown reference.
 */
export type Ref =
  | { readonly kind: "line"; readonly label: string }
  | { readonly kind: "fact"; readonly index: number }
  | { readonly kind: "rule"; readonly index: number }
  | { readonly kind: "nothing"; readonly text: string };

/**
 * Most significant digits (leading zeros not counted) in a line label or a cited number. A theory
 * has at most 10,000 sentences and a proof block at most 2,000 lines by default, so a longer number
 * cannot name anything; the limit keeps every label exactly representable as a number.
 */
export const MAX_LABEL_DIGITS = 9;

/**
 * A bracketed justification such as `[apply R3 with Bob on 1, 2]`. For `apply` the first ref is
 * the rule (R3 or a line stating it) and the rest are the premises; `terms` are the `with` names.
 */
export interface Justification {
  readonly rule: RuleName;
  readonly refs: readonly Ref[];
  readonly terms: readonly string[];
}

/** One claim line. `line` is 1-based in the completion; `label` is the number before the claim. */
export interface ClaimItem {
  readonly kind: "claim";
  readonly line: number;
  readonly label?: string | undefined;
  readonly formula: Formula;
  readonly justification?: Justification | undefined;
}

/** A sub-proof: `case φ:` … `end case` (proof by cases) or `assume φ:` … `end assume` (reductio). */
export interface BlockItem {
  readonly kind: "case" | "assume";
  readonly line: number;
  readonly endLine: number;
  readonly label?: string | undefined;
  readonly assumption: Formula;
  readonly body: readonly Item[];
}

/** A proof item. */
export type Item = ClaimItem | BlockItem;

/** A whole proof: the top-level items in order. */
export interface Proof {
  readonly items: readonly Item[];
}

/** Formats a reference the way the proof language writes it (`F2`, `R3`, `7`). */
export function refText(r: Ref): string {
  switch (r.kind) {
    case "line":
      return r.label;
    case "fact":
      return `F${r.index + 1}`;
    case "rule":
      return `R${r.index + 1}`;
    case "nothing":
      return r.text;
  }
}

function refEquals(a: Ref, b: Ref): boolean {
  switch (a.kind) {
    case "line":
      return b.kind === "line" && a.label === b.label;
    case "nothing":
      return b.kind === "nothing" && a.text === b.text;
    case "fact":
    case "rule":
      return b.kind === a.kind && a.index === b.index;
  }
}

function justificationEquals(a: Justification | undefined, b: Justification | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return (
    a.rule === b.rule &&
    a.refs.length === b.refs.length &&
    a.refs.every((r, i) => refEquals(r, b.refs[i] as Ref)) &&
    a.terms.length === b.terms.length &&
    a.terms.every((t, i) => t === b.terms[i])
  );
}

function itemEquals(a: Item, b: Item): boolean {
  if (a.kind !== b.kind || a.label !== b.label) return false;
  if (a.kind === "claim") {
    return (
      b.kind === "claim" &&
      formulaEquals(a.formula, b.formula) &&
      justificationEquals(a.justification, b.justification)
    );
  }
  return (
    b.kind !== "claim" &&
    formulaEquals(a.assumption, b.assumption) &&
    a.body.length === b.body.length &&
    a.body.every((x, i) => itemEquals(x, b.body[i] as Item))
  );
}

/** Equality of proofs ignoring source positions (line numbers). */
export function proofEquals(a: Proof, b: Proof): boolean {
  return a.items.length === b.items.length && a.items.every((x, i) => itemEquals(x, b.items[i] as Item));
}
