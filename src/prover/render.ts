/**
 * Renders a proof AST as proof-language text (the inverse of the reader). Used for the gold proofs
 * the generator stores; `readProof(renderProof(p))` gives back `p` up to line positions.
 */
import { printEnglish } from "../logic/english.js";
import { printSymbolic } from "../logic/symbolic.js";
import type { Formula } from "../logic/formula.js";
import { refText, type Item, type Justification, type Proof } from "./proof.js";

/** Rendering options. */
export interface RenderOptions {
  /** `english` (the default; falls back to symbolic outside the fragment) or `symbolic`. */
  readonly style?: "english" | "symbolic";
  /** Wrap the text in `<proof>` … `</proof>` (default true). */
  readonly tags?: boolean;
}

function claim(f: Formula, style: "english" | "symbolic"): string {
  if (style === "english") {
    const s = printEnglish(f, { period: false });
    if (s !== undefined) return s;
  }
  return printSymbolic(f);
}

/** The bracketed text of a justification, e.g. `[apply R3 with Bob on 1, 2]`. */
export function renderJustification(j: Justification): string {
  let s = j.rule;
  const refs = j.refs.map(refText);
  if (j.rule === "apply" && refs.length > 0) {
    s += " " + (refs[0] as string);
    if (j.terms.length > 0) s += " with " + j.terms.join(", ");
    if (refs.length > 1) s += " on " + refs.slice(1).join(", ");
  } else {
    if (j.terms.length > 0) s += " with " + j.terms.join(", ");
    if (refs.length > 0) s += " " + refs.join(", ");
  }
  return "[" + s + "]";
}

function renderItems(items: readonly Item[], style: "english" | "symbolic", out: string[]): void {
  for (const it of items) {
    const label = it.label === undefined ? "" : it.label + ". ";
    if (it.kind === "claim") {
      const just = it.justification === undefined ? "" : " " + renderJustification(it.justification);
      out.push(label + claim(it.formula, style) + "." + just);
    } else {
      out.push(label + it.kind + " " + claim(it.assumption, style) + ":");
      renderItems(it.body, style, out);
      out.push("end " + it.kind);
    }
  }
}

/** Renders a proof, one item per line. */
export function renderProof(proof: Proof, options: RenderOptions = {}): string {
  const out: string[] = [];
  renderItems(proof.items, options.style ?? "english", out);
  const body = out.join("\n");
  return options.tags === false ? body : "<proof>\n" + body + "\n</proof>";
}
