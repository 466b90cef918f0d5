/**
 * TPTP export: one file holding every item's problem in turn, each block headed by a comment line
 * `% scalelogic item <id> …` so it can be split into one `.p` file per item (docs/datasets.md).
 * Each block is a complete FOF problem (facts and rules as axioms, the goal as the conjecture);
 * for choice items the candidates follow as comment lines, ready to be swapped in as conjectures.
 */
import { formulaToTptp, problemToTptp } from "../logic/tptp.js";
import { problemFromJsonOrThrow } from "../logic/serialize.js";
import type { AtomicFile, DatasetItem, ItemWriter } from "./writer.js";

/** Turns one item into its TPTP problem text. */
export type TptpRender = (item: DatasetItem) => string;

/** The header line that opens each item's block; the splitter in the docs keys on it. */
export function tptpHeader(item: DatasetItem): string {
  return `% scalelogic item ${item.id} level=${item.level} depth=${item.depth} task=${item.task} split=${item.split}`;
}

/**
 * The standard renderer: the item's wire-form problem as TPTP axioms plus the goal as conjecture,
 * then `% candidate k [entailed|not entailed]: fof(candidate_k, conjecture, …).` comment lines.
 * Throws on a malformed problem (the generator never emits one).
 */
export function itemTptp(item: DatasetItem): string {
  const problem = problemFromJsonOrThrow(item.problem);
  let text = problemToTptp(problem);
  const cands = problem.candidates ?? [];
  cands.forEach((c, k) => {
    const status = k === problem.answer ? "entailed" : "not entailed";
    text += `% candidate ${k + 1} ${status}: fof(candidate_${k + 1}, conjecture, ${formulaToTptp(c)}).\n`;
  });
  return text;
}

/** TPTP writer: the items' problems concatenated, one headed block per item, a blank line between. */
export function tptpWriter(file: AtomicFile, render: TptpRender): ItemWriter {
  return {
    write(item) {
      const body = render(item);
      return file.write(`${tptpHeader(item)}\n${body.endsWith("\n") ? body : body + "\n"}\n`);
    },
    async finish() {
      // Blocks are self-contained; there is no trailer.
    },
  };
}
